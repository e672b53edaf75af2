// The conformance suite is only worth running if it fails adapters that break the rules: run
// it against memory adapters with one rule broken each and check which tests fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageAdapter } from '@colloquy/core';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createMemoryAdapter, createMemoryStore } from './index.js';

async function failingTests(breakAdapter: (adapter: StorageAdapter) => StorageAdapter): Promise<string[]> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  let before: () => unknown = () => undefined;
  let after: () => unknown = () => undefined;
  runAdapterSuite({
    name: 'broken',
    describe: (_name, body) => body(),
    it: (name, body) => void tests.push({ name, body }),
    beforeEach: (hook) => void (before = hook),
    afterEach: (hook) => void (after = hook),
    async setup() {
      const store = createMemoryStore();
      return { connect: () => breakAdapter(createMemoryAdapter({ store })), raw: store.raw };
    },
  });
  const failed: string[] = [];
  for (const test of tests) {
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

describe('the conformance suite', () => {
  it('passes the memory adapter as it is', async () => {
    assert.deepEqual(await failingTests((adapter) => adapter), []);
  });

  it('fails an adapter that ignores idempotency keys', async () => {
    const failed = await failingTests((adapter) => ({
      ...adapter,
      createComment: (input) => adapter.createComment({ ...input, idempotencyKey: Math.random().toString(36) }),
    }));
    assert.ok(failed.includes('answers a retried create with the first comment and stores one'), failed.join(', '));
  });

  it('fails an adapter whose cursor is an offset', async () => {
    const failed = await failingTests((adapter) => ({
      ...adapter,
      async listComments(query) {
        const all = await adapter.listComments({ ...query, cursor: null, limit: 100 });
        const offset = query.cursor ? Number(query.cursor) : 0;
        const limit = query.limit ?? 20;
        const comments = all.comments.slice(offset, offset + limit);
        return { comments, nextCursor: offset + limit < all.comments.length ? String(offset + limit) : null };
      },
    }));
    assert.ok(failed.includes('keyset pages newest first with no repeats while another client posts'), failed.join(', '));
  });

  it('fails an adapter that drops its errors’ codes', async () => {
    const failed = await failingTests((adapter) => ({
      ...adapter,
      editComment: (id, body) => adapter.editComment(id, body).catch(() => Promise.reject(new Error('edit failed'))),
    }));
    assert.ok(failed.includes('refuses edits by another identity'), failed.join(', '));
    assert.ok(failed.includes('answers unknown ids with not_found'), failed.join(', '));
  });
});
