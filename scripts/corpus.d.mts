/** The corpus folder, whether or not it exists (scripts/corpus.mjs). */
export declare const CORPUS_DIR: string;
/** The path of `relative` inside the shared corpus; throws a message naming the missing folder. */
export declare function corpusPath(relative?: string): string;
