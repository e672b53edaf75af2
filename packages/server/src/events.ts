import type { Comment, ThreadEventType } from '@colloquy/core';
import { channelName, listenPostgres } from './pg-listen.js';
import type { PostgresDatabase } from './store/postgres.js';
import type { Store } from './store/index.js';

export type ThreadListener = (type: ThreadEventType, comment: Omit<Comment, 'replies'>) => void;
/** Told of every event of every thread, whichever process made it (for caches). */
export type ChangeListener = (thread: string) => void;

/** Delivers thread events to the SSE streams of this process, and on PostgreSQL to every process. */
export interface EventHub {
  publish(type: ThreadEventType, comment: Omit<Comment, 'replies'>): Promise<void>;
  subscribe(thread: string, listener: ThreadListener): () => void;
  onChange(listener: ChangeListener): () => void;
  /** Subscribers in this process, for tests and health checks. */
  readonly subscriberCount: number;
  close(): Promise<void>;
}

class LocalFanOut {
  private readonly listeners = new Map<string, Set<ThreadListener>>();
  private readonly changeListeners = new Set<ChangeListener>();
  count = 0;

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(thread: string): void {
    for (const listener of this.changeListeners) listener(thread);
  }

  subscribe(thread: string, listener: ThreadListener): () => void {
    let set = this.listeners.get(thread);
    if (!set) this.listeners.set(thread, (set = new Set()));
    set.add(listener);
    this.count++;
    return () => {
      if (set.delete(listener)) this.count--;
      if (set.size === 0) this.listeners.delete(thread);
    };
  }

  has(thread: string): boolean {
    return this.listeners.has(thread);
  }

  emit(type: ThreadEventType, comment: Omit<Comment, 'replies'>): void {
    for (const listener of [...(this.listeners.get(comment.thread) ?? [])]) {
      try {
        listener(type, comment);
      } catch {
        // One broken stream must not keep the event from the others.
      }
    }
  }
}

/** Single-process hub (SQLite): events go straight to local subscribers. */
export function createLocalEventHub(): EventHub {
  const local = new LocalFanOut();
  return {
    async publish(type, comment) {
      local.changed(comment.thread);
      local.emit(type, comment);
    },
    subscribe: (thread, listener) => local.subscribe(thread, listener),
    onChange: (listener) => local.onChange(listener),
    get subscriberCount() {
      return local.count;
    },
    async close() {},
  };
}

/** Events whose comment carries its helpful count. */
const COUNTED: ReadonlySet<ThreadEventType> = new Set(['helpful', 'pinned', 'unpinned']);

// NOTIFY payloads are limited to 8000 bytes; a larger comment travels by id and is re-read.
const MAX_INLINE_PAYLOAD = 7000;

/**
 * Cross-process hub over PostgreSQL LISTEN/NOTIFY. Every process, the publisher included,
 * receives each event from the database, so all streams see the same order. The channel is
 * named after the schema so separate installations (and test runs) in one database stay apart.
 */
export async function createPostgresEventHub(
  db: PostgresDatabase,
  store: Store,
  toPublic: (record: NonNullable<Awaited<ReturnType<Store['getComment']>>>) => Omit<Comment, 'replies'>,
): Promise<EventHub> {
  const local = new LocalFanOut();
  const channel = channelName('colloquy_events', db);

  async function deliver(payload: string): Promise<void> {
    let message: { type: ThreadEventType; thread: string; id: string; comment?: Omit<Comment, 'replies'> };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof message.thread !== 'string') return;
    local.changed(message.thread);
    if (!local.has(message.thread)) return;
    let comment = message.comment;
    if (!comment) {
      const record = await store.getComment(message.id).catch(() => null);
      if (!record) return;
      // A long comment's `helpful` or pin event travels without it: its count is read afresh too.
      if (COUNTED.has(message.type)) record.helpful = { count: (await store.helpfulOf([record.id], null)).get(record.id)?.count ?? 0, mine: false };
      comment = toPublic(record);
    }
    local.emit(message.type, comment);
  }

  const notifications = await listenPostgres(db, channel, (payload) => void deliver(payload));

  return {
    async publish(type, comment) {
      let payload = JSON.stringify({ type, thread: comment.thread, id: comment.id, comment });
      if (Buffer.byteLength(payload) > MAX_INLINE_PAYLOAD) {
        payload = JSON.stringify({ type, thread: comment.thread, id: comment.id });
      }
      if (Buffer.byteLength(payload) > MAX_INLINE_PAYLOAD) {
        // A very long thread key: deliver locally rather than not at all.
        local.changed(comment.thread);
        local.emit(type, comment);
        return;
      }
      await db.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    subscribe: (thread, listener) => local.subscribe(thread, listener),
    onChange: (listener) => local.onChange(listener),
    get subscriberCount() {
      return local.count;
    },
    close: () => notifications.close(),
  };
}
