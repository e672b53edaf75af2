import type { StorageAdapter } from './adapter.js';
import { ColloquyError, toColloquyError } from './errors.js';
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

/**
 * The thread state's `markHelpful`: shows the reader's mark at once (count and pressed state),
 * then the adapter's answer; on failure the mark returns to what it was and the error is thrown.
 */
export async function markInThread(
  adapter: Pick<StorageAdapter, 'markHelpful'>,
  comments: Map<string, Comment>,
  changed: () => void,
  id: string,
  helpful: boolean,
): Promise<void> {
  const set = (marks: Comment['helpful']) => {
    const current = comments.get(id);
    if (current) comments.set(id, { ...current, helpful: marks });
    changed();
  };
  const before = comments.get(id)?.helpful;
  const count = before?.count ?? 0;
  set({ count: Math.max(0, count + (helpful === Boolean(before?.mine) ? 0 : helpful ? 1 : -1)), mine: helpful });
  try {
    const answer = await adapter.markHelpful(id, helpful);
    set({ count: answer.count, mine: answer.mine });
  } catch (thrown) {
    set(before);
    throw toColloquyError(thrown);
  }
}

/** A live `helpful` event's count, keeping whether the mark is the reader's own (events never say). */
export function mergeHelpful(current: Comment, event: Comment): Comment {
  return { ...current, helpful: { count: event.helpful?.count ?? 0, mine: current.helpful?.mine ?? false } };
}
