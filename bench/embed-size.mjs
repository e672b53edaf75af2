// Prints the gzip size of the built drop-in script against its 30 KB budget.
// Run `pnpm --filter @colloquy/element build` first.
// `--check` is the test command's step: the same figure, and exit code 1 with the overshoot
// when embed.js is over budget or has not been built.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 30 * 1024;
const check = process.argv.includes('--check');
const file = fileURLToPath(new URL('../packages/element/dist/embed.js', import.meta.url));
if (!existsSync(file)) {
  console.error(`embed-size: ${file} not found; run \`pnpm build\` first`);
  process.exit(1);
}
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`embed.js: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${kb(BUDGET)} gzip)`);
if (gzip > BUDGET) {
  const message = `embed.js is ${kb(gzip)} gzip, over its ${kb(BUDGET)} budget by ${kb(gzip - BUDGET)} (${gzip} > ${BUDGET} bytes)`;
  if (check) console.error(`embed-size: FAILED: ${message}; see docs/decisions/0008-embed-size.md`);
  else console.log(`over budget by ${kb(gzip - BUDGET)}`);
  process.exitCode = 1;
} else {
  console.log(`within budget (${((gzip / BUDGET) * 100).toFixed(0)}%, ${BUDGET - gzip} bytes to spare)`);
}
