import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, serverStarter } from './test-support.js';

const SECRET = 'staff-bans-secret-staff-bans-secret-staff-bans';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });

for (const { name: driver, make } of DATABASES) {
  describe(`a ban suspends a moderator's rights, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET });

    test('a banned moderator gets 403 banned on moderation routes, cannot unban themselves, and is restored by another moderator', async () => {
      const t = await start();
      const alice = await jwt({ sub: 'mod-alice', name: 'Alice', role: 'moderator' });
      const rogue = await jwt({ sub: 'mod-rogue', name: 'Rogue', role: 'staff' });
      const rogueId = (await t.call('GET', '/identities/me', { token: rogue })).json.identity.id;
      const reader = await t.identity('Reader');
      const c = (await t.call('POST', '/comments', { token: reader.token, body: { thread: '/staff', body: 'an ordinary comment' } })).json.comment;

      const banned = await t.call('POST', `/moderation/identities/${rogueId}`, { token: alice, body: { action: 'ban', reason: 'abused the tools' } });
      assert.equal(banned.status, 200);
      assert.equal(banned.json.identity.banned, true);

      assertError(await t.call('POST', `/moderation/identities/${rogueId}`, { token: rogue, body: { action: 'unban' } }), 403, 'banned');
      assertError(await t.call('POST', `/moderation/comments/${c.id}`, { token: rogue, body: { action: 'hide' } }), 403, 'banned');
      assertError(await t.call('POST', '/moderation/bans', { token: rogue, body: { cidr: '198.51.100.0/24' } }), 403, 'banned');
      assertError(await t.call('GET', '/moderation/queue?status=reported', { token: rogue }), 403, 'banned');
      assertError(await t.call('GET', '/moderation/audit', { token: rogue }), 403, 'banned');
      assertError(await t.call('POST', '/moderation/events/tickets', { token: rogue }), 403, 'banned');
      assertError(await t.call('GET', '/moderation/events', { token: rogue }), 403, 'banned');
      // Nor through the comment routes, where moderators may change anyone's comment.
      assertError(await t.call('PATCH', `/comments/${c.id}`, { token: rogue, body: { body: 'rewritten' } }), 403, 'banned');
      assertError(await t.call('DELETE', `/comments/${c.id}`, { token: rogue }), 403, 'banned');
      const still = (await t.call('GET', '/comments?thread=%2Fstaff')).json.comments;
      assert.deepEqual(still.map((x: { body: string }) => x.body), ['an ordinary comment']);
      assert.equal((await t.call('GET', '/moderation/bans', { token: alice })).json.identities[0].id, rogueId, 'the ban still stands');

      assert.equal((await t.call('POST', `/moderation/identities/${rogueId}`, { token: alice, body: { action: 'unban' } })).status, 200);
      assert.equal((await t.call('GET', '/moderation/queue?status=reported', { token: rogue })).status, 200);
      assert.equal((await t.call('POST', `/moderation/comments/${c.id}`, { token: rogue, body: { action: 'hide' } })).status, 200);
    });

    test('a moderator writing from a banned range may read the queue but not moderate, nor lift the range', async () => {
      const t = await start();
      const alice = await jwt({ sub: 'mod-alice', name: 'Alice', role: 'moderator' });
      const reader = await t.identity('Reader');
      const c = (await t.call('POST', '/comments', { token: reader.token, body: { thread: '/range', body: 'hello' } })).json.comment;
      // Alice bans the range she writes from herself (the tests' loopback address).
      const ban = await t.call('POST', '/moderation/bans', { token: alice, body: { cidr: '127.0.0.0/8' } });
      assert.equal(ban.status, 201);
      assertError(await t.call('DELETE', `/moderation/bans/${ban.json.ban.id}`, { token: alice }), 403, 'banned');
      assertError(await t.call('POST', `/moderation/comments/${c.id}`, { token: alice, body: { action: 'hide' } }), 403, 'banned');
      assertError(await t.call('PATCH', `/comments/${c.id}`, { token: alice, body: { body: 'rewritten' } }), 403, 'banned');
      assert.equal((await t.call('GET', '/moderation/queue?status=reported', { token: alice })).status, 200);
      assert.equal((await t.call('GET', '/moderation/bans', { token: alice })).json.ranges.length, 1);
    });
  });
}
