// Builds dist/embed.js: one minified ES module with Lit, DOMPurify, the REST adapter and the
// styles inside (Lit's styles are adopted stylesheets, so no CSS file and no inline styles).
// Size measures (budget 30 KB gzip, `node bench/embed-size.mjs`): docs/decisions/0008-embed-size.md.
import { defineConfig, defaultClientConditions } from 'vite';
import { leanDompurify } from './build/lean-dompurify.js';
import { leanLit } from './build/lean-lit.js';
import { minifyTemplates } from './build/minify-templates.js';
import { stripErrorMessages } from './build/strip-error-messages.js';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, as in tests.
    conditions: ['colloquy-source', ...defaultClientConditions],
  },
  plugins: [
    leanDompurify(),
    leanLit(),
    minifyTemplates({ include: /[\\/]packages[\\/]element[\\/]src[\\/].*\.ts$/ }),
    stripErrorMessages({ include: /[\\/]packages[\\/](?:core|adapter-rest)[\\/]src[\\/].*\.ts$/ }),
  ],
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
      // The on-demand chunks import what they share from embed.js itself (which gains exports)
      // instead of from a third file every page would have to fetch before anything renders.
      preserveEntrySignatures: 'allow-extension',
      // Pure annotations only help a later bundler; nobody bundles embed.js again.
      output: {
        minify: true,
        comments: { annotation: false },
        // Loaded on demand (the report dialog); the hash lets the server cache them forever.
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
