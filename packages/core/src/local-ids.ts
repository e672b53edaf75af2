/**
 * A fresh id for one of the reader's optimistic posts. It is also the post's idempotency key,
 * so a retry can never store the comment twice; `ThreadStateOptions.createId` replaces it.
 *
 * 128 random bits as 32 hex digits, from `crypto.getRandomValues`, which every browser has in
 * any context: `crypto.randomUUID` exists only in secure contexts, so a page served over plain
 * HTTP from anywhere but localhost would not have it.
 */
export function randomLocalId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
}
