// Prints the gzip size of the built drop-in script against its 30 KB budget.
// Run `pnpm --filter @colloquy/element build` first.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 30 * 1024;
const file = fileURLToPath(new URL('../packages/element/dist/embed.js', import.meta.url));
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`embed.js: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${kb(BUDGET)} gzip)`);
if (gzip > BUDGET) {
  console.log(`over budget by ${kb(gzip - BUDGET)}`);
  process.exitCode = 1;
} else {
  console.log(`within budget (${((gzip / BUDGET) * 100).toFixed(0)}%)`);
}
