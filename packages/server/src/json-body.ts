import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are JSON or nothing: anything else (text/plain, forms, multipart: the types a
 * page on any origin may send without a CORS preflight) is 415 from fastify itself. Bodies must
 * be valid UTF-8, and prototype keys are dropped so a body can never reach Object.prototype.
 */
/**
 * How much of a body over the limit is still read (and dropped) before the 413 goes out. A
 * client that is still sending when the server answers and closes gets a broken pipe instead of
 * the answer; reading the rest first lets it read the 413. Bodies declared larger than this are
 * refused at once.
 */
const DRAIN_BYTES = 8 * 1024 * 1024;

export function registerJsonBodyParser(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const tooLarge = () => new ColloquyError('too_large', `The request body is larger than ${maxBytes / 1024} KiB.`);

  function parse(buffer: Buffer): unknown {
    if (buffer.length === 0) return undefined;
    let text: string;
    try {
      text = utf8.decode(buffer);
    } catch {
      throw new ColloquyError('invalid_input', 'The request body is not valid UTF-8.');
    }
    try {
      return JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value));
    } catch {
      throw new ColloquyError('invalid_input', 'The request body is not valid JSON.');
    }
  }

  app.addContentTypeParser('application/json', (request, payload, done) => {
    if (Number(request.headers['content-length']) > DRAIN_BYTES) return done(tooLarge(), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      payload.removeAllListeners('data');
      if (error) return done(error, undefined);
      try {
        done(null, parse(Buffer.concat(chunks, size)));
      } catch (failure) {
        done(failure as Error, undefined);
      }
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > DRAIN_BYTES) settle(tooLarge());
    });
    payload.on('end', () => settle(size > maxBytes ? tooLarge() : null));
    payload.on('error', (error) => settle(error));
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
