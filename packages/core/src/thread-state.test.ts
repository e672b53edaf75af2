import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError, type ErrorCode } from './errors.js';
import type { CommentNode, ThreadSnapshot, ThreadState, ThreadStateOptions } from './state-types.js';
import { FakeBackend, type FakeAdapter } from './test-support/fake-adapter.js';
import { createThreadState, reportedStorageKey } from './thread-state.js';
import { findNode } from './tree.js';

const THREAD = '/2026/11/article';
/**
 * Resolves once the next `count` live events on the thread have been delivered. The fake
 * delivers events on a timer, like a network, to subscribers in the order they subscribed: a
 * probe subscribed once `await state.connect()` is done hears an event only after the state merged it.
 */
function delivered(adapter: FakeAdapter, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = adapter.subscribe!(THREAD, () => {
      if (++seen < count) return;
      stop();
      resolve();
    });
  });
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

let ids = 0;
function setup(
  options: Partial<ThreadStateOptions> & { backend?: FakeBackend } = {},
): { backend: FakeBackend; me: FakeAdapter; other: FakeAdapter; state: ThreadState } {
  const backend = options.backend ?? new FakeBackend();
  const me = backend.adapter({ name: 'Ada' });
  const other = backend.adapter({ name: 'Grace' });
  const state = createThreadState({ adapter: me, thread: THREAD, createId: () => `local-${++ids}`, ...options });
  return { backend, me, other, state };
}

async function seed(adapter: FakeAdapter, bodies: string[], parentId: string | null = null): Promise<string[]> {
  const created: string[] = [];
  for (const body of bodies) {
    created.push((await adapter.createComment({ thread: THREAD, parentId, body, idempotencyKey: `seed-${++ids}` })).id);
  }
  return created;
}

