// Builds dist/embed.js: one minified ES module with Lit, DOMPurify, the REST adapter and the
// styles inside (Lit's styles are adopted stylesheets, so no CSS file and no inline styles).
import { defineConfig, defaultClientConditions } from 'vite';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, as in tests.
    conditions: ['colloquy-source', ...defaultClientConditions],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: 'src/embed.ts',
      formats: ['es'],
      fileName: () => 'embed.js',
    },
    rolldownOptions: {
      output: { minify: true },
    },
  },
});
