import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are JSON or nothing: anything else is 415 from fastify itself. Bodies must be
 * valid UTF-8, and prototype keys are dropped so a body can never reach Object.prototype.
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
