// Mutants for the pin rules (R42–R46): the memory adapter with one promise about pins broken.
import type { ThreadEvent } from '@colloquy/core';
import type { MemoryAdapter } from './index.js';
import { createWorld, honestContext, type Mutant } from './suite-world.test-support.js';

/** The adapter with its live events passed through `change` (null drops one). */
function relayed(a: MemoryAdapter, change: (event: ThreadEvent) => ThreadEvent | null): MemoryAdapter {
  return {
    ...a,
    subscribe: (thread, listener) =>
      a.subscribe(thread, (event) => {
        const changed = change(event);
        if (changed) listener(changed);
      }),
  };
}

export const PIN_MUTANTS: Mutant[] = [
  {
    rule: 'R42',
    breaks: 'ignores pinning',
    context: () => ({ ...honestContext(createWorld()), setPinned: () => undefined }),
  },
  {
    rule: 'R42',
    breaks: 'lists pinned comments first but unmarked',
    adapter: (a) => ({
      ...a,
      async listComments(query) {
        const page = await a.listComments(query);
        return page.pinned ? { ...page, pinned: page.pinned.map((c) => ({ ...c, pinnedAt: null })) } : page;
      },
    }),
  },
  {
    rule: 'R43',
    breaks: 'carries the pins again on every later page',
    adapter: (a) => ({
      ...a,
      async listComments(query) {
        const page = await a.listComments(query);
        if (!query.cursor) return page;
        const first = await a.listComments({ ...query, cursor: null });
        return { ...page, ...(first.pinned ? { pinned: first.pinned } : {}) };
      },
    }),
  },
  {
    rule: 'R44',
    breaks: 'ignores unpinning',
    context: () => {
      const world = createWorld();
      return { ...honestContext(world), setPinned: (id: string, pinned: boolean) => (pinned ? world.store.setPinned(id, true) : undefined) };
    },
  },
  {
    rule: 'R46',
    breaks: 'tells subscribers nothing of pins',
    adapter: (a) => relayed(a, (event) => (event.type === 'pinned' || event.type === 'unpinned' ? null : event)),
  },
  {
    rule: 'R46',
    breaks: 'announces an unpin as a pin',
    adapter: (a) => relayed(a, (event) => (event.type === 'unpinned' ? { ...event, type: 'pinned' } : event)),
  },
  {
    rule: 'R45',
    breaks: 'pins without a limit',
    context: () => honestContext(createWorld(undefined, { maxPins: 100 })),
  },
];
