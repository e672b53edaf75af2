import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError, type ErrorCode } from './errors.js';
import { DEFAULT_LIMITS } from './types.js';
import {
  codePointLength,
  validateBody,
  validateCommentId,
  validateLimit,
  validateListQuery,
  validateSort,
  validateThreadKey,
  canonicalThreadKey,
} from './validate.js';
import { validateCreateInput, validateName, validateReport } from './validate-writes.js';

function rejects(run: () => unknown, code: ErrorCode, message?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ColloquyError, `expected a ColloquyError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const wrongTypes: unknown[] = [undefined, null, 42, true, {}, [], () => 'x', Symbol('s'), 10n];

test('codePointLength counts characters, not UTF-16 units', () => {
  assert.equal(codePointLength('abc'), 3);
  assert.equal(codePointLength('👍🏽'), 2);
  assert.equal(codePointLength('𠀀'), 1);
  assert.equal(codePointLength('\ud800x'), 2);
  rejects(() => codePointLength(3 as unknown as string), 'invalid_input');
});

test('thread keys are canonical: a path loses its trailing slashes, the root and other keys stay', () => {
  assert.equal(validateThreadKey('/closed-post/'), '/closed-post');
  assert.equal(validateThreadKey('/a//'), '/a');
  assert.equal(validateThreadKey('/'), '/');
  assert.equal(validateThreadKey('//'), '/');
  assert.equal(validateThreadKey('article-42/'), 'article-42/');
  assert.equal(canonicalThreadKey('/2026/11/article'), '/2026/11/article');
});

test('validateThreadKey accepts paths up to 512 code points and refuses the rest', () => {
  assert.equal(validateThreadKey('/2026/11/article'), '/2026/11/article');
  assert.equal(validateThreadKey('😀'.repeat(512)), '😀'.repeat(512));
  rejects(() => validateThreadKey(''), 'invalid_input', /empty/);
  rejects(() => validateThreadKey('a'.repeat(513)), 'invalid_input', /512/);
  rejects(() => validateThreadKey('/a\nb'), 'invalid_input', /control/);
  rejects(() => validateThreadKey('/a\u0085b'), 'invalid_input');
  for (const value of wrongTypes) rejects(() => validateThreadKey(value), 'invalid_input', /thread key must be text/);
});

test('validateBody accepts what a reader would type, unchanged', () => {
  const body = '  Hello *there*,\r\n\tsecond line 👍🏽 مرحبا  ';
  assert.equal(validateBody(body), body);
  assert.equal(validateBody('x'.repeat(DEFAULT_LIMITS.maxBodyLength)).length, DEFAULT_LIMITS.maxBodyLength);
  assert.equal(validateBody('😀'.repeat(10), { maxBodyLength: 10 }), '😀'.repeat(10));
});

test('validateBody refuses empty, too long, control characters and broken text', () => {
  rejects(() => validateBody(''), 'invalid_input', /empty/);
  rejects(() => validateBody(' \n\t '), 'invalid_input', /empty/);
  rejects(() => validateBody('\u3164\u3164\u200b'), 'invalid_input', /empty/);
  rejects(() => validateBody('x'.repeat(DEFAULT_LIMITS.maxBodyLength + 1)), 'body_too_long', /10000/);
  rejects(() => validateBody('abcd', { maxBodyLength: 3 }), 'body_too_long', /limit is 3/);
  rejects(() => validateBody('a\u0000b'), 'invalid_input', /control/);
  rejects(() => validateBody('a\u001bb'), 'invalid_input', /control/);
  rejects(() => validateBody('a\u0085b'), 'invalid_input', /control/);
  rejects(() => validateBody('a\ud800b'), 'invalid_input', /surrogate/);
  rejects(() => validateBody('a\udc00'), 'invalid_input', /surrogate/);
  for (const value of wrongTypes) rejects(() => validateBody(value), 'invalid_input', /must be text/);
  rejects(() => validateBody('x', 5 as unknown as undefined), 'invalid_input', /limits/);
});

// How fast: `node --conditions=colloquy-source --import tsx bench/pathological-inputs.mjs`.
test('validateBody refuses a megabyte of input as too long', () => {
  rejects(() => validateBody('a'.repeat(1_000_000)), 'body_too_long');
});

test('validateName trims, limits and wants something visible', () => {
  assert.equal(validateName('  Ada  '), 'Ada');
  assert.equal(validateName('Alice \u202e)rotaredoM('), 'Alice \u202e)rotaredoM(');
  rejects(() => validateName('x'.repeat(65)), 'name_too_long', /64/);
  rejects(() => validateName('Bob\r\nBcc: x'), 'invalid_input', /single line/);
  rejects(() => validateName('\u200d\u200d'), 'invalid_input', /visible/);
  rejects(() => validateName('   '), 'invalid_input', /visible/);
  for (const value of wrongTypes) rejects(() => validateName(value), 'invalid_input');
});

test('validateReport checks the reason and the optional details', () => {
  assert.deepEqual(validateReport({ reason: 'spam' }), { reason: 'spam' });
  assert.deepEqual(validateReport({ reason: 'other', details: 'Off by one.\nSee above.' }), {
    reason: 'other',
    details: 'Off by one.\nSee above.',
  });
  assert.deepEqual(validateReport({ reason: 'hate', details: '  ' }), { reason: 'hate' });
  rejects(() => validateReport({ reason: 'boring' }), 'invalid_input', /spam, harassment/);
  rejects(() => validateReport({ reason: 'spam', details: 'x'.repeat(1001) }), 'invalid_input', /1000/);
  rejects(() => validateReport({ reason: 'spam', details: 7 }), 'invalid_input');
  rejects(() => validateReport({ reason: 'spam', details: 'a\u0007' }), 'invalid_input', /control/);
  for (const value of wrongTypes) rejects(() => validateReport(value), 'invalid_input');
});

test('validateSort and validateLimit fill defaults and refuse nonsense', () => {
  assert.equal(validateSort(undefined), 'oldest');
  assert.equal(validateSort('top'), 'top');
  assert.equal(validateSort(null, 'newest'), 'newest');
  assert.equal(validateSort('best'), 'best');
  rejects(() => validateSort('hot'), 'invalid_input', /oldest, newest, top, best/);
  rejects(() => validateSort(1), 'invalid_input');
  assert.equal(validateLimit(undefined), 20);
  assert.equal(validateLimit(100), 100);
  assert.equal(validateLimit('7'), 7);
  for (const bad of [0, 101, 2.5, -1, '1e2', '', 'ten', {}, NaN, Infinity]) {
    rejects(() => validateLimit(bad), 'invalid_input', /1 to 100/);
  }
  assert.equal(validateLimit(5, { maxPageSize: 5 }), 5);
  rejects(() => validateLimit(6, { maxPageSize: 5 }), 'invalid_input', /1 to 5/);
});

test('validateListQuery normalises a query and tells bad cursors apart', () => {
  assert.deepEqual(validateListQuery({ thread: '/a' }), { thread: '/a', sort: 'oldest', cursor: null, limit: 20 });
  assert.deepEqual(validateListQuery({ thread: '/a', sort: 'newest', cursor: 'abc', limit: '5' }), {
    thread: '/a',
    sort: 'newest',
    cursor: 'abc',
    limit: 5,
  });
  rejects(() => validateListQuery({ thread: '/a', cursor: '' }), 'invalid_cursor');
  rejects(() => validateListQuery({ thread: '/a', cursor: 'x'.repeat(2000) }), 'invalid_cursor');
  rejects(() => validateListQuery({ thread: '/a', cursor: 3 }), 'invalid_input');
  rejects(() => validateListQuery({ sort: 'oldest' }), 'invalid_input', /thread key/);
  for (const value of wrongTypes) rejects(() => validateListQuery(value), 'invalid_input');
});

test('validateCreateInput checks every field of a new comment', () => {
  assert.deepEqual(validateCreateInput({ thread: '/a', body: 'Hi', idempotencyKey: 'k1' }), {
    thread: '/a',
    parentId: null,
    body: 'Hi',
    idempotencyKey: 'k1',
  });
  assert.equal(validateCreateInput({ thread: '/a', parentId: 'c1', body: 'Hi', idempotencyKey: 'k' }).parentId, 'c1');
  rejects(() => validateCreateInput({ thread: '/a', body: 'Hi' }), 'invalid_input', /idempotency key/);
  rejects(() => validateCreateInput({ thread: '/a', body: 'Hi', idempotencyKey: 'k'.repeat(201) }), 'invalid_input', /200/);
  rejects(() => validateCreateInput({ thread: '/a', body: 'Hi', idempotencyKey: 'k', parentId: 4 }), 'invalid_input', /parent id/);
  rejects(() => validateCreateInput({ thread: '/a', body: 'x'.repeat(10_001), idempotencyKey: 'k' }), 'body_too_long');
  rejects(() => validateCreateInput({ thread: 5, body: 'Hi', idempotencyKey: 'k' }), 'invalid_input', /thread key/);
  for (const value of wrongTypes) rejects(() => validateCreateInput(value), 'invalid_input');
  assert.equal(validateCommentId('c_1'), 'c_1');
  rejects(() => validateCommentId(''), 'invalid_input');
});
