// Pins are live (docs/protocol.md, "Live events"): pinning and unpinning send `pinned` and
// `unpinned` to the thread's open streams, and a stream that comes back with Last-Event-ID gets
// the pins and unpins it missed, with the comment as it is now.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signJwt } from './http-test-support.js';
import { openSse, type SseEvent, type SseStream } from './sse-test-client.js';
import { DATABASES, EVERY_READER_COUNTS, serverStarter, type TestServer } from './test-support.js';
import { REPLAY_OVERLAP_MS } from './thread-stream.js';

const SECRET = 'live-pins-secret-live-pins-secret-live';
const enc = encodeURIComponent;
type PinEvent = [event: string, id: string, pinned: boolean];
const PIN_EVENTS = new Set(['pinned', 'unpinned', 'hidden']);
const pinEvents = (events: SseEvent[]): PinEvent[] =>
  events.filter((e) => PIN_EVENTS.has(e.event)).map((e) => [e.event, e.data.comment.id, e.data.comment.pinnedAt !== null]);

/** Waits until the stream has received `count` pin events (others, such as a late `created` on PostgreSQL, aside). */
async function untilPinEvents(stream: SseStream, count: number): Promise<PinEvent[]> {
  while (pinEvents(stream.received).length < count) await stream.waitFor(stream.received.length + 1);
  return pinEvents(stream.received);
}

for (const { name: driver, make } of DATABASES) {
  describe(`live pins, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET, pinsPerThread: 3, reportThreshold: 1, ...EVERY_READER_COUNTS });

    /** A server on a clock the test moves, a moderator, an author, and a way to pin. */
    async function world() {
      let time = Date.now();
      const t: TestServer = await start({ now: () => time });
      const moderator = await signJwt({ sub: 'mod-live', name: 'Mina', role: 'moderator' }, { secret: SECRET, at: time });
      const ada = await t.identity('Ada');
      const post = async (thread: string, body: string) => {
        const r = await t.call('POST', '/comments', { token: ada.token, body: { thread, body } });
        assert.equal(r.status, 201, r.text);
        return r.json.comment.id as string;
      };
      const pin = async (id: string, pinned: boolean) => {
        const r = await t.call('POST', `/moderation/comments/${id}/pin`, { token: moderator, body: { pinned } });
        assert.equal(r.status, 200, r.text);
      };
      const moderate = (id: string, action: string) => t.call('POST', `/moderation/comments/${id}`, { token: moderator, body: { action } });
      return { t, ada, post, pin, moderate, advance: (ms: number) => void (time += ms) };
    }

    test('an open stream hears pinned and unpinned with the comment as readers see it; no-ops and a hidden comment’s pin send nothing', async () => {
      const w = await world();
      const thread = '/live-pins/stream';
      const short = await w.post(thread, 'the staff answer');
      // Past PostgreSQL's NOTIFY payload, the event travels by id and is read again, helpful count included.
      const long = await w.post(thread, `a long guide ${'x'.repeat(7_500)}`);
      const bo = await w.t.identity('Bo');
      assert.equal((await w.t.call('PUT', `/comments/${long}/helpful`, { token: bo.token, body: { helpful: true } })).status, 200);
      const stream = await openSse(`${w.t.url}/api/v1/events?thread=${enc(thread)}`);
      try {
        await stream.waitForPing();
        await w.pin(short, true);
        await w.pin(short, true); // already pinned: nothing
        await w.pin(long, true);
        await w.pin(short, false);
        await w.pin(short, false); // not pinned: nothing
        await w.pin(short, true);
        await w.moderate(short, 'hide');
        await w.pin(short, false); // hidden: readers saw no pin, nothing to send
        await w.moderate(long, 'hide');
        const events = await untilPinEvents(stream, 6);
        assert.deepEqual(events, [
          ['pinned', short, true],
          ['pinned', long, true],
          ['unpinned', short, false],
          ['pinned', short, true],
          ['hidden', short, false],
          ['hidden', long, false],
        ]);
        const pinnedLong = stream.received.find((e) => e.event === 'pinned' && e.data.comment.id === long)!;
        assert.ok(Date.parse(pinnedLong.data.comment.pinnedAt) > 0, 'pinnedAt is a time');
        assert.match(pinnedLong.data.comment.body, /^a long guide x+$/, 'with its text');
        assert.deepEqual(pinnedLong.data.comment.helpful, { count: 1, mine: false }, 'and its helpful count');
        assert.ok(
          stream.received.every((e) => e.id !== undefined),
          'every event has an id',
        );
      } finally {
        await stream.close();
      }
    });

    test('a stream that comes back with Last-Event-ID gets the pins and unpins it missed, once each, as the comments are now', async () => {
      const w = await world();
      const thread = '/live-pins/replay';
      const seenPinned = await w.post(thread, 'pinned while away');
      const seenUnpinned = await w.post(thread, 'unpinned while away');
      const edited = await w.post(thread, 'edited, then pinned while away');
      await w.pin(seenUnpinned, true);
      w.advance(REPLAY_OVERLAP_MS + 60_000);
      const first = await openSse(`${w.t.url}/api/v1/events?thread=${enc(thread)}`);
      await first.waitForPing();
      const lastId = first.lastEventId;
      await first.close();

      w.advance(1_000);
      await w.pin(seenPinned, true);
      w.advance(1_000);
      await w.pin(seenUnpinned, false);
      w.advance(1_000);
      assert.equal((await w.t.call('PATCH', `/comments/${edited}`, { token: w.ada.token, body: { body: 'edited while away' } })).status, 200);
      w.advance(1_000);
      const fresh = await w.post(thread, 'posted and pinned while away');
      await w.pin(fresh, true);
      w.advance(1_000);
      await w.pin(edited, true);
      w.advance(1_000);

      const back = await openSse(`${w.t.url}/api/v1/events?thread=${enc(thread)}`, { 'last-event-id': lastId });
      try {
        await back.waitForPing();
        const summary = back.received.map((e) => [e.event, e.data.comment.id, e.data.comment.pinnedAt !== null]);
        assert.deepEqual(summary, [
          ['pinned', seenPinned, true],
          ['unpinned', seenUnpinned, false],
          // Posted while away: one `created`, already carrying its pin.
          ['created', fresh, true],
          ['pinned', edited, true],
        ]);
        assert.equal(back.received[0]!.data.comment.body, 'pinned while away', 'the comment with its text');
        assert.equal(back.received[3]!.data.comment.body, 'edited while away', 'edited and pinned: one event, with the new text');
        assert.ok(back.received.every((e, i) => i === 0 || Number(e.id) >= Number(back.received[i - 1]!.id)), 'in the order they were stored');

        // Live again after the replay.
        w.advance(REPLAY_OVERLAP_MS + 1_000);
        await w.pin(seenPinned, false);
        await back.waitFor(5);
        assert.deepEqual([back.received[4]!.event, back.received[4]!.data.comment.id], ['unpinned', seenPinned]);
      } finally {
        await back.close();
      }
    });
  });
}
