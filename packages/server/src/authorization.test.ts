import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, EVERY_READER_COUNTS, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const START = Date.parse('2026-11-22T10:00:00.000Z');

/** A host-site token issued at `at` (the server's test clock), valid for an hour unless `expiresAt` says otherwise. */
const jwt = (claims: Record<string, unknown>, { secret = SECRET, expiresAt, at = START }: { secret?: string; expiresAt?: number; at?: number } = {}) =>
  signJwt(claims, { secret, at, ...(expiresAt === undefined ? {} : { expiresAt }) });

for (const { name: driver, make } of DATABASES) {
  describe(`who may do what over HTTP on ${driver}`, () => {
    let t: TestServer;
    let clock = START;
    let moderatorToken: string;
    let thread = 0;
    const nextThread = () => `/articles/http-${++thread}`;

    before(async () => {
      // Who may do what, not whose report counts (report-trust.test.ts): every reader's report weighs 1.
      t = await startTestServer({ jwtSecret: SECRET, now: () => clock, limits: { ...DEFAULT_LIMITS, maxDepth: 2 }, ...EVERY_READER_COUNTS }, make());
      moderatorToken = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
    });
    after(() => t.stop());

    async function post(token: string, body: Record<string, unknown>, key?: string) {
      return t.call('POST', '/comments', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    }
    describe('authorization matrix', () => {
      // Each row: the actor, and the status edit / delete / moderate answer with.
      const matrix: Array<[string, number, number, number, string?]> = [
        ['anonymous', 401, 401, 401],
        ['author in window', 200, 200, 403],
        ['author after window', 403, 403, 403, 'edit_window_closed'],
        ['other reader', 403, 403, 403],
        ['mentor', 403, 403, 403],
        ['moderator', 200, 200, 200],
        ['staff', 200, 200, 200],
      ];
      for (const [actor, editStatus, deleteStatus, moderateStatus, code] of matrix) {
        test(actor, async () => {
          const th = nextThread();
          const author = await t.identity('Author');
          const make = async () => (await post(author.token, { thread: th, body: 'original' })).json.comment.id as string;
          const editId = await make();
          const deleteId = await make();
          const moderateId = await make();
          let token: string | undefined;
          const saved = clock;
          switch (actor) {
            case 'author in window':
            case 'author after window':
              token = author.token;
              break;
            case 'other reader':
              token = (await t.identity('Other')).token;
              break;
            case 'mentor':
              token = await jwt({ sub: 'mentor-1', name: 'Mia', role: 'mentor' }, { at: clock });
              break;
            case 'moderator':
              token = await jwt({ sub: 'mod-2', name: 'Mo', role: 'moderator' }, { at: clock });
              break;
            case 'staff':
              token = await jwt({ sub: 'staff-1', name: 'Sam', role: 'staff' }, { at: clock });
              break;
          }
          if (actor === 'author after window') clock += (15 * 60 + 1) * 1000;
          try {
            const edit = await t.call('PATCH', `/comments/${editId}`, { ...(token ? { token } : {}), body: { body: 'changed' } });
            const del = await t.call('DELETE', `/comments/${deleteId}`, token ? { token } : {});
            const mod = await t.call('POST', `/moderation/comments/${moderateId}`, { ...(token ? { token } : {}), body: { action: 'hide' } });
            assert.deepEqual([edit.status, del.status, mod.status], [editStatus, deleteStatus, moderateStatus], JSON.stringify([edit.json, del.json, mod.json]));
            if (code) {
              assert.equal(edit.json.error.code, code);
              assert.equal(del.json.error.code, code);
            }
            if (editStatus === 200) {
              assert.equal(edit.json.comment.body, 'changed');
              assert.equal(edit.json.comment.editedAt, new Date(clock).toISOString());
            }
            if (deleteStatus === 200) assert.equal(del.json.comment.status, 'deleted');
            // A moderator's change to someone else's comment is on the record; an author's own is not.
            const audited = [...(await t.server.store.auditLog(editId)), ...(await t.server.store.auditLog(deleteId))].map((e) => e.action);
            assert.deepEqual(audited, actor === 'moderator' || actor === 'staff' ? ['edit', 'delete'] : []);
            if (moderateStatus === 200) assert.equal(mod.json.comment.status, 'hidden');
          } finally {
            clock = saved;
          }
        });
      }
    });

    test('reports: one per identity, weighed by role, hide at the threshold and enter the queue', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const c = (await post(ada.token, { thread: th, body: 'contested' })).json.comment;
      const r1 = await t.identity('R1');
      const first = await t.call('POST', `/comments/${c.id}/reports`, { token: r1.token, body: { reason: 'spam', details: 'ads' } });
      assert.equal(first.status, 201);
      assert.deepEqual(first.json.report, { commentId: c.id, reason: 'spam', createdAt: new Date(clock).toISOString() });
      assertError(await t.call('POST', `/comments/${c.id}/reports`, { token: r1.token, body: { reason: 'spam' } }), 409, 'already_reported');
      assertError(await t.call('POST', `/comments/${c.id}/reports`, { token: r1.token, body: { reason: 'rude' } }), 400, 'invalid_input');
      assertError(await t.call('POST', `/comments/${c.id}/reports`, { body: { reason: 'spam' } }), 401, 'unauthenticated');
      assertError(await t.call('POST', '/comments/c_missing/reports', { token: r1.token, body: { reason: 'spam' } }), 404, 'not_found');
      // Still visible at weight 1 of 3.
      assert.equal((await t.call('GET', `/counts?thread=${encodeURIComponent(th)}`)).json.counts[th], 1);
      const mentor = await jwt({ sub: 'mentor-r', name: 'Mia', role: 'mentor' }, { at: clock });
      assert.equal((await t.call('POST', `/comments/${c.id}/reports`, { token: mentor, body: { reason: 'harassment' } })).status, 201);
      assert.equal((await t.call('GET', `/counts?thread=${encodeURIComponent(th)}`)).json.counts[th], 0);
      assert.equal((await t.call('GET', `/comments?thread=${encodeURIComponent(th)}`)).json.comments.length, 0);
      const queue = await t.call('GET', '/moderation/queue?status=reported', { token: moderatorToken });
      const item = queue.json.items.find((i: { comment: { id: string } }) => i.comment.id === c.id);
      assert.equal(item.comment.status, 'hidden');
      assert.equal(item.comment.body, 'contested');
      assert.deepEqual(
        item.reports.map((r: { reason: string; weight: number }) => [r.reason, r.weight]),
        [
          ['spam', 1],
          ['harassment', 2],
        ],
      );
      const approved = await t.call('POST', `/moderation/comments/${c.id}`, { token: moderatorToken, body: { action: 'approve', reason: 'fine' } });
      assert.equal(approved.json.comment.status, 'visible');
      assert.equal((await t.call('GET', `/counts?thread=${encodeURIComponent(th)}`)).json.counts[th], 1);
      const audit = await t.server.store.auditLog(c.id);
      assert.deepEqual(
        audit.map((e) => [e.action, e.reason, e.moderator?.name ?? null]),
        [
          ['auto-hide', 'Report weight 3 reached the threshold of 3.', null],
          ['approve', 'fine', 'Morgan'],
        ],
      );
    });

    test('moderation: queue needs a moderator; ban-author stops later posts', async () => {
      const th = nextThread();
      const troll = await t.identity('Troll');
      const c = (await post(troll.token, { thread: th, body: 'bad' })).json.comment;
      assertError(await t.call('GET', '/moderation/queue'), 401, 'unauthenticated');
      assertError(await t.call('GET', '/moderation/queue', { token: troll.token }), 403, 'forbidden');
      assertError(await t.call('GET', '/moderation/queue?status=all', { token: moderatorToken }), 400, 'invalid_input');
      assertError(await t.call('POST', `/moderation/comments/${c.id}`, { token: moderatorToken, body: { action: 'nuke' } }), 400, 'invalid_input');
      assertError(await t.call('POST', '/moderation/comments/c_missing', { token: moderatorToken, body: { action: 'hide' } }), 404, 'not_found');
      const banned = await t.call('POST', `/moderation/comments/${c.id}`, { token: moderatorToken, body: { action: 'ban-author', reason: 'abuse' } });
      assert.equal(banned.status, 200);
      assert.equal(banned.json.comment.status, 'hidden');
      const hiddenQueue = await t.call('GET', '/moderation/queue?status=hidden', { token: moderatorToken });
      assert.ok(hiddenQueue.json.items.some((i: { comment: { id: string } }) => i.comment.id === c.id));
      assertError(await post(troll.token, { thread: th, body: 'again' }), 403, 'banned');
      const restored = await t.call('POST', `/moderation/comments/${c.id}`, { token: moderatorToken, body: { action: 'restore' } });
      assert.equal(restored.json.comment.status, 'visible');
    });

    test('threads under a pre-moderated prefix hold readers’ comments while others publish at once', async () => {
      const mixed = await startTestServer({ premoderatedThreads: ['/support/'] });
      try {
        const ada = await mixed.identity('Ada');
        const held = await mixed.call('POST', '/comments', { token: ada.token, body: { thread: '/support/caregivers', body: 'hello' } });
        assert.equal(held.json.comment.status, 'held');
        const open = await mixed.call('POST', '/comments', { token: ada.token, body: { thread: '/news/today', body: 'hello' } });
        assert.equal(open.json.comment.status, 'visible');
      } finally {
        await mixed.stop();
      }
    });

    test('pre-moderation holds readers’ comments, shows them to their author, and approve publishes', async () => {
      const pre = await startTestServer({ moderation: 'pre', jwtSecret: SECRET });
      try {
        const th = '/pre';
        const ada = await pre.identity('Ada');
        const held = await pre.call('POST', '/comments', { token: ada.token, body: { thread: th, body: 'waiting' } });
        assert.equal(held.json.comment.status, 'held');
        assert.equal(held.json.comment.body, 'waiting');
        assert.equal((await pre.call('GET', `/comments?thread=${th}`)).json.comments.length, 0);
        assert.equal((await pre.call('GET', `/comments?thread=${th}`, { token: ada.token })).json.comments.length, 1);
        const mod = await jwt({ sub: 'pm', name: 'Pat', role: 'moderator' }, { at: Date.now() });
        const queue = await pre.call('GET', '/moderation/queue?status=held', { token: mod });
        assert.equal(queue.json.items[0].comment.id, held.json.comment.id);
        await pre.call('POST', `/moderation/comments/${held.json.comment.id}`, { token: mod, body: { action: 'approve' } });
        assert.equal((await pre.call('GET', `/comments?thread=${th}`)).json.comments.length, 1);
        // Staff and moderators are not held.
        assert.equal((await pre.call('POST', '/comments', { token: mod, body: { thread: th, body: 'from the team' } })).json.comment.status, 'visible');
      } finally {
        await pre.stop();
      }
    });

    test('host-site JWTs: valid ones post under the site identity; expired, forged and malformed ones are refused', async () => {
      const th = nextThread();
      const token = await jwt({ sub: 'site-42', name: 'Lin', role: 'mentor' }, { at: clock });
      const r = await post(token, { thread: th, body: 'from the site' });
      assert.equal(r.status, 201);
      assert.equal(r.json.comment.author.name, 'Lin');
      assert.equal(r.json.comment.author.role, 'mentor');
      const again = await jwt({ sub: 'site-42', name: 'Lin', role: 'mentor' }, { at: clock });
      assert.equal((await t.call('GET', '/identities/me', { token: again })).json.identity.id, r.json.comment.author.id);
      const expired = await jwt({ sub: 'site-42', name: 'Lin' }, { at: clock - 7200_000, expiresAt: Math.floor((clock - 3600_000) / 1000) });
      assertError(await post(expired, { thread: th, body: 'x' }), 401, 'token_expired');
      const forged = await jwt({ sub: 'site-42', name: 'Lin', role: 'staff' }, { secret: 'another-secret-another-secret-another-secret' });
      assertError(await post(forged, { thread: th, body: 'x' }), 401, 'invalid_token');
      assertError(await post('not-a-token', { thread: th, body: 'x' }), 401, 'invalid_token');
      assertError(await t.call('POST', '/comments', { headers: { authorization: 'Basic abc' }, body: { thread: th, body: 'x' } }), 401, 'invalid_token');
      const noExp = await new SignJWT({ sub: 'x', name: 'Y' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
      assertError(await post(noExp, { thread: th, body: 'x' }), 401, 'invalid_token');
      const badRole = await jwt({ sub: 'x', name: 'Y', role: 'admin' }, { at: clock });
      assertError(await post(badRole, { thread: th, body: 'x' }), 401, 'invalid_token');
      assertError(await t.call('PATCH', '/identities/me', { token, body: { name: 'Other' } }), 409, 'conflict');
      // A host token without a name: the reader picks one, and later nameless tokens keep it.
      const unnamed = await jwt({ sub: 'site-43' }, { at: clock });
      assertError(await post(unnamed, { thread: th, body: 'x' }), 403, 'name_required');
      assert.equal((await t.call('PATCH', '/identities/me', { token: unnamed, body: { name: 'Kit' } })).json.identity.name, 'Kit');
      const later = await jwt({ sub: 'site-43', role: 'reader' }, { at: clock });
      assert.equal((await post(later, { thread: th, body: 'named now' })).json.comment.author.name, 'Kit');
    });
  });
}