/** Top-level bodies in display order, replies in brackets: what a reader sees. */
function view(snapshot: ThreadSnapshot): string {
  const show = (nodes: readonly CommentNode[]): string =>
    nodes
      .map((n) => `${n.comment.status === 'visible' ? n.comment.body : `[${n.comment.status}]`}${n.local ? `!${n.local.state}` : ''}${n.children.length ? `(${show(n.children)})` : ''}`)
      .join(' ');
  return show(snapshot.comments);
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<ColloquyError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected a rejection with ${code}`),
    (error: unknown) => (caught = error),
  );
  assert.ok(caught instanceof ColloquyError, `expected a ColloquyError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

test('loads the first page with replies, the identity and whether there is more', async () => {
  const { other, state } = setup({ pageSize: 2 });
  const [first] = await seed(other, ['one', 'two', 'three']);
  await seed(other, ['reply'], first!);
  const seen: string[] = [];
  state.subscribe((s) => seen.push(s.status));
  assert.equal(state.getSnapshot().status, 'idle');
  await state.load();
  const snapshot = state.getSnapshot();
  assert.deepEqual(seen, ['loading', 'ready']);
  assert.equal(view(snapshot), 'one(reply) two');
  assert.equal(snapshot.size, 3);
  assert.equal(snapshot.hasMore, true);
  assert.equal(snapshot.identity?.name, 'Ada');
});

test('load more appends the next page and drops repeats by id', async () => {
  const { backend, other, state } = setup({ pageSize: 2, sort: 'top' });
  const [a, b] = await seed(other, ['a', 'b', 'c']);
  const [a1] = await seed(other, ['a1'], a!);
  await seed(other, ['b1', 'b2'], b!);
  await state.load();
  assert.equal(view(state.getSnapshot()), 'b(b1 b2) a(a1)');
  // a drops behind the cursor when its reply is hidden, so the next page sends it again.
  backend.moderate(a1!, 'hide');
  const loading = state.loadMore();
  assert.equal(state.getSnapshot().loadingMore, true);
  await loading;
  const snapshot = state.getSnapshot();
  assert.equal(snapshot.loadingMore, false);
  assert.equal(snapshot.comments.filter((n) => n.comment.id === a).length, 1);
  assert.deepEqual(
    snapshot.comments.map((n) => n.comment.body),
    ['b', 'a', 'c'],
  );
  assert.equal(snapshot.hasMore, false);
  await state.loadMore(); // nothing more: no request, no change
  assert.equal(state.getSnapshot(), snapshot);
});

test('a sort change reloads, and answers to the superseded request are ignored', async () => {
  const { backend, other, state } = setup();
  await seed(other, ['first', 'second']);
  await state.load();
  const release = backend.hold('listComments');
  const stale = state.setSort('oldest');
  const fresh = state.setSort('newest');
  await fresh;
  assert.equal(view(state.getSnapshot()), 'second first');
  release();
  await stale;
  assert.equal(state.getSnapshot().sort, 'newest');
  assert.equal(view(state.getSnapshot()), 'second first');
  await rejectsWith(state.setSort('random' as 'top'), 'invalid_input');
});

test('a failed first load shows the error and rejects with it', async () => {
  const { backend, state } = setup();
  backend.failNext('listComments', new ColloquyError('unavailable', 'Down for maintenance.'));
  await rejectsWith(state.load(), 'unavailable');
  assert.equal(state.getSnapshot().status, 'error');
  assert.equal(state.getSnapshot().error?.code, 'unavailable');
  await state.load();
  assert.equal(state.getSnapshot().status, 'ready');
  assert.equal(state.getSnapshot().error, null);
});

test('a post shows at once as pending and is replaced by the confirmed comment', async () => {
  const { backend, other, state } = setup({ sort: 'oldest' });
  await seed(other, ['existing']);
  await state.load();
  let pendingSeen = false;
  state.subscribe((s) => {
    const node = s.comments.find((n) => n.comment.body === 'mine');
    if (node?.local?.state === 'pending') pendingSeen = true;
  });
  const posting = state.post({ body: 'mine' });
  const pending = state.getSnapshot().comments[1]!;
  assert.equal(pending.local?.state, 'pending');
  assert.equal(pending.comment.author.name, 'Ada');
  const confirmed = await posting;
  assert.ok(pendingSeen);
  const node = state.getSnapshot().comments[1]!;
  assert.equal(node.comment.id, confirmed.id);
  assert.equal(node.local, undefined);
  assert.equal(backend.stored(THREAD).length, 2);
  const call = backend.calls.find((c) => c.method === 'createComment' && (c.args[0] as { body: string }).body === 'mine');
  assert.equal((call!.args[0] as { idempotencyKey: string }).idempotencyKey, pending.local!.localId);
});

test('a failed post keeps the typed text; retry reuses the key and never duplicates', async () => {
  const { backend, state } = setup();
  await state.load();
  // The server stored it but the answer was lost: the worst case for duplicates.
  backend.failNext('createComment', new ColloquyError('network_error', 'Connection reset.'), { afterWork: true });
  const error = await rejectsWith(state.post({ body: 'Typed with care' }), 'network_error');
  const failed = state.getSnapshot().comments[0]!;
  assert.equal(failed.local?.state, 'failed');
  assert.equal(failed.local?.error, error);
  assert.equal(failed.comment.body, 'Typed with care');
  const saved = await state.retry(failed.local!.localId);
  assert.equal(backend.stored(THREAD).length, 1);
  assert.equal(saved.id, backend.stored(THREAD)[0]!.id);
  assert.equal(view(state.getSnapshot()), 'Typed with care');
  await rejectsWith(state.retry(failed.local!.localId), 'not_found');
});

test('discard drops a failed post but never a pending one', async () => {
  const { backend, state } = setup();
  await state.load();
  backend.failNext('createComment');
  await rejectsWith(state.post({ body: 'lost' }), 'network_error');
  const localId = state.getSnapshot().comments[0]!.local!.localId;
  const release = backend.hold('createComment');
  const pending = state.post({ body: 'in flight' });
  const pendingId = state.getSnapshot().comments.find((n) => n.comment.body === 'in flight')!.local!.localId;
  state.discard(pendingId);
  state.discard(localId);
  state.discard('unknown');
  assert.equal(view(state.getSnapshot()), 'in flight!pending');
  release();
  await pending;
  assert.equal(view(state.getSnapshot()), 'in flight');
});

test('replies appear under their parent; bad posts are refused with clear codes', async () => {
  const { other, state } = setup();
  const [parent] = await seed(other, ['parent']);
  await state.load();
  await state.post({ body: 'child', parentId: parent! });
  assert.equal(view(state.getSnapshot()), 'parent(child)');
  await rejectsWith(state.post({ body: '   ' }), 'invalid_input');
  await rejectsWith(state.post({ body: 'x'.repeat(10_001) }), 'body_too_long');
  await rejectsWith(state.post({ body: 'x', parentId: 'c_missing' }), 'not_found');
  await rejectsWith(state.post(null as unknown as { body: string }), 'invalid_input');
  await rejectsWith(state.post({ body: 42 as unknown as string }), 'invalid_input');
});

test('the live echo of the reader’s own post never duplicates it', async () => {
  const { backend, state } = setup();
  await state.load();
  await state.connect();
  await state.connect();
  // The event arrives before the answer.
  const release = backend.hold('createComment');
  const echoed = delivered(backend.adapter());
  const posting = state.post({ body: 'echo' });
  await echoed;
  assert.equal(view(state.getSnapshot()), 'echo');
  release();
  await posting;
  assert.equal(view(state.getSnapshot()), 'echo');
  // And the usual order: answer first, event after.
  const echoedAgain = delivered(backend.adapter());
  await state.post({ body: 'again' });
  await echoedAgain;
  assert.equal(view(state.getSnapshot()), 'echo again');
  assert.deepEqual(state.getSnapshot().liveArrivals, []);
});

test('live comments from others are merged in place and announced until acknowledged', async () => {
  const { other, state } = setup({ sort: 'newest' });
  const [old] = await seed(other, ['old']);
  await state.load();
  await state.connect();
  const arrived = delivered(other, 2);
  const [fresh] = await seed(other, ['fresh']);
  const [reply] = await seed(other, ['reply'], old!);
  await arrived;
  assert.equal(view(state.getSnapshot()), 'fresh old(reply)');
  assert.deepEqual(state.getSnapshot().liveArrivals, [fresh, reply]);
  state.acknowledgeLive();
  assert.deepEqual(state.getSnapshot().liveArrivals, []);
  const edited = delivered(other);
  await other.editComment(fresh!, 'fresh, edited');
  await edited;
  assert.equal(view(state.getSnapshot()), 'fresh, edited old(reply)');
  assert.ok(findNode(state.getSnapshot().comments, fresh!)!.comment.editedAt);
});

test('under oldest sort live top-level comments are appended', async () => {
  const { other, state } = setup({ sort: 'oldest' });
  await seed(other, ['a']);
  await state.load();
  await state.connect();
  const arrived = delivered(other);
  await seed(other, ['b']);
  await arrived;
  assert.equal(view(state.getSnapshot()), 'a b');
});

test('hidden comments vanish, or stay as a placeholder while they have replies', async () => {
  const { backend, other, state } = setup();
  const [lonely, parent] = await seed(other, ['lonely', 'parent']);
  await seed(other, ['child'], parent!);
  await state.load();
  await state.connect();
  const hidden = delivered(other, 2);
  backend.moderate(lonely!, 'hide');
  backend.moderate(parent!, 'hide');
  await hidden;
  assert.equal(view(state.getSnapshot()), '[hidden](child)');
  assert.equal(findNode(state.getSnapshot().comments, parent!)!.comment.body, '');
  const restored = delivered(other, 2);
  backend.moderate(lonely!, 'restore');
  backend.moderate(parent!, 'restore');
  await restored;
  assert.deepEqual(state.getSnapshot().comments.map((n) => n.comment.body).sort(), ['lonely', 'parent']);
});

test('edit is optimistic and rolls back when the server refuses', async () => {
  const { backend, me, state } = setup();
  const [mine] = await seed(me, ['draft']);
  await state.load();
  const editing = state.edit(mine!, 'final');
  assert.equal(view(state.getSnapshot()), 'final');
  await editing;
  assert.equal(backend.stored(THREAD)[0]!.body, 'final');
  backend.failNext('editComment', new ColloquyError('edit_window_closed', 'Too late to edit.'));
  const failing = state.edit(mine!, 'too late');
  assert.equal(view(state.getSnapshot()), 'too late');
  await rejectsWith(failing, 'edit_window_closed');
  assert.equal(view(state.getSnapshot()), 'final');
  await rejectsWith(state.edit('c_nope', 'x'), 'not_found');
  await rejectsWith(state.edit(mine!, ''), 'invalid_input');
});

test('remove is optimistic, keeps a placeholder over replies, and rolls back in place', async () => {
  const { backend, me, other, state } = setup({ sort: 'oldest' });
  const [first, second, third] = await seed(me, ['first', 'second', 'third']);
  await seed(other, ['answer'], third!);
  await state.load();
  backend.failNext('deleteComment', new ColloquyError('forbidden', 'Not yours.'));
  const failing = state.remove(second!);
  assert.equal(view(state.getSnapshot()), 'first third(answer)');
  await rejectsWith(failing, 'forbidden');
  assert.equal(view(state.getSnapshot()), 'first second third(answer)');
  await state.remove(first!);
  await state.remove(third!);
  assert.equal(view(state.getSnapshot()), 'second [deleted](answer)');
});

test('reports are remembered per thread, and already_reported counts as reported', async () => {
  const storage = memoryStorage();
  const backend = new FakeBackend();
  const { me, other, state } = setup({ backend, storage });
  const [a, b] = await seed(other, ['a', 'b']);
  await state.load();
  await state.report(a!, { reason: 'spam' });
  assert.equal(findNode(state.getSnapshot().comments, a!)!.reported, true);
  assert.deepEqual(JSON.parse(storage.data.get(reportedStorageKey(THREAD))!), [a]);
  // Same reader, new page load: the reported mark survives; the server already knows about b.
  const again = createThreadState({ adapter: me, thread: THREAD, storage });
  await again.load();
  assert.equal(findNode(again.getSnapshot().comments, a!)!.reported, true);
  backend.failNext('reportComment', new ColloquyError('already_reported', 'Already reported.'));
  await again.report(b!, { reason: 'hate', details: 'slur' });
  assert.equal(findNode(again.getSnapshot().comments, b!)!.reported, true);
  await rejectsWith(again.report(b!, { reason: 'boring' as 'spam' }), 'invalid_input');
  backend.failNext('reportComment', new ColloquyError('rate_limited', 'Slow down.'));
  const [c] = await seed(other, ['c']);
  await rejectsWith(again.report(c!, { reason: 'spam' }), 'rate_limited');
});

test('storage that throws does not break reporting', async () => {
  const storage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
  const { other, state } = setup({ storage });
  const [a] = await seed(other, ['a']);
  await state.load();
  await state.report(a!, { reason: 'other' });
  assert.equal(state.getSnapshot().comments[0]!.reported, true);
});

test('reveal loads pages until the comment is there', async () => {
  const { other, state } = setup({ pageSize: 2, sort: 'oldest' });
  const created = await seed(other, ['1', '2', '3', '4', '5', '6', '7']);
  const [deep] = await seed(other, ['deep reply'], created[5]!);
  assert.equal(await state.reveal(deep!), true);
  assert.ok(findNode(state.getSnapshot().comments, deep!));
  assert.equal(state.getSnapshot().comments.length, 6);
  assert.equal(await state.reveal('c_missing'), false);
  assert.equal(state.getSnapshot().hasMore, false);
});

test('identify names the reader and pending posts made before show the name', async () => {
  const backend = new FakeBackend();
  const state = createThreadState({ adapter: backend.adapter(), thread: THREAD, createId: () => `l-${++ids}` });
  await state.load();
  assert.equal(state.getSnapshot().identity, null);
  await rejectsWith(state.post({ body: 'too soon' }), 'unauthenticated');
  const identity = await state.identify('Ada');
  assert.equal(identity.name, 'Ada');
  assert.equal(state.getSnapshot().identity?.name, 'Ada');
  const failed = state.getSnapshot().comments[0]!;
  assert.equal(failed.comment.author.name, 'Ada');
  await state.retry(failed.local!.localId);
  assert.equal(backend.stored(THREAD)[0]!.author.name, 'Ada');
});

test('snapshots are new frozen objects and listeners hear every change synchronously', async () => {
  const { other, state } = setup();
  await seed(other, ['a']);
  const before = state.getSnapshot();
  let calls = 0;
  const stop = state.subscribe(() => calls++);
  const loading = state.load();
  assert.equal(calls, 1);
  await loading;
  const after = state.getSnapshot();
  assert.notEqual(after, before);
  assert.ok(Object.isFrozen(after) && Object.isFrozen(after.comments) && Object.isFrozen(after.comments[0]));
  assert.equal(before.status, 'idle');
  stop();
  await state.load();
  assert.equal(calls, 2);
});

test('connect rejects with unavailable when the adapter cannot subscribe, and a later call tries again', async () => {
  const backend = new FakeBackend();
  const me = backend.adapter({ name: 'Ada' });
  let refusals = 1;
  const flaky: FakeAdapter = Object.assign(Object.create(me) as FakeAdapter, {
    subscribe: (thread: string, listener: Parameters<NonNullable<FakeAdapter['subscribe']>>[1]) => {
      if (refusals-- > 0) throw new Error('no stream today');
      return me.subscribe!(thread, listener);
    },
  });
  const state = createThreadState({ adapter: flaky, thread: THREAD });
  await state.load();
  await rejectsWith(state.connect(), 'unavailable');
  await state.connect();
  const other = backend.adapter({ name: 'Grace' });
  const arrived = delivered(other);
  await seed(other, ['live after all']);
  await arrived;
  assert.equal(view(state.getSnapshot()), 'live after all');
});

test('dispose stops live updates and late answers', async () => {
  const { other, state } = setup();
  await state.load();
  await state.connect();
  let calls = 0;
  state.subscribe(() => calls++);
  state.dispose();
  const arrived = delivered(other);
  await seed(other, ['after']);
  await arrived;
  assert.equal(calls, 0);
  assert.equal(state.getSnapshot().size, 0);
});

test('bad options and arguments are refused with ColloquyError', async () => {
  const backend = new FakeBackend();
  const invalid = (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input';
  assert.throws(() => createThreadState(undefined as unknown as ThreadStateOptions), invalid);
  assert.throws(() => createThreadState({ adapter: {} as FakeAdapter, thread: THREAD }), invalid);
  assert.throws(() => createThreadState({ adapter: backend.adapter(), thread: '' }), invalid);
  assert.throws(() => createThreadState({ adapter: backend.adapter(), thread: THREAD, pageSize: 0 }), invalid);
  assert.throws(() => createThreadState({ adapter: backend.adapter(), thread: THREAD, maxDepth: -1 }), invalid);
  const state = createThreadState({ adapter: backend.adapter(), thread: THREAD });
  assert.throws(() => state.subscribe('x' as unknown as () => void), invalid);
  await rejectsWith(state.reveal(5 as unknown as string), 'invalid_input');
  await rejectsWith(state.remove(undefined as unknown as string), 'invalid_input');
  await rejectsWith(state.report('c_1', undefined as unknown as { reason: 'spam' }), 'invalid_input');
});

test('without createId, local ids are 128 random bits, also where crypto.randomUUID is missing', async () => {
  // Pages served over plain HTTP (not localhost) are not secure contexts: no crypto.randomUUID.
  const randomUUID = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(globalThis.crypto), 'randomUUID')!;
  Object.defineProperty(Object.getPrototypeOf(globalThis.crypto), 'randomUUID', { value: undefined, configurable: true });
  try {
    assert.equal(typeof globalThis.crypto.randomUUID, 'undefined');
    const backend = new FakeBackend();
    const state = createThreadState({ adapter: backend.adapter({ name: 'Ada' }), thread: THREAD });
    await state.load();
    const posting = state.post({ body: 'hello' });
    const second = state.post({ body: 'again' });
    const ids = state.getSnapshot().comments.map((c) => c.local!.localId);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    assert.notEqual(ids[0], ids[1]);
    await Promise.all([posting, second]);
  } finally {
    Object.defineProperty(Object.getPrototypeOf(globalThis.crypto), 'randomUUID', randomUUID);
  }
});

test('a failed load more keeps what is shown, reports the error and can be tried again', async () => {
  const { backend, other, state } = setup({ pageSize: 1, sort: 'oldest' });
  await seed(other, ['a', 'b']);
  await state.load();
  backend.failNext('listComments', new ColloquyError('timeout', 'The server took too long.'));
  await rejectsWith(state.loadMore(), 'timeout');
  let snapshot = state.getSnapshot();
  assert.equal(snapshot.status, 'ready');
  assert.equal(snapshot.error?.code, 'timeout');
  assert.equal(snapshot.loadingMore, false);
  assert.equal(view(snapshot), 'a');
  await state.loadMore();
  snapshot = state.getSnapshot();
  assert.equal(view(snapshot), 'a b');
  assert.equal(snapshot.error, null);
});

test('live replies to comments not loaded, and events for other threads, are left out', async () => {
  const { other, state } = setup({ pageSize: 1, sort: 'oldest' });
  const [, unloaded] = await seed(other, ['loaded', 'not loaded yet']);
  await state.load();
  await state.connect();
  // Both events are delivered before the state is looked at, the other thread's to its own subscriber.
  const arrived = delivered(other);
  const elsewhere = new Promise<void>((resolve) => other.subscribe!('/elsewhere', () => resolve()));
  await seed(other, ['reply to unloaded'], unloaded!);
  await other.createComment({ thread: '/elsewhere', body: 'other thread', idempotencyKey: 'x1' });
  await Promise.all([arrived, elsewhere]);
  assert.equal(view(state.getSnapshot()), 'loaded');
  assert.deepEqual(state.getSnapshot().liveArrivals, []);
});

test('an adapter that throws anything at all still surfaces as ColloquyError', async () => {
  const backend = new FakeBackend();
  const broken = backend.adapter({ name: 'Ada' });
  broken.getIdentity = () => {
    throw new TypeError('getIdentity is broken');
  };
  broken.listComments = () => Promise.reject(new TypeError('fetch failed'));
  const state = createThreadState({ adapter: broken, thread: THREAD });
  const error = await rejectsWith(state.load(), 'server_error');
  assert.match(error.message, /fetch failed/);
  assert.ok(error.cause instanceof TypeError);
});
