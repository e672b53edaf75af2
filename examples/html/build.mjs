// The page needs no build: this copies it to dist/, pointed at your comment server.
//   COLLOQUY_ORIGIN=https://comments.example.org pnpm --filter @colloquy/example-html build
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const origin = (process.env.COLLOQUY_ORIGIN ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(origin)) {
  console.error(`COLLOQUY_ORIGIN must be an origin like https://comments.example.org; got ${origin}`);
  process.exit(1);
}
mkdirSync('dist', { recursive: true });
writeFileSync('dist/index.html', readFileSync('index.html', 'utf8').replaceAll('http://127.0.0.1:8787', origin));
copyFileSync('style.css', 'dist/style.css');
console.log(`examples/html/dist: the article page, widget from ${origin}`);
