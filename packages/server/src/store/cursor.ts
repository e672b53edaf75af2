import { decodeCursor, encodeCursor, type SortOrder } from '@colloquy/core';
import type { QueueStatus } from './types.js';

/**
 * The store's three kinds of keyset cursor, all in @colloquy/core's one codec, each tagged so
 * a cursor of one list sent to another (a `reported` cursor with `status=held`, a thread's
 * cursor to the queue) is `invalid_cursor` too.
 */
export type ThreadCursorKey = [createdAt: number, id: string] | [visibleReplies: number, createdAt: number, id: string];

/** A `best` cursor: the moment its listing ranks as of (clock and mark sequence), and the last row's key. */
export type BestCursorKey = [asOfMs: number, asOfSeq: number, score: number, createdAt: number, id: string];

export function encodeBestCursor(key: BestCursorKey): string {
  return encodeCursor('best', key);
}

export function decodeBestCursor(cursor: string): BestCursorKey {
  return decodeCursor(cursor, 'best', ['int', 'int', 'int', 'int', 'text'], 'The cursor is not one this server gave out for this sort order.');
}

export function encodeThreadCursor(sort: SortOrder, key: ThreadCursorKey): string {
  return encodeCursor(sort, key);
}

export function decodeThreadCursor(sort: SortOrder, cursor: string): ThreadCursorKey {
  const message = 'The cursor is not one this server gave out for this sort order.';
  if (sort === 'top') return decodeCursor(cursor, sort, ['int', 'int', 'text'], message);
  return decodeCursor(cursor, sort, ['int', 'text'], message);
}

/** Moderation queue cursors: the last item's (created_at, id). */
export function encodeQueueCursor(status: QueueStatus, key: [createdAt: number, id: string]): string {
  return encodeCursor(`queue:${status}`, key);
}

export function decodeQueueCursor(status: QueueStatus, cursor: string): [createdAt: number, id: string] {
  return decodeCursor(cursor, `queue:${status}`, ['int', 'text'], 'The cursor is not one this server gave out for this queue; load the queue again.');
}

/** Audit log cursors: the last entry's (created_at, id). */
export function encodeAuditCursor(at: number, id: string): string {
  return encodeCursor('audit', [at, id]);
}

export function decodeAuditCursor(cursor: string): [createdAt: number, id: string] {
  return decodeCursor(cursor, 'audit', ['int', 'text'], 'The cursor is not one this server gave out for the audit log.');
}
