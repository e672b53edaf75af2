// Pinned comments in the thread's state: a first page's `pinned` come first, whatever the sort,
// and stay first when a live comment arrives on top under `newest`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageAdapter } from './adapter.js';
import { DEFAULT_LIMITS, type Comment, type ListQuery, type Page, type ThreadEvent } from './types.js';
import { createThreadState } from './thread-state.js';

const THREAD = '/pins';
const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
const comment = (id: string, n: number, pinnedAt: string | null = null): Comment => ({
  id,
  thread: THREAD,
  parentId: null,
  author: { id: 'i_a', name: 'Ada', role: 'reader' },
  body: id,
  createdAt: at(n),
  editedAt: null,
  status: 'visible',
  pinnedAt,
  replies: [],
});

/** An adapter answering a fixed first page (pins apart) and a second page, and pushing live events on demand. */
function pagedAdapter(): { adapter: StorageAdapter; push: (event: ThreadEvent) => void } {
  let listener: ((event: ThreadEvent) => void) | null = null;
  const unsupported = () => Promise.reject(new Error('not used'));
  const adapter: StorageAdapter = {
    capabilities: { live: true, limits: DEFAULT_LIMITS },
    getIdentity: async () => null,
    identify: unsupported,
    async listComments(query: ListQuery): Promise<Page> {
      if (query.cursor) return { comments: [comment('c', 3)], nextCursor: null, closed: false };
      return { comments: [comment('b', 4), comment('a', 1)], pinned: [comment('p', 2, at(9))], nextCursor: 'next', closed: false };
    },
    createComment: unsupported,
    editComment: unsupported,
    deleteComment: unsupported,
    reportComment: unsupported,
    markHelpful: unsupported,
    countComments: async () => ({}),
    subscribe(_thread, next) {
      listener = next;
      return () => void (listener = null);
    },
  };
  return { adapter, push: (event) => listener?.(event) };
}

test('the pins of a first page come first, then the page, then the next page; a live arrival under newest goes below the pins', async () => {
  const { adapter, push } = pagedAdapter();
  const state = createThreadState({ adapter, thread: THREAD, sort: 'newest' });
  await state.load();
  const order = () => state.getSnapshot().comments.map((node) => node.comment.id);
  assert.deepEqual(order(), ['p', 'b', 'a']);
  assert.equal(state.getSnapshot().comments[0]!.comment.pinnedAt, at(9), 'the pin travels with the comment');
  await state.loadMore();
  assert.deepEqual(order(), ['p', 'b', 'a', 'c']);
  state.connect();
  push({ type: 'created', comment: comment('new', 10) });
  await new Promise((resolve) => setTimeout(resolve, 10));
  state.acknowledgeLive();
  assert.ok(order().includes('new'), 'the live comment is listed');
  assert.equal(order()[0], 'p', 'the pin stays first');
  state.dispose();
});
