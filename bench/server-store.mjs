#!/usr/bin/env node
// The store's hot paths over HTTP, with nothing in front of the database:
//   1. GET 50-comment pages of 1,000-comment threads, every request a different URL (threads ×
//      sort orders × cursors) and the page cache off (COLLOQUY_PAGE_CACHE=off), so each answer
//      is read from the database; as browsers ask (gzip accepted) and without Accept-Encoding.
//   2. POST comments, each answered only after the write is durable, on SQLite and PostgreSQL.
// Usage: pnpm build && node bench/server-store.mjs [--seconds 10] [--connections 32] [--threads 4]
//        [--postgres postgres://postgres@127.0.0.1:5432/test | --postgres off] [--cli path/to/dist/cli.js]
// --cli runs another build of the server (a copy of an earlier dist/ inside packages/server/),
// so two versions can be measured back to back under the same machine load.
// PostgreSQL runs in a fresh schema, dropped afterwards. Server CPU per request is the server
// process's own (user + system), which the load generator sharing the cores does not blur.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, run as load, startChild, summary } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '4' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    cli: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const threads = Number(values.threads);
const COMMENTS_PER_THREAD = 1000;
const PAGE = 50;

const cli = values.cli ? resolve(values.cli) : fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Build first: pnpm build');
  process.exit(1);
}
const binFlags = /^#!.*\bnode\b(.*)$/m.exec(readFileSync(cli, 'utf8').split('\n', 1)[0])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
const env = { COLLOQUY_RATE_LIMITS: 'off', COLLOQUY_SPAM: 'off', COLLOQUY_DEMO: 'off', COLLOQUY_PAGE_CACHE: 'off' };

async function measured(child, options) {
  const before = cpuSeconds(child.pid);
  const result = await load({ duration: seconds, connections, ...options });
  const row = summary(result);
  row['server CPU µs/req'] = Math.round(((cpuSeconds(child.pid) - before) * 1e6) / result.requests.total);
  return row;
}

/** Runs `task(i)` for i in [0, count) with `width` at a time. */
async function parallel(count, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await task(next++);
  }));
}

/** Seeds `threads` threads of 1,000 top-level comments; returns every page URL of each (distinct). */
async function seed(api) {
  const identity = await (await fetch(`${api}/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Bench"}' })).json();
  const auth = { authorization: `Bearer ${identity.token}`, 'content-type': 'application/json' };
  await parallel(threads * COMMENTS_PER_THREAD, 8, async (n) => {
    const thread = `/bench/read-${n % threads}`;
    const response = await fetch(`${api}/comments`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': `seed-${n}` },
      body: JSON.stringify({ thread, body: `Seed comment ${n} with *some* markdown and a [link](https://example.org/${n}).` }),
    });
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
  });
  // Walk every page of every thread in every sort order: each URL is one distinct 50-comment page.
  const paths = [];
  for (let t = 0; t < threads; t++) {
    for (const sort of ['oldest', 'newest', 'top']) {
      let cursor = null;
      do {
        const path = `/api/v1/comments?thread=${encodeURIComponent(`/bench/read-${t}`)}&sort=${sort}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await (await fetch(`${api.replace(/\/api\/v1$/, '')}${path}`)).json();
        if (page.comments.length !== PAGE) throw new Error(`expected a ${PAGE}-comment page, got ${page.comments.length}`);
        paths.push(path);
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  return { auth, paths };
}

/** One autocannon request that walks the URL list, so consecutive requests never repeat a page. */
function rotating(paths, headers = {}) {
  let i = 0;
  return [{ method: 'GET', headers, setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length] }) }];
}

async function measureDriver(label, databaseUrl, port, withReads) {
  const server = await startChild([...binFlags, cli, 'serve'], { ...env, PORT: String(port), DATABASE_URL: databaseUrl }, `http://127.0.0.1:${port}/api/v1/config`);
  const origin = `http://127.0.0.1:${port}`;
  const rows = {};
  try {
    if (withReads) {
      const { paths } = await seed(`${origin}/api/v1`);
      await load({ url: origin, duration: 2, connections, requests: rotating(paths) });
      rows[`${label}: GET page (gzip asked), ${paths.length} URLs`] = await measured(server, { url: origin, requests: rotating(paths, { 'accept-encoding': 'gzip, deflate, br' }) });
      rows[`${label}: GET page (no gzip), ${paths.length} URLs`] = await measured(server, { url: origin, requests: rotating(paths) });
    }
    const identity = await (await fetch(`${origin}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Writer"}' })).json();
    const headers = { authorization: `Bearer ${identity.token}`, 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]' };
    const post = { url: `${origin}/api/v1/comments`, method: 'POST', headers, body: JSON.stringify({ thread: '/bench/write', body: 'A durable comment [<id>]' }), idReplacement: true };
    await load({ ...post, duration: 2, connections });
    rows[`${label}: POST comment (durable)`] = await measured(server, post);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
  }
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'colloquy-store-bench-'));
const table = {};
try {
  Object.assign(table, await measureDriver('SQLite', `sqlite:${join(dir, 'bench.db')}`, 18_895, true));
  if (values.postgres !== 'off') {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const psql = (sql) => execFileSync('psql', [values.postgres, '-qAt', '-c', sql], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });
    psql(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(values.postgres);
      url.searchParams.set('options', `-c search_path=${schema}`);
      Object.assign(table, await measureDriver('PostgreSQL', url.href, 18_896, true));
    } finally {
      psql(`DROP SCHEMA ${schema} CASCADE`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nColloquy store over HTTP (${cli}), page cache off, ${connections} connections, ${seconds} s per run, loopback, ${threads} threads of ${COMMENTS_PER_THREAD}`);
// req/s depends on what else the machine runs; CPU per request much less so.
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')}\n`);
console.table(table);
console.log('aims (issue 10): uncached GET 5,000 req/s; durable POST on PostgreSQL 1,500/s');
