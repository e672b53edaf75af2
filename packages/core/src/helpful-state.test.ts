import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError } from './errors.js';
import { FakeBackend } from './test-support/fake-adapter.js';
import { createThreadState } from './thread-state.js';

const THREAD = '/2026/12/helpful';

async function setup() {
  const backend = new FakeBackend();
  const author = backend.adapter({ name: 'Ada' });
  const reader = backend.adapter({ name: 'Bo' });
  const other = backend.adapter({ name: 'Cy' });
  const { id } = await author.createComment({ thread: THREAD, body: 'useful', idempotencyKey: 'k1' });
  const state = createThreadState({ adapter: reader, thread: THREAD });
  await state.load();
  const marks = () => state.getSnapshot().comments[0]!.comment.helpful;
  return { backend, reader, other, state, id, marks };
}

test('a mark shows at once as the reader’s, then as the adapter answers; taking it back too', async () => {
  const { backend, state, id, marks } = await setup();
  const release = backend.hold('markHelpful');
  const marking = state.markHelpful(id, true);
  // The mark's code is its own module (fetched on first use): wait for it, the answer still held.
  while (marks()?.mine !== true) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(marks(), { count: 1, mine: true }, 'shown before the answer');
  release();
  await marking;
  assert.deepEqual(marks(), { count: 1, mine: true });
  await state.markHelpful(id, true);
  assert.deepEqual(marks(), { count: 1, mine: true }, 'a second mark counts once');
  await state.markHelpful(id, false);
  assert.deepEqual(marks(), { count: 0, mine: false });
});

test('a mark that fails returns to what it was and rejects with the error', async () => {
  const { backend, state, id, marks } = await setup();
  backend.failNext('markHelpful', new ColloquyError('network_error', 'The network is down.'));
  await assert.rejects(state.markHelpful(id, true), (error: unknown) => error instanceof ColloquyError && error.code === 'network_error');
  assert.deepEqual(marks(), undefined, 'as the page gave it');
});

test('live marks of others change the count and keep the reader’s own mark', async () => {
  const { other, state, id, marks } = await setup();
  await state.connect();
  await state.markHelpful(id, true);
  await other.markHelpful(id, true);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(marks(), { count: 2, mine: true }, 'the event says mine: false; the reader’s mark stays');
  await other.markHelpful(id, false);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(marks(), { count: 1, mine: true });
  state.dispose();
});
