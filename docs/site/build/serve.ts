// Serves the built site (docs/site/dist) with the site's strict CSP as a header:
//   pnpm docs:serve            (PORT=4173 HOST=127.0.0.1 by default)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_CSP } from './layout.js';
import { siteRoot } from './sources.js';
import { startStaticServer } from './static-server.js';

const root = join(siteRoot, 'dist');
if (!existsSync(join(root, 'index.html'))) {
  console.error('docs/site/dist is empty: run pnpm docs:build first.');
  process.exit(1);
}
const server = await startStaticServer({
  root,
  port: Number(process.env.PORT ?? 4173),
  host: process.env.HOST ?? '127.0.0.1',
  headers: { 'content-security-policy': SITE_CSP, 'referrer-policy': 'no-referrer' },
});
console.log(`Colloquy docs at ${server.url}/ (Ctrl-C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.close().then(() => process.exit(0)));
