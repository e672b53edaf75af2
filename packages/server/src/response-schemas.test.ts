import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { createStore, type CommentRecord, type CommentTree, type IdentityRecord, type Store } from './store/index.js';
import { startTestServer, tempSqlite, type TestServer } from './test-support.js';

const SECRET = 'response-schema-secret-response-schema-secret';
/** A value that only a field outside the protocol carries; it must never reach a client. */
const SENTINEL = 'must-not-leave-the-server';

async function moderatorToken(): Promise<string> {
  const at = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'schema-mod', name: 'Moe', role: 'moderator' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(at)
    .setExpirationTime(at + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

/**
 * A real store whose answers the test can spoil: `spoil` rewrites each comment record and
 * identity record on its way from the store to the routes.
 */
function spoilable(real: Store) {
  const spoil = {
    comment: (record: CommentRecord): CommentRecord => record,
    identity: (record: IdentityRecord): IdentityRecord => record,
  };
  const tree = (node: CommentTree): CommentTree => ({ ...spoil.comment(node), replies: node.replies.map(tree) }) as CommentTree;
  const identity = (record: IdentityRecord | null) => (record ? spoil.identity(record) : record);
  const store = new Proxy(real, {
    get(target, key, receiver) {
      switch (key) {
        case 'listComments':
          return async (...args: Parameters<Store['listComments']>) => {
            const page = await target.listComments(...args);
            return { ...page, comments: page.comments.map(tree) };
          };
        case 'createComment':
          return async (...args: Parameters<Store['createComment']>) => {
            const created = await target.createComment(...args);
            return { ...created, comment: spoil.comment(created.comment) };
          };
        case 'moderationQueue':
          return async (...args: Parameters<Store['moderationQueue']>) => {
            const page = await target.moderationQueue(...args);
            return { ...page, items: page.items.map((item) => ({ ...item, comment: spoil.comment(item.comment) })) };
          };
        case 'findIdentityByTokenHash':
          return async (hash: string) => identity(await target.findIdentityByTokenHash(hash));
        case 'createIdentity':
          return async (...args: Parameters<Store['createIdentity']>) => spoil.identity(await target.createIdentity(...args));
        case 'nameIdentity':
          return async (...args: Parameters<Store['nameIdentity']>) => spoil.identity(await target.nameIdentity(...args));
        case 'renameIdentity':
          return async (...args: Parameters<Store['renameIdentity']>) => identity(await target.renameIdentity(...args));
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return { store, spoil };
}

describe('what leaves the server is what the response schemas say', () => {
  const database = tempSqlite();
  let real: Store;
  let spoil: ReturnType<typeof spoilable>['spoil'];
  let t: TestServer;
  let moderator: string;

  before(async () => {
    real = await createStore(database.url);
    const wrapped = spoilable(real);
    spoil = wrapped.spoil;
    // The app does not own a given store; the database folder goes after the store is closed.
    t = await startTestServer({ store: wrapped.store, jwtSecret: SECRET }, { ...database, cleanup: async () => undefined });
    moderator = await moderatorToken();
  });
  after(async () => {
    await t.stop();
    await real.close();
    await database.cleanup();
  });

  const restore = () => {
    spoil.comment = (record) => record;
    spoil.identity = (record) => record;
  };

  test('a page whose comment has an unknown status, or no author, fails with a 500 instead of going out', async () => {
    const ada = await t.identity('Ada');
    const posted = await t.call('POST', '/comments', { token: ada.token, body: { thread: '/schema/status', body: 'hello' } });
    assert.equal(posted.status, 201);
    try {
      spoil.comment = (record) => ({ ...record, status: 'archived' }) as unknown as CommentRecord;
      const unknownStatus = await t.call('GET', '/comments?thread=/schema/status');
      assert.equal(unknownStatus.status, 500);
      assert.deepEqual(unknownStatus.json, { error: { code: 'server_error', message: 'Something went wrong on the server; try again.' } });
      assert.doesNotMatch(unknownStatus.text, /archived|hello/);

      spoil.comment = (record) => {
        const { author: _gone, ...rest } = record;
        return rest as unknown as CommentRecord;
      };
      const noAuthor = await t.call('GET', '/comments?thread=/schema/status');
      assert.equal(noAuthor.status, 500);
      assert.equal(noAuthor.json.error.code, 'server_error');
      // The same rule holds on a create's answer and on the moderators' queue.
      const create = await t.call('POST', '/comments', { token: ada.token, body: { thread: '/schema/status', body: 'again' } });
      assert.equal(create.status, 500);
      await t.call('POST', `/comments/${posted.json.comment.id}/reports`, { token: (await t.identity('R')).token, body: { reason: 'spam' } });
      spoil.comment = (record) => ({ ...record, status: 'archived' }) as unknown as CommentRecord;
      assert.equal((await t.call('GET', '/moderation/queue', { token: moderator })).status, 500);
    } finally {
      restore();
    }
    const healthy = await t.call('GET', '/comments?thread=/schema/status');
    assert.equal(healthy.status, 200);
    assert.deepEqual(
      healthy.json.comments.map((c: { body: string }) => c.body),
      ['hello', 'again'],
    );
  });

  test('fields outside the schemas never leave the server: no address, token hash or stored extras', async () => {
    const extras = { ip: '203.0.113.7', tokenHash: SENTINEL, email: `${SENTINEL}@example.org`, internalNote: SENTINEL };
    spoil.identity = (record) => ({ ...record, ...extras });
    spoil.comment = (record) => ({ ...record, ...extras, author: { ...record.author, ...extras } });
    try {
      const created = await t.call('POST', '/identities', { body: { name: 'Lea' } });
      assert.equal(created.status, 201);
      const token = created.json.token as string;
      const nameless = await t.identity(null);
      const answers = [
        created,
        await t.call('GET', '/identities/me', { token }),
        await t.call('PATCH', '/identities/me', { token: nameless.token, body: { name: 'Named' } }),
        await t.call('POST', '/comments', { token, body: { thread: '/schema/leak', body: 'mine' } }),
        await t.call('GET', '/comments?thread=/schema/leak'),
        await t.call('GET', '/comments?thread=/schema/leak', { token }),
      ];
      const reported = answers[3]!.json.comment.id as string;
      await t.call('POST', `/comments/${reported}/reports`, { token: nameless.token, body: { reason: 'spam' } });
      answers.push(await t.call('GET', '/moderation/queue', { token: moderator }));
      const renamed = await t.call('PUT', '/identities/me/name', { token, body: { name: 'Lea B.' } });
      answers.push(renamed);
      const marked = await t.call('PUT', `/comments/${reported}/helpful`, { token: nameless.token, body: { helpful: true } });
      assert.deepEqual(marked.json, { helpful: { commentId: reported, count: 1, mine: true } });
      answers.push(marked);
      for (const answer of answers) {
        assert.ok(answer.status < 300, `${answer.status} ${answer.text}`);
        for (const value of [SENTINEL, '203.0.113.7']) assert.ok(!answer.text.includes(value), `leaked ${value}: ${answer.text}`);
        assert.doesNotMatch(answer.text, /"(ip|tokenHash|email|internalNote)"/);
      }
      // An identity goes out as id, name and role; what the store keeps besides stays in.
      for (const answer of answers.slice(0, 3)) assert.deepEqual(Object.keys(answer.json.identity).sort(), ['id', 'name', 'role']);
      assert.deepEqual(answers[1]!.json, { identity: { id: created.json.identity.id, name: 'Lea', role: 'reader' } });
      assert.deepEqual(Object.keys(answers[4]!.json.comments[0].author).sort(), ['id', 'name', 'role']);
      assert.deepEqual(renamed.json, { identity: { id: created.json.identity.id, name: 'Lea B.', role: 'reader' } });
    } finally {
      restore();
    }
  });

  test('the OpenAPI document lists every API route with its answers, from the schemas that serialize them', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json;
    const operations = Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    assert.deepEqual(operations.map((o) => o.route).sort(), [
      'DELETE /api/v1/comments/{id}',
      'DELETE /api/v1/identities/me/email',
      'DELETE /api/v1/me',
      'DELETE /api/v1/moderation/bans/{id}',
      'DELETE /api/v1/moderation/notes/{id}',
      'GET /api/v1/comments',
      'GET /api/v1/config',
      'GET /api/v1/counts',
      'GET /api/v1/email/confirm',
      'GET /api/v1/events',
      'GET /api/v1/identities/me',
      'GET /api/v1/identities/me/activity',
      'GET /api/v1/identities/me/email',
      'GET /api/v1/identities/me/following',
      'GET /api/v1/me/export',
      'GET /api/v1/moderation/audit',
      'GET /api/v1/moderation/audit/export',
      'GET /api/v1/moderation/authors/{id}/notes',
      'GET /api/v1/moderation/bans',
      'GET /api/v1/moderation/events',
      'GET /api/v1/moderation/queue',
      'GET /api/v1/openapi.json',
      'GET /api/v1/unsubscribe',
      'PATCH /api/v1/comments/{id}',
      'PATCH /api/v1/identities/me',
      'PATCH /api/v1/identities/me/following',
      'PATCH /api/v1/identities/me/notifications',
      'POST /api/v1/comments',
      'POST /api/v1/comments/{id}/reports',
      'POST /api/v1/email/confirm',
      'POST /api/v1/identities',
      'POST /api/v1/identities/me/activity/read',
      'POST /api/v1/moderation/authors/{id}/notes',
      'POST /api/v1/moderation/bans',
      'POST /api/v1/moderation/comments/{id}',
      'POST /api/v1/moderation/comments/{id}/pin',
      'POST /api/v1/moderation/events/tickets',
      'POST /api/v1/moderation/identities/{id}',
      'POST /api/v1/moderation/threads',
      'POST /api/v1/preview',
      'POST /api/v1/sign-in/email',
      'POST /api/v1/sign-in/redeem',
      'POST /api/v1/unsubscribe',
      'PUT /api/v1/comments/{id}/helpful',
      'PUT /api/v1/identities/me/email',
      'PUT /api/v1/identities/me/following',
      'PUT /api/v1/identities/me/muted-threads',
      'PUT /api/v1/identities/me/name',
    ]);
    for (const { route, operation } of operations) {
      const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
      assert.equal(success.length, 1, `${route} documents one success`);
      const content = operation.responses[success[0]!]!.content ?? {};
      assert.ok(Object.values(content).every((c) => c.schema !== undefined), `${route} has a schema for its success`);
      for (const status of ['4XX', '5XX']) {
        assert.deepEqual(operation.responses[status]!.content!['application/json']!.schema, { $ref: '#/components/schemas/Error' }, `${route} ${status}`);
      }
    }
    const create = operations.find((o) => o.route === 'POST /api/v1/comments')!.operation.responses['201']!;
    assert.deepEqual(create.content!['application/json']!.schema, { type: 'object', properties: { comment: { $ref: '#/components/schemas/Comment' } }, required: ['comment'] });
  });
});
