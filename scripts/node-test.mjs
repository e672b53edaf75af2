#!/usr/bin/env node
// Runs a package's Node tests: every *.test.ts under the given folders except browser tests
// (*.browser.test.ts), under `node --test` with tsx and the `source` export condition, so
// workspace packages resolve to their TypeScript sources without a build.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts')) files.push(path);
  }
}
for (const root of roots.length ? roots : ['src']) {
  if (statSync(root).isDirectory()) walk(root);
  else files.push(root);
}
if (files.length === 0) {
  console.error(`no node tests under ${roots.join(', ') || 'src'}`);
  process.exit(1);
}
files.sort();
const result = spawnSync(
  process.execPath,
  ['--conditions=colloquy-source', '--import', 'tsx', '--test', '--test-concurrency=1', ...passthrough, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
