import type { ServerConfig } from './config.js';
import type { SpamGuard } from './spam-guard.js';
import type { CommentRecord, IdentityRecord, Store } from './store/index.js';

/** The reason shown to moderators for a comment held because its author is new. */
export const FIRST_COMMENT_REASON = 'first comments of a new identity are reviewed';
/** The reason shown to moderators for a published comment its author changed under pre-moderation. */
export const EDITED_REASON = 'edited after approval';

export interface PostDecision {
  /** Whether the text waits for a moderator instead of being shown. */
  held: boolean;
  /** Why, for the moderators' queue; may be non-empty only when held. */
  heldReasons: string[];
}

export interface PostInput {
  author: IdentityRecord;
  thread: string;
  body: string;
  /** The comment as it stands before an edit; absent for a new post. */
  editing?: CommentRecord;
}

/**
 * One decision for new posts and edits alike: whether the text is shown at once or held for
 * review. Readers' texts go through pre-moderation (global or by thread prefix), the spam check
 * and the first-comments hold; mentors, moderators and staff are trusted. An edit is checked as
 * a new post would be: under pre-moderation an approved comment that is edited goes back to
 * the queue, and an edit the spam check flags is held. A held comment stays held when edited.
 */
export async function decidePost(
  deps: { config: ServerConfig; spam: SpamGuard | null; store: Store },
  { author, thread, body, editing }: PostInput,
): Promise<PostDecision> {
  const { config, spam, store } = deps;
  if (author.role !== 'reader') return { held: false, heldReasons: [] };
  const premoderated = config.moderation === 'pre' || config.premoderatedThreads.some((prefix) => thread.startsWith(prefix));
  const heldReasons = spam ? await spam.check({ body, thread, author }) : [];
  if (config.holdFirstComments > 0 && (await store.publishedCommentCount(author.id)) < config.holdFirstComments) {
    heldReasons.push(FIRST_COMMENT_REASON);
  }
  if (editing) {
    if (editing.status === 'held') return { held: true, heldReasons: unique([...editing.heldReasons, ...heldReasons]) };
    if (premoderated) heldReasons.unshift(EDITED_REASON);
  }
  return { held: premoderated || heldReasons.length > 0, heldReasons: unique(heldReasons) };
}

function unique(reasons: string[]): string[] {
  return [...new Set(reasons)];
}
