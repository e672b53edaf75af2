import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { openSse as subscribe } from './sse-test-client.js';
import { DATABASES, EVERY_READER_COUNTS, startTestServer, tempPostgres, tempSqlite, type TestServer } from './test-support.js';
import { REPLAY_OVERLAP_MS } from './thread-stream.js';

const SECRET = 'events-secret-events-secret-events-secret';

/** A clock the test moves by hand, so each change is stored at a time of its own. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let time = Date.parse('2026-12-01T10:00:00.000Z');
  return { now: () => time, advance: (ms) => void (time += ms) };
}

const enc = encodeURIComponent;
const summary = (events: Array<{ event: string; data: { comment: { id: string; status: string } } }>) =>
  events.map((e) => [e.event, e.data.comment.id, e.data.comment.status]);

async function post(t: TestServer, token: string, thread: string, body: string, parentId?: string): Promise<string> {
  const answer = await t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
  assert.equal(answer.status, 201, answer.text);
  return answer.json.comment.id;
}

describe('live events', () => {
  test('a subscriber sees created, edited, hidden, restored and deleted for its thread only', async () => {
    const t = await startTestServer({ jwtSecret: SECRET, reportThreshold: 1, ...EVERY_READER_COUNTS });
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
      // Every event carries an id: the server's clock in milliseconds, never going back.
      const ids = events.map((e) => Number(e.id));
      assert.ok(ids.every((id) => Number.isSafeInteger(id) && id > 0), `ids: ${events.map((e) => e.id)}`);
      assert.deepEqual([...ids].sort((a, b) => a - b), ids);
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
      write: { perIdentity: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
      reports: { perIdentity: { limit: 10, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
      identities: { perIp: { limit: 100, windowSeconds: 3600 } },
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

  for (const { name, make } of DATABASES) {
    test(`on ${name}, Last-Event-ID replays what a reader missed exactly once, then live events follow`, async () => {
      const clock = manualClock();
      const t = await startTestServer({ now: clock.now, reportThreshold: 1, ...EVERY_READER_COUNTS }, make());
      try {
        const ada = await t.identity('Ada');
        const bo = await t.identity('Bo');
        const first = await subscribe(`${t.url}/api/v1/events?thread=%2Freplay`);
        await first.waitForPing();
        clock.advance(1000);
        const seenOld = await post(t, ada.token, '/replay', 'seen, then edited');
        clock.advance(REPLAY_OVERLAP_MS + 60_000);
        const seenRecent = await post(t, ada.token, '/replay', 'seen, then hidden');
        await first.waitFor(2);
        const lastId = first.lastEventId;
        assert.equal(lastId, String(clock.now()));
        await first.close();

        // While the reader is away: a comment, a reply, an edit and a hide, then another thread.
        clock.advance(1000);
        const missed = await post(t, bo.token, '/replay', 'posted while away');
        clock.advance(1000);
        const reply = await post(t, bo.token, '/replay', 'a reply while away', seenOld);
        clock.advance(1000);
        await t.call('PATCH', `/comments/${seenOld}`, { token: ada.token, body: { body: 'edited while away' } });
        clock.advance(1000);
        await t.call('POST', `/comments/${seenRecent}/reports`, { token: bo.token, body: { reason: 'spam' } });
        await t.call('POST', '/comments', { token: bo.token, body: { thread: '/elsewhere', body: 'another thread' } });
        clock.advance(1000);

        // Each change once, as the comment is now, in the order they were stored. What was seen
        // long before the last id does not come again; the comment seen last comes within the
        // overlap, here as what happened to it since (docs/protocol.md).
        const expected = [
          ['created', missed, 'visible'],
          ['created', reply, 'visible'],
          ['edited', seenOld, 'visible'],
          ['hidden', seenRecent, 'hidden'],
        ];
        // EventSource sends the header on its own reconnects; a new EventSource passes the query parameter.
        const byHeader = await subscribe(`${t.url}/api/v1/events?thread=%2Freplay`, { 'last-event-id': lastId });
        const byQuery = await subscribe(`${t.url}/api/v1/events?thread=%2Freplay&lastEventId=${enc(lastId)}`);
        for (const stream of [byHeader, byQuery]) {
          await stream.waitForPing();
          assert.deepEqual(summary(stream.received), expected);
          assert.equal(stream.received[2]!.data.comment.body, 'edited while away');
          assert.equal(stream.received[3]!.data.comment.body, '', 'a hidden comment travels without its text');
          // The last ping says where the reader now stands.
          assert.equal(stream.lastEventId, String(clock.now()));
        }

        // Live events resume after the replay, once each.
        clock.advance(REPLAY_OVERLAP_MS + 1000);
        const live = await post(t, bo.token, '/replay', 'live again');
        for (const stream of [byHeader, byQuery]) {
          await stream.waitFor(5);
          assert.deepEqual(summary(stream.received), [...expected, ['created', live, 'visible']]);
        }
        // The header, sent by EventSource's own reconnects, is newer than the query parameter and wins.
        const both = await subscribe(`${t.url}/api/v1/events?thread=%2Freplay&lastEventId=${enc(lastId)}`, { 'last-event-id': String(clock.now()) });
        await both.waitForPing();
        assert.deepEqual(summary(both.received), [['created', live, 'visible']], 'only the overlap before the newer id');
        await Promise.all([byHeader.close(), byQuery.close(), both.close()]);
      } finally {
        await t.stop();
      }
    });
  }

  test('an id that is not one of ours, or from the future, is read as no id or as now', async () => {
    const clock = manualClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const ada = await t.identity('Ada');
      await post(t, ada.token, '/ids', 'before');
      clock.advance(REPLAY_OVERLAP_MS + 1000);
      for (const id of ['garbage', '-5', '1e9', String(clock.now() + 86_400_000)]) {
        const stream = await subscribe(`${t.url}/api/v1/events?thread=%2Fids`, { 'last-event-id': id });
        await stream.waitForPing();
        assert.deepEqual(stream.received, [], `id ${id}`);
        await stream.close();
      }
    } finally {
      await t.stop();
    }
  });

  test('ids stay meaningful across a restart on the same SQLite file', async () => {
    const database = tempSqlite();
    const keep = { ...database, cleanup: async () => {} };
    const before = await startTestServer({}, keep);
    let lastId: string;
    let token: string;
    try {
      const stream = await subscribe(`${before.url}/api/v1/events?thread=%2Frestart`);
      await stream.waitForPing();
      token = (await before.identity('Ada')).token;
      await post(before, token, '/restart', 'before the restart');
      await stream.waitFor(1);
      lastId = stream.lastEventId;
      await stream.close();
    } finally {
      await before.stop();
    }
    const after = await startTestServer({}, database);
    try {
      const missed = await post(after, token, '/restart', 'while the reader reconnects');
      const stream = await subscribe(`${after.url}/api/v1/events?thread=%2Frestart`, { 'last-event-id': lastId });
      await stream.waitForPing();
      // The comment seen just before may come again within the overlap; the missed one comes once.
      const created = stream.received.filter((e) => e.event === 'created').map((e) => e.data.comment.id);
      assert.equal(created.filter((id) => id === missed).length, 1);
      assert.equal(new Set(created).size, created.length, 'no comment twice on one connection');
      await stream.close();
    } finally {
      await after.stop();
    }
  });

  test('on PostgreSQL, an id from one server process replays on another', async () => {
    const clock = manualClock();
    const database = tempPostgres();
    const first = await startTestServer({ now: clock.now }, database);
    const second = await startTestServer({ now: clock.now }, { ...database, cleanup: async () => {} });
    try {
      const ada = await first.identity('Ada');
      const stream = await subscribe(`${first.url}/api/v1/events?thread=%2Fpg-replay`);
      await stream.waitForPing();
      const seen = await post(second, ada.token, '/pg-replay', 'seen on the first');
      await stream.waitFor(1);
      const lastId = stream.lastEventId;
      await stream.close();
      clock.advance(REPLAY_OVERLAP_MS + 1000);
      const missed = await post(first, ada.token, '/pg-replay', 'missed');
      const resumed = await subscribe(`${second.url}/api/v1/events?thread=%2Fpg-replay`, { 'last-event-id': lastId });
      await resumed.waitForPing();
      // The comment seen last is within the overlap and comes again; the client's merge drops it.
      assert.deepEqual(summary(resumed.received), [
        ['created', seen, 'visible'],
        ['created', missed, 'visible'],
      ]);
      await resumed.close();
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
