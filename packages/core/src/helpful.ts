import { ColloquyError } from './errors.js';
import type { Comment } from './types.js';

/**
 * Helpful marks and the `best` sort (decision 0036, docs/adapters.md).
 *
 * A comment's `best` score as of a moment `asOf`:
 *
 *     score = round(SCALE × W / (ageHours + OFFSET_HOURS) ^ GRAVITY)
 *
 * where W is the weighted sum of the helpful marks that stood at `asOf` and `ageHours` the
 * comment's age at `asOf`. Marks lift a comment; age pulls it down, so a comment with many old
 * marks gives way to a newer one that readers find helpful now, and no comment wins forever.
 * Ties (all comments without weighted marks among them) go newest first. The score is an
 * integer so it travels in a keyset cursor exactly.
 */
export const BEST_GRAVITY = 1.5;
export const BEST_OFFSET_HOURS = 2;
export const BEST_SCALE = 1_000_000;

export function bestScore(weight: number, createdAtMs: number, asOfMs: number): number {
  if (!(weight > 0)) return 0;
  const ageHours = Math.max(0, asOfMs - createdAtMs) / 3_600_000;
  return Math.round((BEST_SCALE * weight) / Math.pow(ageHours + BEST_OFFSET_HOURS, BEST_GRAVITY));
}

/** A mark as a store keeps it: when it was made and, once taken back, when (history keeps `best` paging stable). */
export interface MarkSpan {
  createdAt: number;
  removedAt: number | null;
}

/** Whether a mark stood at `asOf`: made at or before it, not yet taken back. */
export function markStoodAt(mark: MarkSpan, asOf: number): boolean {
  return mark.createdAt <= asOf && (mark.removedAt === null || mark.removedAt > asOf);
}

/** The `helpful` flag of a mark request: a boolean, nothing else. */
export function validateHelpful(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ColloquyError('invalid_input', 'helpful must be true or false.');
  return value;
}

/** A live `helpful` event's count, keeping whether the mark is the reader's own (events never say). */
export function mergeHelpful(current: Comment, event: Comment): Comment {
  return { ...current, helpful: { count: event.helpful?.count ?? 0, mine: current.helpful?.mine ?? false } };
}
