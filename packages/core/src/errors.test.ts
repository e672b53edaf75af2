import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError, toColloquyError } from './errors.js';

test('an unknown throwable becomes a ColloquyError that keeps its cause', () => {
  const original = new TypeError('boom');
  const error = toColloquyError(original, 'network_error');
  assert.equal(error.code, 'network_error');
  assert.equal(error.cause, original);
  assert.equal(error.retryable, true);
  assert.equal(toColloquyError(error), error);
  assert.equal(new ColloquyError('not_found', 'No such comment.').status, 404);
});

test('the envelope carries a suspension’s end only when there is one', () => {
  const until = '2026-12-09T10:00:00.000Z';
  assert.deepEqual(new ColloquyError('banned', 'Suspended.', { until }).toJSON(), { error: { code: 'banned', message: 'Suspended.', until } });
  assert.equal(JSON.stringify(new ColloquyError('banned', 'Banned.').toJSON()), '{"error":{"code":"banned","message":"Banned."}}');
});
