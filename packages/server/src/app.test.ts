import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const START = Date.parse('2026-11-22T10:00:00.000Z');

/** A host-site token issued at `at` (the server's test clock), valid for an hour unless `expiresAt` says otherwise. */
async function jwt(claims: Record<string, unknown>, { secret = SECRET, expiresAt, at = START }: { secret?: string; expiresAt?: number; at?: number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(Math.floor(at / 1000))
    .setExpirationTime(expiresAt ?? Math.floor(at / 1000) + 3600)
    .sign(new TextEncoder().encode(secret));
}

function assertError(r: { status: number; json: { error?: { code?: unknown; message?: unknown } } | null }, status: number, code: string) {
  assert.equal(r.status, status, `status ${r.status} body ${JSON.stringify(r.json)}`);
  assert.equal(r.json?.error?.code, code);
  assert.equal(typeof r.json?.error?.message, 'string');
}

for (const { name: driver, make } of DATABASES) {
  describe(`HTTP API on ${driver}`, () => {
    let t: TestServer;
    let clock = START;
    let moderatorToken: string;
    let thread = 0;
    const nextThread = () => `/articles/http-${++thread}`;

    before(async () => {
      t = await startTestServer({ jwtSecret: SECRET, now: () => clock, limits: { ...DEFAULT_LIMITS, maxDepth: 2 } }, make());
      moderatorToken = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
    });
    after(() => t.stop());

    async function post(token: string, body: Record<string, unknown>, key?: string) {
      return t.call('POST', '/comments', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    }

    test('a named identity posts, reads back its comment with rendered html, and counts it', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const created = await post(ada.token, { thread: th, body: 'Hello **world**' });
      assert.equal(created.status, 201);
      const c = created.json.comment;
      assert.equal(c.body, 'Hello **world**');
      assert.equal(c.html, '<p>Hello <strong>world</strong></p>');
      assert.deepEqual(c.author, { id: ada.id, name: 'Ada', role: 'reader' });
      assert.equal(c.status, 'visible');
      assert.equal(c.parentId, null);
      assert.equal(c.editedAt, null);
      assert.equal(c.createdAt, new Date(clock).toISOString());
      const page = await t.call('GET', `/comments?thread=${encodeURIComponent(th)}`);
      assert.equal(page.status, 200);
      assert.equal(page.json.comments[0].id, c.id);
      assert.equal(page.json.nextCursor, null);
      const counts = await t.call('GET', `/counts?thread=${encodeURIComponent(th)}&thread=%2Fnone`);
      assert.deepEqual(counts.json, { counts: { [th]: 1, '/none': 0 } });
    });

    test('a page read again after a change shows the change, for readers with and without tokens', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const bo = await t.identity('Bo');
      const q = `/comments?thread=${encodeURIComponent(th)}`;
      const first = (await post(ada.token, { thread: th, body: 'one' })).json.comment;
      const bodies = async (token?: string) =>
        (await t.call('GET', q, token ? { token } : {})).json.comments.map((c: { body: string; status: string }) => `${c.body}:${c.status}`);
      assert.deepEqual(await bodies(), ['one:visible']);
      assert.deepEqual(await bodies(bo.token), ['one:visible']);
      await post(bo.token, { thread: th, body: 'two' });
      assert.deepEqual(await bodies(), ['one:visible', 'two:visible']);
      await t.call('PATCH', `/comments/${first.id}`, { token: ada.token, body: { body: 'one, edited' } });
      assert.deepEqual(await bodies(bo.token), ['one, edited:visible', 'two:visible']);
      await t.call('DELETE', `/comments/${first.id}`, { token: ada.token });
      assert.deepEqual(await bodies(), ['two:visible']);
    });

    test('script and raw HTML in a body never come back as markup', async () => {
      const ada = await t.identity('Ada');
      const r = await post(ada.token, { thread: nextThread(), body: '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>' });
      assert.equal(r.status, 201);
      assert.doesNotMatch(r.json.comment.html, /<script|<img|href="javascript/i);
      assert.match(r.json.comment.html, /&lt;script&gt;/);
    });

    test('identities: nameless ones may report but not post until named; me reads and names', async () => {
      const th = nextThread();
      const author = await t.identity('Ada');
      const target = (await post(author.token, { thread: th, body: 'x' })).json.comment;
      const anon = await t.identity(null);
      assertError(await post(anon.token, { thread: th, body: 'hi' }), 403, 'name_required');
      assert.equal((await t.call('POST', `/comments/${target.id}/reports`, { token: anon.token, body: { reason: 'spam' } })).status, 201);
      const me = await t.call('GET', '/identities/me', { token: anon.token });
      assert.deepEqual(me.json.identity, { id: anon.id, name: null, role: 'reader' });
      const named = await t.call('PATCH', '/identities/me', { token: anon.token, body: { name: '  Grace  ' } });
      assert.equal(named.json.identity.name, 'Grace');
      assertError(await t.call('PATCH', '/identities/me', { token: anon.token, body: { name: 'Again' } }), 409, 'conflict');
      assert.equal((await post(anon.token, { thread: th, body: 'now I can' })).status, 201);
      assertError(await t.call('GET', '/identities/me'), 401, 'unauthenticated');
      assertError(await t.call('POST', '/identities', { body: { name: 'x'.repeat(65) } }), 400, 'name_too_long');
    });

    test('idempotent create: a replay returns the same comment, another payload is a conflict', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const first = await post(ada.token, { thread: th, body: 'once' }, 'key-1');
      const again = await post(ada.token, { thread: th, body: 'once' }, 'key-1');
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.json.comment.id, first.json.comment.id);
      assertError(await post(ada.token, { thread: th, body: 'different' }, 'key-1'), 409, 'idempotency_conflict');
      // The same key from another identity is a separate request.
      const other = await t.identity('Bo');
      assert.notEqual((await post(other.token, { thread: th, body: 'once' }, 'key-1')).json.comment.id, first.json.comment.id);
      const racing = await Promise.all(Array.from({ length: 6 }, () => post(ada.token, { thread: th, body: 'race' }, 'key-race')));
      assert.ok(racing.every((r) => r.status === 201));
      assert.equal(new Set(racing.map((r) => r.json.comment.id)).size, 1);
      const counts = await t.call('GET', `/counts?thread=${encodeURIComponent(th)}`);
      assert.equal(counts.json.counts[th], 3);
    });

    test('replies nest and attach at the deepest level past the depth limit', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const top = (await post(ada.token, { thread: th, body: 'd0' })).json.comment;
      const d1 = (await post(ada.token, { thread: th, parentId: top.id, body: 'd1' })).json.comment;
      const d2 = (await post(ada.token, { thread: th, parentId: d1.id, body: 'd2' })).json.comment;
      const d3 = (await post(ada.token, { thread: th, parentId: d2.id, body: 'd3' })).json.comment;
      assert.equal(d3.parentId, d1.id);
      const page = await t.call('GET', `/comments?thread=${encodeURIComponent(th)}`);
      assert.deepEqual(
        page.json.comments[0].replies[0].replies.map((r: { body: string }) => r.body),
        ['d2', 'd3'],
      );
      assertError(await post(ada.token, { thread: th, parentId: 'c_nope', body: 'x' }), 404, 'not_found');
    });

    test('paging under concurrent inserts never repeats or skips', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      for (let i = 0; i < 9; i++) {
        clock += 10;
        await post(ada.token, { thread: th, body: `c${i}` });
      }
      for (const sort of ['oldest', 'newest', 'top']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let round = 0;
        do {
          const qs: string = `thread=${encodeURIComponent(th)}&sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
          const [page] = await Promise.all([
            t.call('GET', `/comments?${qs}`),
            // Others write while this reader pages.
            post(ada.token, { thread: th, body: `during-${sort}-${round++}` }),
          ]);
          assert.equal(page.status, 200);
          seen.push(...page.json.comments.map((c: { body: string }) => c.body));
          cursor = page.json.nextCursor;
        } while (cursor);
        assert.equal(new Set(seen).size, seen.length, `no repeats (${sort})`);
        for (let i = 0; i < 9; i++) assert.ok(seen.includes(`c${i}`), `c${i} seen (${sort})`);
      }
      assertError(await t.call('GET', `/comments?thread=${encodeURIComponent(th)}&cursor=garbage!`), 400, 'invalid_cursor');
      assertError(await t.call('GET', `/comments?thread=${encodeURIComponent(th)}&limit=101`), 400, 'invalid_input');
      assertError(await t.call('GET', `/comments?thread=${encodeURIComponent(th)}&sort=best`), 400, 'invalid_input');
    });

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

    test('a deleted comment with replies keeps its place as a placeholder; editing it is a conflict', async () => {
      const th = nextThread();
      const ada = await t.identity('Ada');
      const parent = (await post(ada.token, { thread: th, body: 'parent' })).json.comment;
      await post((await t.identity('Bo')).token, { thread: th, parentId: parent.id, body: 'reply' });
      const deleted = await t.call('DELETE', `/comments/${parent.id}`, { token: ada.token });
      assert.equal(deleted.status, 200);
      const page = await t.call('GET', `/comments?thread=${encodeURIComponent(th)}`);
      const placeholder = page.json.comments[0];
      assert.equal(placeholder.status, 'deleted');
      assert.equal(placeholder.body, '');
      assert.equal(placeholder.html, '');
      assert.deepEqual(placeholder.author, { id: '', name: '', role: 'reader' });
      assert.equal(placeholder.replies[0].body, 'reply');
      assertError(await t.call('PATCH', `/comments/${parent.id}`, { token: ada.token, body: { body: 'x' } }), 409, 'conflict');
      assertError(await t.call('DELETE', '/comments/c_missing', { token: ada.token }), 404, 'not_found');
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

    test('config reports limits and moderation', async () => {
      const r = await t.call('GET', '/config');
      assert.equal(r.status, 200);
      assert.equal(r.json.limits.maxDepth, 2);
      assert.equal(r.json.limits.maxBodyLength, 10_000);
      assert.deepEqual(r.json.moderation, {
        mode: 'post',
        reportThreshold: 3,
        premoderatedThreads: [],
        reportWeights: { reader: 1, mentor: 2, moderator: 2, staff: 2 },
        holdFirstComments: 0,
      });
      assert.equal(r.json.jwt, true);
    });

    test('OpenAPI 3.1 describes every endpoint with the schemas the server validates with', async () => {
      const r = await t.call('GET', '/openapi.json');
      assert.equal(r.status, 200);
      assert.equal(r.json.openapi, '3.1.0');
      const paths = Object.keys(r.json.paths).sort();
      const expected = [
        '/api/v1/comments',
        '/api/v1/comments/{id}',
        '/api/v1/comments/{id}/reports',
        '/api/v1/config',
        '/api/v1/counts',
        '/api/v1/events',
        '/api/v1/identities',
        '/api/v1/identities/me',
        '/api/v1/moderation/audit',
        '/api/v1/moderation/audit/export',
        '/api/v1/moderation/bans',
        '/api/v1/moderation/bans/{id}',
        '/api/v1/moderation/comments/{id}',
        '/api/v1/moderation/events',
        '/api/v1/moderation/events/tickets',
        '/api/v1/moderation/queue',
        '/api/v1/openapi.json',
      ];
      for (const path of expected) assert.ok(paths.includes(path), `OpenAPI lacks ${path}`);
      assert.ok(paths.every((p) => p.startsWith('/api/v1/')));
      assert.deepEqual(Object.keys(r.json.paths['/api/v1/moderation/bans']).sort(), ['get', 'post']);
      assert.equal(r.json.components.schemas.AuditEntry.properties.action.anyOf.length > 5, true);
      assert.deepEqual(Object.keys(r.json.paths['/api/v1/comments/{id}']).sort(), ['delete', 'patch']);
      assert.equal(r.json.paths['/api/v1/comments'].post.requestBody.content['application/json'].schema.required.includes('body'), true);
      assert.equal(r.json.components.schemas.Comment.properties.replies.items.$ref, '#/components/schemas/Comment');
      assert.doesNotMatch(r.text, /"\$ref":"(?!#)/);
    });

    test('every response carries the security headers; API errors are never framable', async () => {
      for (const path of ['/config', '/nowhere', '/comments']) {
        const r = await t.call('GET', path);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(r.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
        assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
        assert.match(r.headers.get('content-type') ?? '', /application\/json/);
        assert.equal(r.headers.get('cache-control'), 'no-store');
      }
    });
  });
}

describe('CORS and pages', () => {
  let open: TestServer;
  let restricted: TestServer;
  before(async () => {
    open = await startTestServer();
    restricted = await startTestServer({ allowedOrigins: ['https://news.example.org'] });
  });
  after(async () => {
    await open.stop();
    await restricted.stop();
  });

  test('only allowed origins get CORS headers; preflight allows the protocol headers', async () => {
    const allowed = await restricted.call('GET', '/config', { headers: { origin: 'https://news.example.org' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://news.example.org');
    assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    const other = await restricted.call('GET', '/config', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const loopbackWhenRestricted = await restricted.call('GET', '/config', { headers: { origin: 'http://localhost:3000' } });
    assert.equal(loopbackWhenRestricted.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${restricted.url}/api/v1/comments`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://news.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://news.example.org');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    // Unset: loopback development origins only.
    assert.equal((await open.call('GET', '/config', { headers: { origin: 'http://localhost:5173' } })).headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal((await open.call('GET', '/config', { headers: { origin: 'https://news.example.org' } })).headers.get('access-control-allow-origin'), null);
  });

  test('the demo page is served under a strict CSP whose frame-ancestors follow the allowed origins', async () => {
    const r = await fetch(`${restricted.url}/`);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.match(csp, /frame-ancestors 'self' https:\/\/news\.example\.org/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers.get('x-frame-options'), null);
    const html = await r.text();
    assert.match(html, /<script type="module" src="\/embed\.js"><\/script>/);
    assert.match(html, /<colloquy-thread/);
    assert.doesNotMatch(html, /<script>|style="/);
    const list = await fetch(`${restricted.url}/articles.html`);
    assert.match(await list.text(), /<colloquy-count thread="/);
    assert.equal((await fetch(`${restricted.url}/nope.html`)).status, 404);
    const traversal = await fetch(`${restricted.url}/%2e%2e%2fpackage.json`);
    assert.equal(traversal.status, 404);
  });

  test('embed.js is served with caching headers, an ETag and CORS, or a clear 404 when not built', async () => {
    const missing = await startTestServer({ embedPath: '/nonexistent/embed.js' });
    try {
      const r = await fetch(`${missing.url}/embed.js`);
      assert.equal(r.status, 404);
      assert.match((await r.json()).error.message, /not built/);
    } finally {
      await missing.stop();
    }
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'colloquy-embed-'));
    writeFileSync(join(dir, 'embed.js'), 'export const widget = 1;\n');
    const served = await startTestServer({ embedPath: join(dir, 'embed.js') });
    try {
      const r = await fetch(`${served.url}/embed.js`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /text\/javascript/);
      assert.match(r.headers.get('cache-control') ?? '', /max-age=\d+/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const etag = r.headers.get('etag');
      assert.ok(etag);
      assert.equal(await r.text(), 'export const widget = 1;\n');
      const again = await fetch(`${served.url}/embed.js`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
    } finally {
      await served.stop();
    }
  });
});

describe('rate limits', () => {
  test('writes past the per-identity limit get 429 with Retry-After; identities are limited per IP', async () => {
    const limited = await startTestServer({
      rateLimits: {
        write: { perIdentity: { limit: 2, windowSeconds: 60 }, perIp: { limit: 100, windowSeconds: 60 } },
        reports: { perIdentity: { limit: 1, windowSeconds: 60 }, perIp: { limit: 100, windowSeconds: 60 } },
        identities: { perIp: { limit: 3, windowSeconds: 3600 } },
      },
    });
    try {
      const ada = await limited.identity('Ada');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await limited.call('POST', '/comments', { token: ada.token, body: { thread: '/rl', body: `n${i}` } }));
      assert.deepEqual(
        results.map((r) => r.status),
        [201, 201, 429],
      );
      assertError(results[2]!, 429, 'rate_limited');
      const retryAfter = Number(results[2]!.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      // Another identity is not affected by Ada's limit.
      const bo = await limited.identity('Bo');
      assert.equal((await limited.call('POST', '/comments', { token: bo.token, body: { thread: '/rl', body: 'hi' } })).status, 201);
      assert.equal((await limited.call('POST', '/identities', { body: { name: 'Third' } })).status, 201);
      assertError(await limited.call('POST', '/identities', { body: { name: 'Fourth' } }), 429, 'rate_limited');
    } finally {
      await limited.stop();
    }
  });
});

describe('spam filter', () => {
  test('holds a new reader’s link with reasons for the moderator, and learns from decisions', async () => {
    const t = await startTestServer({ spamFilter: true, jwtSecret: SECRET });
    try {
      const ada = await t.identity('Ada');
      const plain = await t.call('POST', '/comments', { token: ada.token, body: { thread: '/spam', body: 'Walking after dinner helps me sleep.' } });
      assert.equal(plain.json.comment.status, 'visible');
      const linky = await t.call('POST', '/comments', {
        token: ada.token,
        body: { thread: '/spam', body: 'Cheap pills at https://bit.ly/xyz and https://pills.example.com' },
      });
      assert.equal(linky.status, 201);
      assert.equal(linky.json.comment.status, 'held');
      assert.equal((await t.call('GET', '/comments?thread=/spam')).json.comments.length, 1);
      const mod = await jwt({ sub: 'spam-mod', name: 'Mo', role: 'moderator' }, { at: Date.now() });
      // Moderators' own comments are never held.
      const fromMod = await t.call('POST', '/comments', { token: mod, body: { thread: '/spam', body: 'See https://example.org/guide' } });
      assert.equal(fromMod.json.comment.status, 'visible');
      const queue = await t.call('GET', '/moderation/queue?status=held', { token: mod });
      const item = queue.json.items.find((i: { comment: { id: string } }) => i.comment.id === linky.json.comment.id);
      assert.ok(item.heldReasons.length > 0, 'reasons shown');
      assert.ok(item.heldReasons.some((r: string) => /link/.test(r)));
      assert.equal(await t.server.store.loadSpamModel(), null);
      await t.call('POST', `/moderation/comments/${linky.json.comment.id}`, { token: mod, body: { action: 'spam' } });
      for (let i = 0; i < 50 && (await t.server.store.loadSpamModel()) === null; i++) await new Promise((r) => setTimeout(r, 20));
      const saved = JSON.parse((await t.server.store.loadSpamModel())!);
      assert.equal(saved.format, 'colloquy-spam-nb');
    } finally {
      await t.stop();
    }
  });
});

describe('secrets', () => {
  test('tokens are stored only as hashes and never written to the log', async () => {
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startTestServer({ logging: true, logStream, jwtSecret: SECRET });
    try {
      const ada = await t.identity('Ada');
      const host = await jwt({ sub: 'log-1', name: 'Lin' }, { at: Date.now() });
      await t.call('POST', '/comments', { token: ada.token, body: { thread: '/log', body: 'hi' } });
      await t.call('GET', '/comments?thread=/log', { token: host });
      await t.call('POST', '/comments', { token: 'cq_wrong-token-value', body: { thread: '/log', body: 'hi' } });
      const log = lines.join('');
      assert.match(log, /"url":"\/api\/v1\/comments/, 'requests are logged');
      for (const secret of [ada.token, host, 'cq_wrong-token-value']) assert.ok(!log.includes(secret), 'no token in the log');
      const rows = await t.server.store.db.all('SELECT * FROM identities');
      assert.ok(!JSON.stringify(rows).includes(ada.token), 'no token in the database');
    } finally {
      await t.stop();
    }
  });
});
