import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { bestScore } from '@colloquy/core';
import { assertError, signJwt } from './http-test-support.js';
import { openSse } from './sse-test-client.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'helpful-marks-secret-helpful-marks-secret';
const HOUR = 3_600_000;
const enc = encodeURIComponent;
type Listed = { id: string; helpful?: { count: number; mine: boolean }; replies: Listed[] };

test('the best score: marks lift, age pulls down, nothing without weighted marks', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  assert.equal(bestScore(0, now, now), 0);
  assert.equal(bestScore(1, now, now), Math.round(1e6 / 2 ** 1.5));
  assert.ok(bestScore(2, now, now) > bestScore(1, now, now));
  assert.ok(bestScore(1, now, now) > bestScore(10, now - 48 * HOUR, now), 'one fresh mark beats ten two days old');
  assert.ok(bestScore(10, now - HOUR, now) > bestScore(1, now, now), 'but not ten an hour old');
});

for (const { name: driver, make } of DATABASES) {
  describe(`helpful marks over HTTP on ${driver}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const t of servers) await t.stop();
    });

    /** A real server on the default trust model (fresh pseudonymous readers weigh 0), on a clock the test moves. */
    async function start() {
      let time = Date.parse('2026-12-01T10:00:00.000Z');
      const t = await startTestServer({ jwtSecret: SECRET, trustProxy: 1, now: () => time }, make());
      servers.push(t);
      const from = (address: string) => ({ 'x-forwarded-for': address });
      const post = async (token: string, thread: string, body: string) => {
        const r = await t.call('POST', '/comments', { token, body: { thread, body } });
        assert.equal(r.status, 201, r.text);
        return r.json.comment as { id: string };
      };
      const mark = (token: string, id: string, helpful: unknown, address = '192.0.2.1') =>
        t.call('PUT', `/comments/${enc(id)}/helpful`, { token, body: { helpful }, headers: from(address) });
      /** A member of the host site (JWT): established at once, weight 1. */
      const member = (sub: string) => signJwt({ sub, name: sub }, { secret: SECRET, at: time });
      const best = async (thread: string, token?: string) =>
        (await t.call('GET', `/comments?thread=${enc(thread)}&sort=best`, token ? { token } : {})).json.comments as Listed[];
      return { t, post, mark, member, best, advanceHours: (hours: number) => void (time += hours * HOUR) };
    }

    test('twenty fresh identities mark a comment: readers see 20, but it does not rise; two members’ marks lift another', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const thread = '/helpful/brigade';
      const pushed = await s.post(author.token, thread, 'pushed by a brigade');
      const liked = await s.post(author.token, thread, 'liked by members');
      const newest = await s.post(author.token, thread, 'the newest, unmarked');
      for (let i = 0; i < 20; i++) {
        const fresh = await s.t.identity(`fresh${i}`);
        const r = await s.mark(fresh.token, pushed.id, true);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { helpful: { commentId: pushed.id, count: i + 1, mine: true } });
      }
      for (const [i, sub] of ['member-a', 'member-b'].entries()) assert.equal((await s.mark(await s.member(sub), liked.id, true, `198.51.${100 + i}.1`)).status, 200);
      const page = await s.best(thread);
      assert.deepEqual(
        page.map((c) => c.id),
        [liked.id, newest.id, pushed.id],
        'fresh identities weigh nothing: the brigaded comment ranks as if unmarked (newest first among those)',
      );
      assert.deepEqual(
        page.map((c) => c.helpful),
        [
          { count: 2, mine: false },
          { count: 0, mine: false },
          { count: 20, mine: false },
        ],
        'readers see every mark',
      );
    });

    test('members marking from one network count once toward best', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const thread = '/helpful/network';
      const office = await s.post(author.token, thread, 'marked by one office');
      const spread = await s.post(author.token, thread, 'marked by two homes');
      const later = await s.post(author.token, thread, 'later, one mark');
      for (const sub of ['o1', 'o2', 'o3']) await s.mark(await s.member(sub), office.id, true, '203.0.113.9');
      await s.mark(await s.member('h1'), spread.id, true, '198.51.100.1');
      await s.mark(await s.member('h2'), spread.id, true, '192.0.2.77');
      await s.mark(await s.member('h3'), later.id, true, '198.51.100.200');
      assert.deepEqual(
        (await s.best(thread)).map((c) => c.id),
        [spread.id, later.id, office.id],
        'three marks from one /24 weigh as one; equal weights go newest first',
      );
    });

    test('the reader sees their own mark; a shared page never shows another reader’s; taking it back; errors in the envelope', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const reader = await s.t.identity('Reader');
      const thread = '/helpful/mine';
      const comment = await s.post(author.token, thread, 'helpful, perhaps');
      // An anonymous page is read (and cached) before the mark.
      assert.deepEqual((await s.best(thread))[0]?.helpful, { count: 0, mine: false });
      assert.equal((await s.mark(reader.token, comment.id, true)).status, 200);
      assert.deepEqual((await s.best(thread, reader.token))[0]?.helpful, { count: 1, mine: true }, 'the marker’s page says mine');
      assert.deepEqual((await s.best(thread))[0]?.helpful, { count: 1, mine: false }, 'the shared page, refreshed, says not mine');
      assert.deepEqual((await s.best(thread, author.token))[0]?.helpful, { count: 1, mine: false });

      const again = await s.mark(reader.token, comment.id, true);
      assert.deepEqual(again.json.helpful, { commentId: comment.id, count: 1, mine: true }, 'a repeated mark counts once');
      const back = await s.mark(reader.token, comment.id, false);
      assert.deepEqual(back.json.helpful, { commentId: comment.id, count: 0, mine: false });
      assert.deepEqual((await s.best(thread, reader.token))[0]?.helpful, { count: 0, mine: false });

      assertError(await s.mark(author.token, comment.id, true), 403, 'forbidden');
      assertError(await s.mark(reader.token, 'c_nope', true), 404, 'not_found');
      assertError(await s.mark(reader.token, comment.id, 'yes'), 400, 'invalid_input');
      assertError(await s.t.call('PUT', `/comments/${comment.id}/helpful`, { token: reader.token, body: {} }), 400, 'invalid_input');
      assertError(await s.t.call('PUT', `/comments/${comment.id}/helpful`, { body: { helpful: true } }), 401, 'unauthenticated');
      assertError(await s.t.call('PUT', `/comments/${comment.id}/helpful`, { token: reader.token, raw: 'helpful=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
      await s.t.call('DELETE', `/comments/${comment.id}`, { token: author.token });
      assertError(await s.mark(reader.token, comment.id, true), 404, 'not_found');
    });

    test('a mark reaches the thread’s live stream with the new count', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const reader = await s.t.identity('Reader');
      const thread = '/helpful/live';
      const comment = await s.post(author.token, thread, 'watch this count');
      const stream = await openSse(`${s.t.url}/api/v1/events?thread=${enc(thread)}`);
      try {
        await stream.waitForPing();
        await s.mark(reader.token, comment.id, true);
        await s.mark(reader.token, comment.id, true);
        await s.mark(reader.token, comment.id, false);
        // On PostgreSQL the comment's own `created` may reach the new stream late (LISTEN/NOTIFY): only marks count here.
        const marks = () => stream.received.filter((e) => e.event === 'helpful');
        while (marks().length < 2) await stream.waitFor(stream.received.length + 1);
        const [first, second] = marks();
        assert.equal(first!.event, 'helpful');
        assert.equal(first!.data.comment.id, comment.id);
        assert.deepEqual(first!.data.comment.helpful, { count: 1, mine: false });
        assert.deepEqual(second!.data.comment.helpful, { count: 0, mine: false }, 'a repeated mark sends nothing; taking it back does');
      } finally {
        await stream.close();
      }
    });

    test('a stream that comes back with Last-Event-ID gets the counts that changed meanwhile, once per comment, and none for a comment gone since', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const readers = await Promise.all(['R1', 'R2', 'R3'].map((name) => s.t.identity(name)));
      const thread = '/helpful/replay';
      const twice = await s.post(author.token, thread, 'marked twice while away');
      const takenBack = await s.post(author.token, thread, 'marked before, taken back while away');
      const gone = await s.post(author.token, thread, 'marked, then deleted while away');
      const quiet = await s.post(author.token, thread, 'marked before, untouched since');
      await s.mark(readers[0]!.token, takenBack.id, true);
      await s.mark(readers[0]!.token, quiet.id, true);
      s.advanceHours(0.1); // well past the replay's overlap, inside the edit window (the author deletes below)
      const first = await openSse(`${s.t.url}/api/v1/events?thread=${enc(thread)}`);
      await first.waitForPing();
      const lastId = first.lastEventId;
      await first.close();

      s.advanceHours(0.01);
      await s.mark(readers[0]!.token, twice.id, true);
      s.advanceHours(0.01);
      await s.mark(readers[0]!.token, takenBack.id, false);
      s.advanceHours(0.01);
      await s.mark(readers[1]!.token, twice.id, true);
      await s.mark(readers[2]!.token, gone.id, true);
      s.advanceHours(0.01);
      assert.equal((await s.t.call('DELETE', `/comments/${gone.id}`, { token: author.token })).status, 200);
      s.advanceHours(0.01);

      const back = await openSse(`${s.t.url}/api/v1/events?thread=${enc(thread)}`, { 'last-event-id': lastId });
      try {
        await back.waitForPing();
        assert.deepEqual(
          back.received.map((e) => [e.event, e.data.comment.id, e.data.comment.helpful?.count]),
          [
            ['helpful', takenBack.id, 0],
            ['helpful', twice.id, 2],
            ['deleted', gone.id, undefined],
          ],
          'each count once, as it stands now, in the order of its last change',
        );
        assert.ok(back.received.every((e) => e.data.comment.helpful?.mine !== true), 'mine is never set in an event');
      } finally {
        await back.close();
      }
    });

    test('a reader’s erasure takes their marks with it', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const reader = await s.t.identity('Reader');
      const thread = '/helpful/erasure';
      const comment = await s.post(author.token, thread, 'marked, then the marker leaves');
      await s.mark(reader.token, comment.id, true);
      const erased = await s.t.call('DELETE', '/me', { token: reader.token, body: { mode: 'remove' } });
      assert.ok(erased.status < 300, erased.text);
      assert.deepEqual((await s.best(thread))[0]?.helpful, { count: 0, mine: false });
    });

    test('best ranks a newer helpful comment above one marked days ago', async () => {
      const s = await start();
      const author = await s.t.identity('Author');
      const thread = '/helpful/decay';
      const old = await s.post(author.token, thread, 'marked long ago');
      for (const [i, sub] of ['d1', 'd2', 'd3'].entries()) await s.mark(await s.member(sub), old.id, true, `198.51.${100 + i}.1`);
      s.advanceHours(72);
      const fresh = await s.post(author.token, thread, 'helpful today');
      await s.mark(await s.member('d4'), fresh.id, true, '192.0.2.200');
      assert.deepEqual((await s.best(thread)).map((c) => c.id), [fresh.id, old.id]);
    });
  });
}
