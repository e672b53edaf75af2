/**
 * Recent comment pages as readers without held comments see them, ready to send. A thread's
 * pages are dropped whenever one of its comments changes in a way readers can see (every such
 * change sends a live event, from this process or, on PostgreSQL, from another). Entries also
 * expire after a few seconds, which bounds how long a host-site name change takes to show.
 */
export interface PageCache<T = string> {
  /** A stamp of the thread's state; pass it back to `set` so a page read before a change is not kept after it. */
  generation(thread: string): number;
  get(thread: string, key: string): T | undefined;
  set(thread: string, key: string, generation: number, page: T): void;
  invalidate(thread: string): void;
  readonly size: number;
}

export function createPageCache<T = string>(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}): PageCache<T> {
  const maxEntries = options.maxEntries ?? 2000;
  const ttlMs = options.ttlMs ?? 5000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { page: T; expires: number; thread: string }>();
  const byThread = new Map<string, Set<string>>();
  // Stamps come from one counter, so a forgotten thread (read as `floor`) never matches an older stamp.
  const stamps = new Map<string, number>();
  let counter = 0;
  let floor = 0;
  const id = (thread: string, key: string) => `${thread}\u0000${key}`;

  function drop(k: string): void {
    const entry = entries.get(k);
    if (!entry) return;
    entries.delete(k);
    const keys = byThread.get(entry.thread);
    keys?.delete(k);
    if (keys && keys.size === 0) byThread.delete(entry.thread);
  }

  return {
    generation: (thread) => stamps.get(thread) ?? floor,
    get(thread, key) {
      const k = id(thread, key);
      const entry = entries.get(k);
      if (!entry) return undefined;
      if (entry.expires < now()) {
        drop(k);
        return undefined;
      }
      return entry.page;
    },
    set(thread, key, generation, page) {
      if ((stamps.get(thread) ?? floor) !== generation) return;
      const k = id(thread, key);
      drop(k);
      entries.set(k, { page, expires: now() + ttlMs, thread });
      let keys = byThread.get(thread);
      if (!keys) byThread.set(thread, (keys = new Set()));
      keys.add(k);
      // Oldest first: a Map keeps insertion order.
      while (entries.size > maxEntries) drop(entries.keys().next().value!);
    },
    invalidate(thread) {
      stamps.set(thread, ++counter);
      for (const k of [...(byThread.get(thread) ?? [])]) drop(k);
      if (stamps.size > maxEntries * 4) {
        stamps.clear();
        floor = ++counter;
      }
    },
    get size() {
      return entries.size;
    },
  };
}
