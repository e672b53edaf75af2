#!/usr/bin/env node
// A report brigade against a real server (the built CLI, SQLite, loopback HTTP): fresh
// pseudonymous identities report a comment, first many from one address, then one each from 50
// addresses on 50 different /24 networks. Prints the reports sent and accepted and the comments
// hidden: with the default trust settings (docs/moderation-trust.md) the expected figure is 0.
// A control server where every reader counts (COLLOQUY_TRUST_MIN_AGE_HOURS=0,
// COLLOQUY_TRUST_MIN_COMMENTS=0, COLLOQUY_TRUST_NETWORKS=off) takes the same attack.
// Usage: pnpm build && node bench/brigade.mjs [--one-address 30] [--networks 50]
// The server trusts one proxy hop (COLLOQUY_TRUST_PROXY=1) so that the script can say, in
// X-Forwarded-For, which address each request comes from; rate limits are off so that the
// trust model alone is measured (with them on, one address makes at most 20 identities an hour).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './lib/load.mjs';

const { values } = parseArgs({ options: { 'one-address': { type: 'string', default: '30' }, networks: { type: 'string', default: '50' } } });
const fromOneAddress = Number(values['one-address']);
const networks = Number(values.networks);
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Build first: pnpm build');
  process.exit(1);
}
const binFlags = /^#!.*\bnode\b(.*)$/m.exec(readFileSync(cli, 'utf8').split('\n', 1)[0])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];

async function attack(label, port, extraEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-brigade-'));
  const env = {
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(dir, 'brigade.db')}`,
    COLLOQUY_RATE_LIMITS: 'off',
    COLLOQUY_SPAM: 'off',
    COLLOQUY_DEMO: 'off',
    COLLOQUY_TRUST_PROXY: '1',
    ...extraEnv,
  };
  const server = await startChild([...binFlags, cli, 'serve'], env, `http://127.0.0.1:${port}/api/v1/config`);
  const api = `http://127.0.0.1:${port}/api/v1`;
  const call = async (method, path, { token, body, address = '192.0.2.1' } = {}) => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': address };
    if (token) headers.authorization = `Bearer ${token}`;
    if (method === 'POST' && path === '/comments') headers['idempotency-key'] = crypto.randomUUID();
    const response = await fetch(`${api}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  };
  const identity = async (name, address) => (await call('POST', '/identities', { body: { name }, address })).json.token;
  const visible = async (thread) => (await call('GET', `/counts?thread=${encodeURIComponent(thread)}`)).json.counts[thread];
  try {
    const author = await identity('Author', '192.0.2.10');
    const targets = [];
    for (const thread of ['/brigade/one-address', '/brigade/many-networks']) {
      const created = await call('POST', '/comments', { token: author, body: { thread, body: `An ordinary comment on ${thread}` }, address: '192.0.2.10' });
      targets.push({ thread, id: created.json.comment.id });
    }
    const rows = [];
    const scenarios = [
      { name: `${fromOneAddress} identities, 1 address`, count: fromOneAddress, address: () => '198.51.100.23' },
      { name: `${networks} identities, ${networks} /24 networks`, count: networks, address: (i) => `10.${Math.floor(i / 250) + 1}.${i % 250}.9` },
    ];
    for (const [index, scenario] of scenarios.entries()) {
      const target = targets[index];
      let accepted = 0;
      for (let i = 0; i < scenario.count; i++) {
        const address = scenario.address(i);
        const token = await identity(`Sock ${i}`, address);
        const reported = await call('POST', `/comments/${target.id}/reports`, { token, body: { reason: 'harassment' }, address });
        if (reported.status === 201) accepted++;
      }
      rows.push({ server: label, attack: scenario.name, 'reports sent': scenario.count, 'reports accepted': accepted, 'comment hidden': (await visible(target.thread)) === 0 ? 'yes' : 'no' });
    }
    return rows;
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const everyReaderCounts = { COLLOQUY_TRUST_MIN_AGE_HOURS: '0', COLLOQUY_TRUST_MIN_COMMENTS: '0', COLLOQUY_TRUST_NETWORKS: 'off' };
const defaults = await attack('default trust settings', 18_895, {});
const control = await attack('control: every reader counts', 18_896, everyReaderCounts);
console.table([...defaults, ...control]);
const hidden = defaults.filter((row) => row['comment hidden'] === 'yes').length;
console.log(`comments hidden by the brigade with default settings: ${hidden} of ${defaults.length} (expected 0)`);
console.log(`comments hidden in the control where every reader counts: ${control.filter((row) => row['comment hidden'] === 'yes').length} of ${control.length}`);
process.exitCode = hidden === 0 ? 0 : 1;
