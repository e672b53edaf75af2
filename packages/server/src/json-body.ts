import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are JSON or nothing: anything else (text/plain, forms, multipart: the types a
 * page on any origin may send without a CORS preflight) is 415 from fastify itself. Bodies must
 * be valid UTF-8, and prototype keys are dropped so a body can never reach Object.prototype.
 */
export function registerJsonBodyParser(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, raw, done) => {
    const buffer = raw as Buffer;
    if (buffer.length === 0) return done(null, undefined);
    let text: string;
    try {
      text = utf8.decode(buffer);
    } catch {
      return done(new ColloquyError('invalid_input', 'The request body is not valid UTF-8.'), undefined);
    }
    try {
      done(null, JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
    } catch {
      done(new ColloquyError('invalid_input', 'The request body is not valid JSON.'), undefined);
    }
  });
}

/**
 * A POST under `prefix` with neither a body type nor an `Authorization` header is what
 * `fetch(url, {method: 'POST', mode: 'no-cors'})` sends from any page; it is refused with 415,
 * like the safelisted body types, so every state-changing request that reaches a route has
 * passed a CORS preflight that the allowed-origins check answers (`Content-Type:
 * application/json` and `Authorization` are not safelisted; PATCH and DELETE always need one).
 * Routes that require a token answer such a request `401` anyway, and keep doing so.
 */
export function refusePreflightlessPosts(app: FastifyInstance, prefix: string): void {
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'POST' || !request.url.startsWith(prefix)) return;
    if (request.headers['content-type'] !== undefined || request.headers.authorization !== undefined) return;
    const auth = request.routeOptions.config?.auth;
    if (auth === 'identity' || auth === 'moderator') return;
    throw new ColloquyError('unsupported_media_type', 'Send the request with Content-Type: application/json and a JSON body (`{}` when there is nothing to send).');
  });
}
