import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ServerConfig } from './config.js';
import { confirmationMessage, mailLanguage, notificationMessage, type MailContent } from './mail-messages.js';
import type { OutboxHandler } from './outbox-worker.js';
import { backoff } from './outbox-worker.js';
import type { NotificationItem, OutboxJob, OutboxJobInput, ReaderEmail, Recipient, Store } from './store/index.js';

/** What a `mail` job carries: the whole message, and whom it is for (checked again at send time). */
export interface MailPayload extends MailContent {
  to: string;
  identityId: string;
  /**
   * `confirm` may go to an address not yet confirmed; anything else only to a confirmed one;
   * `sign-in` (a link the reader asked for) goes even when reply messages are off.
   */
  purpose: 'confirm' | 'notify' | 'sign-in';
}

/** What one-click unsubscribe tokens may do: stop every reply message, or those of one thread. */
export type UnsubscribeScope = { kind: 'all' } | { kind: 'thread'; thread: string };

const CONFIRM_TTL_MS = 48 * 3600_000;

export const hashConfirmToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Links in mail, signed with a key the server keeps in its database (so every process agrees). */
export interface MailLinks {
  base(): string;
  confirmUrl(token: string): string;
  unsubscribeToken(identityId: string, scope: UnsubscribeScope): string;
  /** The identity and scope of a token, or null when it is not one of ours. */
  readUnsubscribeToken(token: string): { identityId: string; scope: UnsubscribeScope } | null;
  unsubscribeUrl(identityId: string, scope: UnsubscribeScope): string;
  permalink(item: Pick<NotificationItem, 'thread' | 'commentId'>): string;
  messageId(jobId: string): string;
}

export function createMailLinks(key: string, config: ServerConfig): MailLinks {
  const base = () => config.publicUrl ?? `http://${config.host}:${config.port}`;
  const mac = (data: string) => createHmac('sha256', key).update(`unsubscribe.${data}`).digest().subarray(0, 18).toString('base64url');
  const links: MailLinks = {
    base,
    confirmUrl: (token) => `${base()}/api/v1/email/confirm?token=${encodeURIComponent(token)}`,
    unsubscribeToken(identityId, scope) {
      const data = Buffer.from(JSON.stringify(scope.kind === 'all' ? { i: identityId } : { i: identityId, t: scope.thread })).toString('base64url');
      return `${data}.${mac(data)}`;
    },
    readUnsubscribeToken(token) {
      const [data, given, extra] = token.split('.');
      if (!data || !given || extra !== undefined) return null;
      const expected = Buffer.from(mac(data));
      const actual = Buffer.from(given);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
      try {
        const parsed = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { i?: unknown; t?: unknown };
        if (typeof parsed.i !== 'string') return null;
        return { identityId: parsed.i, scope: typeof parsed.t === 'string' ? { kind: 'thread', thread: parsed.t } : { kind: 'all' } };
      } catch {
        return null;
      }
    },
    unsubscribeUrl: (identityId, scope) => `${base()}/api/v1/unsubscribe?token=${links.unsubscribeToken(identityId, scope)}`,
    permalink({ thread, commentId }) {
      const site = config.siteUrl ?? base();
      const path = thread.startsWith('/') ? thread : '/';
      return `${site}${path}#comment-${encodeURIComponent(commentId)}`;
    },
    messageId: (jobId) => `<${jobId}@${new URL(base()).hostname || 'colloquy.invalid'}>`,
  };
  return links;
}

