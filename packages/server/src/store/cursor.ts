import { ColloquyError, type SortOrder } from '@colloquy/core';
import type { QueueStatus } from './types.js';

/**
 * Keyset cursors: the last row's sort key, base64url-encoded JSON. Opaque to clients; checked
 * on the way back in so a tampered or foreign cursor is a clear `invalid_cursor`, never a crash.
 */
export type CursorKey = [createdAt: number, id: string] | [visibleReplies: number, createdAt: number, id: string];

export function encodeCursor(sort: SortOrder, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(sort: SortOrder, cursor: string): CursorKey {
  const invalid = () => new ColloquyError('invalid_cursor', 'The cursor is not one this server gave out for this sort order.');
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { s, k } = parsed as { s?: unknown; k?: unknown };
  if (s !== sort || !Array.isArray(k)) throw invalid();
  const isTime = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 64;
  if (sort === 'top') {
    if (k.length !== 3 || !isTime(k[0]) || !isTime(k[1]) || !isId(k[2])) throw invalid();
    return [k[0] as number, k[1] as number, k[2] as string];
  }
  if (k.length !== 2 || !isTime(k[0]) || !isId(k[1])) throw invalid();
  return [k[0] as number, k[1] as string];
}

/**
 * Moderation queue cursors: the last item's (created_at, id), bound to the queue they page, so
 * a `reported` cursor sent with `status=held` (or a thread's cursor) is `invalid_cursor` too.
 */
export function encodeQueueCursor(status: QueueStatus, key: [createdAt: number, id: string]): string {
  return Buffer.from(JSON.stringify({ q: status, k: key }), 'utf8').toString('base64url');
}

export function decodeQueueCursor(status: QueueStatus, cursor: string): [createdAt: number, id: string] {
  const invalid = () => new ColloquyError('invalid_cursor', 'The cursor is not one this server gave out for this queue; load the queue again.');
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { q, k } = parsed as { q?: unknown; k?: unknown };
  if (q !== status || !Array.isArray(k) || k.length !== 2) throw invalid();
  const [createdAt, id] = k as unknown[];
  if (!Number.isSafeInteger(createdAt) || (createdAt as number) < 0 || typeof id !== 'string' || id.length === 0 || id.length > 64) throw invalid();
  return [createdAt as number, id];
}
