import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance } from 'fastify';

/** Headers whose values reach the store or a lookup. */
const CHECKED_HEADERS = ['authorization', 'idempotency-key', 'last-event-id'] as const;

/** The first place in `value` (a parsed query, path or JSON body) where a string holds a NUL, or null. */
export function findNul(value: unknown, where: string): string | null {
  // A loop over a stack, not recursion: a 64 KiB body may nest arrays thirty thousand deep.
  const stack: Array<[unknown, string]> = [[value, where]];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
    } else if (Array.isArray(item)) {
      item.forEach((element, i) => stack.push([element, `${path}[${i}]`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (key.includes('\u0000')) return path;
        stack.push([element, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * No field of the protocol accepts a NUL character, and PostgreSQL cannot store or even compare
 * one in text: without this check an id or filter holding %00 reached the database and failed
 * there (a 500 on PostgreSQL, a miss on SQLite). One check before validation refuses NUL
 * anywhere in the query, the path, the JSON body or the headers that reach the store, with 400
 * `invalid_input` on both drivers.
 */
export function registerNulCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found =
      findNul(request.query, 'query') ??
      findNul(request.params, 'path') ??
      findNul(request.body, 'body') ??
      CHECKED_HEADERS.map((name) => findNul(request.headers[name], `${name} header`)).find((at) => at !== null) ??
      null;
    if (found !== null) {
      throw new ColloquyError('invalid_input', `The request contains a NUL character (in ${found.replace(/^(query|path|body)\./, '$1 field ')}); no field accepts one.`);
    }
  });
}
