import { canonicalThreadKey, type StorageAdapter } from '@colloquy/core';

interface Waiting {
  resolve: (count: number) => void;
  reject: (error: unknown) => void;
}

/** Largest number of thread keys the protocol takes in one counts request. */
const MAX_BATCH = 100;

/**
 * Collects the count requests of every `<colloquy-count>` on a page that share an adapter and
 * sends them as one `countComments` call per task, so a list of fifty articles costs one
 * request, not fifty.
 */
export class CountBatcher {
  private pending = new Map<string, Waiting[]>();
  private scheduled = false;

  constructor(private readonly adapter: StorageAdapter) {}

  count(key: string): Promise<number> {
    // Counts come back under canonical keys: `/post/` is counted as `/post`.
    const thread = canonicalThreadKey(key);
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(thread) ?? [];
      waiting.push({ resolve, reject });
      this.pending.set(thread, waiting);
      if (!this.scheduled) {
        this.scheduled = true;
        // A macrotask, so elements upgraded in the same parse all join the batch.
        setTimeout(() => this.flush(), 0);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const threads = [...batch.keys()];
    for (let start = 0; start < threads.length; start += MAX_BATCH) {
      const slice = threads.slice(start, start + MAX_BATCH);
      this.adapter.countComments(slice).then(
        (counts) => {
          for (const thread of slice) for (const w of batch.get(thread) ?? []) w.resolve(counts[thread] ?? 0);
        },
        (error: unknown) => {
          for (const thread of slice) for (const w of batch.get(thread) ?? []) w.reject(error);
        },
      );
    }
  }
}

const batchers = new WeakMap<StorageAdapter, CountBatcher>();

export function batcherFor(adapter: StorageAdapter): CountBatcher {
  let batcher = batchers.get(adapter);
  if (!batcher) {
    batcher = new CountBatcher(adapter);
    batchers.set(adapter, batcher);
  }
  return batcher;
}
