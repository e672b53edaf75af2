import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const PING_MS = 25_000;

export interface EventStream {
  /** Sends one event; `data` is a single line (JSON); `id` becomes the client's `Last-Event-ID`. */
  send(event: string, data: string, id?: string): void;
  /** Runs when the stream ends: the client left, the socket failed, or the app closes. */
  onEnd(cleanup: () => void): void;
  /** Ends the stream from the server's side; the client reconnects after the retry delay. */
  end(): void;
}

export interface EventStreamOptions {
  /** What to send every 25 s instead of a comment line, such as an event that advances the id. */
  heartbeat?: () => string;
  /** Runs once when the stream ends, such as giving back its slot (stream-limits.ts). */
  release?: () => void;
}

/** One event in the text/event-stream format. */
export function eventBlock(event: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

/**
 * Takes over the response as a Server-Sent Events stream: headers (CORS and security headers
 * already set on the reply are kept), `retry: 3000`, a comment line every 25 s so proxies keep
 * it open. `streams` holds the enders of open streams so the app can end them all on close.
 */
export function startEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<() => void>,
  options: EventStreamOptions = {},
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  if (request.method === 'HEAD') {
    // A HEAD answer has no body, and Node holds its headers back until the answer ends: end it now.
    raw.end();
    return { send: () => undefined, onEnd: (cleanup) => cleanup(), end: () => undefined };
  }
  raw.write('retry: 3000\n\n');
  const cleanups: Array<() => void> = [];
  const heartbeat = options.heartbeat ?? (() => ': ping\n\n');
  const ping = setInterval(() => raw.write(heartbeat()), PING_MS);
  const end = () => {
    if (!streams.delete(end)) return;
    options.release?.();
    clearInterval(ping);
    for (const cleanup of cleanups) cleanup();
    raw.end();
  };
  streams.add(end);
  request.raw.on('close', end);
  raw.on('error', end);
  return {
    send: (event, data, id) => void raw.write(eventBlock(event, data, id)),
    onEnd: (cleanup) => void cleanups.push(cleanup),
    end,
  };
}
