// Keyset cursors: the sort key of the last row a page showed, in @colloquy/core's cursor codec
// (the one the server uses). The next page starts strictly after that key, so writes elsewhere
// never shift it. A `best` cursor also carries the moment its listing ranks as of.
import { decodeCursor as decodeKey, encodeCursor as encodeKey, type SortOrder } from '@colloquy/core';

export interface SortKey {
  sort: SortOrder;
  createdAt: string;
  id: string;
  /** Visible replies, for `top`. */
  replies?: number;
  /** For `best`: the score, and the store's sequence and clock the listing ranks as of. */
  score?: number;
  asOfSeq?: number;
  asOfMs?: number;
}

const MESSAGE = 'The page cursor is not valid here; load the list again.';

export function encodeCursor(key: SortKey): string {
  if (key.sort === 'best') return encodeKey(key.sort, [key.createdAt, key.id, key.score ?? 0, key.asOfSeq ?? 0, key.asOfMs ?? 0]);
  return encodeKey(key.sort, key.sort === 'top' ? [key.createdAt, key.id, key.replies ?? 0] : [key.createdAt, key.id]);
}

export function decodeCursor(cursor: unknown, sort: SortOrder): SortKey {
  if (sort === 'best') {
    const [createdAt, id, score, asOfSeq, asOfMs] = decodeKey(cursor, sort, ['text', 'text', 'int', 'int', 'int'], MESSAGE);
    return { sort, createdAt, id, score, asOfSeq, asOfMs };
  }
  if (sort !== 'top') {
    const [createdAt, id] = decodeKey(cursor, sort, ['text', 'text'], MESSAGE);
    return { sort, createdAt, id };
  }
  const [createdAt, id, replies] = decodeKey(cursor, sort, ['text', 'text', 'int'], MESSAGE);
  return { sort, createdAt, id, replies };
}
