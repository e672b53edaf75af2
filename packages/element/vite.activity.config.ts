// Builds dist/activity.js: <colloquy-activity> as one minified ES module, separate from
// embed.js so the reader's widget keeps its size budget (vite.config.ts builds that one).
import { defineConfig, defaultClientConditions } from 'vite';

export default defineConfig({
  resolve: {
    conditions: ['colloquy-source', ...defaultClientConditions],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: 'src/activity-embed.ts',
      formats: ['es'],
      fileName: () => 'activity.js',
    },
    rolldownOptions: {
      // The on-demand chunks import what they share from embed.js itself (which gains exports)
      // instead of from a third file every page would have to fetch before anything renders.
      preserveEntrySignatures: 'allow-extension',
      output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
