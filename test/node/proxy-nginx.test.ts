// Behind the documented nginx (TLS, docs/deploy/nginx.conf), the server sees each client's own
// address whatever X-Forwarded-For the client sends: bans and per-address rate limits hold.
// Each client connects from its own loopback address (127.0.0.0/8 is all this machine's).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { callThrough, startNginx, type Nginx } from '../support/nginx.js';

const BANNED = '127.0.0.66';
const forged = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i % 250}, 198.51.100.${(i * 7) % 250}` });

describe('behind nginx with COLLOQUY_TRUST_PROXY=1', () => {
  let dir: string;
  let server: ServerProcess;
  let nginx: Nginx;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'colloquy-proxy-'));
    server = await startServerProcess({
      DATABASE_URL: `sqlite:${join(dir, 'proxy.db')}`,
      COLLOQUY_TRUST_PROXY: '1',
      COLLOQUY_RATE_LIMITS: 'on',
      COLLOQUY_BANNED_IPS: `${BANNED}/32`,
    });
    nginx = await startNginx([server.port]);
  });

  after(async () => {
    await nginx?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a client rotating X-Forwarded-For still meets the per-address limit on new identities', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const answer = await callThrough(nginx, 'POST', '/identities', { from: '127.0.0.7', headers: forged(i), body: { name: `Sock ${i}` } });
      statuses.push(answer.status);
      if (answer.status === 429) {
        assert.equal(answer.json.error.code, 'rate_limited');
        assert.ok(Number(answer.headers['retry-after']) > 0, 'Retry-After says when to come back');
      }
    }
    // The default limit is 20 identities an hour per address.
    assert.equal(statuses.filter((s) => s === 201).length, 20, `statuses: ${statuses.join(' ')}`);
    assert.deepEqual(statuses.slice(20), [429, 429, 429, 429]);
    // Another client behind the same proxy has its own count: the address is not the proxy's.
    const neighbour = await callThrough(nginx, 'POST', '/identities', { from: '127.0.0.8', body: { name: 'Neighbour' } });
    assert.equal(neighbour.status, 201);
  });

  test('a banned address cannot write by claiming another one', async () => {
    for (const headers of [{} as Record<string, string>, { 'x-forwarded-for': '203.0.113.9' }, { 'x-forwarded-for': '127.0.0.9' }, { 'x-forwarded-for': '203.0.113.9, 127.0.0.9' }]) {
      const answer = await callThrough(nginx, 'POST', '/identities', { from: BANNED, headers, body: { name: 'Banned' } });
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.equal(answer.json.error.code, 'banned');
    }
    // An identity made elsewhere does not let the banned address post either.
    const made = await callThrough(nginx, 'POST', '/identities', { from: '127.0.0.9', body: { name: 'Traveller' } });
    assert.equal(made.status, 201);
    const post = (from: string, headers: Record<string, string> = {}) =>
      callThrough(nginx, 'POST', '/comments', {
        from,
        token: made.json.token,
        headers: { 'idempotency-key': randomUUID(), ...headers },
        body: { thread: '/proxy', body: `from ${from}` },
      });
    const refused = await post(BANNED, { 'x-forwarded-for': '127.0.0.9' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'banned');
    assert.equal((await post('127.0.0.9')).status, 201);
    // And a client naming the banned address is not banned for it: its own address counts.
    assert.equal((await post('127.0.0.10', { 'x-forwarded-for': BANNED })).status, 201);
  });
});
