#!/usr/bin/env node
// Reply notifications through the durable outbox, end to end, with a real SMTP listener on
// loopback (smtp-server) and the server in this process:
//   1. Fan-out: N readers (default 10,000) with confirmed addresses each have a comment in one
//      thread, and each comment gets a reply (written as the store writes them: the comment and
//      its `reply` job in one transaction). The server then starts; printed: notifications
//      enqueued per second (reply jobs turned into notifications and queued messages), and
//      messages accepted by the SMTP server per second.
//   2. Latency: single replies posted over HTTP to a reader with no batch window; printed: the
//      time from the reply's 201 to its message reaching the SMTP server (median, p95); the
//      same for new top-level comments in a thread the reader follows.
//   3. Following: the same N readers follow one more thread; one new comment is posted there
//      over HTTP. Printed: notifications enqueued per second for that one comment (a
//      notification and a queued message per follower), the time from its 201 to the first
//      follower's message reaching the SMTP server, and to the last.
// Usage: node --conditions=colloquy-source --import tsx bench/notify-fanout.mjs [--readers 10000] [--samples 30] [--skip-replies]
//        [--database sqlite | postgres://postgres@127.0.0.1:5432/test]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from '../packages/server/src/app.ts';
import { createStore } from '../packages/server/src/store/index.ts';
import { openPostgres } from '../packages/server/src/store/postgres.ts';
import { startSmtpListener } from '../packages/server/src/smtp-test-support.ts';

const { values } = parseArgs({
  options: { 'skip-replies': { type: 'boolean', default: false }, readers: { type: 'string', default: '10000' }, samples: { type: 'string', default: '30' }, database: { type: 'string', default: 'sqlite' } },
});
const READERS = Number(values.readers);
const SAMPLES = Number(values.samples);
/** Part 1 (a reply to each of N readers) left out: only latency and following. */
const SKIP_REPLIES = values['skip-replies'];
const postgres = values.database.startsWith('postgres');
const dir = mkdtempSync(join(tmpdir(), 'colloquy-notify-'));
const schema = `colloquy_bench_${randomBytes(5).toString('hex')}`;
const databaseUrl = postgres ? values.database : `sqlite:${join(dir, 'notify.db')}`;
const storeOptions = postgres ? { schema } : {};

const smtp = await startSmtpListener();
const thread = '/fan-out';
const followedThread = '/followed';
const THREAD_TIME = 1_700_000_000_000;

// Seeding: readers, addresses, comments, replies and their jobs, in a few large transactions.
const seed = await createStore(databaseUrl, storeOptions);
const replier = 'i_bench_replier';
await seed.db.run(`INSERT INTO identities (id, kind, name, role, created_at) VALUES (?, 'pseudonymous', 'Replier', 'reader', ?)`, [replier, THREAD_TIME]);
const CHUNK = 1000;
for (let start = 0; start < READERS; start += CHUNK) {
  await seed.db.transaction(async (tx) => {
    for (let i = start; i < Math.min(READERS, start + CHUNK); i++) {
      const reader = `i_bench_${i}`;
      const top = `c_bench_top_${i}`;
      const reply = `c_bench_reply_${i}`;
      const at = THREAD_TIME + i;
      await tx.run(`INSERT INTO identities (id, kind, name, role, created_at) VALUES (?, 'pseudonymous', ?, 'reader', ?)`, [reader, `Reader ${i}`, at]);
      await tx.run(
        `INSERT INTO reader_emails (identity_id, address, confirmed_at, language, notify, created_at, updated_at) VALUES (?, ?, ?, 'en', 'immediate', ?, ?)`,
        [reader, `reader${i}@example.org`, at, at, at],
      );
      await tx.run(
        `INSERT INTO comments (id, thread, parent_id, root_id, depth, author_id, body, html, status, created_at, visible_replies) VALUES (?, ?, NULL, ?, 0, ?, ?, ?, 'visible', ?, 1)`,
        [top, thread, top, reader, `Question ${i}`, `<p>Question ${i}</p>`, at],
      );
      await tx.run(`INSERT INTO thread_subscriptions (identity_id, thread, state, created_at) VALUES (?, ?, 'following', ?)`, [reader, followedThread, at]);
      if (SKIP_REPLIES) continue;
      await tx.run(
        `INSERT INTO comments (id, thread, parent_id, root_id, depth, author_id, body, html, status, created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'visible', ?)`,
        [reply, thread, top, top, replier, `Answer ${i}`, `<p>Answer ${i}</p>`, at + 1],
      );
      await tx.run(`INSERT INTO outbox (id, kind, dedupe_key, payload, next_attempt_at, created_at) VALUES (?, 'reply', ?, ?, 0, ?)`, [
        `o_bench_${String(i).padStart(6, '0')}`,
        `reply:${reply}`,
        JSON.stringify({ commentId: reply, repliedTo: top }),
        at,
      ]);
    }
  });
}
await seed.close();

