import { defineConfig, defaultClientConditions } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // In this repository the Colloquy packages resolve to their sources; from npm, drop this.
  resolve: { conditions: ['colloquy-source', ...defaultClientConditions] },
  base: './',
  build: { target: 'es2022' },
});
