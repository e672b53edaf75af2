// Pinned comments (docs/decisions/0037-pins-preview-quotes-avatars.md): moderators pin up to
// `pinsPerThread` visible top-level comments, readers see them first on the first page in every
// sort and never again on later pages, and every pin and unpin is in the audit log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, serverStarter } from './test-support.js';

const SECRET = 'pinned-comments-secret-pinned-comments-secret';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const THREAD = '/2026/pins';
const ids = (comments: Array<{ id: string }> | undefined) => (comments ?? []).map((c) => c.id);

for (const { name: driver, make } of DATABASES) {
  describe(`pinned comments, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET, pinsPerThread: 2 });

    test('a moderator pins: the first page of every sort starts with the pins, later pages never repeat them; a pin past the limit is 409 pin_limit; both are audited', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-1', name: 'Mina', role: 'moderator' });
      const ada = await t.identity('Ada');
      const posted: string[] = [];
      for (const body of ['one', 'two', 'three', 'four', 'five']) {
        posted.push((await t.call('POST', '/comments', { token: ada.token, body: { thread: THREAD, body } })).json.comment.id);
      }
      const reply = (await t.call('POST', '/comments', { token: ada.token, body: { thread: THREAD, parentId: posted[1], body: 'a reply' } })).json.comment.id;
      const list = (sort: string, extra = '') => t.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}&sort=${sort}${extra}`);
      assert.equal((await list('oldest')).json.pinned, undefined, 'a thread without pins has no pinned list');

      const pin = (id: string, pinned: boolean, token = moderator) => t.call('POST', `/moderation/comments/${id}/pin`, { token, body: { pinned, reason: pinned ? 'the staff answer' : null } });
      assertError(await pin(posted[1]!, true, ada.token), 403, 'forbidden');
      const pinned = await pin(posted[1]!, true);
      assert.equal(pinned.status, 200);
      assert.ok(Date.parse(pinned.json.comment.pinnedAt) > 0, 'the answer says when');
      await pin(posted[3]!, true);
      const extra = await pin(posted[0]!, true);
      assertError(extra, 409, 'pin_limit');
      assert.match(extra.json.error.message, /2 pinned comments/);
      assertError(await pin(reply, true), 409, 'conflict');
      assertError(await pin('c_missing', true), 404, 'not_found');

      for (const sort of ['oldest', 'newest', 'top']) {
        const page = (await list(sort, '&limit=2')).json;
        assert.deepEqual(ids(page.pinned), [posted[3], posted[1]], `${sort}: the latest pin first`);
        assert.deepEqual(ids(page.pinned[1].replies), [reply], `${sort}: with its replies`);
        assert.ok(page.pinned.every((c: { pinnedAt: string | null }) => c.pinnedAt), `${sort}: marked`);
        const seen = ids(page.comments);
        let cursor = page.nextCursor;
        while (cursor) {
          const next = (await list(sort, `&limit=2&cursor=${encodeURIComponent(cursor)}`)).json;
          assert.equal(next.pinned, undefined, `${sort}: later pages carry no pins`);
          seen.push(...ids(next.comments));
          cursor = next.nextCursor;
        }
        assert.deepEqual(seen.sort(), [posted[0], posted[2], posted[4]].sort(), `${sort}: the others once each`);
      }

      // Hidden, a pin no longer shows nor counts toward the limit; restored, it is back.
      await t.call('POST', `/moderation/comments/${posted[3]}`, { token: moderator, body: { action: 'hide' } });
      assert.deepEqual(ids((await list('oldest')).json.pinned), [posted[1]]);
      assert.ok(!(await list('oldest')).json.comments.some((c: { id: string }) => c.id === posted[3]), 'a hidden comment without replies is not listed');
      assert.equal((await pin(posted[0]!, true)).status, 200, 'the hidden pin left a place');
      await pin(posted[0]!, false);
      await t.call('POST', `/moderation/comments/${posted[3]}`, { token: moderator, body: { action: 'restore' } });
      assert.deepEqual(ids((await list('oldest')).json.pinned), [posted[3], posted[1]], 'restored, its pin shows again');
      const unpinned = await pin(posted[3]!, false);
      assert.equal(unpinned.json.comment.pinnedAt, null);
      const page = (await list('oldest')).json;
      assert.deepEqual(ids(page.pinned), [posted[1]]);
      assert.deepEqual(ids(page.comments), [posted[0], posted[2], posted[3], posted[4]], 'back in its place');
      assert.equal((await t.call('GET', `/counts?thread=${encodeURIComponent(THREAD)}`)).json.counts[THREAD], 6, 'pins change no count');

      const audit = (await t.call('GET', '/moderation/audit', { token: moderator })).json.entries as Array<{ action: string; commentId: string; reason: string | null; detail: { thread?: string } | null; moderator: { name: string } | null }>;
      const pins = audit.filter((e) => e.action === 'pin' || e.action === 'unpin').map((e) => [e.action, e.commentId, e.reason, e.detail?.thread, e.moderator?.name]);
      assert.deepEqual(pins, [
        ['unpin', posted[3], null, THREAD, 'Mina'],
        ['unpin', posted[0], null, THREAD, 'Mina'],
        ['pin', posted[0], 'the staff answer', THREAD, 'Mina'],
        ['pin', posted[3], 'the staff answer', THREAD, 'Mina'],
        ['pin', posted[1], 'the staff answer', THREAD, 'Mina'],
      ], 'refused pins are not audited');
    });

    test('a pin body is validated', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-2', name: 'Mo', role: 'moderator' });
      const ada = await t.identity('Ada');
      const id = (await t.call('POST', '/comments', { token: ada.token, body: { thread: THREAD, body: 'x' } })).json.comment.id;
      assertError(await t.call('POST', `/moderation/comments/${id}/pin`, { token: moderator, body: { pinned: 'yes' } }), 400, 'invalid_input');
      assertError(await t.call('POST', `/moderation/comments/${id}/pin`, { token: moderator, body: {} }), 400, 'invalid_input');
    });
  });
}