/** A new confirmation token (sent), its hash (stored), and when it expires. */
export function newConfirmToken(now: number): { token: string; hash: string; expiresAt: number } {
  const token = `cqe_${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashConfirmToken(token), expiresAt: now + CONFIRM_TTL_MS };
}

export function confirmationJob(email: ReaderEmail, token: string, links: MailLinks): OutboxJobInput {
  const content = confirmationMessage(mailLanguage(email.language), { confirmUrl: links.confirmUrl(token), site: new URL(links.base()).host });
  const payload: MailPayload = { ...content, to: email.address, identityId: email.identityId, purpose: 'confirm' };
  return { kind: 'mail', payload: payload as unknown as Record<string, unknown> };
}

/** Sends one message; resolves when the SMTP server (or the local mailbox) has accepted it. */
export interface MailTransport {
  readonly kind: 'smtp' | 'local';
  send(message: MailPayload, messageId: string, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer when `COLLOQUY_SMTP_URL` is set; otherwise the `local_mail` table. */
export function createMailTransport(config: ServerConfig, store: Store): MailTransport {
  const from = config.mail.from;
  if (!config.mail.smtpUrl) {
    return {
      kind: 'local',
      send: (m, messageId) => store.keepLocalMail({ messageId, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers }),
      close() {},
    };
  }
  // A few pooled connections, each reused for up to 100 messages; a connection the SMTP server
  // dropped fails its message, which the outbox retries on a new one. The options go beside the
  // URL in one object: a second argument to createTransport would be message defaults, and the
  // transport would open a new connection (greeting, EHLO, STARTTLS) for every message.
  const transporter = nodemailer.createTransport({
    url: config.mail.smtpUrl,
    pool: true,
    maxConnections: 4,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    kind: 'smtp',
    async send(m, messageId, signal) {
      if (signal.aborted) throw new Error('shutting down');
      await transporter.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId });
    },
    close: () => transporter.close(),
  };
}

/** An SMTP answer that will not change on retry (5xx: no such mailbox, refused). */
function permanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Sends the outbox's mail jobs. Just before sending, the address is checked again: a message
 * for an address since removed, changed or (for anything but a confirmation) unconfirmed is
 * cancelled. The Message-ID comes from the job id, so a message sent again after a crash
 * between the SMTP server's acceptance and the outbox's record is the same message.
 */
export function mailHandler(store: Store, transport: MailTransport, links: MailLinks, config: ServerConfig): OutboxHandler {
  return {
    label: 'mail delivery',
    describe: (job) => ({ purpose: (job.payload as unknown as MailPayload).purpose }),
    retryDelay(job: OutboxJob) {
      if (config.now() - job.createdAt > config.outbox.mailGiveUpMs) return null;
      return backoff(job.attempts, config.outbox.retryBaseMs, config.outbox.retryMaxMs);
    },
    async run(job, signal) {
      const message = job.payload as unknown as MailPayload;
      const email = await store.getReaderEmail(message.identityId);
      if (!email || email.address !== message.to) return { status: 'cancelled', reason: 'address removed or changed' };
      if (message.purpose !== 'confirm' && !email.confirmed) return { status: 'cancelled', reason: 'address not confirmed' };
      if (message.purpose === 'notify' && email.notify === 'off') return { status: 'cancelled', reason: 'unsubscribed' };
      try {
        await transport.send(message, links.messageId(job.id), signal);
      } catch (error) {
        const reason = (error as Error).message ?? String(error);
        return permanentSmtpFailure(error) ? { status: 'failed', error: reason } : { status: 'retry', error: reason };
      }
      return { status: 'done' };
    },
  };
}

/** The next daily digest time after `now`, at `hour` UTC. */
export function nextDigestAt(now: number, hour: number): number {
  const day = new Date(now);
  const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  return at > now ? at : at + 24 * 3600_000;
}

const internalRetry = (config: ServerConfig) => (job: OutboxJob) => (job.attempts >= 10 ? null : backoff(job.attempts, 1_000, config.outbox.retryMaxMs));

/**
 * A comment became visible: whom it answers (unless they muted the thread) and the thread's
 * followers hear of it, never its own author, once each (a reply to a follower is one
 * notification, as a reply). Each gets a notification row (the activity view lists them);
 * those with a confirmed address and mail not off also get a message scheduled: at once after a
 * quiet spell, else when the batch window since their last message ends (comments meanwhile
 * join it), or at the next digest.
 */
export function replyHandler(store: Store, config: ServerConfig): OutboxHandler {
  return {
    label: 'comment notifications',
    retryDelay: internalRetry(config),
    async run(job) {
      const { commentId, repliedTo } = job.payload as { commentId: string; repliedTo: string | null };
      const comment = await store.getComment(commentId);
      if (!comment || comment.status !== 'visible') return { status: 'done' };
      const parent = repliedTo ? await store.getComment(repliedTo) : null;
      const recipients = await store.recipientsOf({
        thread: comment.thread,
        authorId: comment.author.id,
        repliedToAuthor: parent && parent.status !== 'deleted' ? parent.author.id : null,
      });
      if (recipients.length === 0) return { status: 'done' };
      const now = config.now();
      const mailed = (r: Recipient) => !!r.email?.confirmed && r.email.notify !== 'off';
      const jobs: OutboxJobInput[] = recipients.filter(mailed).map(({ identityId, email }) => {
        const digest = email!.notify === 'digest';
        const at = digest ? nextDigestAt(now, config.mail.digestHourUtc) : Math.max(now, (email!.lastNotifiedAt ?? 0) + config.mail.batchMs);
        // One waiting message per reader: a later comment joins it.
        return { kind: 'notify', payload: { recipientId: identityId, digest }, dedupeKey: `pending:notify:${identityId}`, at };
      });
      return {
        status: 'done',
        async work(tx) {
          await store.addNotifications(tx, { commentId, thread: comment.thread, at: Date.parse(comment.createdAt), recipients: recipients.map((r) => ({ identityId: r.identityId, reason: r.reason, mailed: mailed(r) })) });
          await store.enqueueOutbox(jobs, tx);
        },
      };
    },
  };
}

/** Composes one message from the reader's notifications not yet sent, and queues it as a `mail` job. */
export function notifyHandler(store: Store, links: MailLinks, config: ServerConfig): OutboxHandler {
  return {
    label: 'notification message',
    retryDelay: internalRetry(config),
    async run(job) {
      const { recipientId, digest } = job.payload as { recipientId: string; digest: boolean };
      const email = await store.getReaderEmail(recipientId);
      return {
        status: 'done',
        async work(tx) {
          const items = await store.takeNotifications(tx, recipientId, job.id);
          // Turned off or unconfirmed meanwhile: the notifications are kept (for an activity view), not mailed.
          if (items.length === 0 || !email?.confirmed || email.notify === 'off') return;
          const content = notificationMessage(mailLanguage(email.language), items, digest, {
            permalink: (item) => links.permalink(item),
            unsubscribeUrl: links.unsubscribeUrl(recipientId, { kind: 'all' }),
            muteUrl: (thread) => links.unsubscribeUrl(recipientId, { kind: 'thread', thread }),
          });
          const payload: MailPayload = { ...content, to: email.address, identityId: recipientId, purpose: 'notify' };
          await store.enqueueOutbox({ kind: 'mail', payload: payload as unknown as Record<string, unknown>, dedupeKey: `mail:${job.id}` }, tx);
          await store.markNotified(tx, recipientId, config.now());
        },
      };
    },
  };
}
