// The world every conformance-suite run of the memory adapter starts from, and the shape of a
// mutant: shared by suite-catches.test.ts and the mutant lists beside it.
import type { Limits, StorageAdapter } from '@colloquy/core';
import type { SuiteContext } from '@colloquy/adapter-test-suite';
import { createMemoryAdapter, createMemoryStore } from './index.js';
import type { MemoryAdapter, MemoryStore, MemoryStoreOptions } from './index.js';

/** Fresh storage for one test, with a clock the suite can move. */
export interface World {
  store: MemoryStore;
  advanceTime(seconds: number): void;
}

export function createWorld(limits?: Partial<Limits>, options: Omit<MemoryStoreOptions, 'now' | 'limits'> = {}): World {
  let offset = 0;
  const store = createMemoryStore({ ...options, now: () => new Date(Date.now() + offset), ...(limits ? { limits } : {}) });
  return { store, advanceTime: (seconds) => void (offset += seconds * 1000) };
}

export function honestContext(world: World): SuiteContext {
  return {
    connect: (options) => createMemoryAdapter({ store: world.store, ...(options?.role ? { role: options.role } : {}) }),
    raw: world.store.raw,
    advanceTime: world.advanceTime,
    setThreadClosed: (thread, closed) => world.store.setThreadClosed(thread, closed),
    setPinned: (id, pinned) => world.store.setPinned(id, pinned),
  };
}

export interface Mutant {
  rule: string;
  /** What the mutant gets wrong. */
  breaks: string;
  /** Wraps every client the suite connects. */
  adapter?: (adapter: MemoryAdapter, world: World) => StorageAdapter;
  /** Replaces the whole test world, for mistakes that are not in one client. */
  context?: () => SuiteContext;
}
