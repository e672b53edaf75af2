import { ColloquyError } from './errors.js';

/**
 * A fresh id for one of the reader's optimistic posts. It is also the post's idempotency key,
 * so a retry can never store the comment twice; `ThreadStateOptions.createId` replaces it.
 */
export function randomLocalId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID !== 'function') {
    throw new ColloquyError('unsupported', 'This environment has no crypto.randomUUID; pass createId in the options.');
  }
  return crypto.randomUUID();
}
