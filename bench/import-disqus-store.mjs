// Imports generated Disqus exports through `colloquy-server import disqus` into a real database
// and prints comments per second and peak memory for each size, so that memory staying flat as
// the file grows is visible side by side. Unlike import-disqus.mjs (parser and driver alone),
// this includes everything a site owner's run does: the well-formedness pass, rendering every
// body, and writing comments, authors, pages and import ids to SQLite (fsync per 500 comments)
// or PostgreSQL.
//
//   node --conditions=colloquy-source --import tsx bench/import-disqus-store.mjs                 (SQLite; 50,000 and 200,000)
//   node --conditions=colloquy-source --import tsx bench/import-disqus-store.mjs --postgres 20000 (PostgreSQL 127.0.0.1:5432/test)
//
// Each size is generated into a temporary file and imported by the CLI's own code in a fresh
// child process into a fresh database (a temp file, or a fresh schema), so each peak RSS
// belongs to that size alone. Peak RSS includes garbage V8 has not collected yet (it lets the
// heap grow with the allocation rate); "peak live heap" is sampled right after a forced
// collection once a second and is what the import retains: bounded windows of recent ids,
// authors and pages, and the parser's metadata of every thread (one per 20 comments here).
// The machine is shared: read ratios between rows, not absolutes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticDisqusExport } from '../packages/importer/src/testing.ts';
import { printImportTable } from './lib/import-table.mjs';

const MB = 1048576;
const PG_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';

async function child(file, databaseUrl) {
  const { runImport } = await import('../packages/server/src/transfer/cli-transfer.ts');
  const { configFromEnv } = await import('../packages/server/src/config.ts');
  const lines = [];
  const log = console.log;
  console.log = (line) => lines.push(String(line));
  // What the import really retains: the heap right after a full collection, once a second.
  let peakLive = 0;
  const sampler = setInterval(() => {
    globalThis.gc?.();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }, 1000);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    await runImport(['disqus', file, '--quiet'], { ...configFromEnv({}), databaseUrl }, {});
  } finally {
    console.log = log;
    clearInterval(sampler);
  }
  globalThis.gc?.();
  peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const created = Number(/(\d+) comments created/.exec(lines.join('\n'))?.[1] ?? NaN);
  process.stdout.write(
    JSON.stringify({
      comments: created,
      seconds,
      perSecond: created / seconds,
      perCpuSecond: created / ((cpu.user + cpu.system) / 1e6),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      peakLiveHeapMb: peakLive / MB,
    }),
  );
}

async function main(sizes, postgres) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-import-store-'));
  // The server's own PostgreSQL driver, for creating and dropping each run's schema.
  const admin = postgres ? (await import('../packages/server/src/store/postgres.ts')) : null;
  const adminRun = async (sql) => {
    const db = admin.openPostgres(PG_URL, { max: 1 });
    try {
      await db.run(sql);
    } finally {
      await db.close();
    }
  };
  const rows = [];
  try {
    for (const posts of sizes) {
      const file = await writeSyntheticDisqusExport(join(dir, `disqus-${posts}.xml`), { posts });
      let databaseUrl = `sqlite:${join(dir, `import-${posts}.db`)}`;
      let schema = null;
      if (admin) {
        schema = `colloquy_bench_${process.pid}_${posts}`;
        await adminRun(`CREATE SCHEMA "${schema}"`);
        const url = new URL(PG_URL);
        url.searchParams.set('options', `-c search_path=${schema}`);
        databaseUrl = url.href;
      }
      try {
        const run = spawnSync(
          process.execPath,
          ['--expose-gc', '--conditions=colloquy-source', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', file.path, databaseUrl],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        );
        if (run.status !== 0) throw new Error(`the import of ${posts} posts failed (exit ${run.status})`);
        const result = JSON.parse(run.stdout);
        if (result.comments !== posts) throw new Error(`expected ${posts} comments, the import created ${result.comments}`);
        rows.push({ posts, fileMb: file.bytes / MB, ...result });
      } finally {
        rmSync(file.path, { force: true });
        if (schema) await adminRun(`DROP SCHEMA "${schema}" CASCADE`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  printImportTable(
    `Disqus import into ${postgres ? 'PostgreSQL' : 'SQLite'} through colloquy-server import, Node ${process.version}, ${new Date().toISOString()}`,
    ['comments', 'file MB', 'seconds', 'comments/s', 'comments/CPU-s', 'peak RSS MB', 'peak live heap MB'],
    rows,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], args[2]);
else {
  const postgres = args.includes('--postgres');
  const numbers = args.filter((a) => a !== '--postgres');
  const sizes = numbers.length ? numbers.map(Number) : [50_000, 200_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error('usage: import-disqus-store.mjs [--postgres] [posts ...]   (positive integers)');
    process.exit(2);
  }
  await main(sizes, postgres);
}
