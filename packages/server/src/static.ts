import { dirname, join } from 'node:path';
import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from './config.js';
import { DEMO_THREAD } from './seed.js';
import { sendFile, staticFiles } from './static-files.js';

/**
 * Site owners link embed.js (and the moderator's moderation.js) by a fixed name, so it may
 * only be cached briefly: a release reaches readers within five minutes, and a stale copy may
 * be used for a day while it is revalidated in the background.
 */
const EMBED_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

const CHUNK_CACHE = 'public, max-age=31536000, immutable';
/** `name-hash.js` as the element's build names its chunks, and their source maps. */
const CHUNK_NAME = /^[A-Za-z0-9_.-]+-[A-Za-z0-9_-]{8,}\.js(\.map)?$/;

/** The strict policy of the served pages: only this origin's scripts, no inline code, Trusted Types enforced. */
export function pageCsp(config: ServerConfig, frameAncestors: string): string {
  const connect = ["'self'", ...(config.allowedOrigins ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "require-trusted-types-for 'script'",
  ].join('; ');
}

export function registerStatic(app: FastifyInstance, config: ServerConfig, frameAncestorsValue?: string): void {
  const read = staticFiles();
  const ancestors =
    frameAncestorsValue ?? ["'self'", ...(config.allowedOrigins ?? ['http://localhost:*', 'http://127.0.0.1:*'])].join(' ');

  async function send(request: FastifyRequest, reply: FastifyReply, path: string, cacheControl: string) {
    const file = await read(path);
    if (!file) return null;
    return sendFile(request, reply, file, cacheControl);
  }

  // The widget script is public and loaded cross-origin as a module, which needs CORS. The
  // moderator's queue (moderation.js) and the reader's activity (activity.js) are built beside
  // it and served the same way; they hold no secret, their data needs a token.
  const built = dirname(config.embedPath);
  const files: Record<string, string> = {
    'embed.js': config.embedPath,
    'embed.js.map': `${config.embedPath}.map`,
    'moderation.js': join(built, 'moderation.js'),
    'moderation.js.map': join(built, 'moderation.js.map'),
    'activity.js': join(built, 'activity.js'),
    'activity.js.map': join(built, 'activity.js.map'),
  };
  for (const [name, path] of Object.entries(files)) {
    app.get(`/${name}`, async (request, reply) => {
      reply.header('Access-Control-Allow-Origin', '*');
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      const sent = await send(request, reply, path, EMBED_CACHE);
      if (sent === null) {
        throw new ColloquyError('not_found', `${name} is not built yet; run pnpm build (looked in ${path}).`);
      }
      return sent;
    });
  }

  // Parts of the widget loaded on demand (the report dialog), named by a hash of their
  // content: a new build makes new names, so a copy never goes stale and may be kept a year.
  app.get<{ Params: { file: string } }>('/chunks/:file', async (request, reply) => {
    const { file } = request.params;
    if (!CHUNK_NAME.test(file)) throw new ColloquyError('not_found', 'No such file.');
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const sent = await send(request, reply, join(built, 'chunks', file), CHUNK_CACHE);
    if (sent === null) throw new ColloquyError('not_found', 'No such file.');
    return sent;
  });

  if (!config.serveDemo) return;
  const page = async (request: FastifyRequest, reply: FastifyReply, file: string) => {
    if (!/^[a-z0-9-]+\.(html|css|js|svg|png|ico)$/.test(file)) throw new ColloquyError('not_found', 'No such page.');
    if (file.endsWith('.html')) {
      reply.header('Content-Security-Policy', pageCsp(config, ancestors));
      reply.removeHeader('X-Frame-Options');
    }
    const sent = await send(request, reply, join(config.demoDir, file), file.endsWith('.html') ? 'no-cache' : 'public, max-age=300');
    if (sent === null) throw new ColloquyError('not_found', 'No such page.');
    return sent;
  };
  app.get('/', (request, reply) => page(request, reply, 'index.html'));
  // The article's canonical URL too, where moderators' links (thread-base + key) open it.
  app.get(DEMO_THREAD, (request, reply) => page(request, reply, 'index.html'));
  app.get('/moderation', (request, reply) => page(request, reply, 'moderation.html'));
  app.get<{ Params: { file: string } }>('/:file', (request, reply) => page(request, reply, request.params.file));
}
