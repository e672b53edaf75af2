#!/usr/bin/env node
// Clients flood the server with live streams and slow bodies; another reader keeps reading a
// page and posting. First one address (127.0.0.3) asks for `--one` streams (all but its share
// are refused with 429); then `--streams` more come from `--addresses` others (127.0.0.4 on),
// until the total cap refuses them with 503; then `--slow` bodies from 127.0.0.3 send one byte
// every 5 s. Prints the reader's page and post latency before and during the flood (and the
// ratio), the refusal counts, and when the slow bodies were cut off. Source addresses are
// 127.0.0.x: Linux routes all of 127/8 to lo. The reader is 127.0.0.2.
// Usage: pnpm build && node bench/connection-flood.mjs [--one 1000] [--streams 3000] [--addresses 150]
//        [--slow 200] [--request-timeout 30] [--per-address 20] [--total 2000] [--flood-thread /bench/flood]
// The streams listen to the reader's thread by default, so each of the reader's posts goes out to
// every open stream; `--flood-thread /elsewhere` separates the fan-out from the connection cost.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    one: { type: 'string', default: '1000' },
    'flood-thread': { type: 'string', default: '/bench/flood' },
    streams: { type: 'string', default: '3000' },
    addresses: { type: 'string', default: '150' },
    slow: { type: 'string', default: '200' },
    'request-timeout': { type: 'string', default: '30' },
    'per-address': { type: 'string', default: '20' },
    total: { type: 'string', default: '2000' },
  },
});
const one = Number(values.one);
const streams = Number(values.streams);
const addresses = Number(values.addresses);
const slowCount = Number(values.slow);
const requestTimeout = Number(values['request-timeout']);
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Build first: pnpm build');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'colloquy-flood-'));
const port = 18_895;
const binFlags = /^#!.*\bnode\b(.*)$/m.exec(readFileSync(cli, 'utf8').split('\n', 1)[0])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
const server = await startChild(
  [...binFlags, cli, 'serve'],
  {
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    // The reader posts more often than a person would; the limits measured here are the connection limits.
    COLLOQUY_RATE_LIMITS: 'off',
    COLLOQUY_SPAM: 'off',
    COLLOQUY_DEMO: 'off',
    COLLOQUY_REQUEST_TIMEOUT: String(requestTimeout),
    COLLOQUY_MAX_STREAMS_PER_ADDRESS: values['per-address'],
    COLLOQUY_MAX_STREAMS: values.total,
  },
  `http://127.0.0.1:${port}/api/v1/config`,
);
const THREAD = '/bench/flood';

/** One request on its own connection from `from`; resolves with the status once the answer (or a stream's headers) arrives. */
function send(from, method, path, { headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: `/api/v1${path}`, method, localAddress: from, agent: false, headers }, (response) => {
      if (String(response.headers['content-type']).startsWith('text/event-stream')) return resolve({ status: response.statusCode, req });
      let text = '';
      response.setEncoding('utf8').on('data', (c) => (text += c));
      response.on('end', () => resolve({ status: response.statusCode, text, req }));
    });
    req.on('error', (error) => resolve({ status: null, error: error.code ?? error.message, req }));
    req.end(body);
  });
}

async function readerRound(token, n) {
  const pages = [];
  const posts = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    const page = await send('127.0.0.2', 'GET', `/comments?thread=${encodeURIComponent(THREAD)}`);
    if (page.status !== 200) throw new Error(`page: ${page.status} ${page.error ?? page.text}`);
    pages.push(performance.now() - t);
    t = performance.now();
    const post = await send('127.0.0.2', 'POST', '/comments', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-${Math.random()}` },
      body: JSON.stringify({ thread: THREAD, body: `Reader's comment ${i}` }),
    });
    if (post.status !== 201) throw new Error(`post: ${post.status} ${post.error ?? post.text}`);
    posts.push(performance.now() - t);
  }
  return { pages, posts };
}

const quantile = (list, q) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const held = [];
try {
  const identity = JSON.parse((await send('127.0.0.2', 'POST', '/identities', { headers: { 'content-type': 'application/json' }, body: '{"name":"Reader"}' })).text);
  await readerRound(identity.token, 10); // warm-up
  const before = await readerRound(identity.token, 50);

  // The flood: one address, then many, then slow bodies.
  const streamsFrom = (n, address) => Promise.all(Array.from({ length: n }, (_, i) => send(address(i), 'GET', `/events?thread=${encodeURIComponent(values['flood-thread'])}`)));
  let floodStarted = performance.now();
  const fromOne = await streamsFrom(one, () => '127.0.0.3');
  const oneMs = performance.now() - floodStarted;
  floodStarted = performance.now();
  const fromMany = await streamsFrom(streams, (i) => `127.0.0.${4 + (i % addresses)}`);
  const manyMs = performance.now() - floodStarted;
  const answers = [...fromOne, ...fromMany];
  held.push(...answers.filter((a) => a.status === 200));
  const count = (list, status) => list.filter((a) => a.status === status).length;
  // Slow bodies: headers at once, then one byte every 5 s.
  const slowStarted = performance.now();
  const slow = Array.from({ length: slowCount }, (_, i) => {
    const body = JSON.stringify({ thread: THREAD, body: 'x'.repeat(300) });
    return new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1', port, path: '/api/v1/comments', method: 'POST', localAddress: '127.0.0.3', agent: false,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'idempotency-key': `slow-${i}` },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - slowStarted }));
        },
      );
      req.on('error', () => resolve({ status: null, ms: performance.now() - slowStarted }));
      req.flushHeaders();
      let sent = 0;
      const timer = setInterval(() => (req.destroyed || sent >= body.length - 1 ? clearInterval(timer) : req.write(body[sent++])), 5000);
      req.on('close', () => clearInterval(timer));
    });
  });
  const during = await readerRound(identity.token, 50);
  const cut = await Promise.all(slow);

  const row = (name, a, b) => {
    const p50 = [quantile(a, 0.5), quantile(b, 0.5)];
    const p95 = [quantile(a, 0.95), quantile(b, 0.95)];
    console.log(`${name.padEnd(6)} before p50 ${fmt(p50[0])} p95 ${fmt(p95[0])} | during p50 ${fmt(p50[1])} p95 ${fmt(p95[1])} | ratio p50 ${(p50[1] / p50[0]).toFixed(2)}× p95 ${(p95[1] / p95[0]).toFixed(2)}×`);
  };
  console.log(
    `one address: ${one} stream requests in ${(oneMs / 1000).toFixed(1)} s: ${count(fromOne, 200)} open, ${count(fromOne, 429)} refused 429, ${count(fromOne, null)} failed to connect`,
  );
  console.log(
    `${addresses} addresses: ${streams} stream requests in ${(manyMs / 1000).toFixed(1)} s: ${count(fromMany, 200)} open, ` +
      `${count(fromMany, 429)} refused 429, ${count(fromMany, 503)} refused 503, ${count(fromMany, null)} failed to connect`,
  );
  console.log(`during: ${held.length} streams open, ${slowCount} slow bodies pending from 127.0.0.3`);
  row('page', before.pages, during.pages);
  row('post', before.posts, during.posts);
  const cutMs = cut.map((c) => c.ms);
  const statuses = [...new Set(cut.map((c) => c.status))].join(', ');
  console.log(
    `slow bodies (request timeout ${requestTimeout} s): answered ${statuses}; cut after ${(Math.min(...cutMs) / 1000).toFixed(1)}–${(Math.max(...cutMs) / 1000).toFixed(1)} s`,
  );
} finally {
  for (const answer of held) answer.req.destroy();
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
