import { fileURLToPath } from 'node:url';

/**
 * The shared import samples live beside the repository (`../shared/corpus/import` from its
 * root), in a checkout and in CI's fresh clone alike.
 */
export function corpusFile(relative: string): string {
  return fileURLToPath(new URL(`../../../../shared/corpus/import/${relative}`, import.meta.url));
}
