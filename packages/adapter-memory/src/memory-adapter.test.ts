import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ColloquyError } from '@colloquy/core';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createMemoryAdapter, createMemoryStore } from './index.js';

runAdapterSuite({
  name: 'memory adapter',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    let offset = 0;
    const store = createMemoryStore({ now: () => new Date(Date.now() + offset) });
    return {
      connect: (options) => createMemoryAdapter({ store, ...(options?.role ? { role: options.role } : {}) }),
      raw: store.raw,
      advanceTime: (seconds) => void (offset += seconds * 1000),
      setThreadClosed: (thread, closed) => store.setThreadClosed(thread, closed),
      setPinned: (id, pinned) => store.setPinned(id, pinned),
    };
  },
});

function code(expected: string) {
  return (error: unknown) => error instanceof ColloquyError && error.code === expected;
}

describe('memory adapter specifics', () => {
  it('closes the edit window for authors but not for moderators', async () => {
    let clock = new Date('2026-11-22T10:00:00.000Z');
    const store = createMemoryStore({ now: () => clock, limits: { editWindowSeconds: 60 } });
    const ada = createMemoryAdapter({ store, identity: { name: 'Ada' } });
    const mod = createMemoryAdapter({ store, identity: { name: 'Mod' }, role: 'moderator' });
    const comment = await ada.createComment({ thread: '/t', body: 'hi', idempotencyKey: 'k' });
    clock = new Date('2026-11-22T10:01:00.000Z');
    assert.equal((await ada.editComment(comment.id, 'still in time')).body, 'still in time');
    clock = new Date('2026-11-22T10:01:00.001Z');
    await assert.rejects(ada.editComment(comment.id, 'too late'), code('edit_window_closed'));
    await assert.rejects(ada.deleteComment(comment.id), code('edit_window_closed'));
    assert.equal((await mod.editComment(comment.id, 'moderated')).editedAt, '2026-11-22T10:01:00.001Z');
  });

  it('starts as an existing identity of the store and shares live events between adapters', async () => {
    const store = createMemoryStore();
    const ada = createMemoryAdapter({ store, identity: { name: 'Ada' } });
    const adaId = (await ada.getIdentity())!.id;
    const again = createMemoryAdapter({ store, identity: adaId });
    assert.equal((await again.getIdentity())!.name, 'Ada');
    assert.throws(() => createMemoryAdapter({ store, identity: 'i_missing' }), code('not_found'));
    assert.throws(() => createMemoryAdapter({ store, role: 'admin' as 'staff' }), code('invalid_input'));
    assert.throws(() => createMemoryAdapter({ store, limits: { maxDepth: 1 } }), code('invalid_input'));
  });

  it('enforces limits passed to the store', async () => {
    const ada = createMemoryAdapter({ identity: { name: 'Ada' }, limits: { maxBodyLength: 5, maxPageSize: 2, maxDepth: 0 } });
    assert.equal(ada.capabilities.limits.maxBodyLength, 5);
    await assert.rejects(ada.createComment({ thread: '/t', body: '123456', idempotencyKey: 'a' }), code('body_too_long'));
    await assert.rejects(ada.listComments({ thread: '/t', limit: 3 }), code('invalid_input'));
    const root = await ada.createComment({ thread: '/t', body: 'root', idempotencyKey: 'b' });
    const reply = await ada.createComment({ thread: '/t', body: 'reply', parentId: root.id, idempotencyKey: 'c' });
    assert.equal(reply.parentId, null, 'with maxDepth 0 every reply becomes top-level');
  });

  it('refuses a cursor made for another sort order', async () => {
    const ada = createMemoryAdapter({ identity: { name: 'Ada' } });
    for (const key of ['a', 'b', 'c']) await ada.createComment({ thread: '/t', body: key, idempotencyKey: key });
    const page = await ada.listComments({ thread: '/t', limit: 1, sort: 'oldest' });
    assert.ok(page.nextCursor);
    await assert.rejects(ada.listComments({ thread: '/t', cursor: page.nextCursor, sort: 'newest' }), code('invalid_cursor'));
  });

  it('keeps idempotency keys per identity', async () => {
    const store = createMemoryStore();
    const ada = createMemoryAdapter({ store, identity: { name: 'Ada' } });
    const bo = createMemoryAdapter({ store, identity: { name: 'Bo' } });
    const a = await ada.createComment({ thread: '/t', body: 'same', idempotencyKey: 'shared-key' });
    const b = await bo.createComment({ thread: '/t', body: 'same', idempotencyKey: 'shared-key' });
    assert.notEqual(a.id, b.id);
    assert.equal(store.raw.countStored('/t'), 2);
  });

  it('records reports with who made them', async () => {
    const store = createMemoryStore();
    const ada = createMemoryAdapter({ store, identity: { name: 'Ada' } });
    const bo = createMemoryAdapter({ store });
    const comment = await ada.createComment({ thread: '/t', body: 'x', idempotencyKey: 'k' });
    await bo.reportComment(comment.id, { reason: 'spam', details: 'ads' });
    const [report] = store.raw.reports(comment.id);
    assert.equal(report?.identityId, (await bo.getIdentity())!.id, 'a nameless identity was made for the report');
    assert.equal(report?.details, 'ads');
  });
});
