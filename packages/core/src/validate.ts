import { ColloquyError } from './errors.js';
import { describe, hasVisibleText } from './text.js';
import {
  DEFAULT_LIMITS,
  DEFAULT_PAGE_SIZE,
  SORT_ORDERS,
  type Limits,
  type ListQuery,
  type SortOrder,
} from './types.js';

/*
 * One set of checks for adapters, the server and the widget, so every part refuses the same
 * input with the same code and wording. Each validator returns the value it accepted
 * (normalised where noted) and throws `ColloquyError` otherwise: `invalid_input` for wrong
 * types and malformed text, `body_too_long` / `name_too_long` for lengths. Lengths count
 * Unicode code points, as the protocol does.
 */

/** The longest thread key accepted, in code points. */
export const MAX_THREAD_KEY_LENGTH = 512;
/** The longest idempotency key accepted, in code points. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** Comment ids and cursors are opaque, but never this long. */
export const MAX_ID_LENGTH = 200;
const MAX_CURSOR_LENGTH = 1_000;

/** C0 and C1 controls (and DEL) except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TEXT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every C0 and C1 control: keys and names are single-line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Length in Unicode code points: an emoji or a CJK extension character counts as one. */
export function codePointLength(value: string): number {
  if (typeof value !== 'string') {
    throw new ColloquyError('invalid_input', `Expected text to measure, got ${describe(value)}.`);
  }
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

/** @internal For validate-writes.ts. */
export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new ColloquyError('invalid_input', `${what} must be text, got ${describe(value)}.`);
  }
  return value;
}

/** @internal For validate-writes.ts. */
export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ColloquyError('invalid_input', `${what} must be an object, got ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** @internal For validate-writes.ts. */
export function checkWellFormed(value: string, what: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new ColloquyError('invalid_input', `${what} contains a broken character (a lone UTF-16 surrogate).`);
  }
}

/** A single-line key: 1..max code points, no control characters, no broken characters. */
/** @internal For validate-writes.ts. */
export function validateKey(value: unknown, what: string, max: number): string {
  const key = requireString(value, what);
  if (key.length === 0) throw new ColloquyError('invalid_input', `${what} must not be empty.`);
  if (codePointLength(key) > max) {
    throw new ColloquyError('invalid_input', `${what} is too long; the limit is ${max} characters.`);
  }
  if (ANY_CONTROL.test(key)) {
    throw new ColloquyError('invalid_input', `${what} must not contain control characters.`);
  }
  checkWellFormed(key, what);
  return key;
}

/** @internal For validate-writes.ts. */
export function limitsOrDefault(limits: unknown): Limits {
  if (limits === undefined) return DEFAULT_LIMITS;
  const object = requireObject(limits, 'The limits');
  return { ...DEFAULT_LIMITS, ...object } as Limits;
}

/**
 * The one form of a thread key that the widget, every adapter, the server and the importer
 * store and compare: a path key (one starting with `/`) loses its trailing slashes, so
 * `/post/` and `/post` are the same thread; the root stays `/`. Any other key is kept as is.
 */
export function canonicalThreadKey(key: string): string {
  return key.length > 1 && key[0] === '/' ? key.replace(/\/+$/, '') || '/' : key;
}

/**
 * A thread key (usually the article's URL path): 1–512 code points, no control characters,
 * returned in its canonical form (`canonicalThreadKey`).
 */
export function validateThreadKey(value: unknown): string {
  return canonicalThreadKey(validateKey(value, 'The thread key', MAX_THREAD_KEY_LENGTH));
}

/**
 * Free text a reader typed (a comment body, report details): no C0/C1 controls except tab,
 * newline and carriage return, no lone surrogates, at most `max` code points.
 */
/** @internal For validate-writes.ts. */
export function validateText(value: unknown, what: string, max: number, tooLong: 'body_too_long' | 'invalid_input'): string {
  const text = requireString(value, what);
  // Length first: it is the cheap check that bounds the cost of the others.
  if (text.length > max && codePointLength(text) > max) {
    throw new ColloquyError(tooLong, `${what} is too long; the limit is ${max} characters.`);
  }
  if (TEXT_CONTROLS.test(text)) {
    throw new ColloquyError('invalid_input', `${what} contains control characters; remove them and try again.`);
  }
  checkWellFormed(text, what);
  return text;
}

/**
 * A comment body as typed. It must have visible text (whitespace, zero-width characters or
 * Hangul fillers alone are refused) and at most `limits.maxBodyLength` code points. Returned
 * unchanged: bodies keep their whitespace, which the markdown subset gives meaning to.
 */
export function validateBody(body: unknown, limits?: Partial<Limits>): string {
  const { maxBodyLength } = limitsOrDefault(limits);
  const text = validateText(body, 'The comment', maxBodyLength, 'body_too_long');
  if (!hasVisibleText(text)) throw new ColloquyError('invalid_input', 'The comment is empty; write something first.');
  return text;
}

/** A sort order from `SORT_ORDERS`; undefined or null gives `fallback` (`oldest`). */
export function validateSort(value: unknown, fallback: SortOrder = 'oldest'): SortOrder {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(SORT_ORDERS as readonly string[]).includes(value)) {
    throw new ColloquyError('invalid_input', `The sort order must be one of: ${SORT_ORDERS.join(', ')}.`);
  }
  return value as SortOrder;
}

/**
 * A page size from 1 to `limits.maxPageSize`; undefined or null gives `DEFAULT_PAGE_SIZE`.
 * A string of digits is accepted too, since query strings carry numbers as text.
 */
export function validateLimit(value: unknown, limits?: Partial<Limits>): number {
  const { maxPageSize } = limitsOrDefault(limits);
  if (value === undefined || value === null) return Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  const number = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > maxPageSize) {
    throw new ColloquyError('invalid_input', `The page size must be a whole number from 1 to ${maxPageSize}.`);
  }
  return number;
}

/** A cursor is opaque to callers; this only checks it could have come from a page. */
function validateCursor(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new ColloquyError('invalid_input', `The cursor must be text, got ${describe(value)}.`);
  }
  if (value === '' || value.length > MAX_CURSOR_LENGTH || ANY_CONTROL.test(value) || LONE_SURROGATE.test(value)) {
    throw new ColloquyError('invalid_cursor', 'The cursor is not one this server gave out; load the thread again.');
  }
  return value;
}

/** A list query with its defaults filled in: sort `oldest`, cursor null, limit 20. */
export function validateListQuery(input: unknown, limits?: Partial<Limits>): Required<ListQuery> {
  const query = requireObject(input, 'The list query');
  return {
    thread: validateThreadKey(query.thread),
    sort: validateSort(query.sort),
    cursor: validateCursor(query.cursor),
    limit: validateLimit(query.limit, limits),
  };
}

/** A comment id, as given to edit, delete, report or as a parent. */
export function validateCommentId(value: unknown): string {
  return validateKey(value, 'The comment id', MAX_ID_LENGTH);
}

