// A real SMTP server on loopback for tests (the `smtp-server` package, which nodemailer's
// authors keep): it accepts every message and parses it, so tests read what a reader's mail
// provider would receive. Modes let tests make it refuse (temporarily) or hang in the middle of
// a transfer.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { arrivals } from './http-test-support.js';
import type { TestServer } from './test-support.js';

export interface ReceivedMail {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  raw: string;
}

export interface SmtpListener {
  url: string;
  port: number;
  mail: ReturnType<typeof arrivals<ReceivedMail>>;
  /** `accept` (default), `refuse` (451 to every message: try later), or `stall` (never answer the end of DATA). */
  mode: 'accept' | 'refuse' | 'stall';
  /** Messages received whose end of DATA was never answered (the sender gave up or died). */
  readonly stalled: number;
  /** Connections senders opened (a pooled sender reuses a few for many messages). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * One listener for the enclosing `describe`: started before its tests, closed after them. The
 * object stands for that listener (read it in tests and hooks, once it is up).
 */
export function smtpListenerForSuite(): SmtpListener {
  let listener: SmtpListener | undefined;
  const current = (): SmtpListener => {
    if (!listener) throw new Error('the SMTP listener starts in a before hook; use it inside a test');
    return listener;
  };
  before(async () => {
    listener = await startSmtpListener();
  });
  after(async () => {
    await listener?.close();
  });
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get mail() {
      return current().mail;
    },
    get mode() {
      return current().mode;
    },
    set mode(mode) {
      current().mode = mode;
    },
    get stalled() {
      return current().stalled;
    },
    get connections() {
      return current().connections;
    },
    close: () => current().close(),
  };
}

/** Starts the listener on `port` (0: any free one). */
export async function startSmtpListener(port = 0): Promise<SmtpListener> {
  const mail = arrivals<ReceivedMail>();
  let stalled = 0;
  let connections = 0;
  const listener: SmtpListener = {
    url: '',
    port: 0,
    mail,
    mode: 'accept',
    get stalled() {
      return stalled;
    },
    get connections() {
      return connections;
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 500,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (listener.mode === 'refuse') {
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(error);
        }
        if (listener.mode === 'stall') {
          // Never answered: to the sender the transfer is unfinished, so the message is not delivered.
          stalled++;
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            mail.push({
              messageId: parsed.messageId ?? '',
              to,
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: parsed.headers,
              raw,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const address = server.server.address();
  listener.port = typeof address === 'object' && address ? address.port : port;
  listener.url = `smtp://127.0.0.1:${listener.port}`;
  listener.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return listener;
}

/** The first http(s) link in a text that contains `part`. */
export function linkIn(text: string, part: string): string {
  const found = text.match(/https?:\/\/\S+/g)?.find((url) => url.includes(part));
  if (!found) throw new Error(`no link with ${part} in:\n${text}`);
  return found;
}

/** Waits until the outbox has nothing left to do now and nothing in flight (jobs scheduled later do not count). */
export async function settled(t: TestServer): Promise<void> {
  for (;;) {
    const busy = await t.server.store.db.all(`SELECT id FROM outbox WHERE state = 'pending' AND (next_attempt_at <= ? OR claimed_by IS NOT NULL)`, [t.server.config.now()]);
    if (busy.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The messages the listener received for one address, in order. */
export const mailTo = (smtp: SmtpListener, address: string) => smtp.mail.items.filter((m) => m.to === address);

/** Sets the reader's address and confirms it from the link in the message the listener received. */
export async function confirmAddress(t: TestServer, smtp: SmtpListener, token: string, address: string, language?: 'en' | 'es'): Promise<void> {
  const before = mailTo(smtp, address).length;
  const set = await t.call('PUT', '/identities/me/email', { token, body: { address, ...(language ? { language } : {}) } });
  assert.equal(set.status, 200, set.text);
  await smtp.mail.until(() => mailTo(smtp, address).length > before);
  const link = linkIn(mailTo(smtp, address).at(-1)!.text, '/email/confirm');
  const confirmed = await t.call('POST', '/email/confirm', { body: { token: new URL(link).searchParams.get('token') } });
  assert.equal(confirmed.status, 200, confirmed.text);
  assert.equal(confirmed.json.email.confirmed, true);
}
