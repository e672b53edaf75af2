import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ColloquyError } from '@colloquy/core';
import { configFromEnv } from './config.js';
import { parseCidr, rangeContains } from './ip-ranges.js';

describe('moderation settings from the environment', () => {
  test('defaults: readers weigh 1 and the team 2, nothing held for newness, no banned ranges, no webhook', () => {
    const config = configFromEnv({});
    assert.deepEqual(config.reportWeights, { reader: 1, mentor: 2, moderator: 2, staff: 2 });
    assert.equal(config.holdFirstComments, 0);
    assert.deepEqual(config.bannedIpRanges, []);
    assert.equal(config.webhook, null);
  });

  test('each variable is read', () => {
    const config = configFromEnv({
      COLLOQUY_REPORT_WEIGHTS: 'mentor=3, staff=5',
      COLLOQUY_HOLD_FIRST_COMMENTS: '2',
      COLLOQUY_BANNED_IPS: '203.0.113.77/24, 2001:DB8::1/48',
      COLLOQUY_WEBHOOK_URL: 'https://hooks.example.org/colloquy',
      COLLOQUY_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
    });
    assert.deepEqual(config.reportWeights, { reader: 1, mentor: 3, moderator: 2, staff: 5 });
    assert.equal(config.holdFirstComments, 2);
    assert.deepEqual(config.bannedIpRanges, ['203.0.113.0/24', '2001:db8::/48']);
    assert.deepEqual(config.webhook, { url: 'https://hooks.example.org/colloquy', secret: 'whsec_0123456789abcdef' });
    assert.equal(configFromEnv({ COLLOQUY_HOLD_FIRST_COMMENTS: 'on' }).holdFirstComments, 1);
    assert.equal(configFromEnv({ COLLOQUY_HOLD_FIRST_COMMENTS: 'off' }).holdFirstComments, 0);
  });

  test('a bad value stops start-up naming the variable, and never shows the webhook secret', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ COLLOQUY_REPORT_WEIGHTS: 'admin=3' }, /COLLOQUY_REPORT_WEIGHTS/],
      [{ COLLOQUY_REPORT_WEIGHTS: 'reader=many' }, /COLLOQUY_REPORT_WEIGHTS/],
      [{ COLLOQUY_REPORT_WEIGHTS: 'reader=101' }, /COLLOQUY_REPORT_WEIGHTS/],
      [{ COLLOQUY_HOLD_FIRST_COMMENTS: 'some' }, /COLLOQUY_HOLD_FIRST_COMMENTS/],
      [{ COLLOQUY_BANNED_IPS: '10.0.0.0/33' }, /COLLOQUY_BANNED_IPS/],
      [{ COLLOQUY_BANNED_IPS: 'bad.example' }, /COLLOQUY_BANNED_IPS/],
      [{ COLLOQUY_WEBHOOK_URL: 'ftp://x.example' , COLLOQUY_WEBHOOK_SECRET: 'x'.repeat(16) }, /COLLOQUY_WEBHOOK_URL/],
      [{ COLLOQUY_WEBHOOK_URL: 'https://x.example' }, /COLLOQUY_WEBHOOK_SECRET/],
      [{ COLLOQUY_WEBHOOK_URL: 'https://x.example', COLLOQUY_WEBHOOK_SECRET: 'short-secret' }, /COLLOQUY_WEBHOOK_SECRET/],
      [{ COLLOQUY_WEBHOOK_SECRET: 'x'.repeat(16) }, /COLLOQUY_WEBHOOK_URL/],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => configFromEnv(env),
        (e: unknown) => e instanceof ColloquyError && e.code === 'invalid_input' && message.test(e.message) && !e.message.includes('short-secret'),
        JSON.stringify(env),
      );
    }
  });
});

describe('IP ranges', () => {
  test('parse to canonical CIDR and match IPv4, IPv6 and IPv4-mapped addresses', () => {
    assert.equal(parseCidr('192.0.2.130/25').cidr, '192.0.2.128/25');
    assert.equal(parseCidr('192.0.2.7').cidr, '192.0.2.7/32');
    assert.equal(parseCidr('2001:0db8:0000:0000:0000:0000:0000:0001/64').cidr, '2001:db8::/64');
    assert.equal(parseCidr('2001:db8:0:1:0:0:0:1').cidr, '2001:db8:0:1::1/128');
    assert.equal(parseCidr('::/0').cidr, '::/0');
    assert.equal(parseCidr('0.0.0.0/0').cidr, '0.0.0.0/0');
    const v4 = parseCidr('198.51.100.0/24');
    assert.equal(rangeContains(v4, '198.51.100.255'), true);
    assert.equal(rangeContains(v4, '198.51.101.0'), false);
    assert.equal(rangeContains(v4, '::ffff:198.51.100.3'), true);
    assert.equal(rangeContains(v4, '2001:db8::1'), false);
    const v6 = parseCidr('2001:db8::/32');
    assert.equal(rangeContains(v6, '2001:db8:ffff::1'), true);
    assert.equal(rangeContains(v6, '2001:db9::1'), false);
    assert.equal(rangeContains(v6, '198.51.100.3'), false);
    assert.equal(rangeContains(parseCidr('::/0'), '::1'), true);
    assert.equal(rangeContains(v6, 'not an address'), false);
    for (const bad of ['', '1.2.3', '1.2.3.4/', '1.2.3.4/33', '::1/129', 'fe80::1%eth0/64', '1.2.3.4/08x']) {
      assert.throws(() => parseCidr(bad), (e: unknown) => e instanceof ColloquyError && e.code === 'invalid_input', bad);
    }
  });
});
