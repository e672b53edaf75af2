#!/usr/bin/env node
// Adversarial body rendering, at the maximum body length (10,000 characters):
//   1. a seeded fuzzer and the known pathological shapes search for the slowest bodies for the
//      markdown parser itself (each in a child process killed at --cap ms, so the search ends);
//   2. the server's renderer (parser thread + deadline) renders the worst ones, one at a time: the
//      figure is the slowest render, which must stay under 50 ms;
//   3. a real server takes 20 of them posted at once while the event loop's delay is sampled:
//      the figure is the longest stall, which must stay under 100 ms.
// Usage: pnpm build && node bench/render-adversarial.mjs [--bodies 120] [--cap 1000] [--seed 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createBodyRenderer, createServer } from '@colloquy/server';

const { values } = parseArgs({
  options: {
    bodies: { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    cap: { type: 'string', default: '1000' },
  },
});
const MAX = 10_000;
let seed = Number(values.seed);
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

// Shapes known to be slow in markdown parsers (CommonMark's pathological tests and our own finds).
const KNOWN = ['[a](', '[a](b', '![a](', '[', '*a **a ', '_a __a ', '`a``', '> ', '- ', '1. ', 'a\n', '\n;a\n', '<a', 'www.a', '[a]: ', '~a ~~a ', '@a>\'a~]', '*`a\'', 'a@a.', 'a@a.a ', '\\*', '![', '&#1'];
const ALPHABET = '[]()*_~`<>!\\:/.@#-+|=&;"\' \n\taA1';

function fill(unit) {
  return unit.repeat(Math.ceil(MAX / unit.length)).slice(0, MAX);
}
function fuzzed() {
  const length = 1 + Math.floor(random() * 8);
  let unit = '';
  for (let i = 0; i < length; i++) unit += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return fill(unit);
}

const candidates = [...KNOWN.map(fill), ...Array.from({ length: Number(values.bodies) }, fuzzed)];
if (KNOWN.includes('[')) candidates.push('['.repeat(MAX / 2) + 'a' + ']'.repeat(MAX / 2 - 1));

// 1. The parser's own time, each body in a child process killed at the cap.
const probe = fileURLToPath(new URL('./lib/parse-once.mjs', import.meta.url));
const timed = [];
for (const body of candidates) {
  const run = spawnSync(process.execPath, [probe], { input: body, timeout: Number(values.cap), encoding: 'utf8' });
  const ms = run.status === 0 ? Number(run.stdout.trim()) : Number(values.cap);
  timed.push({ body, ms, capped: run.status !== 0 });
}
timed.sort((a, b) => b.ms - a.ms);
const worst = timed.slice(0, 20);

// 2. The server's renderer, as configured by default, one body at a time (the spare thread warm).
const renderer = createBodyRenderer();
await renderer.check();
let slowest = 0;
let slowestCpu = 0;
const walls = [];
for (const { body } of worst) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await renderer.render(body);
  walls.push(performance.now() - started);
  slowest = Math.max(slowest, walls.at(-1));
  // CPU time of the whole process (the parser thread included): steady on a loaded machine.
  const used = process.cpuUsage(cpu);
  slowestCpu = Math.max(slowestCpu, (used.user + used.system) / 1000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await renderer.render('*settled*');
}

// 3. Twenty of the worst posted at once to a real server, with the event loop sampled.
const dir = mkdtempSync(join(tmpdir(), 'colloquy-render-bench-'));
const server = await createServer({ port: 0, host: '127.0.0.1', databaseUrl: `sqlite:${join(dir, 'bench.db')}`, rateLimits: null, spamFilter: false, renderer });
const api = `${server.url}/api/v1`;
const { token } = await (await fetch(`${api}/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mallory' }) })).json();
// The same burst of ordinary bodies first, so the stall can be read against what any 20 writes cost.
async function burst(bodies, prefix) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const statuses = await Promise.all(
    bodies.map((body, i) =>
      fetch(`${api}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ thread: `/bench/${prefix}${i}`, body }),
      }).then(async (r) => (r.status === 201 ? 201 : `${r.status} ${(await r.text()).slice(0, 120)}`)),
    ),
  );
  delay.disable();
  return { stallMs: delay.max / 1e6, ms: performance.now() - started, statuses };
}
const ordinary = await burst(worst.map((_, i) => `An *ordinary* comment, number ${i}, with [a link](https://example.org/${i}).`), 'ordinary-');
const crafted = await burst(worst.map(({ body }) => body), 'crafted-');
await server.close();
await renderer.close();
rmSync(dir, { recursive: true, force: true });

const show = (body) => JSON.stringify(body.slice(0, 12)) + '…';
console.log(`bodies tried: ${candidates.length} at ${MAX} characters (seed ${values.seed})`);
console.log('slowest for the parser alone (capped at', values.cap, 'ms):');
for (const { body, ms, capped } of timed.slice(0, 5)) console.log(`  ${capped ? '≥' : ' '}${ms.toFixed(0).padStart(6)} ms  ${show(body)}`);
console.log('');
console.log('| figure | value | aim |');
console.log('|---|---:|---:|');
console.log(`| slowest render by the server's renderer (worst 20 bodies), wall clock | ${slowest.toFixed(1)} ms | < 50 ms |`);
console.log(`| median render of the same 20 bodies, wall clock | ${walls.sort((a, b) => a - b)[Math.floor(walls.length / 2)].toFixed(1)} ms | |`);
console.log(`| the same, CPU time of the process (all threads) | ${slowestCpu.toFixed(1)} ms | < 50 ms |`);
console.log(`| longest event-loop stall, 20 worst bodies posted at once | ${crafted.stallMs.toFixed(1)} ms | < 100 ms |`);
console.log(`| longest event-loop stall, 20 ordinary bodies posted at once | ${ordinary.stallMs.toFixed(1)} ms | (the same writes without the parser) |`);
console.log(`| all 20 crafted answered | ${crafted.ms.toFixed(0)} ms (${crafted.statuses.filter((s) => s === 201).length}/20 created) | |`);
console.log(`renders of the 20, wall clock, sorted: ${walls.map((w) => w.toFixed(0)).join(' ')} ms`);
for (const status of crafted.statuses.filter((s) => s !== 201)) console.log(`  refused: ${status}`);
