import { THREAD_EVENT_TYPES, toColloquyError } from '@colloquy/core';
import type { Comment, ThreadEvent, Unsubscribe } from '@colloquy/core';
import { createReconnectDelay } from './reconnect.js';
import type { EventSourceConstructor, EventSourceLike, RestAdapterOptions } from './rest-adapter.js';

/**
 * A thread's live stream (`GET /events`): loaded by `createRestAdapter` on the first
 * `subscribe`, so a page that never opens one never fetches it; in embed.js it is an on-demand
 * chunk, since a thread opens its stream only after the first paint (docs/decisions/0028, 0032).
 */

/** What the stream needs from the adapter that loaded it. */
export interface LiveContext {
  base: string;
  EventSource: EventSourceConstructor;
  /** The server's `Date` on each thread's latest first page. */
  readAt: Map<string, string | null>;
  commentOf(payload: unknown): Comment;
  options: Pick<RestAdapterOptions, 'liveReconnect' | 'onError'>;
}

/** Opens the stream of a (checked) thread key; the answer closes it. */
export function openStream(live: LiveContext, thread: string, listener: (event: ThreadEvent) => void): Unsubscribe {
  const { options } = live;
  let source: EventSourceLike;
  // A stream opened a while after the page was read (the thread came into view late)
  // asks for what changed since: event ids are the server's clock in ms (0013).
  let lastEventId = String(Date.parse(live.readAt.get(thread) ?? '') || '');
  let open = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const delay = createReconnectDelay(options.liveReconnect);
  const connect = () => {
    if (!open) return;
    // EventSource reconnects by itself after a dropped connection and sends Last-Event-ID;
    // a new one (after the server refused a reconnect) cannot send headers, so the id
    // travels as a query parameter. Either way the server replays what was missed.
    const params = new URLSearchParams({ thread });
    if (lastEventId) params.set('lastEventId', lastEventId);
    source = new live.EventSource(`${live.base}/api/v1/events?${params}`);
    source.addEventListener('open', () => delay.opened());
    // Every event moves the id on; `ping` carries no comment.
    for (const type of ['ping', ...THREAD_EVENT_TYPES]) {
      source.addEventListener(type, (message: MessageEvent) => {
        if (!open) return;
        lastEventId = message.lastEventId;
        if (type === 'ping') return;
        let comment: Comment;
        try {
          comment = live.commentOf(JSON.parse(String(message.data)));
        } catch (error) {
          // A malformed event is skipped (the next full load shows the truth) and told to onError.
          options.onError?.(toColloquyError(error, 'bad_response'));
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
