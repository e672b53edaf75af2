import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'preflight-secret-preflight-secret-preflight';

/** A POST as a page on another origin can send it without a CORS preflight. */
async function simplePost(url: string, init: { body?: BodyInit; headers?: Record<string, string> }) {
  const response = await fetch(url, { method: 'POST', headers: { origin: 'https://evil.example', ...init.headers }, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), headers: response.headers };
}

for (const { name: driver, make } of DATABASES) {
  describe(`state-changing requests need a CORS preflight, on ${driver}`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ jwtSecret: SECRET, allowedOrigins: ['https://news.example.org'] }, make());
    });
    after(() => t.stop());

    test('POST /identities with a CORS-safelisted body type, or with none, is 415 unsupported_media_type and creates nothing', async () => {
      const url = `${t.url}/api/v1/identities`;
      const form = new FormData();
      form.set('name', 'Sock');
      const attempts = [
        { body: '{"name":"Sock"}', headers: { 'content-type': 'text/plain' } },
        { body: '{"name":"Sock"}', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
        { body: new URLSearchParams({ name: 'Sock' }) },
        { body: form },
        { body: '', headers: { 'content-type': 'text/plain' } },
        // fetch(url, {method: 'POST', mode: 'no-cors'}): no body, no type.
        {},
        { body: new Blob(['{"name":"Sock"}']) },
      ];
      for (const attempt of attempts) {
        const answer = await simplePost(url, attempt);
        assertError(answer, 415, 'unsupported_media_type');
        assert.equal(answer.headers.get('access-control-allow-origin'), null, 'a foreign page may not even read the refusal');
      }
      // The same request as JSON, which a browser only sends cross-origin after a preflight, works.
      const made = await simplePost(url, { body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(made.status, 201);
      assert.equal(made.json.identity.name, null);
    });

    test('the preflight for a JSON POST is answered for allowed origins only', async () => {
      const preflight = (origin: string) =>
        fetch(`${t.url}/api/v1/identities`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal((await preflight('https://news.example.org')).headers.get('access-control-allow-origin'), 'https://news.example.org');
      assert.equal((await preflight('https://evil.example')).headers.get('access-control-allow-origin'), null);
    });

    test('every other POST refuses safelisted bodies too; a body-less POST with Authorization (preflighted) still works', async () => {
      const reader = await t.identity('Reader');
      assertError(await t.call('POST', '/comments', { raw: 'thread=/x&body=hi', token: reader.token, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
      assertError(await simplePost(`${t.url}/api/v1/comments/c_x/reports`, { body: 'reason=spam', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
      // A route that needs a token refuses a token-less request as before.
      assertError(await simplePost(`${t.url}/api/v1/moderation/events/tickets`, {}), 401, 'unauthenticated');
      const moderator = await signJwt({ sub: 'mod', name: 'Morgan', role: 'moderator' }, { secret: SECRET });
      const ticket = await fetch(`${t.url}/api/v1/moderation/events/tickets`, { method: 'POST', headers: { authorization: `Bearer ${moderator}` } });
      assert.equal(ticket.status, 201);
    });
  });
}
