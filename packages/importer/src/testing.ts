// `@colloquy/importer/testing`: what tests and benchmarks of an import use, kept out of the
// main entry that imports real exports.
export type { SyntheticDisqusExport, SyntheticDisqusOptions } from './synthetic-export.js';
export { writeSyntheticDisqusExport } from './synthetic-export.js';
