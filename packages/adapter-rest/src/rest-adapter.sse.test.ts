// Live events over a real HTTP connection: a tiny node:http server speaks the protocol's
// text/event-stream for one thread, and the adapter listens through an EventSource.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { NodeEventSource as EventSource } from './node-event-source.test-support.js';
import type { ThreadEvent } from '@colloquy/core';
import { createRestAdapter } from './index.js';

function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('REST adapter: live events over SSE', () => {
  it('delivers events of the subscribed thread and closes the stream on unsubscribe', async () => {
    const streams: ServerResponse[] = [];
    const requested: string[] = [];
    let closed = 0;
    const server = createServer((request, response) => {
      requested.push(request.url ?? '');
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      response.write(': ping\n\n');
      streams.push(response);
      request.on('close', () => closed++);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const adapter = createRestAdapter({ endpoint: `http://127.0.0.1:${port}`, EventSource });
      assert.equal(adapter.capabilities.live, true);
      const events: ThreadEvent[] = [];
      const unsubscribe = adapter.subscribe!('/news/a b', (event) => events.push(event));
      await waitFor(() => streams.length === 1);
      assert.equal(requested[0], '/api/v1/events?thread=%2Fnews%2Fa+b');

      const comment = {
        id: 'c1', thread: '/news/a b', parentId: null, author: { id: 'i1', name: 'Ada', role: 'reader' },
        body: 'héllo 👋', createdAt: '2026-11-22T10:00:00.000Z', editedAt: null, status: 'visible',
      };
      streams[0]!.write(`event: created\ndata: ${JSON.stringify({ comment })}\n\n`);
      streams[0]!.write('event: created\ndata: {not json\n\n');
      streams[0]!.write(`event: deleted\ndata: ${JSON.stringify({ comment: { ...comment, body: '', status: 'deleted' } })}\n\n`);
      await waitFor(() => events.length === 2);
      assert.deepEqual(events[0], { type: 'created', comment: { ...comment, replies: [] } });
      assert.equal(events[1]!.type, 'deleted');
      assert.equal(events[1]!.comment.status, 'deleted');

      unsubscribe();
      await waitFor(() => closed === 1);
      assert.equal(events.length, 2);
    } finally {
      for (const stream of streams) stream.end();
      server.close();
    }
  });
});
