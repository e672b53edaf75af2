import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RATE_LIMITS } from './config.js';
import { assertError, signJwt } from './http-test-support.js';
import { confirmAddress, linkIn, mailTo, settled, smtpListenerForSuite, type ReceivedMail } from './smtp-test-support.js';
import { DATABASES, serverStarter, type TestServer } from './test-support.js';

const SECRET = 'reader-mail-secret-reader-mail-secret-reader-mail';
const SITE = 'https://news.example.org';


/** A header as sent (mail parsers turn List-* headers into objects), unfolded. */
const header = (mail: ReceivedMail, name: string) => {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
};
const to = mailTo;

for (const { name: driver, make } of DATABASES) {
  describe(`reader e-mail through a real SMTP server on ${driver}`, () => {
    const smtp = smtpListenerForSuite();
    const clock = { offset: 0 };
    const start = serverStarter(make, { jwtSecret: SECRET, now: () => Date.now() + clock.offset, siteUrl: SITE });
    const startMail = (options: Parameters<typeof start>[0] = {}) =>
      start({ mail: { smtpUrl: smtp.url, from: 'Comments <comments@example.org>', batchMs: 10 * 60_000 }, outbox: { pollMs: 50, retryBaseMs: 20, retryMaxMs: 100 }, ...options });

    const post = async (t: TestServer, token: string, thread: string, body: string, parentId?: string) => {
      const r = await t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
      assert.equal(r.status, 201, r.text);
      return r.json.comment as { id: string; status: string };
    };
    const confirm = (t: TestServer, token: string, address: string, language?: 'en' | 'es') => confirmAddress(t, smtp, token, address, language);

    test('double opt-in: only a confirmation reaches an unconfirmed address; once confirmed, a reply arrives with its text and permalink', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      const top = await post(t, ana.token, '/health/sleep', 'Does melatonin help?');

      const set = await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'ana@Example.ORG' } });
      assert.equal(set.status, 200);
      assert.deepEqual(set.json.email, { address: 'ana@example.org', confirmed: false, notify: 'immediate', language: 'en', mutedThreads: [] });
      await smtp.mail.until(() => to(smtp, 'ana@example.org').length === 1);
      const confirmation = to(smtp, 'ana@example.org')[0]!;
      assert.equal(confirmation.subject, 'Confirm your e-mail address for comments');
      assert.match(confirmation.from, /^"?Comments"? <comments@example\.org>$/);
      assert.match(confirmation.messageId, /^<o_[0-9a-z]+@127\.0\.0\.1>$/);
      assert.ok(confirmation.html.includes('Confirm this address'), 'an HTML part too');
      const link = linkIn(confirmation.text, '/api/v1/email/confirm?token=');
      assert.ok(link.startsWith(t.url));

      // Unconfirmed: a reply sends nothing.
      await post(t, ben.token, '/health/sleep', 'Before you confirmed', top.id);
      await settled(t);
      assert.equal(to(smtp, 'ana@example.org').length, 1, 'nothing but the confirmation before confirming');

      // The link opens a page with a button (scanners open links too); the button confirms.
      const page = await fetch(link);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const pageText = await page.text();
      assert.match(pageText, /<form method="post"/);
      assert.equal((await t.call('GET', '/identities/me/email', { token: ana.token })).json.email.confirmed, false, 'opening the link confirms nothing');
      // The page's button, posted by a browser (which asks for HTML).
      const confirmed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, body: 'confirm=1' });
      assert.equal(confirmed.status, 200);
      assert.match(await confirmed.text(), /Your address is confirmed/);
      assert.equal((await t.call('GET', '/identities/me/email', { token: ana.token })).json.email.confirmed, true);
      assertError(await t.call('POST', '/email/confirm', { body: { token: new URL(link).searchParams.get('token') } }), 404, 'not_found');

      // One's own reply: nothing. Someone else's: a message with the text and a permalink.
      await post(t, ana.token, '/health/sleep', 'Answering myself', top.id);
      const reply = await post(t, ben.token, '/health/sleep', 'It helped me with jet lag.\nTry 0.5 mg.', top.id);
      await smtp.mail.until(() => to(smtp, 'ana@example.org').length === 2);
      await settled(t);
      assert.equal(to(smtp, 'ana@example.org').length, 2);
      const note = to(smtp, 'ana@example.org')[1]!;
      assert.equal(note.subject, 'Ben replied to your comment');
      assert.ok(note.text.includes('> It helped me with jet lag.\n> Try 0.5 mg.'), note.text);
      assert.ok(!note.text.includes('Answering myself') && !note.text.includes('Before you confirmed'));
      assert.ok(note.text.includes(`${SITE}/health/sleep#comment-${reply.id}`), note.text);
      assert.ok(note.html.includes(`href="${SITE}/health/sleep#comment-${reply.id}"`));
      assert.match(header(note, 'List-Unsubscribe'), /^<http:\/\/127\.0\.0\.1:\d+\/api\/v1\/unsubscribe\?token=[\w.-]+>$/);
      assert.equal(header(note, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.notEqual(note.messageId, confirmation.messageId);
    });

    test('one-click unsubscribe: a POST as mail clients send it, with no login; a thread’s mute link; a forged token does nothing', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      await confirm(t, ana.token, 'ana.unsub@example.org');
      const first = await post(t, ana.token, '/a', 'first thread');
      const second = await post(t, ana.token, '/b', 'second thread');
      await post(t, ben.token, '/a', 'reply in a', first.id);
      await smtp.mail.until(() => to(smtp, 'ana.unsub@example.org').length === 2);
      const note = to(smtp, 'ana.unsub@example.org')[1]!;

      // Mute /a from the link in the body.
      const mute = linkIn(note.text, '/unsubscribe?token=');
      assert.notEqual(`<${mute}>`, header(note, 'List-Unsubscribe'), 'the body link mutes the thread; the header unsubscribes');
      const muted = await fetch(mute, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(muted.status, 200);
      assert.deepEqual(await muted.json(), { unsubscribed: 'thread', thread: '/a' });
      assert.deepEqual((await t.call('GET', '/identities/me/email', { token: ana.token })).json.email.mutedThreads, ['/a']);
      clock.offset += 11 * 60_000; // past the batch window: the next reply would go out at once
      await post(t, ben.token, '/a', 'muted thread reply', first.id);
      await post(t, ben.token, '/b', 'reply in b', second.id);
      await smtp.mail.until(() => to(smtp, 'ana.unsub@example.org').length === 3);
      await settled(t);
      assert.equal(to(smtp, 'ana.unsub@example.org').length, 3);
      assert.ok(to(smtp, 'ana.unsub@example.org')[2]!.text.includes('reply in b'));
      assert.ok(!to(smtp, 'ana.unsub@example.org')[2]!.text.includes('muted thread reply'));

      // RFC 8058: the header's URL, POSTed with List-Unsubscribe=One-Click, no cookie, no token.
      const target = header(to(smtp, 'ana.unsub@example.org')[2]!, 'List-Unsubscribe').slice(1, -1);
      const forged = target.replace(/token=([\w-]+)\.([\w-]+)/, (_m, data: string, mac: string) => `token=${data}.${mac.slice(0, -2)}AA`);
      const refused = await fetch(forged, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assertError({ status: refused.status, json: await refused.json() }, 404, 'not_found');
      assert.equal((await t.call('GET', '/identities/me/email', { token: ana.token })).json.email.notify, 'immediate');
      const oneClick = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(oneClick.status, 200);
      assert.deepEqual(await oneClick.json(), { unsubscribed: 'all' }, 'a mail client gets JSON');
      // The same link opened and its button pressed in a browser shows a page.
      const inBrowser = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, body: '' });
      assert.match(await inBrowser.text(), /no more reply messages/);
      const badInBrowser = await fetch(forged, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
      assert.equal(badInBrowser.status, 404);
      assert.match(badInBrowser.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal((await t.call('GET', '/identities/me/email', { token: ana.token })).json.email.notify, 'off');
      clock.offset += 11 * 60_000;
      await post(t, ben.token, '/b', 'after unsubscribing', second.id);
      await settled(t);
      assert.equal(to(smtp, 'ana.unsub@example.org').length, 3, 'nothing after unsubscribing');
    });

    test('a burst of replies goes out as one message after the batch window; held replies wait for approval', async () => {
      const t = await startMail({ premoderatedThreads: ['/held'] });
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      const cy = await t.identity('Cy');
      await confirm(t, ana.token, 'ana.burst@example.org');
      const top = await post(t, ana.token, '/burst', 'ask me anything');
      await post(t, ben.token, '/burst', 'first!', top.id);
      await smtp.mail.until(() => to(smtp, 'ana.burst@example.org').length === 2);
      // Within the window: these wait together.
      await post(t, ben.token, '/burst', 'second', top.id);
      await post(t, cy.token, '/burst', 'third', top.id);
      await post(t, ben.token, '/burst', 'fourth', top.id);
      await settled(t);
      assert.equal(to(smtp, 'ana.burst@example.org').length, 2, 'the burst waits for the window');
      clock.offset += 10 * 60_000 + 1_000;
      await smtp.mail.until(() => to(smtp, 'ana.burst@example.org').length === 3);
      const batch = to(smtp, 'ana.burst@example.org')[2]!;
      assert.equal(batch.subject, '3 new replies to your comments');
      for (const text of ['second', 'third', 'fourth']) assert.ok(batch.text.includes(`> ${text}`), batch.text);
      assert.ok(!batch.text.includes('first!'));

      // A held reply notifies nobody until a moderator approves it.
      clock.offset += 11 * 60_000;
      const heldTop = await post(t, ana.token, '/held/topic', 'moderated thread');
      assert.equal(heldTop.status, 'held');
      const moderator = await signJwt({ sub: 'mod', name: 'Mo', role: 'moderator' }, { secret: SECRET, at: Date.now() + clock.offset });
      assert.equal((await t.call('POST', `/moderation/comments/${heldTop.id}`, { token: moderator, body: { action: 'approve' } })).status, 200);
      const held = await post(t, ben.token, '/held/topic', 'held reply', heldTop.id);
      assert.equal(held.status, 'held');
      await settled(t);
      assert.equal(to(smtp, 'ana.burst@example.org').length, 3);
      assert.equal((await t.call('POST', `/moderation/comments/${held.id}`, { token: moderator, body: { action: 'approve' } })).status, 200);
      await smtp.mail.until(() => to(smtp, 'ana.burst@example.org').length === 4);
      assert.ok(to(smtp, 'ana.burst@example.org')[3]!.text.includes('> held reply'));
    });

    test('the daily digest, in the reader’s language (Spanish from Accept-Language)', async () => {
      const t = await startMail();
      const eva = await t.identity('Eva');
      const ben = await t.identity('Ben');
      const set = await t.call('PUT', '/identities/me/email', { token: eva.token, body: { address: 'eva@example.org' }, headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
      assert.equal(set.json.email.language, 'es');
      await smtp.mail.until(() => to(smtp, 'eva@example.org').length === 1);
      assert.equal(to(smtp, 'eva@example.org')[0]!.subject, 'Confirma tu dirección de correo para los comentarios');
      const token = new URL(linkIn(to(smtp, 'eva@example.org')[0]!.text, '/email/confirm')).searchParams.get('token');
      assert.equal((await t.call('POST', '/email/confirm', { body: { token } })).status, 200);
      const digest = await t.call('PATCH', '/identities/me/notifications', { token: eva.token, body: { notify: 'digest' } });
      assert.equal(digest.json.email.notify, 'digest');
      const top = await post(t, eva.token, '/digest', '¿Alguien más?');
      await post(t, ben.token, '/digest', 'Sí, yo', top.id);
      await post(t, ben.token, '/digest', 'Y también', top.id);
      await settled(t);
      assert.equal(to(smtp, 'eva@example.org').length, 1, 'nothing until the digest');
      clock.offset += 25 * 3600_000;
      await smtp.mail.until(() => to(smtp, 'eva@example.org').length === 2);
      const mail = to(smtp, 'eva@example.org')[1]!;
      assert.equal(mail.subject, 'Tu resumen diario: 2 respuestas');
      assert.ok(mail.text.includes('Ben respondió:') && mail.text.includes('> Sí, yo') && mail.text.includes('> Y también'), mail.text);
      assert.ok(mail.text.includes('Darse de baja de todos los mensajes de respuestas'));
      assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    });

    test('addresses are validated, need an identity, and are rate limited; errors are {error:{code,message}}', async () => {
      const t = await startMail({
        rateLimits: { ...DEFAULT_RATE_LIMITS, email: { perIdentity: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } } },
      });
      const ana = await t.identity('Ana');
      assertError(await t.call('PUT', '/identities/me/email', { body: { address: 'a@example.org' } }), 401, 'unauthenticated');
      for (const address of ['not-an-address', 'a@b', 'a b@example.org', 'x@example.org\r\nBcc: evil@example.org', `${'x'.repeat(250)}@example.org`]) {
        assertError(await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address } }), 400, 'invalid_input');
      }
      assertError(await t.call('PATCH', '/identities/me/notifications', { token: ana.token, body: { notify: 'digest' } }), 404, 'not_found');
      assertError(await t.call('PATCH', '/identities/me/notifications', { token: ana.token, body: { notify: 'hourly' } }), 400, 'invalid_input');
      assert.equal((await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'one@example.org' } })).status, 200);
      assert.equal((await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'two@example.org' } })).status, 200);
      assertError(await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'three@example.org' } }), 429, 'rate_limited');
      // The first address's confirmation was cancelled or sent before the change; its token no longer confirms anything.
      await smtp.mail.until(() => to(smtp, 'two@example.org').length === 1);
      await settled(t);
      for (const mail of to(smtp, 'one@example.org')) {
        const token = new URL(linkIn(mail.text, '/email/confirm')).searchParams.get('token');
        assertError(await t.call('POST', '/email/confirm', { body: { token } }), 404, 'not_found');
      }
      const removed = await t.call('DELETE', '/identities/me/email', { token: ana.token });
      assert.deepEqual(removed.json, { email: null });
    });

    test('free identities from many networks cannot fill a stranger’s inbox: few confirmations go to one address a day', async () => {
      const t = await startMail({ rateLimits: DEFAULT_RATE_LIMITS });
      const victim = 'victim.inbox@example.org';
      const statuses: number[] = [];
      // Fresh identities, the address written in other cases each time (most mail servers ignore case).
      for (let i = 0; i < 6; i++) {
        const reader = await t.identity(`Reader ${i}`);
        const set = await t.call('PUT', '/identities/me/email', { token: reader.token, body: { address: i % 2 ? victim.toUpperCase() : victim } });
        statuses.push(set.status);
        if (set.status !== 200) assertError(set, 429, 'rate_limited');
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
      const toVictim = () => smtp.mail.items.filter((m) => m.to.toLowerCase() === victim);
      await smtp.mail.until(() => toVictim().length === 3);
      await settled(t);
      assert.equal(toVictim().length, 3);
      // Another address is not held back by the first one's limit.
      const other = await t.identity('Other');
      assert.equal((await t.call('PUT', '/identities/me/email', { token: other.token, body: { address: 'someone.else@example.org' } })).status, 200);
    });

    test('with the SMTP server refusing, mail waits and is retried; it goes out once when the server takes it', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      smtp.mode = 'refuse';
      try {
        assert.equal((await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'ana.retry@example.org' } })).status, 200);
        const attempts = async () => Number((await t.server.store.db.all<{ attempts: number }>(`SELECT attempts FROM outbox WHERE kind = 'mail'`))[0]?.attempts ?? 0);
        while ((await attempts()) < 3) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(to(smtp, 'ana.retry@example.org').length, 0);
      } finally {
        smtp.mode = 'accept';
      }
      await smtp.mail.until(() => to(smtp, 'ana.retry@example.org').length === 1);
      await settled(t);
      assert.equal(to(smtp, 'ana.retry@example.org').length, 1);
      assert.deepEqual(await t.server.store.outboxCounts('mail'), { pending: 0, done: 1, failed: 0, cancelled: 0 });
    });
  });
}

describe('without SMTP, the demo keeps mail in a local mailbox', () => {
  const start = serverStarter(DATABASES[0]!.make);
  test('GET /demo/mail shows the confirmation message with its link', async () => {
    const t = await start({ serveDemo: true, outbox: { pollMs: 50 } });
    const ana = await t.identity('Ana');
    assert.equal((await t.call('PUT', '/identities/me/email', { token: ana.token, body: { address: 'ana@example.org' } })).status, 200);
    await settled(t);
    const page = await fetch(`${t.url}/demo/mail`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Confirm your e-mail address for comments/);
    assert.match(html, /<a href="http:\/\/127\.0\.0\.1:\d+\/api\/v1\/email\/confirm\?token=/);
    const json = (await (await fetch(`${t.url}/demo/mail?format=json`)).json()) as { mail: Array<{ to: string; text: string }> };
    assert.equal(json.mail.length, 1);
    const token = new URL(linkIn(json.mail[0]!.text, '/email/confirm')).searchParams.get('token');
    assert.equal((await t.call('POST', '/email/confirm', { body: { token } })).json.email.confirmed, true);
  });
});
