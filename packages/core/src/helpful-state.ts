import type { StorageAdapter } from './adapter.js';
import { toColloquyError } from './errors.js';
import type { Comment } from './types.js';

// Loaded by the thread state on a reader's first mark (a dynamic import), so a page that only
// reads never fetches it: in embed.js it is an on-demand chunk (decisions 0032, 0036).

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
