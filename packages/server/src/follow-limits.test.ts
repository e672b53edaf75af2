import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RATE_LIMITS } from './config.js';
import { assertError } from './http-test-support.js';
import { DATABASES, serverStarter, type TestServer } from './test-support.js';

/**
 * The other rules as they are by default: only the settings rule is small here. Its windows are
 * a day long: windows are fixed (aligned to their length), so a test under a minute-long one
 * could see it roll over between the requests that fill it and the one that should be refused.
 */
const WINDOW_SECONDS = 86_400;
const settingsLimited = (perIdentity: number, perIp: number) => ({
  ...DEFAULT_RATE_LIMITS,
  settings: { perIdentity: { limit: perIdentity, windowSeconds: WINDOW_SECONDS }, perIp: { limit: perIp, windowSeconds: WINDOW_SECONDS } },
});

for (const { name: driver, make } of DATABASES) {
  describe(`limits on a reader's settings and followed threads on ${driver}`, () => {
    const start = serverStarter(make);
    const followed = async (t: TestServer, token: string) =>
      ((await t.call('GET', '/identities/me/following', { token })).json.threads as Array<{ thread: string }>).map((f) => f.thread).sort();
    const follow = (t: TestServer, token: string, thread: string, following = true) => t.call('PUT', '/identities/me/following', { token, body: { thread, following } });
    const mute = (t: TestServer, token: string, thread: string, muted = true) => t.call('PUT', '/identities/me/muted-threads', { token, body: { thread, muted } });

    test('settings changes past the per-reader and per-address limits are 429 rate_limited with Retry-After, on every settings route', async () => {
      const t = await start({ rateLimits: settingsLimited(3, 5) });
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      // A refused request does not count.
      assertError(await follow(t, ana.token, ''), 400, 'invalid_input');
      assert.equal((await follow(t, ana.token, '/garden/roses')).status, 200);
      assert.equal((await t.call('PATCH', '/identities/me/following', { token: ana.token, body: { followOnPost: false } })).status, 200);
      assert.equal((await t.call('POST', '/identities/me/activity/read', { token: ana.token, body: {} })).status, 200);
      const writes: Array<[string, string, unknown]> = [
        ['PUT', '/identities/me/following', { thread: '/garden/tulips', following: true }],
        ['PATCH', '/identities/me/following', { followOnPost: true }],
        ['POST', '/identities/me/activity/read', {}],
        ['PUT', '/identities/me/name', { name: 'Ana B.' }],
        ['PATCH', '/identities/me', { name: 'Ana C.' }],
        ['PATCH', '/identities/me/notifications', { notify: 'off' }],
        ['PUT', '/identities/me/muted-threads', { thread: '/garden/roses', muted: true }],
        ['DELETE', '/identities/me/email', undefined],
      ];
      for (const [method, path, body] of writes) {
        const limited = await t.call(method, path, { token: ana.token, ...(body === undefined ? {} : { body }) });
        assertError(limited, 429, 'rate_limited');
        const retryAfter = Number(limited.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, `${method} ${path}: Retry-After ${retryAfter}`);
      }
      assert.deepEqual(await followed(t, ana.token), ['/garden/roses'], 'nothing refused was stored');
      assert.equal((await t.call('GET', '/identities/me/following', { token: ana.token })).status, 200, 'reading is not limited');

      // Ben has his own three, but the address has only two left of its five.
      assert.equal((await follow(t, ben.token, '/a')).status, 200);
      assert.equal((await follow(t, ben.token, '/b')).status, 200);
      assertError(await follow(t, ben.token, '/c'), 429, 'rate_limited');
    });

    test('a reader follows at most COLLOQUY_FOLLOWS_PER_IDENTITY threads: one more is 409 follow_limit; unfollowing frees a place', async () => {
      const t = await start({ followsPerIdentity: 3 });
      const ana = await t.identity('Ana');
      for (const thread of ['/a', '/b', '/c']) assert.equal((await follow(t, ana.token, thread)).status, 200);
      const refused = await follow(t, ana.token, '/nonexistent/' + 'x'.repeat(400));
      assertError(refused, 409, 'follow_limit');
      assert.match(refused.json.error.message, /3 conversations.*unfollow one first/);
      assert.equal((await follow(t, ana.token, '/b')).status, 200, 'following a thread already followed is no change');
      // Following a muted thread adds a follow: refused too.
      assert.equal((await mute(t, ana.token, '/m')).status, 200);
      assertError(await follow(t, ana.token, '/m'), 409, 'follow_limit');
      assert.deepEqual(await followed(t, ana.token), ['/a', '/b', '/c']);

      assert.equal((await follow(t, ana.token, '/a', false)).status, 200, 'unfollowing always works');
      assert.equal((await follow(t, ana.token, '/d')).status, 200);
      assert.deepEqual(await followed(t, ana.token), ['/b', '/c', '/d']);
      assertError(await follow(t, ana.token, '/e'), 409, 'follow_limit');

      // Requests racing for the last place: one gets it.
      assert.equal((await follow(t, ana.token, '/d', false)).status, 200);
      const raced = await Promise.all(['/r1', '/r2', '/r3', '/r4'].map((thread) => follow(t, ana.token, thread)));
      assert.deepEqual(raced.map((r) => r.status).sort(), [200, 409, 409, 409]);
      assert.equal((await followed(t, ana.token)).length, 3);
    });

    test('posting past the cap posts and follows nothing; unfollow and posting follows again', async () => {
      const t = await start({ followsPerIdentity: 2 });
      const ana = await t.identity('Ana');
      const ben = await t.identity('Ben');
      const post = async (thread: string, parentId?: string) => {
        const r = await t.call('POST', '/comments', { token: ana.token, body: { thread, body: `On ${thread}`, ...(parentId ? { parentId } : {}) } });
        assert.equal(r.status, 201, r.text);
        return r.json.comment as { id: string };
      };
      await post('/one');
      await post('/two');
      assert.deepEqual(await followed(t, ana.token), ['/one', '/two']);
      // Both ways a post is stored: top-level (one statement on PostgreSQL) and a reply.
      await post('/three');
      const bens = await t.call('POST', '/comments', { token: ben.token, body: { thread: '/four', body: 'Ben starts' } });
      await post('/four', bens.json.comment.id);
      assert.deepEqual(await followed(t, ana.token), ['/one', '/two'], 'the posts were stored; the threads were not followed');
      const page = await t.call('GET', '/comments?thread=%2Fthree');
      assert.equal(page.json.comments.length, 1);

      assert.equal((await follow(t, ana.token, '/one', false)).status, 200);
      await post('/three');
      assert.deepEqual(await followed(t, ana.token), ['/three', '/two']);
    });

    test('muting through the API is capped apart from following; unmuting always works', async () => {
      const t = await start({ followsPerIdentity: 2 });
      const ana = await t.identity('Ana');
      assert.equal((await follow(t, ana.token, '/f1')).status, 200);
      assert.equal((await follow(t, ana.token, '/f2')).status, 200);
      assert.equal((await mute(t, ana.token, '/m1')).status, 200, 'follows do not use up mutes');
      assert.equal((await mute(t, ana.token, '/m2')).status, 200);
      const refused = await mute(t, ana.token, '/m3');
      assertError(refused, 409, 'follow_limit');
      assert.match(refused.json.error.message, /muted 2 conversations.*unmute one first/);
      assertError(await mute(t, ana.token, '/f1'), 409, 'follow_limit');
      assert.deepEqual(await followed(t, ana.token), ['/f1', '/f2'], 'a refused mute leaves the follow');
      assert.equal((await mute(t, ana.token, '/m1', false)).status, 200);
      assert.equal((await mute(t, ana.token, '/m3')).status, 200);
    });
  });
}
