import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { assertError } from './http-test-support.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const START = Date.parse('2026-11-22T10:00:00.000Z');

for (const { name: driver, make } of DATABASES) {
  describe(`HTTP API on ${driver}`, () => {
    let t: TestServer;
    let clock = START;
    let thread = 0;
    const nextThread = () => `/articles/http-${++thread}`;

    before(async () => {
      t = await startTestServer({ jwtSecret: SECRET, now: () => clock, limits: { ...DEFAULT_LIMITS, maxDepth: 2 } }, make());
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
      for (const sort of ['oldest', 'newest', 'top', 'best']) {
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
      assertError(await t.call('GET', `/comments?thread=${encodeURIComponent(th)}&sort=random`), 400, 'invalid_input');
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
