import { THREAD_EVENT_TYPES, toColloquyError } from '@colloquy/core';
import type { ColloquyError, Comment, ThreadEvent } from '@colloquy/core';
import { createReconnectDelay, type ReconnectOptions } from './reconnect.js';
import type { EventSourceConstructor, EventSourceLike } from './rest-adapter.js';

/**
 * The adapter's live stream: loaded by `createRestAdapter` when a thread first subscribes, so
 * a page whose thread never comes into view never fetches it; in embed.js an on-demand chunk
 * (docs/decisions/0038-critical-path-by-reader.md).
 */

/** What the stream needs from the adapter that loaded it. */
export interface LiveContext {
  base: string;
  EventSource: EventSourceConstructor;
  /** The server's `Date` on each thread's latest first page. */
  readAt: Map<string, string | null>;
  commentOf(payload: unknown): Comment;
  liveReconnect: ReconnectOptions | undefined;
  onError: ((error: ColloquyError) => void) | undefined;
}

/** Opens the stream of `thread` (a valid key); answers the function that closes it for good. */
export function openStream(context: LiveContext, thread: string, listener: (event: ThreadEvent) => void): () => void {
  const { EventSource: EventSourceImpl, commentOf } = context;
  let source: EventSourceLike;
  // A stream opened a while after the page was read (the thread came into view late)
  // asks for what changed since: event ids are the server's clock in ms (0013).
  let lastEventId = String(Date.parse(context.readAt.get(thread) ?? '') || '');
  let open = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const delay = createReconnectDelay(context.liveReconnect);
  const connect = () => {
    if (!open) return;
    // EventSource reconnects by itself after a dropped connection and sends Last-Event-ID;
    // a new one (after the server refused a reconnect) cannot send headers, so the id
    // travels as a query parameter. Either way the server replays what was missed.
    const params = new URLSearchParams({ thread });
    if (lastEventId) params.set('lastEventId', lastEventId);
    source = new EventSourceImpl(`${context.base}/api/v1/events?${params}`);
    source.addEventListener('open', () => delay.opened());
    // Every event moves the id on; `ping` carries no comment.
    for (const type of ['ping', ...THREAD_EVENT_TYPES]) {
      source.addEventListener(type, (message: MessageEvent) => {
        if (!open) return;
        lastEventId = message.lastEventId;
        if (type === 'ping') return;
        let comment: Comment;
        try {
          comment = commentOf(JSON.parse(String(message.data)));
        } catch (error) {
          // A malformed event is skipped (the next full load shows the truth) and told to onError.
          context.onError?.(toColloquyError(error, 'bad_response'));
          return;
        }
        listener({ type: type as ThreadEvent['type'], comment });
      });
    }
    source.addEventListener('error', () => {
      // CLOSED: the browser gave up (an error status: 503 while a server restarts, 429 or 503
      // at the server's stream limits). Waits grow while the refusals go on.
      if (open && source.readyState === 2) timer = setTimeout(connect, delay.next());
    });
  };
  connect();
  return () => {
    open = false;
    clearTimeout(timer);
    source.close();
  };
}
