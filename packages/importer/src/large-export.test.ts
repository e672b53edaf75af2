import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importInto, parseDisqus, type ImportSink } from './index.js';
import { writeSyntheticDisqusExport } from './testing.js';

// Live heap is what must stay bounded; garbage awaiting collection is not. A forced
// collection before each sample measures the former.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

test('a 30,000-post Disqus export imports with live heap far below the file size', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-import-'));
  try {
    const file = await writeSyntheticDisqusExport(join(dir, 'large.xml'), { posts: 30_000 });
    assert.ok(file.bytes > 15 * 1048576, `the generated file is ${file.bytes} bytes`);

    let created = 0;
    // Counts without keeping records, as a database would hold them elsewhere.
    const sink: ImportSink = {
      async upsertImported() {
        created++;
        return 'created';
      },
    };
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    const samples: number[] = [];
    const summary = await importInto(parseDisqus(file.path), sink, {
      progressEvery: 3000,
      onProgress: () => {
        collectGarbage();
        samples.push(process.memoryUsage().heapUsed - baseline);
      },
    });

    assert.equal(summary.created, 30_000);
    assert.equal(created, 30_000);
    assert.equal(summary.skipped, 0);
    assert.equal(summary.detached, 0);
    assert.equal(summary.bytesRead, file.bytes);
    const peak = Math.max(...samples);
    const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
    // What grows is the driver's set of seen ids (the sink has no hasImported): about 100 bytes a post.
    assert.ok(peak < 12 * 1048576, `peak live heap grew by ${mb(peak)} for a ${mb(file.bytes)} file`);
    // And it grows with the number of posts, not with their text: the last fifth adds little.
    const late = (samples.at(-1) ?? 0) - (samples.at(-3) ?? 0);
    assert.ok(late < 2 * 1048576, `the last 6,000 posts added ${mb(late)} of live heap`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
