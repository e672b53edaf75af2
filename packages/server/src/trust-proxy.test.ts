import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrustProxy } from './config.js';
import { startTestServer } from './test-support.js';

test('COLLOQUY_TRUST_PROXY takes off, on, a hop count or proxy addresses, and says what is wrong', () => {
  assert.equal(parseTrustProxy('off'), false);
  assert.equal(parseTrustProxy('on'), 1);
  assert.equal(parseTrustProxy('2'), 2);
  assert.deepEqual(parseTrustProxy('10.0.0.7, 10.1.0.0/16,loopback'), ['10.0.0.7/32', '10.1.0.0/16', 'loopback']);
  for (const bad of ['0', '11', 'yes', '10.0.0.0/33', 'proxy.example.org']) {
    assert.throws(() => parseTrustProxy(bad), (error: { code?: string; message?: string }) => error.code === 'invalid_input' && /COLLOQUY_TRUST_PROXY/.test(error.message ?? ''), bad);
  }
});

for (const [label, trustProxy] of [['one hop', 1], ['the proxy by address', ['127.0.0.1']]] as const) {
  test(`trusting ${label}, the client is the rightmost X-Forwarded-For entry, never one it wrote`, async () => {
    const t = await startTestServer({ trustProxy: typeof trustProxy === 'number' ? trustProxy : [...trustProxy], bannedIpRanges: ['198.51.100.0/24'] });
    try {
      const from = (xff: string) => t.call('POST', '/identities', { body: { name: 'Reader' }, headers: { 'x-forwarded-for': xff } });
      // The proxy appended the banned address after whatever the client claimed.
      assert.equal((await from('203.0.113.9, 198.51.100.7')).status, 403);
      // The client claimed the banned address; the proxy appended its real one.
      assert.equal((await from('198.51.100.7, 203.0.113.9')).status, 201);
    } finally {
      await t.stop();
    }
  });
}
