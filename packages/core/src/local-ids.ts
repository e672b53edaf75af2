import { ColloquyError } from './errors.js';

/**
 * A fresh id for one of the reader's optimistic posts. It is also the post's idempotency key,
 * so a retry can never store the comment twice; `ThreadStateOptions.createId` replaces it.
 *
 * A version 4 UUID from `crypto.getRandomValues`, which every browser has in any context:
 * `crypto.randomUUID` exists only in secure contexts, so a page served over plain HTTP from
 * anywhere but localhost would not have it.
 */
export function randomLocalId(): string {
  const crypto = (globalThis as { crypto?: Pick<Crypto, 'getRandomValues'> }).crypto;
  if (typeof crypto?.getRandomValues !== 'function') {
    throw new ColloquyError('unsupported', 'This environment has no crypto.getRandomValues; pass createId in the options.');
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 15) | 64;
  bytes[8] = (bytes[8]! & 63) | 128;
  const hex = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
