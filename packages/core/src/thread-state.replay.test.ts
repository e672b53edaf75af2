// A live stream that reconnects gets the changes it missed replayed, and the replay may repeat
// events the reader already has (docs/protocol.md, "Event ids and replay"). The merge must show
// each comment once whatever comes twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageAdapter } from './adapter.js';
import type { CommentNode } from './state-types.js';
import { FakeBackend } from './test-support/fake-adapter.js';
import { createThreadState } from './thread-state.js';
import type { Comment, ThreadEvent } from './types.js';

const THREAD = '/2026/12/replay';
const settle = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function ids(nodes: readonly CommentNode[]): string[] {
  return nodes.flatMap((n) => [n.comment.id, ...ids(n.children)]);
}

test('a replay that repeats known comments, the reader’s own post and missed ones shows each once', async () => {
  const backend = new FakeBackend();
  const me = backend.adapter({ name: 'Ada' });
  const other = backend.adapter({ name: 'Grace' });
  // The adapter as the state sees it, with a hand on the stream the state listens to.
  let deliver: (event: ThreadEvent) => void = () => assert.fail('not subscribed');
  const adapter: StorageAdapter = Object.assign(Object.create(me) as StorageAdapter, {
    subscribe: (thread: string, listener: (event: ThreadEvent) => void) => {
      deliver = listener;
      return me.subscribe!(thread, listener);
    },
  });
  let n = 0;
  const state = createThreadState({ adapter, thread: THREAD, sort: 'oldest', createId: () => `local-${++n}` });
  const loaded = await other.createComment({ thread: THREAD, parentId: null, body: 'on the page', idempotencyKey: 'k1' });
  await state.load();
  await state.connect();
  const live = await other.createComment({ thread: THREAD, parentId: null, body: 'came live', idempotencyKey: 'k2' });
  const mine = await state.post({ body: 'my own' });
  await settle();
  const before = ids(state.getSnapshot().comments);
  assert.equal(before.length, 3);
  assert.deepEqual(state.getSnapshot().liveArrivals, [live.id]);

  // While the stream was away: a comment and a reply to it. The server's replay then repeats
  // what fell in its overlap, and a second reconnect repeats the whole replay.
  const stored = (id: string): Comment => backend.stored(THREAD).find((c) => c.id === id)!;
  const missed: Comment = { ...stored(live.id), id: 'c-missed', body: 'missed', createdAt: '2026-12-01T10:00:00.000Z', replies: [] };
  const missedReply: Comment = { ...missed, id: 'c-missed-reply', parentId: 'c-missed', body: 'missed reply' };
  const replay: ThreadEvent[] = [
    { type: 'created', comment: stored(loaded.id) },
    { type: 'created', comment: stored(live.id) },
    { type: 'created', comment: stored(mine.id) },
    { type: 'created', comment: missed },
    { type: 'created', comment: missedReply },
    { type: 'edited', comment: { ...stored(loaded.id), body: 'on the page, edited', editedAt: '2026-12-01T10:00:01.000Z' } },
  ];
  for (const event of [...replay, ...replay]) deliver(event);

  const after = state.getSnapshot();
  assert.deepEqual(ids(after.comments), [...before, 'c-missed', 'c-missed-reply']);
  assert.equal(after.size, 5);
  assert.equal(after.comments[0]!.comment.body, 'on the page, edited');
  // Only what was really new is announced, once.
  assert.deepEqual(after.liveArrivals, [live.id, 'c-missed', 'c-missed-reply']);
  state.dispose();
});
