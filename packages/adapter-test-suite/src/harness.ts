// What every group of the suite shares: the current test's context, unique thread keys and
// idempotency keys, and the small steps (a named reader, a post, a whole listing) tests repeat.
import type { Comment, Page, Role, SortOrder, StorageAdapter } from '@colloquy/core';
import { equal, ok } from './check.js';
import { ruleTitle } from './rules.js';
import type { AdapterSuiteOptions, SuiteContext } from './types.js';

export interface Harness {
  describe(name: string, body: () => void): void;
  /** Registers a test proving the rules `ids`; the title carries them (`[R12] …`). */
  it(ids: readonly string[], title: string, body: () => Promise<void>): void;
  ctx(): SuiteContext;
  /** Thread keys unique per test, so the suite can also run against long-lived storage. */
  thread(label?: string): string;
  key(): string;
  /** A new client with a named identity. */
  reader(name: string, role?: Role): Promise<StorageAdapter>;
  post(adapter: StorageAdapter, threadKey: string, body: string, parentId?: string): Promise<Comment>;
  /** Every top-level comment of a thread in the default order, in one page. */
  listAll(adapter: StorageAdapter, threadKey: string): Promise<Comment[]>;
  /** Follows `nextCursor` to the end; `between` runs between pages (another client writing). */
  pageThrough(
    adapter: StorageAdapter,
    threadKey: string,
    sort: SortOrder,
    limit: number,
    between?: () => Promise<void>,
  ): Promise<string[]>;
  /** Runs after the current test (unsubscribes, for instance). */
  cleanup(step: () => void): void;
}

export function createHarness(options: AdapterSuiteOptions): Harness {
  let context: SuiteContext | null = null;
  const cleanups: (() => void)[] = [];
  let counter = 0;

  options.beforeEach(async () => {
    context = await options.setup();
  });
  options.afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    const finished = context;
    context = null;
    await finished?.teardown?.();
  });

  const harness: Harness = {
    describe(name, body) {
      options.describe(name, body);
    },
    it(ids, title, body) {
      options.it(ruleTitle(ids, title), body);
    },
    ctx() {
      if (!context) throw new Error('setup() did not provide a suite context');
      return context;
    },
    thread(label = 'thread') {
      counter += 1;
      return `/suite/${label}/${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    },
    key() {
      counter += 1;
      return `suite-${counter}-${Math.random().toString(36).slice(2)}`;
    },
    async reader(name, role) {
      const adapter = await harness.ctx().connect(role ? { role } : {});
      await adapter.identify(name);
      return adapter;
    },
    post(adapter, threadKey, body, parentId) {
      return adapter.createComment({ thread: threadKey, body, idempotencyKey: harness.key(), ...(parentId ? { parentId } : {}) });
    },
    async listAll(adapter, threadKey) {
      return (await adapter.listComments({ thread: threadKey, limit: adapter.capabilities.limits.maxPageSize })).comments;
    },
    async pageThrough(adapter, threadKey, sort, limit, between) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const page: Page = await adapter.listComments({ thread: threadKey, sort, limit, cursor });
        ok(page.comments.length <= limit, `a page of limit ${limit} had ${page.comments.length} comments`);
        seen.push(...page.comments.map((c) => c.id));
        if (page.nextCursor === null) return seen;
        equal(typeof page.nextCursor, 'string', 'nextCursor is a string or null');
        cursor = page.nextCursor;
        if (between) await between();
      }
      throw new Error('paging did not end after 100 pages');
    },
    cleanup(step) {
      cleanups.push(step);
    },
  };
  return harness;
}
