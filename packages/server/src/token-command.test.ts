import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jwtVerify } from 'jose';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { parseDuration, parseTokenArgs, signToken } from './token-command.js';

const config = { limits: { ...DEFAULT_LIMITS } };
const secret = 'a-test-secret-that-is-at-least-32-characters';

test('a moderator token by default, valid for eight hours, verifiable with the same secret', async () => {
  const request = parseTokenArgs([], config);
  assert.deepEqual(request, { role: 'moderator', name: 'Local moderator', sub: 'local-moderator', expiresInSeconds: 8 * 3600 });
  const now = Date.UTC(2026, 10, 22, 8, 0, 0);
  const token = await signToken(request, secret, now);
  const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret), { currentDate: new Date(now) });
  assert.equal(protectedHeader.alg, 'HS256');
  assert.equal(payload.sub, 'local-moderator');
  assert.equal(payload.role, 'moderator');
  assert.equal(payload.exp! - payload.iat!, 8 * 3600);
  await assert.rejects(jwtVerify(token, new TextEncoder().encode(`${secret}-other`)));
});

test('role, name, subject and lifetime come from the flags; bad ones are refused with a usage error', () => {
  const request = parseTokenArgs(['--role', 'staff', '--name', 'Marta', '--sub', 'u-42', '--expires', '30m'], config);
  assert.deepEqual(request, { role: 'staff', name: 'Marta', sub: 'u-42', expiresInSeconds: 1800 });
  assert.equal(parseDuration('7d'), 7 * 86400);
  for (const args of [['--role', 'admin'], ['--expires', 'forever'], ['--expires', '90d'], ['--colour', 'red'], ['--sub', 'user\u00001'], ['--sub', 'x'.repeat(201)]]) {
    assert.throws(() => parseTokenArgs(args, config), (error: Error & { exitCode?: number }) => error.exitCode === 2, args.join(' '));
  }
});

test('with an audience and an issuer configured, the token carries them', async () => {
  const now = Date.UTC(2026, 10, 22, 8, 0, 0);
  const token = await signToken(parseTokenArgs([], config), secret, now, { audience: 'https://news.example.org', issuer: 'news-login' });
  const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { currentDate: new Date(now), audience: 'https://news.example.org', issuer: 'news-login' });
  assert.deepEqual([payload.aud, payload.iss], ['https://news.example.org', 'news-login']);
});
