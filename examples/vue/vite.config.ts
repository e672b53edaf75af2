import { defineConfig, defaultClientConditions } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [
    // The colloquy- tags are custom elements, not Vue components.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('colloquy-') } } }),
  ],
  // In this repository the Colloquy packages resolve to their sources; from npm, drop this.
  resolve: { conditions: ['colloquy-source', ...defaultClientConditions] },
  base: './',
  build: { target: 'es2022' },
});
