#!/usr/bin/env node
// Page latency as a thread grows: threads of 1,000, 100,000 and 1,000,000 comments on SQLite.
// For each size it measures the first page (newest), a page from the middle (oldest, keyset
// cursor), and the top sort, with autocannon on loopback, and prints p50/p99 and req/s. The
// server keeps recent pages ready (a page cache), so the same queries are also timed straight
// against the store, uncached, to show the database's own cost as the thread grows.
// Threads are written straight into the database file (through the server's own migrations)
// because posting a million comments over HTTP would take longer than the measurement.
// Usage: pnpm build && node bench/page-latency.mjs [--sizes 1000,100000,1000000] [--seconds 5]
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { run, startChild } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,100000,1000000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const dist = (path) => fileURLToPath(new URL(`../packages/server/dist/${path}`, import.meta.url));
if (!existsSync(dist('cli.js'))) {
  console.error('Build first: pnpm build');
  process.exit(1);
}
const { createStore } = await import(dist('index.js'));
const { encodeCursor } = await import(dist('store/cursor.js'));

async function seed(file, size) {
  const store = await createStore(`sqlite:${file}`);
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const start = Date.UTC(2020, 0, 1);
  db.prepare(`INSERT INTO identities (id, kind, name, role, created_at) VALUES ('i_bench', 'pseudonymous', 'Bench', 'reader', ?)`).run(start);
  const insert = db.prepare(
    `INSERT INTO comments (id, thread, parent_id, root_id, depth, author_id, body, html, status, visible_replies, created_at)
     VALUES (?, '/bench/grow', ?, ?, ?, 'i_bench', ?, ?, 'visible', ?, ?)`,
  );
  // Every fifth comment is a reply to the top-level comment just before it.
  const fill = db.transaction((from, to) => {
    let root = null;
    for (let i = from; i < to; i++) {
      const id = `c_${String(i).padStart(9, '0')}`;
      const body = `Comment ${i}: a sentence or two of reader text, with *emphasis*.`;
      const html = `<p>Comment ${i}: a sentence or two of reader text, with <em>emphasis</em>.</p>`;
      if (i % 5 === 4 && root) insert.run(id, root, root, 1, body, html, 0, start + i * 1000);
      else {
        root = id;
        // The comment at i % 5 === 3 gets the reply that follows it.
        insert.run(id, null, id, 0, body, html, i % 5 === 3 ? 1 : 0, start + i * 1000);
      }
    }
  });
  for (let from = 0; from < size; from += 50_000) fill(from, Math.min(size, from + 50_000));
  db.close();
  return start;
}

const rows = {};
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-grow-'));
  const file = join(dir, 'grow.db');
  const startedSeeding = Date.now();
  const start = await seed(file, size);
  const seededIn = ((Date.now() - startedSeeding) / 1000).toFixed(1);
  const port = 18_900;
  const server = await startChild(
    [dist('cli.js'), 'serve'],
    { PORT: String(port), DATABASE_URL: `sqlite:${file}`, COLLOQUY_RATE_LIMITS: 'off', COLLOQUY_SPAM: 'off', COLLOQUY_DEMO: 'off' },
    `http://127.0.0.1:${port}/api/v1/config`,
  );
  try {
    const api = `http://127.0.0.1:${port}/api/v1/comments?thread=/bench/grow&limit=50`;
    const middle = Math.floor(size / 2);
    const middleCursor = encodeCursor('oldest', [start + middle * 1000, `c_${String(middle).padStart(9, '0')}`]);
    const queries = {
      'first page, newest': `${api}&sort=newest`,
      'middle page, oldest': `${api}&sort=oldest&cursor=${middleCursor}`,
      'first page, top': `${api}&sort=top`,
    };
    for (const [label, url] of Object.entries(queries)) {
      const check = await fetch(url);
      const page = await check.json();
      if (check.status !== 200 || page.comments.length !== 50) throw new Error(`${label}: ${check.status} ${JSON.stringify(page).slice(0, 200)}`);
      await run({ url, duration: 1, connections });
      const result = await run({ url, duration: seconds, connections });
      rows[`${size.toLocaleString('en')} · ${label}`] = {
        'req/s': Math.round(result.requests.average),
        p50: `${result.latency.p50} ms`,
        p99: `${result.latency.p99} ms`,
        non2xx: result.non2xx,
      };
    }
    // The same pages without the cache: the store's own query, timed in this process.
    const store = await createStore(`sqlite:${file}`);
    try {
      const inputs = {
        'first page, newest': { sort: 'newest' },
        'middle page, oldest': { sort: 'oldest', cursor: middleCursor },
        'first page, top': { sort: 'top' },
      };
      for (const [label, input] of Object.entries(inputs)) {
        const times = [];
        for (let i = 0; i < 300; i++) {
          const t0 = process.hrtime.bigint();
          const page = await store.listComments({ thread: '/bench/grow', limit: 50, viewerId: null, cursor: null, ...input });
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (page.comments.length !== 50) throw new Error(`${label}: store gave ${page.comments.length}`);
        }
        times.sort((a, b) => a - b);
        const row = rows[`${size.toLocaleString('en')} · ${label}`];
        row['store p50 (no cache)'] = `${times[150].toFixed(2)} ms`;
        row['store p99 (no cache)'] = `${times[297].toFixed(2)} ms`;
      }
    } finally {
      await store.close();
    }
    console.error(`seeded ${size} comments in ${seededIn} s`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nPage latency by thread size (SQLite, ${connections} connections, ${seconds} s per query, loopback)\n`);
console.table(rows);
