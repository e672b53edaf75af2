import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { openSse as subscribe } from './sse-test-client.js';
import { startTestServer, tempPostgres } from './test-support.js';

const SECRET = 'events-secret-events-secret-events-secret';

describe('live events', () => {
  test('a subscriber sees created, edited, hidden, restored and deleted for its thread only', async () => {
    const t = await startTestServer({ jwtSecret: SECRET, reportThreshold: 1 });
    try {
      const stream = await subscribe(`${t.url}/api/v1/events?thread=%2Flive`, { origin: 'http://localhost:5173' });
      assert.equal(stream.response.status, 200);
      // A page on an allowed origin may read the stream.
      assert.equal(stream.response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
      assert.match(stream.response.headers.get('content-type') ?? '', /text\/event-stream/);
      assert.equal(stream.response.headers.get('x-content-type-options'), 'nosniff');
      const ada = await t.identity('Ada');
      await t.call('POST', '/comments', { token: ada.token, body: { thread: '/elsewhere', body: 'not for this stream' } });
      const c = (await t.call('POST', '/comments', { token: ada.token, body: { thread: '/live', body: 'first' } })).json.comment;
      await t.call('PATCH', `/comments/${c.id}`, { token: ada.token, body: { body: 'first, edited' } });
      const reporter = await t.identity('Bo');
      await t.call('POST', `/comments/${c.id}/reports`, { token: reporter.token, body: { reason: 'spam' } });
      const mod = await new SignJWT({ sub: 'm', name: 'Mod', role: 'moderator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SECRET));
      await t.call('POST', `/moderation/comments/${c.id}`, { token: mod, body: { action: 'restore' } });
      await t.call('DELETE', `/comments/${c.id}`, { token: ada.token });
      const events = await stream.waitFor(5);
      assert.deepEqual(
        events.map((e) => [e.event, e.data.comment.id, e.data.comment.status]),
        [
          ['created', c.id, 'visible'],
          ['edited', c.id, 'visible'],
          ['hidden', c.id, 'hidden'],
          ['restored', c.id, 'visible'],
          ['deleted', c.id, 'deleted'],
        ],
      );
      assert.equal(events[1]!.data.comment.body, 'first, edited');
      // Hidden comments travel without their text.
      assert.equal(events[2]!.data.comment.body, '');
      assert.equal(t.server.events.subscriberCount, 1);
      await stream.close();
      // The server notices the closed stream.
      for (let i = 0; i < 50 && t.server.events.subscriberCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.server.events.subscriberCount, 0);
    } finally {
      await t.stop();
    }
  });

  test('stopping the server ends open streams instead of hanging', async () => {
    const t = await startTestServer();
    const stream = await subscribe(`${t.url}/api/v1/events?thread=%2Fbye`);
    const started = Date.now();
    await t.stop();
    await stream.close();
    assert.ok(Date.now() - started < 3000);
  });

  test('on PostgreSQL, a subscriber on one server process sees a post made through another', async () => {
    const database = tempPostgres();
    // Two servers over one database: the second reuses the schema the first created.
    const first = await startTestServer({}, database);
    const second = await startTestServer({}, { ...database, cleanup: async () => {} });
    try {
      const stream = await subscribe(`${first.url}/api/v1/events?thread=%2Fshared`);
      // The first process has the (empty) page cached before the write happens elsewhere.
      assert.deepEqual((await first.call('GET', '/comments?thread=%2Fshared')).json.comments, []);
      const ada = await second.identity('Ada');
      const posted = await second.call('POST', '/comments', { token: ada.token, body: { thread: '/shared', body: 'across processes' } });
      assert.equal(posted.status, 201);
      const [event] = await stream.waitFor(1);
      assert.equal(event!.event, 'created');
      assert.equal(event!.data.comment.id, posted.json.comment.id);
      assert.equal(event!.data.comment.body, 'across processes');
      // The comment itself is shared too: the first server lists it.
      const listed = await first.call('GET', '/comments?thread=%2Fshared');
      assert.equal(listed.json.comments[0].id, posted.json.comment.id);
      await stream.close();
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  test('on PostgreSQL, rate limits and idempotency keys hold across server processes', async () => {
    const database = tempPostgres();
    const limits = {
      write: { perIdentity: { limit: 2, windowSeconds: 60 }, perIp: { limit: 100, windowSeconds: 60 } },
      reports: { perIdentity: { limit: 10, windowSeconds: 60 }, perIp: { limit: 100, windowSeconds: 60 } },
      identities: { perIp: { limit: 100, windowSeconds: 60 } },
    };
    const first = await startTestServer({ rateLimits: limits }, database);
    const second = await startTestServer({ rateLimits: limits }, { ...database, cleanup: async () => {} });
    try {
      const ada = await first.identity('Ada');
      const body = { thread: '/pg', body: 'same' };
      const a = await first.call('POST', '/comments', { token: ada.token, body, headers: { 'idempotency-key': 'k' } });
      const b = await second.call('POST', '/comments', { token: ada.token, body, headers: { 'idempotency-key': 'k' } });
      assert.equal(b.json.comment.id, a.json.comment.id);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      // Both posts counted against Ada's shared limit of 2; the third, on either process, is refused.
      const third = await first.call('POST', '/comments', { token: ada.token, body: { thread: '/pg', body: 'three' } });
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
