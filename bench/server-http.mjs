#!/usr/bin/env node
// Server throughput on loopback, beside a bare node:http hello-world measured in the same run:
//   1. GET a 50-comment page of a 1,000-comment thread (req/s, p50, p99, and the server's RSS after)
//   2. POST comments, each answered only after the write is durable (SQLite, synchronous=FULL)
// Usage: pnpm build && node bench/server-http.mjs [--seconds 10] [--connections 32]
// Both servers run as child processes so the load generator does not share their event loop.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, rssMiB, run as load, startChild, summary } from './lib/load.mjs';

const run = (options) => load({ duration: seconds, connections, ...options });

/**
 * One measured run, with the server's own CPU time per request: on a 2-core machine the load
 * generator shares the CPU, so req/s can be capped by autocannon itself (a 23 KB answer costs it
 * far more to parse than 11 bytes); CPU per request is the server's cost alone.
 */
async function measured(child, options) {
  const before = cpuSeconds(child.pid);
  const result = await run(options);
  const row = summary(result);
  row['server CPU µs/req'] = Math.round(((cpuSeconds(child.pid) - before) * 1e6) / result.requests.total);
  return row;
}

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '32' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Build first: pnpm build');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-'));
const barePort = 18_890;
const port = 18_891;
const bare = await startChild(
  ['-e', `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'text/plain'); s.end('hello world'); }).listen(${barePort}, '127.0.0.1')`],
  {},
  `http://127.0.0.1:${barePort}/`,
);
// Run the CLI with the V8 flags its bin line carries, as `colloquy-server` itself runs.
const binFlags = /^#!.*\bnode\b(.*)$/m.exec(readFileSync(cli, 'utf8').split('\n', 1)[0])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
const server = await startChild(
  [...binFlags, cli, 'serve'],
  { PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, COLLOQUY_RATE_LIMITS: 'off', COLLOQUY_SPAM: 'off', COLLOQUY_DEMO: 'off' },
  `http://127.0.0.1:${port}/api/v1/config`,
);
const api = `http://127.0.0.1:${port}/api/v1`;
try {
  const identity = await (
    await fetch(`${api}/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Bench"}' })
  ).json();
  const auth = { authorization: `Bearer ${identity.token}`, 'content-type': 'application/json' };
  for (let i = 0; i < 1000; i++) {
    const response = await fetch(`${api}/comments`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': `seed-${i}` },
      body: JSON.stringify({ thread: '/bench/read', body: `Seed comment ${i} with *some* markdown and a [link](https://example.org/${i}).` }),
    });
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
  }
  const page = await (await fetch(`${api}/comments?thread=/bench/read&limit=50`)).json();
  if (page.comments.length !== 50) throw new Error('expected a 50-comment page');

  // Warm both servers up before measuring.
  await run({ url: `http://127.0.0.1:${barePort}/`, duration: 2 });
  await run({ url: `${api}/comments?thread=/bench/read&limit=50`, duration: 2 });

  const bareResult = await measured(bare, { url: `http://127.0.0.1:${barePort}/` });
  const readResult = await measured(server, { url: `${api}/comments?thread=/bench/read&limit=50` });
  // Browsers always send Accept-Encoding; the server keeps a gzipped copy of each cached page.
  const gzipResult = await measured(server, { url: `${api}/comments?thread=/bench/read&limit=50`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const rss = rssMiB(server.pid);
  const writeResult = await measured(server, {
    url: `${api}/comments`,
    method: 'POST',
    headers: { ...auth, 'idempotency-key': 'bench-[<id>]' },
    body: JSON.stringify({ thread: '/bench/write', body: 'A durable comment [<id>]' }),
    idReplacement: true,
  });
  console.log(`\nColloquy server on SQLite, ${connections} connections, ${seconds} s per run, loopback\n`);
  console.table({
    'bare node:http hello-world': bareResult,
    'GET 50-comment page of 1,000': readResult,
    'same, gzip (as browsers ask)': gzipResult,
    'POST comment (durable)': writeResult,
  });
  console.log(`reads / bare: ${(readResult['req/s'] / bareResult['req/s']).toFixed(2)}× uncompressed, ${(gzipResult['req/s'] / bareResult['req/s']).toFixed(2)}× gzip (aim ≥ 0.5)`);
  const cpu = (row) => (row['server CPU µs/req'] / bareResult['server CPU µs/req']).toFixed(2);
  console.log(`server CPU per read / bare: ${cpu(readResult)}× uncompressed, ${cpu(gzipResult)}× gzip`);
  console.log(`server V8 flags: ${binFlags.join(' ') || '(none)'}`);
  console.log(`durable writes: ${writeResult['req/s']} req/s (aim ≥ 2,500)`);
  console.log(`server resident memory after the read run: ${rss.toFixed(1)} MiB (aim < 100)`);
} finally {
  server.kill('SIGTERM');
  bare.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
