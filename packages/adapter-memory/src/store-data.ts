// The memory store's data outside its closure: reading persisted data, and the orders of a
// thread's pages (store.ts).
import type { SortKey } from './cursor.js';
import type { StoreData } from './store-types.js';

export function emptyData(): StoreData {
  return { version: 1, sequence: 0, comments: {}, identities: {}, reports: [], idempotency: {} };
}

export function parseData(serialized: string | null): StoreData {
  if (serialized === null) return emptyData();
  try {
    const data = JSON.parse(serialized) as StoreData;
    if (data && data.version === 1 && typeof data.comments === 'object') return data;
  } catch {
    // Unreadable data (another program's key, a truncated write) is treated as empty rather
    // than breaking the page; the next write replaces it.
  }
  return emptyData();
}

/** Creation order; ids break ties between equal timestamps. */
export function compareOldest(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Orders rows as a page shows them; a cursor is the key of the last row already seen. */
export function compareKeys(a: SortKey, b: SortKey): number {
  const byAge = compareOldest(a, b);
  if (a.sort === 'oldest') return byAge;
  if (a.sort === 'newest') return -byAge;
  if (a.sort === 'best') {
    const score = (b.score ?? 0) - (a.score ?? 0);
    return score !== 0 ? score : -byAge;
  }
  const replies = (b.replies ?? 0) - (a.replies ?? 0);
  return replies !== 0 ? replies : -byAge;
}
