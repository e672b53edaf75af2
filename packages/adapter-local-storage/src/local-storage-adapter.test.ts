// The conformance suite in Node over a Map-backed Storage, for a quick check without a browser;
// the browser test runs it over the real localStorage.
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createLocalStorageAdapter } from './index.js';

class MapStorage implements Storage {
  #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
}

runAdapterSuite({
  name: 'local-storage adapter (Map-backed Storage)',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    const storage = new MapStorage();
    let clients = 0;
    const stored = () => JSON.parse(storage.getItem('colloquy:data') ?? '{"comments":{}}') as {
      comments: Record<string, { id: string; thread: string; parentId: string | null; body: string; status: 'visible' }>;
    };
    const moderator = () => createLocalStorageAdapter({ storage, identityKey: 'colloquy:identity:moderator', eventTarget: null });
    return {
      connect: (options) =>
        createLocalStorageAdapter({
          storage,
          identityKey: `colloquy:identity:${++clients}`,
          eventTarget: null,
          ...(options?.role ? { role: options.role } : {}),
        }),
      raw: {
        getComment: (id) => stored().comments[id] ?? null,
        countStored: (thread) => Object.values(stored().comments).filter((c) => c.thread === thread).length,
      },
      // The shared store of this storage, reached through any adapter over it.
      setThreadClosed: (thread, closed) => moderator().store.setThreadClosed(thread, closed),
      setPinned: (id, pinned) => moderator().store.setPinned(id, pinned),
    };
  },
});
