import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Comment, ThreadEventType } from '@colloquy/core';
import type { EventHub } from './events.js';
import type { EventReplay } from './event-replay.js';
import { eventBlock, startEventStream } from './sse.js';

/**
 * How far before a returning client's last id the replay starts. A change is stored with the
 * time its request began, and may commit (and reach this process) a little later, on another
 * process with its own clock; the overlap covers that, and the client's merge by comment id
 * drops what it already has.
 */
export const REPLAY_OVERLAP_MS = 5_000;

/** An event id: the server's clock in epoch milliseconds, in decimal. Clients treat it as opaque. */
export function formatEventId(ms: number): string {
  return String(Math.floor(ms));
}

/** The time an id stands for, never later than `now`; null for no id or one this server did not make. */
export function parseEventId(value: unknown, now: number): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Math.min(Number(value), now);
}

/**
 * An event's data, serialized once however many readers of the thread receive it: the hub hands
 * every subscriber the same comment object, and a thread with thousands of open streams would
 * otherwise serialize it thousands of times per change.
 */
const serialized = new WeakMap<object, string>();
function eventData(comment: Omit<Comment, 'replies'>): string {
  let data = serialized.get(comment);
  if (data === undefined) {
    data = JSON.stringify({ comment });
    serialized.set(comment, data);
  }
  return data;
}

export interface ThreadStreamOptions {
  hub: EventHub;
  replay: EventReplay;
  thread: string;
  now: () => number;
  /** Told when reading the replay fails; the stream then ends and the client comes back. */
  onError?: (error: unknown) => void;
  /** Gives back the stream's slot when it ends. */
  release?: () => void;
}

/**
 * Serves `GET /events` for one reader. Every event carries an id; on a reconnect the
 * `Last-Event-ID` header (or the `lastEventId` query parameter, for a client that had to open
 * a new EventSource) names where the client stood, and the changes stored since then are
 * replayed before live events resume. Live events that arrive while the replay is read wait,
 * so nothing falls between the two and no comment is created twice on one connection.
 */
export async function openThreadStream(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<() => void>,
  options: ThreadStreamOptions,
): Promise<void> {
  const { hub, replay, thread, now } = options;
  const query = request.query as Record<string, unknown>;
  const header = request.headers['last-event-id'];
  const since = parseEventId(header, now()) ?? parseEventId(query.lastEventId, now());

  let live = false;
  let ended = false;
  const stream = startEventStream(request, reply, streams, {
    // The heartbeat moves the id on, so a client idle for long does not get old changes again;
    // never during a replay, whose events must all arrive before the id passes them.
    heartbeat: () => (live ? eventBlock('ping', '{}', formatEventId(now())) : ': ping\n\n'),
    ...(options.release ? { release: options.release } : {}),
  });
  /**
   * What the replay sent, by event and comment. The same change may also come live a moment
   * later (PostgreSQL delivers a notification after its commit, possibly after this stream
   * subscribed); an event equal to one replayed, or a second deletion, says nothing new and is
   * not sent again (for as long as the replay's overlap).
   */
  const replayedEvents = new Map<string, string>();
  let replayedUntil = 0;
  const send = (type: ThreadEventType, comment: Omit<Comment, 'replies'>, at: number) => {
    if (ended) return;
    const data = eventData(comment);
    const replayedData = replayedEvents.get(`${type}\n${comment.id}`);
    // A deletion is final whatever the record around it says; any other event must match.
    if (replayedData !== undefined && (type === 'deleted' || replayedData === data) && now() <= replayedUntil) return;
    stream.send(type, data, formatEventId(at));
  };
  const waiting: Array<[ThreadEventType, Omit<Comment, 'replies'>]> = [];
  stream.onEnd(() => (ended = true));
  stream.onEnd(
    hub.subscribe(thread, (type, comment) => {
      if (live) send(type, comment, now());
      else waiting.push([type, comment]);
    }),
  );

  const replayed = new Set<string>();
  if (since !== null) {
    const startedAt = now();
    try {
      for (const event of await replay(thread, since - REPLAY_OVERLAP_MS)) {
        // Each replayed event carries its own time, so a connection lost mid-replay resumes there.
        send(event.type, event.comment, Math.min(event.at, startedAt));
        replayedEvents.set(`${event.type}\n${event.comment.id}`, eventData(event.comment));
        if (event.type === 'created') replayed.add(event.comment.id);
      }
    } catch (error) {
      options.onError?.(error);
      stream.end();
      return;
    }
  }
  live = true;
  replayedUntil = now() + REPLAY_OVERLAP_MS;
  for (const [type, comment] of waiting.splice(0)) {
    // The replay read the comment after it was created; a later change still goes out.
    if (type === 'created' && replayed.has(comment.id)) continue;
    send(type, comment, now());
  }
  // Where the client now stands: every change stored before this is behind it.
  if (!ended) stream.send('ping', '{}', formatEventId(now()));
}
