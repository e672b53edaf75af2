// One reader's stream around a replay, with the store replaced by a replay function the test
// controls: what happens on the connection while the replay is being read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import type { Comment } from '@colloquy/core';
import { createLocalEventHub } from './events.js';
import type { EventReplay } from './event-replay.js';
import { openSse } from './sse-test-client.js';
import { openThreadStream, REPLAY_OVERLAP_MS } from './thread-stream.js';

const comment = (id: string, body = id): Omit<Comment, 'replies'> => ({
  id,
  thread: '/t',
  parentId: null,
  author: { id: 'i1', name: 'Ada', role: 'reader' },
  body,
  createdAt: '2026-12-01T10:00:00.000Z',
  editedAt: null,
  status: 'visible',
});

async function serve(replay: EventReplay, now = 50_000) {
  const hub = createLocalEventHub();
  const streams = new Set<() => void>();
  const app = Fastify();
  app.get('/events', (request, reply) => openThreadStream(request, reply, streams, { hub, replay, thread: '/t', now: () => now }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/events`;
  return {
    hub,
    url,
    async close() {
      for (const end of [...streams]) end();
      await app.close();
    },
  };
}

describe('a thread stream around its replay', () => {
  test('live events that arrive while the replay is read follow it, without creating a comment twice', async () => {
    let asked: number | null = null;
    const server = await serve(async (_thread, since) => {
      asked = since;
      // Written while the replay is read: the replay sees "b", and so does the live stream.
      await server.hub.publish('created', comment('b'));
      await server.hub.publish('edited', comment('a', 'a, edited'));
      return [
        { type: 'created', comment: comment('a'), at: 40_000 },
        { type: 'created', comment: comment('b'), at: 49_000 },
      ];
    });
    try {
      const stream = await openSse(server.url, { 'last-event-id': '45000' });
      await stream.waitForPing();
      assert.equal(asked, 45_000 - REPLAY_OVERLAP_MS);
      assert.deepEqual(
        stream.received.map((e) => [e.event, e.data.comment.id, e.id]),
        [
          ['created', 'a', '40000'],
          ['created', 'b', '49000'],
          ['edited', 'a', '50000'],
        ],
      );
      assert.equal(stream.lastEventId, '50000');
      await stream.close();
    } finally {
      await server.close();
    }
  });

  test('a stream opened without an id replays nothing and says where it starts', async () => {
    let asked = false;
    const server = await serve(async () => {
      asked = true;
      return [];
    });
    try {
      const stream = await openSse(server.url);
      await stream.waitForPing();
      assert.equal(asked, false);
      assert.equal(stream.lastEventId, '50000');
      await server.hub.publish('created', comment('c'));
      const [event] = await stream.waitFor(1);
      assert.equal(event!.id, '50000');
      await stream.close();
    } finally {
      await server.close();
    }
  });

  test('when the replay cannot be read the stream ends without moving the id, so the client asks again', async () => {
    const server = await serve(async () => {
      throw new Error('database unavailable');
    });
    try {
      const stream = await openSse(server.url, { 'last-event-id': '45000' });
      await stream.ended;
      assert.equal(stream.lastEventId, '');
      assert.deepEqual(stream.received, []);
      await stream.close();
    } finally {
      await server.close();
    }
  });
});