const server = await createServer({
  port: 0,
  databaseUrl,
  storeOptions,
  rateLimits: null,
  spamFilter: false,
  serveDemo: false,
  mail: { smtpUrl: smtp.url, batchMs: 0 },
  outbox: { pollMs: 1000 },
});
const started = performance.now();
const store = server.store;
const count = async (sql) => Number((await store.db.all(sql))[0].n);
let notified = 0;
const seconds = (ms) => (ms / 1000).toFixed(2);
if (!SKIP_REPLIES) {
  while ((notified = await count(`SELECT count(*) AS n FROM notifications`)) < READERS) await new Promise((resolve) => setTimeout(resolve, 100));
  const fannedOut = performance.now();
  await smtp.mail.until((all) => all.length >= READERS);
  const delivered = performance.now();
  console.log(`notify-fanout (${postgres ? 'PostgreSQL' : 'SQLite'}, ${READERS} readers, one reply each; load average ${loadavg()[0].toFixed(2)})`);
  console.log(`  notifications enqueued: ${notified} in ${seconds(fannedOut - started)} s = ${Math.round(notified / ((fannedOut - started) / 1000))}/s`);
  console.log(`  messages accepted by the SMTP server: ${READERS} in ${seconds(delivered - started)} s from start = ${Math.round(READERS / ((delivered - started) / 1000))}/s`);
}

// Latency: one reader, replies one at a time over HTTP.
const call = async (method, path, token, body) => {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(path === '/comments' ? { 'idempotency-key': randomUUID() } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
};
const asker = await call('POST', '/identities', null, { name: 'Asker' });
const answerer = await call('POST', '/identities', null, { name: 'Answerer' });
await call('PUT', '/identities/me/email', asker.token, { address: 'asker@example.org' });
await smtp.mail.until((all) => all.some((m) => m.to === 'asker@example.org'));
const link = smtp.mail.items.find((m) => m.to === 'asker@example.org').text.match(/https?:\/\/\S+/)[0];
await call('POST', '/email/confirm', null, { token: new URL(link).searchParams.get('token') });
const question = (await call('POST', '/comments', asker.token, { thread: '/latency', body: 'A question' })).comment;
const latencies = [];
for (let i = 0; i < SAMPLES; i++) {
  const before = smtp.mail.items.length;
  const body = `Answer number ${i}`;
  await call('POST', '/comments', answerer.token, { thread: '/latency', body, parentId: question.id });
  const answered = performance.now();
  await smtp.mail.until((all) => all.length > before && all.some((m) => m.text.includes(`> ${body}\n`)));
  latencies.push(performance.now() - answered);
}
// The same for new top-level comments in the thread the asker follows (posting the question followed it).
const followLatencies = [];
for (let i = 0; i < SAMPLES; i++) {
  const body = `Followed comment ${i}`;
  await call('POST', '/comments', answerer.token, { thread: '/latency', body });
  const posted = performance.now();
  await smtp.mail.until((all) => all.some((m) => m.to === 'asker@example.org' && m.text.includes(`> ${body}\n`)));
  followLatencies.push(performance.now() - posted);
}

const pickFrom = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};
const pick = pickFrom(latencies);
const pickFollow = pickFrom(followLatencies);
console.log(`latency (load average ${loadavg()[0].toFixed(2)})`);
console.log(`  reply → SMTP server (${SAMPLES} replies, no batch window): median ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms`);
console.log(`  new comment in a followed thread → SMTP server (${SAMPLES} comments, one follower): median ${pickFollow(0.5).toFixed(1)} ms, p95 ${pickFollow(0.95).toFixed(1)} ms`);

// Following: one new comment in a thread N readers follow. Printed as measured (the last
// message of a large fan-out can take minutes on a busy machine).
const beforeFollow = smtp.mail.items.length;
const announced = (await call('POST', '/comments', answerer.token, { thread: followedThread, body: 'News for every follower' })).comment;
const posted = performance.now();
// When the first follower's message arrives, taken as it happens (the count below is polled).
const firstFollowMail = smtp.mail.until((all) => all.length > beforeFollow).then(() => performance.now());
let followNotified = 0;
while ((followNotified = Number((await store.db.all(`SELECT count(*) AS n FROM notifications WHERE comment_id = ?`, [announced.id]))[0].n)) < READERS) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const followFannedOut = performance.now();
console.log(`following: one new comment, ${READERS} followers (load average ${loadavg()[0].toFixed(2)})`);
console.log(`  notifications enqueued: ${followNotified} in ${seconds(followFannedOut - posted)} s = ${Math.round(followNotified / ((followFannedOut - posted) / 1000))}/s (each with its queued message)`);
const firstMail = await firstFollowMail;
console.log(`  comment → first follower's message at the SMTP server: ${(firstMail - posted).toFixed(0)} ms (${(firstMail - followFannedOut).toFixed(0)} ms after the last notification was enqueued)`);
await smtp.mail.until((all) => all.length >= beforeFollow + READERS);
const lastFollowMail = performance.now();
console.log(`  comment → last (${READERS}th) message at the SMTP server: ${seconds(lastFollowMail - posted)} s = ${Math.round(READERS / ((lastFollowMail - posted) / 1000))} messages/s`);

await server.close();
await smtp.close();
rmSync(dir, { recursive: true, force: true });
if (postgres) {
  const admin = openPostgres(values.database, { max: 1 });
  await admin.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.close();
}
