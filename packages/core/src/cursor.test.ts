import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from './cursor.js';
import { isColloquyError } from './errors.js';

const MESSAGE = 'The cursor is not one this server gave out; load the list again.';
const rejects = (cursor: unknown, tag = 'oldest', shape: readonly ('int' | 'text')[] = ['int', 'text']) =>
  assert.throws(
    () => decodeCursor(cursor, tag, shape, MESSAGE),
    (error: unknown) => isColloquyError(error) && error.code === 'invalid_cursor' && error.message === MESSAGE && error.status === 400,
  );

test('a cursor gives back the key it was made from, for the same tag and shape', () => {
  const cursor = encodeCursor('top', [3, 1_764_000_000_000, 'c_0abc']);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'URL-safe without escaping');
  assert.deepEqual(decodeCursor(cursor, 'top', ['int', 'int', 'text'], MESSAGE), [3, 1_764_000_000_000, 'c_0abc']);
  // Text beyond ASCII survives the round trip.
  assert.deepEqual(decodeCursor(encodeCursor('oldest', [7, 'é✓']), 'oldest', ['int', 'text'], MESSAGE), [7, 'é✓']);
});

test('it writes the same bytes as Node base64url, so browser and server cursors agree', () => {
  const cursor = encodeCursor('queue:held', [1, 'c_x?>~']);
  assert.equal(cursor, Buffer.from(JSON.stringify(['queue:held', 1, 'c_x?>~'])).toString('base64url'));
});

test('a cursor of another tag, of another shape or tampered with is invalid_cursor', () => {
  const oldest = encodeCursor('oldest', [1, 'c_x']);
  rejects(oldest, 'newest');
  rejects(oldest, 'oldest', ['int', 'int', 'text']);
  rejects(encodeCursor('oldest', ['1', 'c_x']));
  rejects(encodeCursor('oldest', [-1, 'c_x']));
  rejects(encodeCursor('oldest', [1.5, 'c_x']));
  rejects(encodeCursor('oldest', [1, '']));
  rejects(encodeCursor('oldest', [1, 'x'.repeat(201)]));
  for (const bad of ['', '!!!', 'bm90IGpzb24', 'e30', 'A', 'x'.repeat(513), 42, null, undefined]) rejects(bad);
  rejects(Buffer.from(JSON.stringify({ s: 'oldest', k: [1, 'c_x'] })).toString('base64url'));
  rejects(Buffer.from([0xff, 0xfe, 0x5b]).toString('base64url'));
});
