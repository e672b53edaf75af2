import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { assertError } from './http-test-support.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'jwt-binding-secret-jwt-binding-secret-jwt';
const AUDIENCE = 'https://news.example.org/comments';
const ISSUER = 'https://login.news.example.org';

async function token(claims: { aud?: string | string[]; iss?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ name: 'Ada', role: 'reader' }).setProtectedHeader({ alg: 'HS256' }).setSubject('ada').setIssuedAt(now).setExpirationTime(now + 600);
  if (claims.aud !== undefined) jwt.setAudience(claims.aud);
  if (claims.iss !== undefined) jwt.setIssuer(claims.iss);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

for (const { name: driver, make } of DATABASES) {
  describe(`host-site tokens bound to an audience and an issuer, on ${driver}`, () => {
    let bound: TestServer;
    let open: TestServer;
    before(async () => {
      bound = await startTestServer({ jwtSecret: SECRET, jwtAudience: AUDIENCE, jwtIssuer: ISSUER }, make());
      open = await startTestServer({ jwtSecret: SECRET }, make());
    });
    after(async () => {
      await bound.stop();
      await open.stop();
    });
    const write = (t: TestServer, jwt: string) => t.call('POST', '/comments', { token: jwt, body: { thread: '/bound', body: 'hello' } });

    test('a token with the configured aud and iss is accepted; one without either, or with others, is 401 with a code naming the claim', async () => {
      assert.equal((await write(bound, await token({ aud: AUDIENCE, iss: ISSUER }))).status, 201);
      assert.equal((await write(bound, await token({ aud: ['https://other.example', AUDIENCE], iss: ISSUER }))).status, 201, 'one of several audiences');
      const missingAud = await write(bound, await token({ iss: ISSUER }));
      assertError(missingAud, 401, 'token_audience_mismatch');
      assert.match(missingAud.json.error.message, /aud/);
      assertError(await write(bound, await token({ aud: 'https://other.example', iss: ISSUER })), 401, 'token_audience_mismatch');
      const missingIss = await write(bound, await token({ aud: AUDIENCE }));
      assertError(missingIss, 401, 'token_issuer_mismatch');
      assert.match(missingIss.json.error.message, /iss/);
      assertError(await write(bound, await token({ aud: AUDIENCE, iss: 'https://evil.example' })), 401, 'token_issuer_mismatch');
      assertError(await bound.call('GET', '/identities/me', { token: await token({ iss: ISSUER }) }), 401, 'token_audience_mismatch');
      // Reads take a refused token as no token, as for any other bad token.
      assert.equal((await bound.call('GET', '/comments?thread=%2Fbound', { token: await token({}) })).status, 200);
    });

    test('without the settings, aud and iss are not checked', async () => {
      assert.equal((await write(open, await token({}))).status, 201);
      assert.equal((await write(open, await token({ aud: 'https://other.example', iss: 'anyone' }))).status, 201);
    });
  });
}
