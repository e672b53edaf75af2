// The durable outbox under faults, with the real `colloquy-server` CLI: mail and webhooks queued
// while the SMTP server and the webhook receiver hang are delivered exactly once after the
// process is killed with SIGKILL and started again; and two processes on one PostgreSQL send
// each message once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_URL, pgAdmin } from '../support/pg-admin.js';
import { startSmtpListener } from '../../packages/server/src/smtp-test-support.js';
import { arrivals } from '../../packages/server/src/http-test-support.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const HOOK_SECRET = 'outbox-faults-webhook-secret';

/** A webhook receiver: `hang` leaves requests unanswered (the sender never learns), `accept` answers 204. */
async function startReceiver() {
  const answered = arrivals<{ delivery: string; type: string }>();
  const seen = arrivals<IncomingHttpHeaders>();
  const state = { mode: 'hang' as 'hang' | 'accept' };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      seen.push(request.headers);
      if (state.mode === 'hang') return;
      answered.push({ delivery: String(request.headers['colloquy-delivery']), type: JSON.parse(body).type });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    state,
    answered,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function api(base: string, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST' && path === '/comments' ? { 'idempotency-key': randomBytes(8).toString('hex') } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());

test('SIGKILL with mail and webhooks in flight: after a restart each is delivered exactly once', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-outbox-'));
  const smtp = await startSmtpListener();
  const receiver = await startReceiver();
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'outbox.db')}`,
    COLLOQUY_SMTP_URL: smtp.url,
    COLLOQUY_WEBHOOK_URL: receiver.url,
    COLLOQUY_WEBHOOK_SECRET: HOOK_SECRET,
    COLLOQUY_OUTBOX_LEASE: '5',
    COLLOQUY_OUTBOX_RETRY_MAX: '1',
    COLLOQUY_TRUST_MIN_AGE_HOURS: '0',
    COLLOQUY_TRUST_MIN_COMMENTS: '0',
    COLLOQUY_TRUST_NETWORKS: 'off',
  };
  smtp.mode = 'stall';
  let server: ServerProcess = await startServerProcess(env);
  try {
    const READERS = 6;
    const addresses: string[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < READERS; i++) {
      const identity = await api(server.url, 'POST', '/identities', undefined, { name: `Reader ${i}` });
      tokens.push(identity.json.token);
      addresses.push(`reader${i}@example.org`);
      assert.equal((await api(server.url, 'PUT', '/identities/me/email', identity.json.token, { address: addresses[i] })).status, 200);
    }
    // Reports queue webhooks; the receiver hangs on them.
    const comment = (await api(server.url, 'POST', '/comments', tokens[0], { thread: '/faults', body: 'report me' })).json.comment;
    for (const token of tokens.slice(1, 4)) assert.equal((await api(server.url, 'POST', `/comments/${comment.id}/reports`, token, { reason: 'spam' })).status, 201);

    // Both peers are in the middle of a transfer when the plug is pulled.
    const log = (m: string) => process.env.OUTBOX_DEBUG && console.error(`[faults] ${m}`);
    log('waiting for a webhook attempt');
    await receiver.seen.until((all) => all.length >= 1);
    log('waiting for a stalled transfer');
    while (smtp.stalled < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGKILL');
    await new Promise((resolve) => (server.child.exitCode !== null || server.child.signalCode !== null ? resolve(null) : server.child.once('exit', resolve)));
    assert.equal(smtp.mail.items.length, 0, 'no message was accepted before the kill');
    assert.equal(receiver.answered.items.length, 0, 'no webhook was answered before the kill');

    smtp.mode = 'accept';
    receiver.state.mode = 'accept';
    log('restarting');
    server = await startServerProcess(env);
    await smtp.mail.until((all) => all.length >= READERS);
    log('mail in');
    // Three reports and the hide they caused (threshold 3).
    await receiver.answered.until((all) => all.length >= 4);
    // Stopped cleanly, the outbox shows nothing left to do; anything still queued would have gone out first.
    await server.stop('SIGTERM');
    const db = await import('../../packages/server/src/store/index.js');
    const store = await db.createStore(env.DATABASE_URL);
    try {
      assert.deepEqual(await store.outboxCounts('mail'), { pending: 0, done: READERS, failed: 0, cancelled: 0 });
      assert.deepEqual(await store.outboxCounts('webhook'), { pending: 0, done: 4, failed: 0, cancelled: 0 });
    } finally {
      await store.close();
    }
    const byMessageId = countBy(smtp.mail.items.map((m) => m.messageId));
    assert.equal(byMessageId.size, READERS, 'one Message-ID per reader');
    assert.deepEqual([...byMessageId.values()], Array(READERS).fill(1), 'each message delivered exactly once');
    assert.deepEqual(smtp.mail.items.map((m) => m.to).sort(), [...addresses].sort());
    const byDelivery = countBy(receiver.answered.items.map((d) => d.delivery));
    assert.deepEqual([...byDelivery.values()], [1, 1, 1, 1], 'each webhook delivery answered exactly once');
    assert.deepEqual(receiver.answered.items.map((d) => d.type).sort(), ['hidden', 'reported', 'reported', 'reported']);
  } finally {
    await server.stop();
    await smtp.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the SMTP server down, mail waits in the outbox and goes out when it is back', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-outbox-down-'));
  // A port the SMTP server will listen on later; nothing listens there now.
  const probe = await startSmtpListener();
  const port = probe.port;
  await probe.close();
  const env = { DATABASE_URL: `sqlite:${join(dir, 'down.db')}`, COLLOQUY_SMTP_URL: `smtp://127.0.0.1:${port}`, COLLOQUY_OUTBOX_RETRY_MAX: '1', COLLOQUY_LOG: 'on' };
  const server = await startServerProcess(env);
  let smtp: Awaited<ReturnType<typeof startSmtpListener>> | null = null;
  try {
    const identity = await api(server.url, 'POST', '/identities', undefined, { name: 'Waiting' });
    assert.equal((await api(server.url, 'PUT', '/identities/me/email', identity.json.token, { address: 'waiting@example.org' })).status, 200);
    // The first attempts fail (connection refused) while nobody listens.
    await new Promise<void>((resolve) => {
      const check = () => (server.output().includes('mail delivery failed; retrying') ? resolve() : setTimeout(check, 50));
      check();
    });
    smtp = await startSmtpListener(port);
    await smtp.mail.until((all) => all.length === 1);
    assert.equal(smtp.mail.items[0]!.to, 'waiting@example.org');
  } finally {
    await server.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two server processes on one PostgreSQL send each message and webhook once', { timeout: 300_000 }, async () => {
  const name = `colloquy_outbox_${randomBytes(5).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const smtp = await startSmtpListener();
  const receiver = await startReceiver();
  receiver.state.mode = 'accept';
  // Both poll often, so both take part in every burst.
  const env = {
    DATABASE_URL: url.href,
    COLLOQUY_SMTP_URL: smtp.url,
    COLLOQUY_WEBHOOK_URL: receiver.url,
    COLLOQUY_WEBHOOK_SECRET: HOOK_SECRET,
    COLLOQUY_OUTBOX_POLL: '1',
  };
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) servers.push(await startServerProcess(env));
    const READERS = 30;
    await Promise.all(
      Array.from({ length: READERS }, async (_, i) => {
        const via = servers[i % 2]!;
        const identity = await api(via.url, 'POST', '/identities', undefined, { name: `Pg ${i}` });
        assert.equal((await api(via.url, 'PUT', '/identities/me/email', identity.json.token, { address: `pg${i}@example.org` })).status, 200);
        const comment = (await api(via.url, 'POST', '/comments', identity.json.token, { thread: '/pg', body: `comment ${i}` })).json.comment;
        const reporter = await api(servers[(i + 1) % 2]!.url, 'POST', '/identities', undefined, {});
        assert.equal((await api(servers[(i + 1) % 2]!.url, 'POST', `/comments/${comment.id}/reports`, reporter.json.token, { reason: 'spam' })).status, 201);
      }),
    );
    await smtp.mail.until((all) => all.length >= READERS);
    await receiver.answered.until((all) => all.length >= READERS);
    for (const server of servers) await server.stop('SIGTERM');
    const byMessageId = countBy(smtp.mail.items.map((m) => m.messageId));
    assert.equal(smtp.mail.items.length, READERS, 'no message sent twice');
    assert.equal(byMessageId.size, READERS);
    assert.equal(receiver.answered.items.length, READERS, 'no webhook delivered twice');
    assert.equal(new Set(receiver.answered.items.map((d) => d.delivery)).size, READERS);
  } finally {
    for (const server of servers) await server.stop();
    await smtp.close();
    await receiver.close();
    await pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
