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
      // The reader marked `a` helpful themselves.
      return { comments: [comment('b', 4), { ...comment('a', 1), helpful: { count: 1, mine: true } }], pinned: [comment('p', 2, at(9))], nextCursor: 'next', closed: false };
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
  await state.connect();
  push({ type: 'created', comment: comment('new', 10) });
  await new Promise((resolve) => setTimeout(resolve, 10));
  state.acknowledgeLive();
  assert.ok(order().includes('new'), 'the live comment is listed');
  assert.equal(order()[0], 'p', 'the pin stays first');
  state.dispose();
});

test('pins arrive live: a pinned comment moves to the pins, the latest first, keeping the reader’s own mark; unpinned, it leaves them', async () => {
  const { adapter, push } = pagedAdapter();
  const state = createThreadState({ adapter, thread: THREAD, sort: 'newest' });
  await state.load();
  await state.connect();
  const order = () => state.getSnapshot().comments.map((node) => node.comment.id);
  const find = (id: string) => state.getSnapshot().comments.find((node) => node.comment.id === id)?.comment;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(order(), ['p', 'b', 'a']);
  // The event is the same for every reader: its `mine` is false.
  push({ type: 'pinned', comment: { ...comment('a', 1, at(20)), body: 'a, as it is now', helpful: { count: 1, mine: false } } });
  await settle();
  assert.deepEqual(order(), ['a', 'p', 'b'], 'the latest pin first, before the older one');
  assert.equal(find('a')!.pinnedAt, at(20));
  assert.equal(find('a')!.body, 'a, as it is now', 'the comment as the event brings it');
  assert.deepEqual(find('a')!.helpful, { count: 1, mine: true }, 'the reader’s own mark stays theirs');
  assert.deepEqual(state.getSnapshot().liveArrivals, [], 'not announced as a new comment');

  push({ type: 'pinned', comment: comment('a', 1, at(20)) });
  await settle();
  assert.deepEqual(order(), ['a', 'p', 'b'], 'a repeated event changes nothing');

  push({ type: 'unpinned', comment: comment('p', 2) });
  await settle();
  assert.deepEqual(order(), ['a', 'p', 'b'], 'unpinned, it stays where the reader had it, below the pins');
  assert.equal(find('p')!.pinnedAt, null);
  push({ type: 'unpinned', comment: comment('a', 1) });
  await settle();
  assert.deepEqual(order(), ['p', 'b', 'a'], 'the last pin gone, the order the reader loaded');

  // Pinned while on a page this reader never loaded: later pages would never list it, so it comes now.
  push({ type: 'pinned', comment: comment('far', 0, at(30)) });
  push({ type: 'unpinned', comment: comment('elsewhere', 0) });
  await settle();
  assert.deepEqual(order(), ['far', 'p', 'b', 'a'], 'an unpinned comment the reader never loaded is not added');
  await state.loadMore();
  assert.deepEqual(order(), ['far', 'p', 'b', 'a', 'c']);
  state.dispose();
});
