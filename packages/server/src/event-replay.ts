import type { Comment, ThreadEventType } from '@colloquy/core';
import type { CommentRecord, Store } from './store/index.js';

export interface ReplayedEvent {
  type: ThreadEventType;
  comment: Omit<Comment, 'replies'>;
  /** When the change was stored (epoch ms); the replay is in this order. */
  at: number;
}

/** Reads what happened in a thread since a time, from stored data alone (docs/protocol.md, "Event ids and replay"). */
export type EventReplay = (thread: string, sinceMs: number) => Promise<ReplayedEvent[]>;

interface ChangeRow {
  id: string;
  created_at: number | string;
  edited_at: number | string | null;
  status: string;
  pinned_at: number | string | null;
  moderated_at: number | string | null;
  restored: number | string | null;
  pin_changed: number | string | null;
}

// Moderation decisions that bring a comment (back) to readers; the others take it away.
const RESTORING = `('approve', 'restore')`;
const PINNING = `('pin', 'unpin')`;

/**
 * Every comment of the thread created, edited, deleted, moderated, pinned or unpinned at or
 * after `sinceMs`, as the one event that brings a reader who missed the change up to date with
 * its current state; then, for every visible comment whose helpful marks changed since, a
 * `helpful` event with its count, at the time of the latest change. Comments held when posted
 * are never replayed: readers never saw them. A held comment edited in the window may be one
 * its author edited back into the queue: it is replayed as `hidden` (without text), so readers
 * who had it drop it; others do not have it and ignore it.
 */
export function createEventReplay(store: Store, toPublic: (record: CommentRecord) => Omit<Comment, 'replies'>): EventReplay {
  return async (thread, sinceMs) => {
    const rows = await store.db.all<ChangeRow & Record<string, unknown>>(
      `SELECT c.id, c.created_at, c.edited_at, c.status, c.pinned_at,
         (SELECT MAX(m.created_at) FROM moderation_log m WHERE m.comment_id = c.id AND m.created_at >= ?) AS moderated_at,
         (SELECT MAX(m.created_at) FROM moderation_log m WHERE m.comment_id = c.id AND m.created_at >= ? AND m.action IN ${RESTORING}) AS restored,
         (SELECT MAX(m.created_at) FROM moderation_log m WHERE m.comment_id = c.id AND m.created_at >= ? AND m.action IN ${PINNING}) AS pin_changed
       FROM comments c
       WHERE c.thread = ? AND (c.status <> 'held' OR c.edited_at >= ?)
         AND (c.created_at >= ? OR c.edited_at >= ?
           OR EXISTS (SELECT 1 FROM moderation_log m WHERE m.comment_id = c.id AND m.created_at >= ?))`,
      [sinceMs, sinceMs, sinceMs, thread, sinceMs, sinceMs, sinceMs, sinceMs],
    );
    const changes: Array<{ id: string; type: ThreadEventType; at: number }> = [];
    for (const row of rows) {
      const created = Number(row.created_at);
      const at = Math.max(created, Number(row.edited_at ?? 0), Number(row.moderated_at ?? 0));
      const type = replayType(row, created >= sinceMs);
      if (type) changes.push({ id: row.id, type, at });
    }
    // Marks set or taken back in the window (a taken-back mark keeps its row, decision 0036).
    const marked = await store.db.all<{ comment_id: string; at: number | string }>(
      `SELECT comment_id, MAX(CASE WHEN unmarked_at >= ? THEN unmarked_at ELSE created_at END) AS at
       FROM helpful_marks WHERE thread = ? AND (created_at >= ? OR unmarked_at >= ?) GROUP BY comment_id`,
      [sinceMs, thread, sinceMs, sinceMs],
    );
    for (const row of marked) changes.push({ id: row.comment_id, type: 'helpful', at: Number(row.at) });
    changes.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const counts = await store.helpfulOf([...new Set(changes.map((change) => change.id))], null);
    const events: ReplayedEvent[] = [];
    for (const change of changes) {
      // Read afresh: the replay sends what the comment is now, not what it was.
      const record = await store.getComment(change.id);
      if (!record) continue;
      // A count shows only on a visible comment; a mark on one hidden or deleted since is not news.
      if (record.status === 'visible') record.helpful = counts.get(record.id) ?? { count: 0, mine: false };
      else if (change.type === 'helpful') continue;
      events.push({ type: change.type, comment: toPublic(record), at: change.at });
    }
    return events;
  };
}

function replayType(row: ChangeRow, createdInWindow: boolean): ThreadEventType | null {
  switch (row.status) {
    case 'visible':
      if (createdInWindow) return 'created';
      // Approved or restored meanwhile: readers who missed it do not have it yet.
      if (row.restored !== null) return 'restored';
      // Pinned or unpinned meanwhile: the comment as it is now, its text included, moves to or
      // from the pins (and a newly pinned one comes to readers who had not loaded it).
      if (row.pin_changed !== null) return row.pinned_at === null ? 'unpinned' : 'pinned';
      return 'edited';
    case 'deleted':
      return 'deleted';
    case 'hidden':
      return 'hidden';
    case 'held':
      // Edited while held, perhaps back into the queue (the query brings no other held comment).
      return 'hidden';
    default:
      return null;
  }
}
