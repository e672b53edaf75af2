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
  it('opens a stream after the first page was read from that page\'s Date, so nothing posted in between is missed', async () => {
    const requested: string[] = [];
    const date = 'Wed, 02 Dec 2026 06:00:07 GMT';
    const server = createServer((request, response) => {
      requested.push(request.url ?? '');
      if (request.url?.startsWith('/api/v1/comments')) {
        response.writeHead(200, { 'Content-Type': 'application/json', Date: date });
        response.end(JSON.stringify({ comments: [], nextCursor: null, closed: false }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(': ping\n\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const adapter = createRestAdapter({ endpoint: `http://127.0.0.1:${port}`, EventSource });
    const stops: Array<() => void> = [];
    try {
      // Never read: the stream starts from now, as before.
      stops.push(adapter.subscribe!('/other', () => undefined));
      await waitFor(() => requested.length === 1);
      assert.equal(requested[0], '/api/v1/events?thread=%2Fother');

      await adapter.listComments({ thread: '/late', sort: 'oldest', limit: 20, cursor: null });
      stops.push(adapter.subscribe!('/late', () => undefined));
      await waitFor(() => requested.length === 3);
      assert.equal(requested[2], `/api/v1/events?thread=%2Flate&lastEventId=${Date.parse(date)}`);
    } finally {
      for (const stop of stops) stop();
      server.closeAllConnections();
      server.close();
    }
  });

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
      // A moderator pins and unpins a comment: the thread state moves it to and from its pins.
      const pinnedAt = '2026-11-22T10:05:00.000Z';
      streams[0]!.write(`event: pinned\ndata: ${JSON.stringify({ comment: { ...comment, id: 'c0', pinnedAt } })}\n\n`);
      streams[0]!.write(`event: unpinned\ndata: ${JSON.stringify({ comment: { ...comment, id: 'c0', pinnedAt: null } })}\n\n`);
      streams[0]!.write(`event: deleted\ndata: ${JSON.stringify({ comment: { ...comment, body: '', status: 'deleted' } })}\n\n`);
      await waitFor(() => events.length === 4);
      assert.deepEqual(events[0], { type: 'created', comment: { ...comment, replies: [] } });
      assert.deepEqual(events[1], { type: 'pinned', comment: { ...comment, id: 'c0', pinnedAt, replies: [] } });
      assert.deepEqual(events[2], { type: 'unpinned', comment: { ...comment, id: 'c0', pinnedAt: null, replies: [] } });
      assert.equal(events[3]!.type, 'deleted');
      assert.equal(events[3]!.comment.status, 'deleted');

      unsubscribe();
      await waitFor(() => closed === 1);
      assert.equal(events.length, 4);
    } finally {
      for (const stream of streams) stream.end();
      server.close();
    }
  });

  it('comes back after a dropped stream and after a refused reconnect, naming the last event id each time', async () => {
    const requests: Array<{ url: string; lastEventId: string | undefined }> = [];
    const streams: ServerResponse[] = [];
    let refuseNext = false;
    const server = createServer((request, response) => {
      requests.push({ url: request.url ?? '', lastEventId: request.headers['last-event-id'] as string | undefined });
      if (refuseNext) {
        // What a server answers while it shuts down for a restart: EventSource gives up on it.
        refuseNext = false;
        response.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":{"code":"unavailable","message":"restarting"}}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      response.write('retry: 20\n\n');
      streams.push(response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const comment = (id: string) => ({
      id, thread: '/t', parentId: null, author: { id: 'i1', name: 'Ada', role: 'reader' },
      body: id, createdAt: '2026-11-22T10:00:00.000Z', editedAt: null, status: 'visible',
    });
    const created = (id: string, eventId: string) => `id: ${eventId}\nevent: created\ndata: ${JSON.stringify({ comment: comment(id) })}\n\n`;
    try {
      const adapter = createRestAdapter({ endpoint: `http://127.0.0.1:${port}`, EventSource });
      const events: ThreadEvent[] = [];
      const unsubscribe = adapter.subscribe!('/t', (event) => events.push(event));
      await waitFor(() => streams.length === 1);
      assert.equal(requests[0]!.url, '/api/v1/events?thread=%2Ft');
      assert.equal(requests[0]!.lastEventId, undefined);
      streams[0]!.write(created('c1', '100'));
      // A ping carries no comment; it only moves the id on.
      streams[0]!.write('id: 150\nevent: ping\ndata: {}\n\n');
      await waitFor(() => events.length === 1);
      streams[0]!.end();

      // EventSource reconnects by itself and sends the id in the Last-Event-ID header.
      await waitFor(() => streams.length === 2);
      assert.equal(requests[1]!.lastEventId, '150');
      assert.equal(requests[1]!.url, '/api/v1/events?thread=%2Ft');
      streams[1]!.write(created('c2', '200'));
      await waitFor(() => events.length === 2);
      refuseNext = true;
      streams[1]!.end();

      // Its reconnect is refused, so it closes for good; the adapter opens a new EventSource,
      // which cannot send headers, and names the id in the query instead.
      await waitFor(() => streams.length === 3, 8_000);
      assert.equal(requests.length, 4);
      assert.equal(requests[2]!.lastEventId, '200');
      assert.equal(requests[3]!.url, '/api/v1/events?thread=%2Ft&lastEventId=200');
      assert.equal(requests[3]!.lastEventId, undefined);
      streams[2]!.write(created('c3', '300'));
      await waitFor(() => events.length === 3);
      assert.deepEqual(events.map((e) => e.comment.id), ['c1', 'c2', 'c3']);

      unsubscribe();
      await waitFor(() => streams[2]!.closed || streams[2]!.writableEnded || streams[2]!.destroyed);
      assert.equal(events.length, 3);
    } finally {
      for (const stream of streams) stream.end();
      server.close();
    }
  });

  it('a stream the server keeps refusing (429 at its per-address limit) is retried ever more slowly, and comes back once the server accepts it', async () => {
    const times: number[] = [];
    const streams: ServerResponse[] = [];
    let refuse = true;
    const server = createServer((request, response) => {
      times.push(Date.now());
      if (refuse) {
        response
          .writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '30' })
          .end('{"error":{"code":"rate_limited","message":"Too many live streams from one address"}}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(': ping\n\n');
      streams.push(response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const adapter = createRestAdapter({ endpoint: `http://127.0.0.1:${port}`, EventSource, liveReconnect: { baseDelayMs: 40, maxDelayMs: 400 } });
      const unsubscribe = adapter.subscribe!('/t', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      // A fixed 40 ms wait would have asked about 40 times; doubling waits (40, 80, … 400) ask about 8.
      assert.ok(times.length >= 5 && times.length <= 11, `${times.length} attempts`);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      assert.ok(gaps.at(-1)! >= 350, `last wait ${gaps.at(-1)} ms`);
      assert.ok(gaps[0]! < 200, `first wait ${gaps[0]} ms`);

      refuse = false;
      await waitFor(() => streams.length === 1, 3000);
      unsubscribe();
      const attempts = times.length;
      await new Promise((resolve) => setTimeout(resolve, 600));
      // Unsubscribed: no further attempts.
      assert.equal(times.length, attempts);
    } finally {
      for (const stream of streams) stream.end();
      server.close();
    }
  });
});
