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
