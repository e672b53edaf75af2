// What the site is built from, read from the repository: the docs, the element's manifest and
// the server's configuration table. Paths are resolved from this file so any working
// directory works.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Manifest } from './components.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const siteRoot = fileURLToPath(new URL('../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(`${repoRoot}${path}`, 'utf8');
}

export function readManifest(): Manifest {
  return JSON.parse(readRepoFile('packages/element/custom-elements.json')) as Manifest;
}

/** The "Configuration" table of the server's README: the one place every variable is documented. */
export function serverEnvTable(): string {
  const readme = readRepoFile('packages/server/README.md');
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^\|\s*variable\s*\|/.test(line));
  if (start === -1) throw new Error('packages/server/README.md has no "| variable |" configuration table');
  const table: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  return table.join('\n');
}

/** Variable names in the first column of that table. */
export function documentedEnvNames(table = serverEnvTable()): string[] {
  return [...table.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`/gm)].map((m) => m[1] ?? '');
}

/** Every environment variable the server's configuration reads (`env.NAME` / `env['NAME']`). */
export function envNamesReadByServer(): string[] {
  const source = readRepoFile('packages/server/src/config.ts');
  const names = new Set<string>();
  for (const m of source.matchAll(/env\.([A-Z][A-Z0-9_]*)|env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add(m[1] ?? m[2] ?? '');
  for (const m of source.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)) names.add(m[1] ?? '');
  return [...names].sort();
}
