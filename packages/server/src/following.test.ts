import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { confirmAddress, mailTo, settled, smtpListenerForSuite } from './smtp-test-support.js';
import { DATABASES, serverStarter, type TestServer } from './test-support.js';

const SECRET = 'following-secret-following-secret-following-secret';
const SITE = 'https://news.example.org';

for (const { name: driver, make } of DATABASES) {
  describe(`following threads and the activity view on ${driver}`, () => {
    const smtp = smtpListenerForSuite();
    const clock = { offset: 0 };
    const start = serverStarter(make, {
      jwtSecret: SECRET,
      now: () => Date.now() + clock.offset,
      siteUrl: SITE,
      allowedOrigins: [SITE],
    });
    const startMail = (options: Parameters<typeof start>[0] = {}) =>
      start({ mail: { smtpUrl: smtp.url, from: 'Comments <comments@example.org>', batchMs: 10 * 60_000 }, outbox: { pollMs: 50, retryBaseMs: 20, retryMaxMs: 100 }, ...options });
    const post = async (t: TestServer, token: string, thread: string, body: string, parentId?: string) => {
      const r = await t.call('POST', '/comments', { token, body: { thread, body, url: `${SITE}${thread}?utm=x`, ...(parentId ? { parentId } : {}) } });
      assert.equal(r.status, 201, r.text);
      return r.json.comment as { id: string; status: string };
    };
    const following = async (t: TestServer, token: string) => (await t.call('GET', '/identities/me/following', { token })).json as { followOnPost: boolean; threads: Array<{ thread: string; url: string | null }> };

    test('posting follows the thread unless turned off; follow and unfollow explicitly; errors in the envelope', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      assert.deepEqual(await following(t, ana.token), { followOnPost: true, threads: [] });
      await post(t, ana.token, '/garden/roses', 'Which roses climb best?');
      const mine = await following(t, ana.token);
      assert.deepEqual(mine.threads.map((f) => [f.thread, f.url]), [['/garden/roses', `${SITE}/garden/roses`]]);

      // Ben turns auto-follow off: posting follows nothing; following explicitly still works.
      const off = await t.call('PATCH', '/identities/me/following', { token: ben.token, body: { followOnPost: false } });
      assert.equal(off.status, 200);
      assert.equal(off.json.followOnPost, false);
      await post(t, ben.token, '/garden/roses', 'Rambling Rector');
      assert.deepEqual((await following(t, ben.token)).threads, []);
      const followed = await t.call('PUT', '/identities/me/following', { token: ben.token, body: { thread: '/garden/tulips', following: true } });
      assert.deepEqual(followed.json.threads.map((f: { thread: string }) => f.thread), ['/garden/tulips']);
      const unfollowed = await t.call('PUT', '/identities/me/following', { token: ben.token, body: { thread: '/garden/tulips', following: false } });
      assert.deepEqual(unfollowed.json.threads, []);

      // A muted thread stays muted when its reader posts again; following it unmutes it.
      assert.equal((await t.call('PUT', '/identities/me/muted-threads', { token: ana.token, body: { thread: '/garden/roses', muted: true } })).status, 200);
      await post(t, ana.token, '/garden/roses', 'Still here');
      assert.deepEqual((await following(t, ana.token)).threads, []);
      await t.call('PUT', '/identities/me/following', { token: ana.token, body: { thread: '/garden/roses', following: true } });
      assert.deepEqual((await following(t, ana.token)).threads.map((f) => f.thread), ['/garden/roses']);

      assertError(await t.call('GET', '/identities/me/following'), 401, 'unauthenticated');
      assertError(await t.call('GET', '/identities/me/activity'), 401, 'unauthenticated');
      assertError(await t.call('PUT', '/identities/me/following', { token: ana.token, body: { thread: '/x', following: 'yes' } }), 400, 'invalid_input');
      assertError(await t.call('PUT', '/identities/me/following', { token: ana.token, body: { thread: '', following: true } }), 400, 'invalid_input');
      assertError(await t.call('GET', '/identities/me/activity?cursor=nonsense', { token: ana.token }), 400, 'invalid_cursor');
      assertError(await t.call('GET', '/identities/me/activity?limit=500', { token: ana.token }), 400, 'invalid_input');
      assertError(await t.call('POST', '/identities/me/activity/read', { token: ana.token, body: { ids: [] } }), 400, 'invalid_input');
    });

    test('GET ?thread= says whether one thread is followed, also past the 200 threads the list shows', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      const store = t.server.store;
      // The thread followed first falls out of the list's 200 most recent ones.
      await store.setFollowing(ana.id, '/old/first', true);
      for (let n = 0; n < 200; n++) await store.setFollowing(ana.id, `/new/${n}`, true);
      const whole = await following(t, ana.token);
      assert.equal(whole.threads.length, 200);
      assert.ok(!whole.threads.some((f) => f.thread === '/old/first'));
      const one = await t.call('GET', `/identities/me/following?thread=${encodeURIComponent('/old/first')}`, { token: ana.token });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(
        one.json.threads.map((f: { thread: string }) => f.thread),
        ['/old/first'],
      );
      assert.equal(one.json.followOnPost, true);
      const none = await t.call('GET', `/identities/me/following?thread=${encodeURIComponent('/never/followed')}`, { token: ana.token });
      assert.deepEqual(none.json, { followOnPost: true, threads: [] });
      assertError(await t.call('GET', '/identities/me/following?thread=', { token: ana.token }), 400, 'invalid_input');
      assertError(await t.call('GET', `/identities/me/following?thread=${'x'.repeat(600)}`, { token: ana.token }), 400, 'invalid_input');
    });

    test('followers hear of new comments by mail: never their own, one message for a reply in a followed thread, held comments only once approved', async () => {
      const t = await startMail({ premoderatedThreads: ['/held'] });
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      const cy = await t.identity('Cy');
      await confirmAddress(t, smtp, ana.token, 'ana.follow@example.org');
      await confirmAddress(t, smtp, cy.token, 'cy.follow@example.org');
      const anaMail = () => mailTo(smtp, 'ana.follow@example.org');
      const top = await post(t, ana.token, '/clinic/sleep', 'Anyone tried a sleep diary?');
      await settled(t);
      assert.equal(anaMail().length, 1, 'her own comment tells her nothing');

      const other = await post(t, ben.token, '/clinic/sleep', 'Yes, for two weeks.');
      await smtp.mail.until(() => anaMail().length === 2);
      const note = anaMail()[1]!;
      assert.equal(note.subject, 'Ben commented in a conversation you follow');
      assert.ok(note.text.includes('Ben commented in a conversation you follow:\n> Yes, for two weeks.'), note.text);
      assert.ok(note.text.includes(`${SITE}/clinic/sleep#comment-${other.id}`));

      // A reply to her in the thread she follows: one message, as a reply.
      clock.offset += 11 * 60_000;
      await post(t, ben.token, '/clinic/sleep', 'And it showed my caffeine habit.', top.id);
      await smtp.mail.until(() => anaMail().length === 3);
      await settled(t);
      assert.equal(anaMail().length, 3);
      assert.equal(anaMail()[2]!.subject, 'Ben replied to your comment');

      // Cy turned auto-follow off: posting here does not make her a follower.
      await t.call('PATCH', '/identities/me/following', { token: cy.token, body: { followOnPost: false } });
      await post(t, cy.token, '/clinic/sleep', 'Following along quietly');
      await post(t, ben.token, '/clinic/sleep', 'Update after a month');
      await settled(t);
      clock.offset += 11 * 60_000;
      // Cy's comment came within Ana's batch window: it waits and goes out with Ben's.
      await smtp.mail.until(() => anaMail().length === 4);
      await settled(t);
      assert.equal(mailTo(smtp, 'cy.follow@example.org').length, 1, 'Cy got only her confirmation');
      const batch = anaMail()[3]!;
      assert.equal(batch.subject, '2 new comments in your conversations');
      assert.ok(batch.text.includes('> Following along quietly') && batch.text.includes('> Update after a month'), batch.text);

      // A held comment in a followed thread tells nobody until a moderator approves it.
      clock.offset += 11 * 60_000;
      const moderator = await signJwt({ sub: 'mod', name: 'Mo', role: 'moderator' }, { secret: SECRET, at: Date.now() + clock.offset });
      const heldTop = await post(t, ana.token, '/held/q', 'moderated question');
      assert.equal((await t.call('POST', `/moderation/comments/${heldTop.id}`, { token: moderator, body: { action: 'approve' } })).status, 200);
      await settled(t);
      const before = anaMail().length;
      const held = await post(t, ben.token, '/held/q', 'held answer');
      assert.equal(held.status, 'held');
      await settled(t);
      assert.equal(anaMail().length, before);
      assert.deepEqual((await t.call('GET', '/identities/me/activity', { token: ana.token })).json.items.filter((i: { commentId: string }) => i.commentId === held.id), []);
      assert.equal((await t.call('POST', `/moderation/comments/${held.id}`, { token: moderator, body: { action: 'approve' } })).status, 200);
      await smtp.mail.until(() => anaMail().length === before + 1);
      assert.ok(anaMail().at(-1)!.text.includes('> held answer'));
    });

    test('activity: replies and followed threads across the site, newest first, keyset pages, unread counts, mark as read', async () => {
      const t = await startMail();
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      const top = await post(t, ana.token, '/a', 'first thread');
      await post(t, ana.token, '/b', 'second thread');
      const made: string[] = [];
      made.push((await post(t, ben.token, '/a', 'reply one', top.id)).id);
      made.push((await post(t, ben.token, '/b', 'in b')).id);
      made.push((await post(t, ben.token, '/a', 'in a')).id);
      made.push((await post(t, ana.token, '/a', 'mine, not listed')).id);
      made.push((await post(t, ben.token, '/b', 'x'.repeat(300))).id);
      await settled(t);

      const first = await t.call('GET', '/identities/me/activity?limit=2', { token: ana.token });
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.unread, { total: 4, reply: 1, following: 3 });
      assert.deepEqual(first.json.items.map((i: { commentId: string }) => i.commentId), [made[4], made[2]]);
      const long = first.json.items[0];
      assert.equal(long.reason, 'following');
      assert.equal(long.thread, '/b');
      assert.equal(long.url, `${SITE}/b#comment-${made[4]}`);
      assert.equal(long.authorName, 'Ben');
      assert.equal(long.excerpt.length, 200);
      assert.equal(long.read, false);
      const second = await t.call('GET', `/identities/me/activity?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: ana.token });
      assert.deepEqual(second.json.items.map((i: { commentId: string; reason: string }) => [i.commentId, i.reason]), [[made[1], 'following'], [made[0], 'reply']]);
      assert.equal(second.json.nextCursor, null);

      const read = await t.call('POST', '/identities/me/activity/read', { token: ana.token, body: { ids: [second.json.items[1].id] } });
      assert.deepEqual(read.json.unread, { total: 3, reply: 0, following: 3 });
      const after = await t.call('GET', '/identities/me/activity?limit=10', { token: ana.token });
      assert.deepEqual(after.json.items.map((i: { read: boolean }) => i.read), [false, false, false, true]);
      // Another reader's ids mark nothing of Ana's, and Ben sees only his own activity.
      const bens = await t.call('POST', '/identities/me/activity/read', { token: ben.token, body: {} });
      assert.equal(bens.status, 200);
      assert.deepEqual((await t.call('GET', '/identities/me/activity', { token: ana.token })).json.unread.total, 3);
      assert.deepEqual((await t.call('GET', '/identities/me/activity', { token: ben.token })).json.items.map((i: { commentId: string }) => i.commentId), [made[3]]);

      // A comment hidden later leaves the list and the counts.
      const moderator = await signJwt({ sub: 'mod', name: 'Mo', role: 'moderator' }, { secret: SECRET, at: Date.now() + clock.offset });
      assert.equal((await t.call('POST', `/moderation/comments/${made[4]}`, { token: moderator, body: { action: 'hide' } })).status, 200);
      const hidden = await t.call('GET', '/identities/me/activity', { token: ana.token });
      assert.equal(hidden.json.items.length, 3);
      assert.deepEqual(hidden.json.unread, { total: 2, reply: 0, following: 2 });
      const all = await t.call('POST', '/identities/me/activity/read', { token: ana.token, body: {} });
      assert.deepEqual(all.json.unread, { total: 0, reply: 0, following: 0 });
    });
  });
}
