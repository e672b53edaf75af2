import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // In this repository the Colloquy packages resolve to their sources; from npm, drop this.
  resolve: { conditions: ['colloquy-source', ...defaultClientConditions] },
  base: './',
  build: { target: 'es2022' },
});
