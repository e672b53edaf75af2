import { corpusPath } from '../../../scripts/corpus.mjs';

/**
 * The shared import samples live beside the repository (`../shared/corpus/import` from its
 * root), in a checkout and in CI's fresh clone alike; a missing corpus fails with a message
 * saying so.
 */
export function corpusFile(relative: string): string {
  return corpusPath(`import/${relative}`);
}
