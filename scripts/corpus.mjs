// Where the shared test corpus is: `../shared/corpus` beside the repository (a checkout and CI's
// fresh clone alike), or the folder COLLOQUY_CORPUS names. The XSS, import and spam tests read it;
// when it is missing they fail with this message instead of a file-not-found stack.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The corpus folder, whether or not it exists. */
export const CORPUS_DIR = resolve(process.env.COLLOQUY_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url)));

/**
 * The path of `relative` inside the corpus (the folder itself by default).
 * @param {string} [relative]
 * @returns {string}
 */
export function corpusPath(relative = '') {
  if (!existsSync(CORPUS_DIR)) {
    throw new Error(
      `shared/corpus not found at ${CORPUS_DIR}: the XSS/import tests need it; see README ("Test data"), or set COLLOQUY_CORPUS to the corpus folder`,
    );
  }
  const path = join(CORPUS_DIR, relative);
  if (!existsSync(path)) throw new Error(`${relative} not found in shared/corpus at ${CORPUS_DIR}: the corpus is incomplete; see README ("Test data")`);
  return path;
}
