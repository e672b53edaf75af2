import { channelName, listenPostgres } from './pg-listen.js';
import type { PostgresDatabase } from './store/postgres.js';

/** What moderators are told live. */
export const MODERATION_EVENT_TYPES = ['reported', 'held', 'hidden', 'moderated'] as const;
export type ModerationEventType = (typeof MODERATION_EVENT_TYPES)[number];

/**
 * A moderation event as it travels between processes: the comment by id (each process reads
 * it again, so a long body never meets NOTIFY's 8000-byte limit) and a few small facts.
 */
export interface ModerationSignal {
  type: ModerationEventType;
  commentId: string;
  /** Small facts of the event: the report, the action, who hid it. */
  facts: Record<string, unknown>;
}

export type ModerationListener = (signal: ModerationSignal) => void;

/** Delivers moderation events to moderators' streams in this process, and on PostgreSQL in every process. */
export interface ModerationHub {
  publish(signal: ModerationSignal): Promise<void>;
  subscribe(listener: ModerationListener): () => void;
  readonly subscriberCount: number;
  close(): Promise<void>;
}

class Listeners {
  private readonly set = new Set<ModerationListener>();
  get size(): number {
    return this.set.size;
  }
  add(listener: ModerationListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(signal: ModerationSignal): void {
    for (const listener of [...this.set]) {
      try {
        listener(signal);
      } catch {
        // One broken stream must not keep the event from the others.
      }
    }
  }
}

export function createLocalModerationHub(): ModerationHub {
  const listeners = new Listeners();
  return {
    async publish(signal) {
      listeners.emit(signal);
    },
    subscribe: (listener) => listeners.add(listener),
    get subscriberCount() {
      return listeners.size;
    },
    async close() {},
  };
}

const MAX_PAYLOAD = 7900;

/**
 * Cross-process hub over PostgreSQL LISTEN/NOTIFY on its own channel (named after the schema,
 * like the thread events). Every process, the publisher included, hears each event from the
 * database.
 */
export async function createPostgresModerationHub(db: PostgresDatabase): Promise<ModerationHub> {
  const listeners = new Listeners();
  const channel = channelName('colloquy_moderation', db);

  function deliver(payload: string): void {
    let signal: ModerationSignal;
    try {
      signal = JSON.parse(payload) as ModerationSignal;
    } catch {
      return;
    }
    if (typeof signal.commentId !== 'string' || typeof signal.type !== 'string') return;
    listeners.emit({ type: signal.type, commentId: signal.commentId, facts: signal.facts ?? {} });
  }
  const notifications = await listenPostgres(db, channel, deliver);

  return {
    async publish(signal) {
      let payload = JSON.stringify(signal);
      // Facts are small (a report's details are at most a thousand characters); drop them rather than the event.
      if (Buffer.byteLength(payload) > MAX_PAYLOAD) payload = JSON.stringify({ ...signal, facts: { truncated: true } });
      await db.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    subscribe: (listener) => listeners.add(listener),
    get subscriberCount() {
      return listeners.size;
    },
    close: () => notifications.close(),
  };
}
