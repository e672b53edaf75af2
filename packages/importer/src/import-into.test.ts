import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { ColloquyError } from '@colloquy/core';
import {
  createMemoryImportSink,
  importInto,
  parseDisqus,
  parseWxr,
  type ImportedComment,
  type ImportProgress,
  type ImportRecord,
  type ImportSink,
  type MemoryImportedComment,
} from './index.js';
import { corpusFile } from './corpus.test-support.js';

function comment(sourceId: string, parentSourceId: string | null): ImportedComment {
  return {
    kind: 'comment',
    source: 'disqus',
    sourceId,
    thread: { key: '/t', url: 'https://x.example/t', title: null, closed: false },
    parentSourceId,
    author: { name: `author ${sourceId}`, anonymous: true },
    createdAt: '2020-01-01T00:00:00.000Z',
    body: `body ${sourceId}`,
    status: 'visible',
    spam: false,
  };
}

async function* from(records: ImportRecord[]): AsyncGenerator<ImportRecord> {
  yield* records;
}

test('the isso Disqus sample lands in a sink with its nesting; a second run creates nothing', async () => {
  const sink = createMemoryImportSink();
  const file = corpusFile('disqus/isso-tests-disqus.xml');
  const first = await importInto(parseDisqus(file), sink);
  assert.deepEqual(
    { created: first.created, existing: first.existing, skipped: first.skipped, detached: first.detached },
    { created: 5, existing: 0, skipped: 1, detached: 0 },
  );
  assert.equal(first.skippedRecords[0]?.sourceId, '6');
  assert.equal(first.bytesRead, statSync(file).size);
  assert.equal(first.totalBytes, statSync(file).size);
  // The reply to the deleted post hangs under it.
  assert.equal(sink.get('disqus', '11')?.parentId, sink.get('disqus', '9')?.id);
  assert.equal(sink.get('disqus', '9')?.status, 'deleted');
  assert.equal(sink.get('disqus', '5')?.parentId, sink.get('disqus', '4')?.id);

  const again = await importInto(parseDisqus(file), sink);
  assert.deepEqual({ created: again.created, existing: again.existing, skipped: again.skipped }, { created: 0, existing: 5, skipped: 1 });
  assert.equal(sink.comments.size, 5);
});

test('the isso WXR sample keeps the chain 6 <- 7 <- {8, 9} and both comments numbered 11', async () => {
  const sink = createMemoryImportSink();
  const summary = await importInto(parseWxr(corpusFile('wxr/isso-tests-wordpress.xml')), sink);
  assert.equal(summary.created, 8);
  const id = (sourceId: string): string | undefined => sink.get('wordpress', sourceId)?.id;
  assert.equal(sink.get('wordpress', '18#7')?.parentId, id('18#6'));
  assert.equal(sink.get('wordpress', '18#8')?.parentId, id('18#7'));
  assert.equal(sink.get('wordpress', '18#9')?.parentId, id('18#7'));
  assert.ok(sink.get('wordpress', 'http://example.tld/?p=4#11'));
  assert.ok(sink.get('wordpress', '18#11'));
});

test('a reply before its parent waits, then follows the parent into the sink', async () => {
  const sink = createMemoryImportSink();
  const order: string[] = [];
  const recording: ImportSink = {
    upsertImported: (record) => {
      order.push(record.sourceId);
      return sink.upsertImported(record);
    },
    hasImported: sink.hasImported!.bind(sink),
  };
  const progress: ImportProgress[] = [];
  const summary = await importInto(from([comment('c', 'b'), comment('d', 'c'), comment('b', 'a'), comment('a', null)]), recording, {
    progressEvery: 1,
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  assert.equal(summary.created, 4);
  assert.equal(summary.detached, 0);
  assert.deepEqual(progress.map((p) => p.deferred), [1, 2, 3, 0, 0]);
  assert.equal(sink.get('disqus', 'd')?.parentId, sink.get('disqus', 'c')?.id);
});

test('a parent stored by an earlier run is found through the sink, not memory', async () => {
  const sink = createMemoryImportSink();
  await importInto(from([comment('p', null)]), sink);
  const summary = await importInto(from([comment('r', 'p')]), sink);
  assert.equal(summary.detached, 0);
  assert.equal(sink.get('disqus', 'r')?.parentId, sink.get('disqus', 'p')?.id);
});

test('replies whose parent never comes are imported at top level and counted as detached', async () => {
  const sink = createMemoryImportSink();
  const summary = await importInto(from([comment('orphan', 'gone'), comment('grandchild', 'orphan'), comment('self', 'self')]), sink);
  assert.equal(summary.created, 3);
  assert.equal(summary.detached, 1);
  const stored = sink.get('disqus', 'orphan') as MemoryImportedComment;
  assert.equal(stored.parentId, null);
  assert.equal(stored.detachedFrom, 'gone');
  assert.equal(sink.get('disqus', 'grandchild')?.parentId, stored.id);
  assert.equal(sink.get('disqus', 'self')?.parentId, null);
});

test('the waiting queue is bounded: past maxDeferred the oldest waiting reply is detached', async () => {
  const sink = createMemoryImportSink();
  const records = [comment('r1', 'late'), comment('r2', 'late'), comment('r3', 'late'), comment('late', null)];
  const summary = await importInto(from(records), sink, { maxDeferred: 2 });
  assert.equal(summary.detached, 1);
  assert.equal(sink.get('disqus', 'r1')?.parentId, null);
  assert.equal(sink.get('disqus', 'r2')?.parentId, sink.get('disqus', 'late')?.id);
  assert.equal(sink.get('disqus', 'r3')?.parentId, sink.get('disqus', 'late')?.id);
});

test('without hasImported the driver remembers ids itself; a sink that lies is caught', async () => {
  const created = new Set<string>();
  const plain: ImportSink = {
    async upsertImported(record) {
      if (created.has(record.sourceId)) return 'exists';
      created.add(record.sourceId);
      return 'created';
    },
  };
  const summary = await importInto(from([comment('a', null), comment('b', 'a'), comment('a', null)]), plain);
  assert.deepEqual([summary.created, summary.existing, summary.detached], [2, 1, 0]);

  const liar = { upsertImported: async () => 'maybe' } as unknown as ImportSink;
  await assert.rejects(importInto(from([comment('a', null)]), liar), /answered "maybe"/);
});

test('bad arguments are refused with invalid_input', async () => {
  const sink = createMemoryImportSink();
  const isInvalid = (error: unknown): boolean => error instanceof ColloquyError && error.code === 'invalid_input';
  await assert.rejects(importInto(null as never, sink), isInvalid);
  await assert.rejects(importInto(from([]), {} as never), isInvalid);
  await assert.rejects(importInto(from([]), sink, { maxDeferred: 0 }), isInvalid);
  await assert.rejects(importInto(from([]), sink, { progressEvery: 1.5 }), isInvalid);
});
