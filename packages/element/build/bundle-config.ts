// The Vite config of a drop-in bundle beside embed.js (moderation.js, activity.js): one
// minified ES module, its on-demand chunks content-hashed under chunks/.
import { defineConfig, defaultClientConditions, type PluginOption, type UserConfig } from 'vite';
import { terserPass } from './terser-pass.js';

export function bundleConfig(entry: string, fileName: string, plugins: PluginOption[] = []): UserConfig {
  return defineConfig({
    resolve: {
      conditions: ['colloquy-source', ...defaultClientConditions],
    },
    plugins: [...plugins, terserPass()],
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      lib: {
        entry,
        formats: ['es'],
        fileName: () => fileName,
      },
      rolldownOptions: {
        // The on-demand chunks import what they share from the entry itself (which gains exports)
        // instead of from a third file every page would have to fetch before anything renders.
        preserveEntrySignatures: 'allow-extension',
        // Pure annotations only help a later bundler; nobody bundles these files again. The
        // chunks' hashes let the server cache them forever.
        output: {
          minify: true,
          comments: { annotation: false },
          chunkFileNames: 'chunks/[name]-[hash].js',
          // What only writing needs comes in one file on the first write, not five small ones
          // (checks, the thread's report and name, the adapter's requests, events and words).
          // Only the matching modules themselves: what they import from the entry stays there.
          codeSplitting: {
            includeDependenciesRecursively: false,
            groups: [
              { name: 'writes', test: /[\\/](?:validate-writes|thread-requests|writes|write-events|write-messages|helpful-state|thread[\\/](?:posting|helpful))\.ts$/ },
              { name: 'live', test: /rolldown[\\/:]runtime|[\\/](?:live-arrivals|live-merge|live|reconnect|core[\\/]src[\\/]helpful)\.ts$/ },
            ],
          },
        },
      },
    },
  });
}
