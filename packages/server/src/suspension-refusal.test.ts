import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorSchema, matchesSchema, schemaErrors } from '@colloquy/protocol';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, EVERY_READER_COUNTS, serverStarter, type CallResult, type TestServer } from './test-support.js';

// What a suspended or banned reader's refused write says: a suspension names its end in
// `error.until`, so the widget can say "You can post again on …" (decision 0037).

const SECRET = 'suspension-refusal-secret-suspension-refusal';
const START = Date.parse('2026-12-02T10:00:00.000Z');
const WEEK = 7 * 86400;

/** A 403 `banned` in the protocol's envelope, with `until` as given (absent when undefined). */
function assertRefusal(r: CallResult, until: string | undefined, what: string): void {
  assertError(r, 403, 'banned');
  assert.ok(matchesSchema(ErrorSchema, r.json), `${what}: ${schemaErrors(ErrorSchema, r.json).join('; ')}`);
  if (until === undefined) assert.ok(!('until' in r.json.error), `${what}: a ban for good has no end`);
  else assert.equal(r.json.error.until, until, what);
}

for (const { name: driver, make } of DATABASES) {
  describe(`a refused writer is told when they may write again, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET, ...EVERY_READER_COUNTS });
    let time = START;

    async function setUp(): Promise<{ t: TestServer; moderator: string; author: { token: string; id: string }; own: string; other: string }> {
      time = START;
      const t = await start({ now: () => time });
      const moderator = await signJwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' }, { secret: SECRET, at: time, expiresAt: Math.floor(time / 1000) + 30 * 86400 });
      const author = await t.identity('Sam');
      const host = await t.identity('Host');
      const own = (await t.call('POST', '/comments', { token: author.token, body: { thread: '/t', body: 'mine, before' } })).json.comment.id;
      const other = (await t.call('POST', '/comments', { token: host.token, body: { thread: '/t', body: 'someone else' } })).json.comment.id;
      return { t, moderator, author, own, other };
    }

    test('a suspended reader’s post, reply, edit, report and helpful mark answer 403 banned with the end in `until`', async () => {
      const { t, moderator, author, own, other } = await setUp();
      const ban = await t.call('POST', `/moderation/identities/${encodeURIComponent(author.id)}`, {
        token: moderator,
        body: { action: 'ban', reason: 'cool off', duration: WEEK },
      });
      assert.equal(ban.status, 200, ban.text);
      const end = '2026-12-09T10:00:00.000Z';
      assert.equal(ban.json.identity.bannedUntil, end);
      time += 60 * 1000; // within the edit window

      const post = await t.call('POST', '/comments', { token: author.token, body: { thread: '/t', body: 'still here?' } });
      assertRefusal(post, end, 'post');
      assert.match(post.json.error.message, /until 2026-12-09T10:00:00\.000Z/);
      assertRefusal(await t.call('POST', '/comments', { token: author.token, body: { thread: '/t', body: 'a reply', parentId: other } }), end, 'reply');
      assertRefusal(await t.call('PATCH', `/comments/${own}`, { token: author.token, body: { body: 'rewritten' } }), end, 'edit');
      assertRefusal(await t.call('POST', `/comments/${other}/reports`, { token: author.token, body: { reason: 'spam' } }), end, 'report');
      assertRefusal(await t.call('PUT', `/comments/${other}/helpful`, { token: author.token, body: { helpful: true } }), end, 'helpful');
      // Nothing reached the thread.
      const listed = (await t.call('GET', '/comments?thread=%2Ft')).json.comments;
      assert.deepEqual(listed.map((c: { body: string; replies: unknown[] }) => [c.body, c.replies.length]), [['mine, before', 0], ['someone else', 0]]);

      // Once the end has passed the same reader posts again, and nothing names an end.
      time = Date.parse(end) + 1000;
      assert.equal((await t.call('POST', '/comments', { token: author.token, body: { thread: '/t', body: 'back' } })).status, 201);
    });

    test('a ban for good and an address ban answer 403 banned without `until`', async () => {
      const { t, moderator, author, other } = await setUp();
      assert.equal((await t.call('POST', `/moderation/identities/${encodeURIComponent(author.id)}`, { token: moderator, body: { action: 'ban' } })).status, 200);
      assertRefusal(await t.call('POST', '/comments', { token: author.token, body: { thread: '/t', body: 'again?' } }), undefined, 'post after a ban for good');
      assertRefusal(await t.call('POST', `/comments/${other}/reports`, { token: author.token, body: { reason: 'spam' } }), undefined, 'report after a ban for good');

      // Every test client is 127.0.0.1: banning it refuses any reader, suspended or not, with no end.
      const reader = await t.identity('Fresh');
      assert.equal((await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr: '127.0.0.1' } })).status, 201);
      assertRefusal(await t.call('POST', '/comments', { token: reader.token, body: { thread: '/t', body: 'from a banned range' } }), undefined, 'post from a banned range');
      assertRefusal(await t.call('POST', '/identities', { body: { name: 'Newcomer' } }), undefined, 'a new identity from a banned range');
    });

    test('the published protocol documents `until` on the error envelope', async () => {
      const { t } = await setUp();
      const openapi = (await t.call('GET', '/openapi.json')).json;
      const until = openapi.components.schemas.Error.properties.error.properties.until;
      assert.equal(until.type, 'string');
      assert.equal(until.format, 'date-time');
      assert.ok(!openapi.components.schemas.Error.properties.error.required.includes('until'));
    });
  });
}
