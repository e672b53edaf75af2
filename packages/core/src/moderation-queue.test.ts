import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError } from './errors.js';
import { actionApplies, compareQueued, createModerationQueue, type ModerationSource, type QueueChangeListener } from './moderation-queue.js';
import type { ModerationAction, QueueItem, QueueStatus } from './moderation-types.js';
import type { Comment } from './types.js';

const minutesAgo = (minutes: number) => new Date(Date.UTC(2026, 0, 1) - minutes * 60_000).toISOString();
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

function comment(id: string, minutes: number, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    thread: '/t',
    parentId: null,
    author: { id: `a-${id}`, name: id, role: 'reader' },
    body: id,
    createdAt: minutesAgo(minutes),
    editedAt: null,
    status: 'visible',
    replies: [],
    ...fields,
  };
}

function queued(id: string, minutes: number, fields: Partial<Comment> = {}, extra: Partial<QueueItem> = {}): QueueItem {
  return {
    comment: comment(id, minutes, fields),
    parent: null,
    reports: [],
    reportWeight: 0,
    heldReasons: [],
    authorHistory: null,
    hiddenBy: null,
    threshold: 3,
    commentActions: [],
    ...extra,
  };
}

/** A paged source with the server's queue semantics: a decision takes a comment out, hides go to `hidden`, approvals to `visible`. */
function fakeSource(initial: Partial<Record<QueueStatus, QueueItem[]>>, pageSize = 2) {
  const queues: Record<QueueStatus, QueueItem[]> = { reported: [], held: [], hidden: [], visible: [], ...initial };
  const listeners = new Set<QueueChangeListener>();
  const calls: string[] = [];
  let failNext: ColloquyError | null = null;
  let gate: Promise<void> = Promise.resolve();
  const take = () => {
    const error = failNext;
    failNext = null;
    if (error) throw error;
  };
  const source: ModerationSource & { subscribe: NonNullable<ModerationSource['subscribe']> } = {
    async queue(status, cursor = null, search = null) {
      calls.push(`${status}:${cursor ?? '-'}${search ? `:${JSON.stringify(search)}` : ''}`);
      take();
      await gate;
      const matches = (item: QueueItem) =>
        (!search?.q || `${item.comment.body} ${item.comment.author.name}`.toLowerCase().includes(search.q.toLowerCase())) &&
        (!search?.thread || item.comment.thread === search.thread);
      const all = [...queues[status]].filter(matches).sort((a, b) => compareQueued(a, b, status));
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + pageSize).map((item) => structuredClone(item));
      return { items, nextCursor: start + pageSize < all.length ? String(start + pageSize) : null, total: all.length };
    },
    async act(id, action: ModerationAction) {
      take();
      const item = Object.values(queues).flat().find((entry) => entry.comment.id === id);
      if (!item) throw new ColloquyError('not_found', 'No such comment.');
      const status = action === 'approve' || action === 'restore' ? 'visible' : 'hidden';
      for (const key of Object.keys(queues) as QueueStatus[]) queues[key] = queues[key].filter((entry) => entry.comment.id !== id);
      queues[status].push({ ...item, comment: { ...item.comment, status }, reports: [] });
      return { ...item.comment, status };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    source,
    queues,
    calls,
    listeners,
    fail: (error: ColloquyError) => void (failNext = error),
    /** Holds every answer until the returned function is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
    signal: () => listeners.forEach((listener) => listener(null)),
  };
}

const ids = (items: readonly QueueItem[] | undefined) => (items ?? []).map((item) => item.comment.id);
const five = () => [queued('q1', 50), queued('q2', 40), queued('q3', 30), queued('q4', 20), queued('q5', 10)];

test('loads the first page of every queue with its total, then pages on with the cursor', async () => {
  const fake = fakeSource({ reported: five(), held: [queued('h1', 5, { status: 'held' })] });
  const state = createModerationQueue({ source: fake.source });
  const seen: number[] = [];
  state.subscribe((snapshot) => seen.push(snapshot.items.size));
  await state.refresh();
  let snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('reported')), ['q1', 'q2']);
  assert.equal(snapshot.totals.get('reported'), 5);
  assert.equal(snapshot.totals.get('held'), 1);
  assert.deepEqual([...snapshot.loaded].sort(), ['held', 'hidden', 'reported']);
  assert.equal(snapshot.cursors.get('reported'), '2');
  assert.ok(snapshot.refreshedAt instanceof Date);
  assert.ok(seen.length > 0, 'subscribers hear about the load');

  const more = await state.loadMore('reported');
  assert.ok(more && 'added' in more);
  assert.deepEqual(ids(more.added), ['q3', 'q4']);
  snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('reported')), ['q1', 'q2', 'q3', 'q4']);
  assert.equal(snapshot.loadingMore.has('reported'), false);
  await state.loadMore('reported');
  assert.equal(state.getSnapshot().cursors.get('reported'), null);
  assert.equal(await state.loadMore('reported'), null, 'nothing past the end');
});

test('a quiet refresh holds new items as arrivals, announces them once, and never moves the list', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30), queued('r2', 20)] }, 10);
  const arrivals: string[] = [];
  const state = createModerationQueue({ source: fake.source, onArrivals: (queue, count) => arrivals.push(`${queue}:${count}`) });
  await state.refresh();
  fake.queues.reported.push(queued('n1', 1));
  await state.refresh(true);
  assert.deepEqual(ids(state.getSnapshot().items.get('reported')), ['r1', 'r2']);
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('reported')), ['n1']);
  assert.deepEqual(arrivals, ['reported:1']);
  await state.refresh(true);
  assert.deepEqual(arrivals, ['reported:1'], 'an arrival already waiting is not news again');
  assert.deepEqual(ids(state.showArrivals('reported')), ['n1']);
  assert.deepEqual(ids(state.getSnapshot().items.get('reported')), ['r1', 'r2', 'n1']);
  assert.equal(state.getSnapshot().arrivals.has('reported'), false);
});

test('items decided elsewhere are marked, not removed, until a full refresh; a later page is checked too', async () => {
  const fake = fakeSource({ reported: five() });
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  await state.loadMore('reported');
  fake.queues.reported = fake.queues.reported.filter((item) => item.comment.id !== 'q4');
  await state.refresh(true);
  let snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('reported')), ['q1', 'q2', 'q3', 'q4']);
  assert.ok(snapshot.gone.has('q4'));
  assert.equal(snapshot.totals.get('reported'), 4);
  await state.refresh(false);
  snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('reported')), ['q1', 'q2', 'q3', 'q5'], 'a full refresh reloads as far as was loaded');
  assert.equal(snapshot.gone.has('q4'), false);
});

test('a new item past the loaded pages is counted but not an arrival; one among them is', async () => {
  const fake = fakeSource({ reported: five() });
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  fake.queues.reported.push(queued('late', 1));
  await state.refresh(true);
  assert.equal(state.getSnapshot().totals.get('reported'), 6);
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('reported')), []);
  fake.queues.reported.push(queued('old', 100));
  await state.refresh(true);
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('reported')), ['old']);
  const more = await state.loadMore('reported');
  assert.ok(more && 'added' in more);
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('reported')), ['old'], 'still waiting after the next page');
});

test('a decision takes the item out, counts the tab down and refreshes the other queues', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30), queued('r2', 20)], hidden: [queued('x1', 40, { status: 'hidden' })] });
  const decided: string[] = [];
  const state = createModerationQueue({ source: fake.source, onDecided: (action, comment) => decided.push(`${comment.id}:${action}`) });
  await state.refresh();
  const result = await state.decide('reported', [state.getSnapshot().items.get('reported')![0]!], 'hide');
  assert.deepEqual([...result.keys()], ['r1']);
  assert.deepEqual(decided, ['r1:hide']);
  assert.deepEqual(ids(state.getSnapshot().items.get('reported')), ['r2']);
  assert.equal(state.getSnapshot().totals.get('reported'), 1);
  await until(() => state.getSnapshot().totals.get('hidden') === 2, 'the hidden tab counts the comment that moved there');
  assert.equal(state.getSnapshot().busy.size, 0);
});

test('a hide in the hidden queue keeps the item there with its reports closed', async () => {
  const fake = fakeSource({ hidden: [queued('x1', 40, { status: 'hidden' }, { reportWeight: 2 })] });
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  await state.decide('hidden', state.getSnapshot().items.get('hidden')!, 'spam');
  const [item] = state.getSnapshot().items.get('hidden')!;
  assert.equal(item?.comment.status, 'hidden');
  assert.equal(item?.reportWeight, 0);
});

test('a decision on an item gone from the server marks it and keeps the error for the item', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30), queued('r2', 20)] });
  const errors: string[] = [];
  const state = createModerationQueue({ source: fake.source, onError: (error, action) => errors.push(`${action}:${error.code}`) });
  await state.refresh();
  fake.queues.reported = fake.queues.reported.filter((item) => item.comment.id !== 'r2');
  const result = await state.decide('reported', [state.getSnapshot().items.get('reported')![1]!], 'approve');
  assert.equal(result.size, 0);
  const snapshot = state.getSnapshot();
  assert.ok(snapshot.gone.has('r2'));
  assert.equal(snapshot.itemErrors.get('r2')?.code, 'not_found');
  assert.equal(snapshot.totals.get('reported'), 1);
  assert.deepEqual(ids(snapshot.items.get('reported')), ['r1', 'r2']);
  assert.deepEqual(errors, ['moderate:not_found']);
});

test('a failed quiet refresh keeps the list; a failed sign-in replaces it with the error', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30)] });
  const errors: string[] = [];
  const state = createModerationQueue({ source: fake.source, onError: (error) => errors.push(error.code) });
  await state.refresh();
  fake.fail(new ColloquyError('unavailable', 'down'));
  await state.refresh(true);
  assert.equal(state.getSnapshot().loadError, null);
  fake.fail(new ColloquyError('token_expired', 'expired'));
  await state.refresh(true);
  assert.equal(state.getSnapshot().loadError?.code, 'token_expired');
  assert.deepEqual(ids(state.getSnapshot().items.get('reported')), ['r1']);
  assert.deepEqual(errors, ['unavailable', 'token_expired']);
  await state.refresh();
  assert.equal(state.getSnapshot().loadError, null, 'a good load clears it');
});

test('a burst of live signals becomes one quiet refresh; disconnect stops listening', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30)] });
  const state = createModerationQueue({ source: fake.source, liveDelayMs: 5 });
  await state.refresh();
  state.connect({ pollSeconds: 0 });
  const before = fake.calls.length;
  fake.queues.reported.push(queued('n1', 1));
  fake.signal();
  fake.signal();
  fake.signal();
  await until(() => state.getSnapshot().arrivals.get('reported')?.length === 1, 'the live signal brought the arrival');
  // Well past the 5 ms gathering window: no second refresh follows.
  await tick(30);
  assert.equal(fake.calls.length - before, 3, 'one request per queue, once');
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('reported')), ['n1']);
  state.disconnect();
  assert.equal(fake.listeners.size, 0);
});

test('marks an author unbanned across every queue', async () => {
  const history = { counts: {}, recent: [], actions: [], banned: true, since: null };
  const fake = fakeSource({ reported: [queued('r1', 30, {}, { authorHistory: history })], held: [queued('h1', 10, { author: { id: 'a-r1', name: 'r1', role: 'reader' }, status: 'held' }, { authorHistory: history })] });
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  state.markUnbanned('a-r1');
  assert.equal(state.getSnapshot().items.get('reported')![0]!.authorHistory?.banned, false);
  assert.equal(state.getSnapshot().items.get('held')![0]!.authorHistory?.banned, false);
});

test('a disposed queue ignores answers that arrive late and refuses a source without queue()', async () => {
  const fake = fakeSource({ reported: [queued('r1', 30)] });
  const state = createModerationQueue({ source: fake.source });
  const pending = state.refresh();
  state.dispose();
  await pending;
  assert.equal(state.getSnapshot().loaded.size, 0);
  assert.throws(() => createModerationQueue({ source: {} as ModerationSource }), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
});

test('a search shows only the matches in every queue, pages and refreshes within it, and an answer to an older search is dropped', async () => {
  const fake = fakeSource(
    {
      reported: [queued('cheap pills', 30), queued('kind words', 20), queued('CHEAP watches', 10, { thread: '/other' })],
      held: [queued('cheap again', 5), queued('hello', 4)],
    },
    1,
  );
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  assert.equal(state.getSnapshot().totals.get('reported'), 3);

  await state.search({ q: '  cheap ', thread: '' });
  let snapshot = state.getSnapshot();
  assert.deepEqual(snapshot.search, { q: 'cheap' }, 'blank filters are dropped and text trimmed');
  assert.deepEqual(snapshot.items.get('reported')!.map((i) => i.comment.id), ['cheap pills']);
  assert.deepEqual([snapshot.totals.get('reported'), snapshot.totals.get('held')], [2, 1]);
  await state.loadMore('reported');
  assert.deepEqual(state.getSnapshot().items.get('reported')!.map((i) => i.comment.id), ['cheap pills', 'CHEAP watches']);
  assert.ok(fake.calls.includes('reported:1:{"q":"cheap"}'), 'the next page is asked within the search');

  // New comments arrive; a quiet refresh counts only the one that matches, and offers it next.
  fake.queues.reported.push(queued('cheap shoes', 1), queued('unrelated', 1));
  await state.refresh(true);
  assert.equal(state.getSnapshot().totals.get('reported'), 3);
  await state.loadMore('reported');
  assert.deepEqual(state.getSnapshot().items.get('reported')!.map((i) => i.comment.id), ['cheap pills', 'CHEAP watches', 'cheap shoes']);

  // An answer still on its way for the old search must not land once the search changed.
  const release = fake.hold();
  const stale = state.refresh(false);
  const next = state.search({ q: 'kind' });
  release();
  await Promise.all([stale, next]);
  snapshot = state.getSnapshot();
  assert.deepEqual(snapshot.items.get('reported')!.map((i) => i.comment.id), ['kind words']);
  assert.equal(snapshot.totals.get('reported'), 1);

  await state.search(null);
  snapshot = state.getSnapshot();
  assert.equal(snapshot.search, null);
  assert.equal(snapshot.totals.get('reported'), 5);
  state.dispose();
});

test('the published queue is loaded once asked for, newest first, and kept up to date from then on', async () => {
  const published = [queued('v1', 50), queued('v2', 40), queued('v3', 30)];
  const fake = fakeSource({ reported: [queued('r1', 45, {}, { reports: [] })], visible: published });
  const state = createModerationQueue({ source: fake.source });
  await state.refresh();
  assert.deepEqual([...state.getSnapshot().loaded].sort(), ['held', 'hidden', 'reported'], 'not loaded with the queues awaiting a decision');
  assert.ok(!fake.calls.some((call) => call.startsWith('visible')));

  await state.refresh(false, ['visible']);
  let snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('visible')), ['v3', 'v2'], 'newest first');
  assert.equal(snapshot.totals.get('visible'), 3);
  await state.loadMore('visible');
  assert.deepEqual(ids(state.getSnapshot().items.get('visible')), ['v3', 'v2', 'v1']);

  // A comment published since waits as an arrival and, shown, takes its place at the top.
  fake.queues.visible.push(queued('v4', 1));
  fake.calls.length = 0;
  await state.refresh(true);
  assert.deepEqual(ids(state.getSnapshot().arrivals.get('visible')), ['v4'], 'the new comment waits');
  assert.ok(fake.calls.some((call) => call.startsWith('visible')), 'a quiet refresh includes the published queue once asked for');
  state.showArrivals('visible');
  assert.deepEqual(ids(state.getSnapshot().items.get('visible')), ['v4', 'v3', 'v2', 'v1']);

  // Hiding one takes it out of the published queue; it shows in the hidden queue.
  const decided = await state.decide('visible', [state.getSnapshot().items.get('visible')![1]!], 'hide');
  assert.equal(decided.get('v3')?.status, 'hidden');
  await until(() => ids(state.getSnapshot().arrivals.get('hidden')).includes('v3'), 'the hidden queue refreshed');
  snapshot = state.getSnapshot();
  assert.deepEqual(ids(snapshot.items.get('visible')), ['v4', 'v2', 'v1']);
  assert.equal(snapshot.totals.get('visible'), 3);

  // A search covers it as well as the queues awaiting a decision.
  fake.calls.length = 0;
  await state.search({ q: 'v2' });
  assert.deepEqual(ids(state.getSnapshot().items.get('visible')), ['v2']);
  assert.ok(fake.calls.includes('visible:-:{"q":"v2"}'));
});

test('approving applies to a published comment only while it has open reports', () => {
  const plain = queued('p1', 5);
  const reported = queued('p2', 5, {}, { reports: [{ reason: 'spam', details: null, weight: 1, createdAt: minutesAgo(1), reporter: { id: 'x', name: 'X', role: 'reader' } }] });
  assert.deepEqual(['approve', 'hide', 'spam', 'restore', 'ban-author'].map((action) => actionApplies(plain, action as ModerationAction)), [false, true, true, false, true]);
  assert.equal(actionApplies(reported, 'approve'), true);
  assert.equal(actionApplies(queued('h1', 5, { status: 'held' }), 'approve'), true);
  assert.deepEqual([compareQueued(plain, queued('p0', 9)) > 0, compareQueued(plain, queued('p0', 9), 'visible') < 0], [true, true]);
});
