#!/usr/bin/env node
// The moderation queue page with 1,000 comments waiting, each by a different author (the worst
// case: every item needs its own author's history): database queries per page, and pages per
// second over real HTTP on loopback, on SQLite and PostgreSQL. The same for the published queue
// (`status=visible`, newest first) over as many published comments, half of them replies.
// Usage: pnpm build && node bench/moderation-queue.mjs [--seconds 5] [--limit 100]
//        [--postgres postgres://postgres@127.0.0.1:5432/test | --postgres off]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer, createStore, hashToken } from '@colloquy/server';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    limit: { type: 'string', default: '100' },
    waiting: { type: 'string', default: '1000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const seconds = Number(values.seconds);
const limit = Number(values.limit);
const waiting = Number(values.waiting);

async function seed(store) {
  for (let i = 0; i < waiting; i++) {
    const author = await store.createIdentity({ name: `Author ${i}`, tokenHash: randomBytes(16).toString('hex') });
    await store.createComment({
      thread: `/bench/queue/${i % 40}`,
      parentId: null,
      body: `Held comment ${i}`,
      html: `<p>Held comment ${i}</p>`,
      authorId: author.id,
      status: 'held',
      heldReasons: ['first-comment'],
      idempotencyKey: `q-${i}`,
      requestHash: `h${i}`,
      maxDepth: 3,
    });
  }
  let parentId = null;
  for (let i = 0; i < waiting; i++) {
    const author = await store.createIdentity({ name: `Writer ${i}`, tokenHash: randomBytes(16).toString('hex') });
    const { comment } = await store.createComment({
      thread: `/bench/published/${Math.floor(i / 2) % 40}`,
      parentId: i % 2 === 1 ? parentId : null,
      body: `Published comment ${i}`,
      html: `<p>Published comment ${i}</p>`,
      authorId: author.id,
      status: 'visible',
      heldReasons: [],
      idempotencyKey: `p-${i}`,
      requestHash: `p${i}`,
      maxDepth: 3,
    });
    parentId = comment.id;
  }
  const token = `cq_${randomBytes(32).toString('base64url')}`;
  await store.createIdentity({ name: 'Moderator', tokenHash: hashToken(token), role: 'moderator' });
  return token;
}

async function measure(name, url, options = {}) {
  const store = await createStore(url, options);
  const token = await seed(store);
  for (const status of ['held', 'visible']) await measureQueue(name, store, token, status);
  if (options.schema) await store.db.run(`DROP SCHEMA "${options.schema}" CASCADE`);
  await store.close();
}

async function measureQueue(name, store, token, status) {
  let queries = 0;
  const query = store.db.query.bind(store.db);
  store.db.query = (compiled) => {
    queries++;
    return query(compiled);
  };
  const all = store.db.all.bind(store.db);
  store.db.all = (sql, params) => {
    queries++;
    return all(sql, params);
  };
  const server = await createServer({ port: 0, host: '127.0.0.1', store, rateLimits: null, spamFilter: false });
  const page = `${server.url}/api/v1/moderation/queue?status=${status}&limit=${limit}`;
  const get = async () => {
    const response = await fetch(page, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    return response.json();
  };
  // Published comments queue notification jobs; count only once the outbox worker is idle.
  for (let waited = 0; waited < 120; waited++) {
    const [{ n }] = await all("SELECT count(*) AS n FROM outbox WHERE state = 'pending'", []);
    if (Number(n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await get();
  queries = 0;
  const first = await get();
  const perPage = queries;
  let pages = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        await get();
        pages++;
      }
    }),
  );
  store.db.query = query;
  store.db.all = all;
  await server.close();
  console.log(`| ${name} | ${status} | ${first.items.length} of ${first.total} | ${perPage} | ${(pages / seconds).toFixed(1)} |`);
}

console.log(`moderation queue page, ${waiting} comments waiting (and ${waiting} published) by ${waiting * 2} authors, ${limit} per page, 4 readers for ${seconds} s`);
console.log('');
console.log('| driver | queue | items shown | queries per page | pages per second |');
console.log('|---|---|---:|---:|---:|');
const dir = mkdtempSync(join(tmpdir(), 'colloquy-queue-bench-'));
try {
  await measure('SQLite', `sqlite:${join(dir, 'queue.db')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (values.postgres !== 'off') {
  await measure('PostgreSQL', values.postgres, { schema: `colloquy_bench_${randomBytes(4).toString('hex')}` });
}
