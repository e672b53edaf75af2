import { ColloquyError } from './errors.js';

/**
 * Keyset page cursors, shared by every store: the sort key of the last row a page showed,
 * tagged with what it pages (a sort order, a queue, the audit log), as base64url JSON
 * `[tag, ...key]`. Opaque to clients. A cursor that does not decode, carries another tag or a
 * key of another shape is `invalid_cursor`, never a crash. Works in browsers and Node alike
 * (no Buffer), so the in-memory adapter pages exactly as the server does.
 */

/** What one part of a key is: a non-negative safe integer (times, counts) or a short text (ids, ISO dates). */
export type CursorPart = 'int' | 'text';
type PartValue<P extends CursorPart> = P extends 'int' ? number : string;
/** The decoded key for a shape, e.g. `['int', 'text']` → `[number, string]`. */
export type CursorKey<S extends readonly CursorPart[]> = { -readonly [I in keyof S]: PartValue<S[I]> };

/** Longest cursor accepted, in characters; the keys it carries are far shorter. */
const MAX_CURSOR_LENGTH = 512;
const MAX_TEXT_LENGTH = 200;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(tag: string, key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([tag, ...key]));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The key of a cursor made by `encodeCursor(tag, key)` with a key of this shape; anything else
 * throws `invalid_cursor` with `message`, which should tell the reader what to do.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: unknown, tag: string, shape: S, message: string): CursorKey<S> {
  const invalid = () => new ColloquyError('invalid_cursor', message);
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== tag) throw invalid();
  const key = parsed.slice(1);
  shape.forEach((part, i) => {
    const value: unknown = key[i];
    const ok =
      part === 'int'
        ? Number.isSafeInteger(value) && (value as number) >= 0
        : typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_LENGTH;
    if (!ok) throw invalid();
  });
  return key as CursorKey<S>;
}
