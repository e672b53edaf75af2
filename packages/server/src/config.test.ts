import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ColloquyError } from '@colloquy/core';
import { configFromEnv, DEFAULT_RATE_LIMITS } from './config.js';

describe('configuration from the environment', () => {
  test('every variable has a safe default', () => {
    const config = configFromEnv({});
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.jwtSecret, undefined);
    assert.equal(config.jwtAudience, undefined);
    assert.equal(config.jwtIssuer, undefined);
    assert.equal(config.allowedOrigins, null);
    assert.equal(config.reportThreshold, 3);
    assert.equal(config.followsPerIdentity, 500);
    assert.deepEqual(config.rateLimits?.settings, { perIdentity: { limit: 30, windowSeconds: 60 }, perIp: { limit: 120, windowSeconds: 60 } });
    assert.deepEqual([config.trustMinAgeHours, config.trustMinComments, config.trustNetworks], [72, 2, true]);
    assert.equal(config.moderation, 'post');
    assert.equal(config.limits.editWindowSeconds, 900);
    assert.deepEqual(config.rateLimits, DEFAULT_RATE_LIMITS);
    assert.equal(config.spamFilter, true);
    assert.equal(config.logging, false);
    assert.deepEqual(config.streams, { perAddress: 20, total: 2000 });
    assert.equal(config.requestTimeoutMs, 30_000);
  });

  test('each variable is read', () => {
    const config = configFromEnv({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://db/colloquy',
      COLLOQUY_JWT_SECRET: 'x'.repeat(32),
      COLLOQUY_JWT_AUDIENCE: ' https://news.example.org/comments ',
      COLLOQUY_JWT_ISSUER: 'news-login',
      COLLOQUY_ALLOWED_ORIGINS: 'https://news.example.org, https://blog.example.org/',
      COLLOQUY_REPORT_THRESHOLD: '5',
      COLLOQUY_FOLLOWS_PER_IDENTITY: '40',
      COLLOQUY_TRUST_MIN_AGE_HOURS: '0',
      COLLOQUY_TRUST_MIN_COMMENTS: '10',
      COLLOQUY_TRUST_NETWORKS: 'off',
      COLLOQUY_MODERATION: 'pre',
      COLLOQUY_PREMODERATE_THREADS: '/support/, /forum/',
      COLLOQUY_EDIT_WINDOW: '60',
      COLLOQUY_RATE_LIMITS: 'off',
      COLLOQUY_SPAM: 'off',
      COLLOQUY_LOG: 'on',
      COLLOQUY_MAX_STREAMS_PER_ADDRESS: '5',
      COLLOQUY_MAX_STREAMS: '500',
      COLLOQUY_REQUEST_TIMEOUT: '12',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'postgres://db/colloquy');
    assert.equal(config.jwtAudience, 'https://news.example.org/comments');
    assert.equal(config.jwtIssuer, 'news-login');
    assert.deepEqual(config.allowedOrigins, ['https://news.example.org', 'https://blog.example.org']);
    assert.equal(config.reportThreshold, 5);
    assert.equal(config.followsPerIdentity, 40);
    assert.deepEqual([config.trustMinAgeHours, config.trustMinComments, config.trustNetworks], [0, 10, false]);
    assert.equal(config.moderation, 'pre');
    assert.deepEqual(config.premoderatedThreads, ['/support/', '/forum/']);
    assert.equal(config.limits.editWindowSeconds, 60);
    assert.equal(config.rateLimits, null);
    assert.equal(config.spamFilter, false);
    assert.equal(config.logging, true);
    assert.deepEqual(config.streams, { perAddress: 5, total: 500 });
    assert.equal(config.requestTimeoutMs, 12_000);
  });

  test('a bad value stops start-up with a message naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ PORT: '70000' }, /PORT/],
      [{ COLLOQUY_REPORT_THRESHOLD: '0' }, /COLLOQUY_REPORT_THRESHOLD/],
      [{ COLLOQUY_MODERATION: 'sometimes' }, /COLLOQUY_MODERATION/],
      [{ COLLOQUY_FOLLOWS_PER_IDENTITY: '0' }, /COLLOQUY_FOLLOWS_PER_IDENTITY/],
      [{ COLLOQUY_FOLLOWS_PER_IDENTITY: 'many' }, /COLLOQUY_FOLLOWS_PER_IDENTITY/],
      [{ COLLOQUY_RATE_LIMITS: 'maybe' }, /COLLOQUY_RATE_LIMITS/],
      [{ COLLOQUY_ALLOWED_ORIGINS: 'news.example.org' }, /COLLOQUY_ALLOWED_ORIGINS/],
      [{ COLLOQUY_ALLOWED_ORIGINS: 'https://news.example.org/path' }, /COLLOQUY_ALLOWED_ORIGINS/],
      [{ COLLOQUY_JWT_SECRET: 'short' }, /COLLOQUY_JWT_SECRET/],
      [{ COLLOQUY_EDIT_WINDOW: '-1' }, /COLLOQUY_EDIT_WINDOW/],
      [{ COLLOQUY_JWT_AUDIENCE: 'colloquy' }, /COLLOQUY_JWT_AUDIENCE.*COLLOQUY_JWT_SECRET/],
      [{ COLLOQUY_JWT_ISSUER: 'login' }, /COLLOQUY_JWT_ISSUER.*COLLOQUY_JWT_SECRET/],
      [{ COLLOQUY_JWT_SECRET: 'x'.repeat(32), COLLOQUY_JWT_AUDIENCE: 'two words' }, /COLLOQUY_JWT_AUDIENCE/],
      [{ COLLOQUY_JWT_SECRET: 'x'.repeat(32), COLLOQUY_JWT_ISSUER: 'i'.repeat(201) }, /COLLOQUY_JWT_ISSUER/],
      [{ COLLOQUY_SPAM: 'no' }, /COLLOQUY_SPAM/],
      [{ COLLOQUY_TRUST_MIN_AGE_HOURS: '-3' }, /COLLOQUY_TRUST_MIN_AGE_HOURS/],
      [{ COLLOQUY_TRUST_MIN_AGE_HOURS: '9000' }, /COLLOQUY_TRUST_MIN_AGE_HOURS/],
      [{ COLLOQUY_TRUST_MIN_COMMENTS: 'two' }, /COLLOQUY_TRUST_MIN_COMMENTS/],
      [{ COLLOQUY_TRUST_NETWORKS: 'maybe' }, /COLLOQUY_TRUST_NETWORKS/],
      [{ COLLOQUY_MAX_STREAMS_PER_ADDRESS: '0' }, /COLLOQUY_MAX_STREAMS_PER_ADDRESS/],
      [{ COLLOQUY_MAX_STREAMS: 'lots' }, /COLLOQUY_MAX_STREAMS/],
      [{ COLLOQUY_MAX_STREAMS_PER_ADDRESS: '50', COLLOQUY_MAX_STREAMS: '10' }, /COLLOQUY_MAX_STREAMS_PER_ADDRESS must be at most COLLOQUY_MAX_STREAMS/],
      [{ COLLOQUY_REQUEST_TIMEOUT: '0' }, /COLLOQUY_REQUEST_TIMEOUT/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => configFromEnv(env), (e: unknown) => e instanceof ColloquyError && e.code === 'invalid_input' && message.test(e.message));
    }
  });

  test('the secret never appears in the error about it', () => {
    assert.throws(() => configFromEnv({ COLLOQUY_JWT_SECRET: 'tiny-secret' }), (e: unknown) => !(e as Error).message.includes('tiny-secret'));
  });

  test('embed.js and moderation.js come from the @colloquy/element dependency, through its exports map', async () => {
    const element = dirname(fileURLToPath(import.meta.resolve('@colloquy/element/package.json')));
    const { exports } = JSON.parse(readFileSync(join(element, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    assert.equal(configFromEnv({}).embedPath, join(element, exports['./embed.js']!.default));
    // The moderator's bundle is served from beside embed.js, which is where the element exports it.
    assert.equal(join(dirname(configFromEnv({}).embedPath), 'moderation.js'), join(element, exports['./moderation.js']!.default));
    assert.equal(configFromEnv({ COLLOQUY_EMBED_PATH: '/srv/embed.js' }).embedPath, '/srv/embed.js');
  });
});
