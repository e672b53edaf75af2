import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Where a built file of `@colloquy/element` lives, found through that package's exports map
 * (a declared dependency), so the server works wherever the package manager put it. Before
 * the element is built the file does not exist and resolving it fails; the path is then read
 * from the same exports map, so the server can say where it looked.
 */
export function elementFile(name: 'embed.js' | 'moderation.js'): string {
  try {
    return require.resolve(`@colloquy/element/${name}`);
  } catch {
    const manifest = require.resolve('@colloquy/element/package.json');
    const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, unknown> }).exports[`./${name}`];
    const target = typeof entry === 'object' && entry !== null ? (entry as { default?: unknown }).default : entry;
    if (typeof target !== 'string') throw new Error(`@colloquy/element does not export ./${name}`);
    return join(dirname(manifest), target);
  }
}
