// The world every conformance-suite run of the memory adapter starts from, the shape of a
// mutant and how a run is judged: shared by suite-catches.test.ts and the mutant lists beside it.
import type { Limits, StorageAdapter } from '@colloquy/core';
import { ruleIdsOf, runAdapterSuite } from '@colloquy/adapter-test-suite';
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

/** Runs the suite (or only the tests of one rule) and answers the titles of the tests that failed. */
export async function failingTests(context: () => SuiteContext, onlyRule?: string): Promise<string[]> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  let before: () => unknown = () => undefined;
  let after: () => unknown = () => undefined;
  runAdapterSuite({
    name: 'mutant',
    describe: (_name, body) => body(),
    it: (name, body) => void tests.push({ name, body }),
    beforeEach: (hook) => void (before = hook),
    afterEach: (hook) => void (after = hook),
    setup: async () => context(),
  });
  const failed: string[] = [];
  for (const test of tests) {
    if (onlyRule && !ruleIdsOf(test.name).includes(onlyRule)) continue;
    await before();
    try {
      await test.body();
    } catch {
      failed.push(test.name);
    } finally {
      await after();
    }
  }
  return failed;
}

/** A fresh world whose every client is the memory adapter passed through `wrap`. */
export function wrappedContext(wrap: (adapter: MemoryAdapter, world: World) => StorageAdapter): SuiteContext {
  const world = createWorld();
  const honest = honestContext(world);
  return { ...honest, connect: async (options) => wrap((await honest.connect(options)) as MemoryAdapter, world) };
}

export function mutantContext(mutant: Mutant): SuiteContext {
  return mutant.context ? mutant.context() : wrappedContext(mutant.adapter!);
}
