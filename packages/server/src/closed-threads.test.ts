// Closing a thread (docs/decisions/0026-closed-threads.md): it reads as before, refuses new
// comments, replies and authors' edits with 403 `thread_closed`, only moderators close and
// reopen it, and both are in the audit log. Also the page URL a widget reports when it posts,
// which the moderation queue links to.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, serverStarter } from './test-support.js';

const SECRET = 'closed-threads-secret-closed-threads-secret';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const THREAD = '/2026/closing';
const list = `/comments?thread=${encodeURIComponent(THREAD)}`;

for (const { name: driver, make } of DATABASES) {
  describe(`closed threads, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET });

    test('a moderator closes a thread: it still reads, posts and replies are refused with thread_closed, reopening takes them again; both are audited', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-1', name: 'Mina', role: 'moderator' });
      const ada = await t.identity('Ada');
      const root = (await t.call('POST', '/comments', { token: ada.token, body: { thread: THREAD, body: 'before closing' } })).json.comment;
      const reply = (await t.call('POST', '/comments', { token: ada.token, body: { thread: THREAD, parentId: root.id, body: 'a reply' } })).json.comment;
      assert.equal((await t.call('GET', list)).json.closed, false, 'an open thread says so');

      const closed = await t.call('POST', '/moderation/threads', { token: moderator, body: { thread: THREAD, action: 'close', reason: 'the discussion ran its course' } });
      assert.equal(closed.status, 200);
      assert.deepEqual(closed.json.thread, { key: THREAD, closed: true, url: null });

      const page = await t.call('GET', list);
      assert.equal(page.status, 200);
      assert.equal(page.json.closed, true, 'the page tells the widget');
      assert.deepEqual(page.json.comments.map((c: { id: string }) => c.id), [root.id]);
      assert.deepEqual(page.json.comments[0].replies.map((c: { id: string }) => c.id), [reply.id]);
      assert.deepEqual((await t.call('GET', `/counts?thread=${encodeURIComponent(THREAD)}`)).json.counts, { [THREAD]: 2 });
      const events = await fetch(`${t.url}/api/v1/events?thread=${encodeURIComponent(THREAD)}`, { signal: AbortSignal.timeout(5000) });
      assert.equal(events.status, 200, 'the live stream still opens');
      await events.body?.cancel();

      const bo = await t.identity('Bo');
      const refused = await t.call('POST', '/comments', { token: bo.token, body: { thread: THREAD, body: 'too late' } });
      assertError(refused, 403, 'thread_closed');
      assert.match(refused.json.error.message, /closed/);
      assertError(await t.call('POST', '/comments', { token: bo.token, body: { thread: `${THREAD}/`, parentId: root.id, body: 'a late reply' } }), 403, 'thread_closed');
      assertError(await t.call('PATCH', `/comments/${root.id}`, { token: ada.token, body: { body: 'changed after closing' } }), 403, 'thread_closed');
      assert.equal((await t.call('GET', list)).json.comments[0].body, 'before closing', 'nothing changed');
      assert.equal((await t.call('POST', `/comments/${reply.id}/reports`, { token: bo.token, body: { reason: 'spam' } })).status, 201, 'reports still reach moderators');
      assert.equal((await t.call('DELETE', `/comments/${reply.id}`, { token: ada.token })).json.comment.status, 'deleted', 'authors may still take their words back');
      assert.equal((await t.call('PATCH', `/comments/${root.id}`, { token: moderator, body: { body: 'edited by a moderator' } })).status, 200, 'moderators still edit');
      assert.equal((await t.call('POST', '/comments', { token: bo.token, body: { thread: '/2026/other', body: 'elsewhere' } })).status, 201, 'other threads stay open');

      const reopened = await t.call('POST', '/moderation/threads', { token: moderator, body: { thread: THREAD, action: 'reopen' } });
      assert.deepEqual(reopened.json.thread, { key: THREAD, closed: false, url: null });
      assert.equal((await t.call('GET', list)).json.closed, false);
      assert.equal((await t.call('POST', '/comments', { token: bo.token, body: { thread: THREAD, body: 'open again' } })).status, 201);

      const audit = (await t.call('GET', '/moderation/audit', { token: moderator })).json.entries as Array<Record<string, unknown>>;
      const threadEntries = audit.filter((e) => e.action === 'close-thread' || e.action === 'reopen-thread');
      assert.deepEqual(
        threadEntries.map((e) => [e.action, e.reason, e.commentId, (e.detail as { thread: string }).thread, (e.moderator as { name: string }).name]),
        [
          ['reopen-thread', null, null, THREAD, 'Mina'],
          ['close-thread', 'the discussion ran its course', null, THREAD, 'Mina'],
        ],
        'newest first',
      );
    });

    test('a retry of a post stored before the close is answered with that comment, not refused', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-2', name: 'Mina', role: 'moderator' });
      const ada = await t.identity('Ada');
      const thread = '/2026/retry-after-close';
      const send = (key: string, body: string) =>
        t.call('POST', '/comments', { token: ada.token, headers: { 'idempotency-key': key }, body: { thread, body } });
      const first = await send('retry-1', 'sent just before the close');
      assert.equal(first.status, 201);
      assert.equal((await t.call('POST', '/moderation/threads', { token: moderator, body: { thread, action: 'close' } })).status, 200);
      // The reader's connection dropped before the answer; the widget sends the same post again.
      const retried = await send('retry-1', 'sent just before the close');
      assert.equal(retried.status, 201, JSON.stringify(retried.json));
      assert.equal(retried.json.comment.id, first.json.comment.id);
      assert.equal(retried.headers.get('idempotent-replayed'), 'true');
      assertError(await send('retry-1', 'another text with the same key'), 409, 'idempotency_conflict');
      assertError(await send('retry-2', 'a new post'), 403, 'thread_closed');
    });

    test('readers and mentors may not close or reopen a thread; a thread nobody posted in can be closed', async () => {
      const t = await start();
      const reader = await t.identity('Ada');
      const mentor = await jwt({ sub: 'mentor-1', name: 'Mel', role: 'mentor' });
      assertError(await t.call('POST', '/moderation/threads', { token: reader.token, body: { thread: THREAD, action: 'close' } }), 403, 'forbidden');
      assertError(await t.call('POST', '/moderation/threads', { token: mentor, body: { thread: THREAD, action: 'close' } }), 403, 'forbidden');
      assertError(await t.call('POST', '/moderation/threads', { body: { thread: THREAD, action: 'close' } }), 401, 'unauthenticated');
      assert.equal((await t.call('GET', list)).json.closed, false);
      assertError(await t.call('POST', '/moderation/threads', { token: await jwt({ sub: 's', name: 'S', role: 'staff' }), body: { thread: THREAD, action: 'shut' } }), 400, 'invalid_input');

      const staff = await jwt({ sub: 'staff-1', name: 'Sam', role: 'staff' });
      const fresh = '/never-posted';
      assert.equal((await t.call('POST', '/moderation/threads', { token: staff, body: { thread: fresh, action: 'close' } })).status, 200);
      assertError(await t.call('POST', '/comments', { token: reader.token, body: { thread: fresh, body: 'first' } }), 403, 'thread_closed');
    });

    test('a post keeps the page it came from (origin and path) when its origin is allowed, and the queue names it', async () => {
      const t = await start({ allowedOrigins: ['https://news.example'], reportThreshold: 5 });
      const moderator = await jwt({ sub: 'mod-2', name: 'Mina', role: 'moderator' });
      const ada = await t.identity('Ada');
      const bo = await t.identity('Bo');
      const post = (thread: string, url: string) => t.call('POST', '/comments', { token: ada.token, body: { thread, body: `on ${thread}`, url } });
      const kept = (await post('/a', 'https://news.example/2026/a?utm=x&session=secret#top')).json.comment;
      const foreign = (await post('/b', 'https://evil.example/phish')).json.comment;
      const junk = (await post('/c', 'javascript:alert(1)')).json.comment;
      for (const c of [kept, foreign, junk]) assert.equal((await t.call('POST', `/comments/${c.id}/reports`, { token: bo.token, body: { reason: 'spam' } })).status, 201);
      const queue = (await t.call('GET', '/moderation/queue?status=reported', { token: moderator })).json.items as Array<{ thread: string; threadUrl: string | null; threadClosed: boolean }>;
      const byThread = Object.fromEntries(queue.map((item) => [item.thread, item]));
      assert.equal(byThread['/a']?.threadUrl, 'https://news.example/2026/a', 'origin and path, no query or fragment');
      assert.equal(byThread['/b']?.threadUrl, null, 'another origin is not kept');
      assert.equal(byThread['/c']?.threadUrl, null, 'nor a URL that is no page');
      assert.equal(byThread['/a']?.threadClosed, false);

      await post('/a', 'https://news.example/moved/a');
      await t.call('POST', '/moderation/threads', { token: moderator, body: { thread: '/a', action: 'close' } });
      const again = (await t.call('GET', '/moderation/queue?status=reported', { token: moderator })).json.items as Array<{ thread: string; threadUrl: string | null; threadClosed: boolean }>;
      const a = again.find((item) => item.thread === '/a');
      assert.equal(a?.threadUrl, 'https://news.example/moved/a', 'the latest page a reader posted from');
      assert.equal(a?.threadClosed, true, 'closing keeps the URL and the queue says the thread is closed');
    });
  });
}
