// Keyset cursors: the sort key of the last row a page showed, as opaque base64url JSON. The
// next page starts strictly after that key, so writes elsewhere never shift it.
import { ColloquyError } from '@colloquy/core';
import type { SortOrder } from '@colloquy/core';

export interface SortKey {
  sort: SortOrder;
  createdAt: string;
  id: string;
  /** Visible replies, for `top`. */
  replies?: number;
}

export function encodeCursor(key: SortKey): string {
  const json = JSON.stringify(key.sort === 'top' ? [key.sort, key.createdAt, key.id, key.replies ?? 0] : [key.sort, key.createdAt, key.id]);
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: unknown, sort: SortOrder): SortKey {
  const invalid = new ColloquyError('invalid_cursor', 'The page cursor is not valid here; load the list again.');
  if (typeof cursor !== 'string' || cursor === '' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') {
    throw invalid;
  }
  if (sort !== 'top') return { sort, createdAt: parsed[1], id: parsed[2] };
  if (typeof parsed[3] !== 'number' || !Number.isInteger(parsed[3])) throw invalid;
  return { sort, createdAt: parsed[1], id: parsed[2], replies: parsed[3] };
}
