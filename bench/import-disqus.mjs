// Imports generated Disqus exports of 50,000 and 200,000 comments through the streaming
// parser and the import driver, and prints comments per second and peak memory for each, so
// that the memory staying flat as the file grows is visible side by side.
//
//   node --conditions=colloquy-source --import tsx bench/import-disqus.mjs          (from the repository root)
//   pnpm --filter @colloquy/bench run import-disqus                        (the same, via the script entry)
//   node --conditions=colloquy-source --import tsx bench/import-disqus.mjs 10000 400000   (other sizes)
//
// Each size is generated into a temporary file (written as a stream) and imported in a fresh
// child process, so each peak RSS belongs to that size alone. The sink keeps no comments, only
// one bit per comment id, standing in for a database's unique index on (source, sourceId).
// "Peak heap" includes garbage not yet collected; "peak live heap" is sampled right after a
// forced collection every 25,000 comments and is what the import really retains: the driver's
// window of 50,000 recent ids, at most 10,000 waiting replies, and the metadata of every
// thread (the generator makes one thread per 20 comments, so that part grows with the file).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importInto, parseDisqus } from '../packages/importer/src/index.ts';
import { writeSyntheticDisqusExport } from '../packages/importer/src/testing.ts';
import { printImportTable } from './lib/import-table.mjs';

const MB = 1048576;

async function child(file) {
  let peakHeap = 0;
  let peakLive = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let created = 0;
  // Stands in for a database: it keeps no comments, only what its unique index on
  // (source, sourceId) would answer, as one bit per generated id ("p123" is bit 123).
  let stored = new Uint8Array(1 << 16);
  const bit = (sourceId) => Number(sourceId.slice(1));
  const sink = {
    async upsertImported(record) {
      const n = bit(record.sourceId);
      if (n >> 3 >= stored.length) {
        const grown = new Uint8Array(Math.max(stored.length * 2, (n >> 3) + 1));
        grown.set(stored);
        stored = grown;
      }
      if (stored[n >> 3] & (1 << (n & 7))) return 'exists';
      stored[n >> 3] |= 1 << (n & 7);
      created++;
      return 'created';
    },
    async hasImported(_source, sourceId) {
      const n = bit(sourceId);
      return Boolean(stored[n >> 3] & (1 << (n & 7)));
    },
  };
  const summary = await importInto(parseDisqus(file), sink, {
    progressEvery: 1000,
    onProgress: (progress) => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      // Now and then, what is really retained: the heap right after a full collection.
      if (progress.records % 25_000 === 0) {
        globalThis.gc?.();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // Wall time depends on what else shares the machine; CPU time of this process does less.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result = {
    comments: summary.created,
    counted: created,
    skipped: summary.skipped,
    detached: summary.detached,
    seconds,
    perSecond: summary.created / seconds,
    perCpuSecond: summary.created / cpuSeconds,
    // maxRSS is the true peak of the process, in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / MB,
    peakLiveHeapMb: peakLive / MB,
  };
  process.stdout.write(JSON.stringify(result));
}

async function main(sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-import-'));
  const rows = [];
  try {
    for (const posts of sizes) {
      const file = await writeSyntheticDisqusExport(join(dir, `disqus-${posts}.xml`), { posts });
      const run = spawnSync(
        process.execPath,
        ['--expose-gc', '--conditions=colloquy-source', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', file.path],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (run.status !== 0) throw new Error(`the import of ${posts} posts failed (exit ${run.status})`);
      const result = JSON.parse(run.stdout);
      if (result.comments !== posts) throw new Error(`expected ${posts} comments, the import created ${result.comments}`);
      rows.push({ posts, fileMb: file.bytes / MB, ...result });
      rmSync(file.path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  printImportTable(`Disqus import, Node ${process.version}, ${new Date().toISOString()}`, [
    'comments', 'file MB', 'seconds', 'comments/s', 'comments/CPU-s', 'peak RSS MB', 'peak heap MB', 'peak live heap MB',
  ], rows);
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]);
else {
  const sizes = args.length ? args.map(Number) : [50_000, 200_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error('usage: import-disqus.mjs [posts ...]   (positive integers)');
    process.exit(2);
  }
  await main(sizes);
}
