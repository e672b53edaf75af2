import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const PING_MS = 25_000;

export interface EventStream {
  /** Sends one event; `data` is a single line (JSON). */
  send(event: string, data: string): void;
  /** Runs when the stream ends: the client left, the socket failed, or the app closes. */
  onEnd(cleanup: () => void): void;
}

/**
 * Takes over the response as a Server-Sent Events stream: headers (CORS and security headers
 * already set on the reply are kept), `retry: 3000`, a comment line every 25 s so proxies keep
 * it open. `streams` holds the enders of open streams so the app can end them all on close.
 */
export function startEventStream(request: FastifyRequest, reply: FastifyReply, streams: Set<() => void>): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  raw.write('retry: 3000\n\n');
  const cleanups: Array<() => void> = [];
  const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
  const end = () => {
    if (!streams.delete(end)) return;
    clearInterval(ping);
    for (const cleanup of cleanups) cleanup();
    raw.end();
  };
  streams.add(end);
  request.raw.on('close', end);
  raw.on('error', end);
  return {
    send: (event, data) => void raw.write(`event: ${event}\ndata: ${data}\n\n`),
    onEnd: (cleanup) => void cleanups.push(cleanup),
  };
}
