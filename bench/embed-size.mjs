// Prints the gzip size of the built drop-in script against its budgets (docs/decisions/0008, 0032
// and 0038):
// - critical path: embed.js and any file it imports statically, what a reader needs to see a
//   thread and its controls;
// - the critical path of some readers: with the chunk a reader needs before the first paint when
//   there is one (the words of a language other than English, e.g. `chunks/es-*.js`; the count's
//   batching on a page of `<colloquy-count>`s; DOMPurify in a browser without its own HTML
//   sanitizer), each held to the readers' budget;
// - total: embed.js and every chunk it can load (followed through their imports), i.e.
//   everything a reader can reach.
// Run `pnpm --filter @colloquy/element build` first.
// `--check` is the test command's step: the same figures, and exit code 1 with the overshoot
// when a budget is broken or embed.js has not been built.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

// The caps (decisions 0038 and 0039): embed.js, all an English reader whose browser sanitizes
// HTML itself waits for, is held to 25 KB; the readers who wait for one chunk more (Spanish
// words, DOMPurify) are held to the earlier cap.
const CRITICAL_BUDGET = 25 * 1024;
const READER_BUDGET = 32 * 1024;
const TOTAL_BUDGET = 50 * 1024;
const check = process.argv.includes('--check');
const dist = fileURLToPath(new URL('../packages/element/dist/', import.meta.url));
const entry = join(dist, 'embed.js');
if (!existsSync(entry)) {
  console.error(`embed-size: ${entry} not found; run \`pnpm build\` first`);
  process.exit(1);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = (file) => {
  const source = readFileSync(file);
  return { raw: source.length, gzip: gzipSync(source, { level: 9 }).length, brotli: brotliCompressSync(source).length };
};

// The files embed.js can load: relative module specifiers in static and dynamic imports. Stale
// chunks of earlier builds left in dist/chunks are not reachable, so they do not count.
const reachable = [entry];
const critical = new Set([entry]);
for (let i = 0; i < reachable.length; i++) {
  const code = readFileSync(reachable[i], 'utf8');
  for (const [, dynamic, specifier] of code.matchAll(/(?:from|import)\s*(\(?)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) {
    const file = join(dirname(reachable[i]), specifier);
    if (!existsSync(file)) {
      console.error(`embed-size: ${relative(dist, reachable[i])} imports ${specifier}, which is not built`);
      process.exit(1);
    }
    if (!reachable.includes(file)) reachable.push(file);
    // A static import from the critical path is on it: the first render waits for that file too.
    if (!dynamic && critical.has(reachable[i])) critical.add(file);
  }
}

// Chunks some readers wait for before the first paint: a language's words (named by its code)
// for readers of that language, the count's batching on a page of counts, DOMPurify for readers
// whose browser has no `Element.setHTML`.
const before = (file) => {
  const name = relative(dist, file);
  if (/^chunks\/[a-z]{2}-[\w-]+\.js$/.test(name)) return `a reader in ${name.slice(7, 9)}`;
  if (/^chunks\/count-batcher-[\w-]+\.js$/.test(name)) return 'a page of counts';
  if (/^chunks\/dompurify-sanitizer-[\w-]+\.js$/.test(name)) return 'a browser without its own HTML sanitizer';
  return null;
};

const first = { raw: 0, gzip: 0, brotli: 0 };
let total = 0;
const readers = [];
for (const file of reachable) {
  const size = sizes(file);
  total += size.gzip;
  if (critical.has(file)) for (const key of Object.keys(first)) first[key] += size[key];
  const reader = critical.has(file) ? null : before(file);
  if (reader) readers.push([reader, size.gzip]);
  const role = critical.has(file) ? 'critical: imported by embed.js' : reader ? `before the first paint for ${reader}` : 'on demand';
  if (file !== entry) console.log(`  ${relative(dist, file)}: ${kb(size.raw)} raw, ${kb(size.gzip)} gzip (${role})`);
}
console.log(
  `critical path (embed.js${critical.size > 1 ? ` and ${critical.size - 1} files it imports` : ''}): ${kb(first.raw)} raw, ${kb(first.gzip)} gzip, ${kb(first.brotli)} brotli (budget ${kb(CRITICAL_BUDGET)} gzip)`,
);
for (const [reader, bytes] of readers) console.log(`critical path for ${reader}: ${kb(first.gzip + bytes)} gzip (embed.js and that chunk; budget ${kb(READER_BUDGET)} gzip)`);
console.log(`total reachable (embed.js and ${reachable.length - 1} chunks): ${kb(total)} gzip (budget ${kb(TOTAL_BUDGET)} gzip)`);

let failed = false;
for (const [name, bytes, budget] of [
  ['the critical path', first.gzip, CRITICAL_BUDGET],
  ...readers.map(([reader, bytes]) => [`the critical path for ${reader}`, first.gzip + bytes, READER_BUDGET]),
  ['everything a reader can reach', total, TOTAL_BUDGET],
]) {
  if (bytes > budget) {
    failed = true;
    const message = `${name} is ${kb(bytes)} gzip, over its ${kb(budget)} budget by ${kb(bytes - budget)} (${bytes} > ${budget} bytes)`;
    if (check) console.error(`embed-size: FAILED: ${message}; see docs/decisions/0039-platform-sanitizer.md`);
    else console.log(`over budget: ${message}`);
  } else {
    console.log(`${name}: within budget (${((bytes / budget) * 100).toFixed(0)}%, ${budget - bytes} bytes to spare)`);
  }
}
if (failed) process.exitCode = 1;
