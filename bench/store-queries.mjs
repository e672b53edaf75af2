#!/usr/bin/env node
// The store alone, in process, without HTTP: CPU time per call of its two hot paths, which
// holds up on a loaded machine far better than req/s does.
//   - listComments: every 50-comment page of a 1,000-comment thread in every sort order
//   - createComment: a durable top-level comment with an idempotency key
// Usage: pnpm build && node bench/store-queries.mjs [--rounds 5] [--dist packages/server/dist]
//        [--postgres postgres://postgres@127.0.0.1:5432/test | --postgres off]
// --dist takes another build of the server (a copy of an earlier dist/ inside packages/server/),
// and runs interleaved with the current one, so both see the same machine load.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    dist: { type: 'string' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const rounds = Number(values.rounds);
const current = fileURLToPath(new URL('../packages/server/dist', import.meta.url));
const builds = [['current', current], ...(values.dist ? [['other', resolve(values.dist)]] : [])];

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function seeded(createStore, url, options) {
  const store = await createStore(url, options);
  const author = await store.createIdentity({ name: 'Bench', tokenHash: randomBytes(16).toString('hex') });
  const thread = '/bench/queries';
  for (let i = 0; i < 1000; i++) {
    await store.createComment({
      thread,
      parentId: null,
      body: `Seed comment ${i}`,
      html: `<p>Seed comment ${i} with <em>some</em> markdown and a <a href="https://example.org/${i}">link</a>.</p>`,
      authorId: author.id,
      status: 'visible',
      idempotencyKey: `seed-${i}`,
      requestHash: `h${i}`,
      maxDepth: 3,
    });
  }
  const pages = [];
  for (const sort of ['oldest', 'newest', 'top']) {
    let cursor = null;
    do {
      pages.push({ thread, sort, cursor, limit: 50 });
      cursor = (await store.listComments({ thread, sort, cursor, limit: 50 })).nextCursor;
    } while (cursor);
  }
  return { store, author, pages };
}

async function measure(label, { store, author, pages }) {
  let start = cpu();
  let calls = 0;
  for (let r = 0; r < 4; r++) {
    for (const page of pages) {
      const { comments } = await store.listComments(page);
      if (comments.length !== 50) throw new Error('expected 50 comments');
      calls++;
    }
  }
  const read = (cpu() - start) / calls;
  start = cpu();
  const writes = 200;
  await Promise.all(
    Array.from({ length: writes }, (_, i) =>
      store.createComment({
        thread: '/bench/writes',
        parentId: null,
        body: 'A durable comment',
        html: '<p>A durable comment</p>',
        authorId: author.id,
        status: 'visible',
        idempotencyKey: `w-${label}-${randomBytes(6).toString('hex')}-${i}`,
        requestHash: 'w',
        maxDepth: 3,
      }),
    ),
  );
  const write = (cpu() - start) / writes;
  return { read, write };
}

const dir = mkdtempSync(join(tmpdir(), 'colloquy-store-queries-'));
const psql = (sql) =>
  execFileSync('psql', [values.postgres, '-qAt', '-c', sql], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });
const schemas = [];
const subjects = [];
try {
  for (const [name, path] of builds) {
    const { createStore } = await import(pathToFileURL(join(path, 'store/index.js')).href);
    subjects.push({ name, driver: 'SQLite', ...(await seeded(createStore, `sqlite:${join(dir, `${name}.db`)}`, {})) });
    if (values.postgres !== 'off') {
      const schema = `bench_q_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      subjects.push({ name, driver: 'PostgreSQL', ...(await seeded(createStore, values.postgres, { schema })) });
    }
  }
  const totals = new Map(subjects.map((s) => [s, { read: [], write: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const subject of subjects) {
      const { read, write } = await measure(`${r}`, subject);
      totals.get(subject).read.push(read);
      totals.get(subject).write.push(write);
    }
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const table = {};
  for (const subject of subjects) {
    const t = totals.get(subject);
    table[`${subject.driver}, ${subject.name}`] = {
      'listComments CPU µs (median)': Math.round(median(t.read)),
      'createComment CPU µs (median)': Math.round(median(t.write)),
    };
  }
  console.log(`\nStore hot paths in process, ${rounds} rounds, ${subjects[0].pages.length} distinct pages per round`);
  console.table(table);
} finally {
  for (const subject of subjects) await subject.store.close();
  for (const schema of schemas) psql(`DROP SCHEMA ${schema} CASCADE`);
  rmSync(dir, { recursive: true, force: true });
}
