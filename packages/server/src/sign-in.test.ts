import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { confirmAddress, linkIn, settled, smtpListenerForSuite } from './smtp-test-support.js';
import { DATABASES, serverStarter, type TestServer } from './test-support.js';

const SECRET = 'sign-in-secret-sign-in-secret-sign-in-secret-0123';
const PAGE = 'http://localhost:4321/health/sleep';

/** What a browser keeps (the verifier) and what it sends with its request (the challenge). */
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

for (const { name: driver, make } of DATABASES) {
  describe(`sign-in by e-mail on ${driver}`, () => {
    const smtp = smtpListenerForSuite();
    const clock = { offset: 0 };
    const start = serverStarter(make, { jwtSecret: SECRET, now: () => Date.now() + clock.offset });
    const startMail = () =>
      start({ mail: { smtpUrl: smtp.url, from: 'Comments <comments@example.org>' }, outbox: { pollMs: 50, retryBaseMs: 20, retryMaxMs: 100 } });
    const to = (address: string) => smtp.mail.items.filter((m) => m.to === address);

    /** Asks for a link and reads the code from the message that arrives. */
    async function askForLink(t: TestServer, address: string, challenge: string, mailbox = address) {
      const before = to(mailbox).length;
      const asked = await t.call('POST', '/sign-in/email', { body: { address, challenge, page: `${PAGE}?utm=x#top` } });
      assert.equal(asked.status, 202, asked.text);
      assert.deepEqual(asked.json, { requested: true });
      await smtp.mail.until(() => to(mailbox).length > before);
      const message = to(mailbox).at(-1)!;
      const link = linkIn(message.text, '#colloquy-sign-in=');
      return { message, link, code: new URL(link).hash.slice('#colloquy-sign-in='.length) };
    }

    test('a link asked for from one browser signs that browser in to the same identity, once', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      await confirmAddress(t, smtp, ana.token, 'ana.signin@example.org');
      const browser = pkce();
      const { message, link, code } = await askForLink(t, 'Ana.Signin@Example.org', browser.challenge, 'ana.signin@example.org');

      // The link returns to the page where the reader asked (no query, no old fragment), with a code.
      assert.ok(link.startsWith(`${PAGE}#colloquy-sign-in=cqs_`), link);
      assert.equal(message.subject, 'Your sign-in link for comments');
      assert.match(message.text, /works once, for 15 minutes, in the browser where you asked/);
      assert.ok(message.html.includes(link.replace(/&/g, '&amp;')), 'the HTML part has the link too');

      const redeemed = await t.call('POST', '/sign-in/redeem', { body: { code, verifier: browser.verifier } });
      assert.equal(redeemed.status, 200, redeemed.text);
      assert.deepEqual(redeemed.json.identity, { id: ana.id, name: 'Ana', role: 'reader' });
      assert.match(redeemed.json.token, /^cq_/);
      assert.notEqual(redeemed.json.token, ana.token);

      // The new browser posts as Ana; the first browser's token keeps working.
      const posted = await t.call('POST', '/comments', { token: redeemed.json.token, body: { thread: '/health/sleep', body: 'From my phone' } });
      assert.equal(posted.status, 201, posted.text);
      assert.equal(posted.json.comment.author.id, ana.id);
      assert.equal((await t.call('GET', '/identities/me', { token: ana.token })).json.identity.id, ana.id);

      // Single use.
      assertError(await t.call('POST', '/sign-in/redeem', { body: { code, verifier: browser.verifier } }), 404, 'not_found');
    });

    test('another browser’s verifier spends the link and gets nothing; an expired link fails', async () => {
      const t = await startMail();
      const ben = await t.identity('Ben');
      await confirmAddress(t, smtp, ben.token, 'ben.signin@example.org');
      const asking = pkce();
      const other = pkce();
      const first = await askForLink(t, 'ben.signin@example.org', asking.challenge);
      const wrong = await t.call('POST', '/sign-in/redeem', { body: { code: first.code, verifier: other.verifier } });
      assertError(wrong, 403, 'forbidden');
      assert.match(wrong.json.error.message, /another browser/);
      assertError(await t.call('POST', '/sign-in/redeem', { body: { code: first.code, verifier: asking.verifier } }), 404, 'not_found');

      const second = await askForLink(t, 'ben.signin@example.org', asking.challenge);
      clock.offset += 16 * 60_000;
      try {
        assertError(await t.call('POST', '/sign-in/redeem', { body: { code: second.code, verifier: asking.verifier } }), 404, 'not_found');
      } finally {
        clock.offset -= 16 * 60_000;
      }
    });

    test('unknown, unconfirmed and host-site addresses get the same answer and no mail', async () => {
      const t = await startMail();
      const cai = await t.identity('Cai');
      const set = await t.call('PUT', '/identities/me/email', { token: cai.token, body: { address: 'cai.unconfirmed@example.org' } });
      assert.equal(set.status, 200);
      await smtp.mail.until(() => to('cai.unconfirmed@example.org').length === 1); // the confirmation only
      const jwt = await signJwt({ sub: 'site-user-7', name: 'Dee' }, { secret: SECRET });
      await confirmAddress(t, smtp, jwt, 'dee.site@example.org');

      for (const address of ['nobody@example.org', 'cai.unconfirmed@example.org', 'dee.site@example.org']) {
        const asked = await t.call('POST', '/sign-in/email', { body: { address, challenge: pkce().challenge, page: PAGE } });
        assert.equal(asked.status, 202, `${address}: ${asked.text}`);
        assert.deepEqual(asked.json, { requested: true });
      }
      await settled(t);
      assert.equal(to('nobody@example.org').length, 0);
      assert.equal(to('cai.unconfirmed@example.org').length, 1, 'nothing but the confirmation');
      assert.equal(to('dee.site@example.org').length, 1, 'a host-site account signs in on its site');
    });

    test('the message follows the reader’s language; links per reader are capped without telling', async () => {
      const t = await startMail();
      const eva = await t.identity('Eva');
      await confirmAddress(t, smtp, eva.token, 'eva.signin@example.org', 'es');
      const { message } = await askForLink(t, 'eva.signin@example.org', pkce().challenge);
      assert.equal(message.subject, 'Tu enlace para entrar a los comentarios');
      assert.match(message.text, /funciona una vez, durante 15 minutos/);
      for (let i = 0; i < 6; i++) {
        const asked = await t.call('POST', '/sign-in/email', { body: { address: 'eva.signin@example.org', challenge: pkce().challenge, page: PAGE } });
        assert.equal(asked.status, 202);
      }
      await settled(t);
      assert.equal(to('eva.signin@example.org').length, 1 + 5, 'the confirmation and five links in an hour');
    });

    test('requests are validated, errors in the envelope', async () => {
      const t = await startMail();
      const { challenge, verifier } = pkce();
      assertError(await t.call('POST', '/sign-in/email', { body: { address: 'a@example.org', challenge: 'short', page: PAGE } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/email', { body: { address: 'not an address', challenge, page: PAGE } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/email', { body: { address: 'a@example.org', challenge, page: 'https://evil.example/' } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/email', { body: { address: 'a@example.org', challenge, page: 'javascript:alert(1)' } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/email', { body: { address: 'a@example.org', page: PAGE } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/redeem', { body: { code: 'cqs_nothing', verifier: 'x' } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/sign-in/redeem', { body: { code: 'cqs_nothing', verifier } }), 404, 'not_found');
      assertError(await t.call('POST', '/sign-in/redeem', { raw: 'nope', headers: { 'content-type': 'application/json' } }), 400, 'invalid_input');
    });

    test('a reader renames themselves; a host-site account does not; erasure ends every browser’s sign-in', async () => {
      const t = await startMail();
      const fay = await t.identity('Fay');
      const renamed = await t.call('PUT', '/identities/me/name', { token: fay.token, body: { name: '  Fay B.  ' } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.deepEqual(renamed.json.identity, { id: fay.id, name: 'Fay B.', role: 'reader' });
      assertError(await t.call('PUT', '/identities/me/name', { token: fay.token, body: { name: 'moderator' } }), 400, 'name_not_allowed');
      assertError(await t.call('PUT', '/identities/me/name', { token: fay.token, body: { name: '' } }), 400, 'invalid_input');
      assertError(await t.call('PUT', '/identities/me/name', { body: { name: 'Nobody' } }), 401, 'unauthenticated');
      const jwt = await signJwt({ sub: 'site-user-9', name: 'Gil' }, { secret: SECRET });
      assertError(await t.call('PUT', '/identities/me/name', { token: jwt, body: { name: 'Other' } }), 403, 'forbidden');

      await confirmAddress(t, smtp, fay.token, 'fay.signin@example.org');
      const browser = pkce();
      const { code } = await askForLink(t, 'fay.signin@example.org', browser.challenge);
      const phone = (await t.call('POST', '/sign-in/redeem', { body: { code, verifier: browser.verifier } })).json.token as string;
      assert.equal((await t.call('GET', '/identities/me', { token: phone })).json.identity.name, 'Fay B.');
      assert.equal((await t.call('DELETE', '/me', { token: phone })).status, 200);
      assertError(await t.call('GET', '/identities/me', { token: phone }), 401, 'invalid_token');
      assertError(await t.call('GET', '/identities/me', { token: fay.token }), 401, 'invalid_token');
    });
  });
}
