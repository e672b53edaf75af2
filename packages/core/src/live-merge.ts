import { mergeHelpful } from './helpful.js';
import type { LocalPost } from './state-types.js';
import type { Comment, Identity, SortOrder, ThreadEvent } from './types.js';

/**
 * Merges live events into the thread: where a comment others posted lands, how an edit, a
 * deletion or a moderator's decision shows, and how the reader's own post coming back live is
 * matched to its pending node instead of being shown twice. Every event is a merge by id, so
 * an event repeating what a page or an answer already brought never shows a comment twice.
 *
 * The parts of the thread state's flat model it works on are passed in: thread-state.ts keeps
 * them in its closure (docs/decisions/0017-thread-modules.md). Answers undefined when the event
 * changed nothing, else the ids of comments others posted that are new to the reader (for
 * `liveArrivals`; empty for edits, removals and the reader's own posts). New top-level
 * comments from others go first under `newest` and last otherwise.
 */
export function applyLiveEvent(
  event: ThreadEvent,
  identity: Identity | null,
  sort: SortOrder,
  thread: string,
  /** Every comment of the thread state's flat model by id, replies included. */
  comments: Map<string, Comment>,
  /** The reader's own posts not confirmed yet, by local id. */
  locals: Map<string, LocalPost>,
  /** Adds or updates a comment and its replies by id; returns the ids that were new. */
  merge: (comment: Comment, placement?: 'append' | 'prepend') => string[],
  /** Replaces the reader's pending post by the server's copy, in its place. */
  confirm: (local: LocalPost, comment: Comment) => void,
  /** Drops a comment, or keeps it as a placeholder while replies hang under it. */
  removeOrPlaceholder: (comment: Comment) => void,
): string[] | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const comment = event.comment;
  if (!comment || comment.thread !== thread || typeof comment.id !== 'string') return undefined;
  switch (event.type) {
    case 'created':
    case 'restored': {
      if (comments.has(comment.id)) {
        merge(comment);
        return [];
      }
      const fromReader = identity !== null && comment.author.id === identity.id;
      // The reader's own post can come back live before its answer: match it to the pending
      // node (same author, parent and text) so it is confirmed, not shown twice.
      const own = fromReader ? findPendingMatch(comments, locals, comment) : undefined;
      if (own) {
        own.confirmedId = comment.id;
        confirm(own, comment);
        return [];
      }
      if (comment.parentId !== null && !comments.has(comment.parentId)) return []; // its parent is not loaded
      const added = merge(comment, comment.parentId === null && sort === 'newest' ? 'prepend' : 'append');
      return event.type === 'created' && !fromReader ? added : [];
    }
    case 'pinned':
      // A comment pinned meanwhile is never on a later page: one this reader has not loaded
      // comes now (its replies with the next load); the snapshot puts it among the pins.
      if (!comments.has(comment.id)) {
        merge(comment);
        return [];
      }
    // falls through
    case 'unpinned':
    case 'edited': {
      const current = comments.get(comment.id);
      if (!current) return undefined;
      comments.set(comment.id, { ...current, ...comment, helpful: current.helpful, replies: [] });
      return [];
    }
    case 'helpful': {
      const current = comments.get(comment.id);
      if (!current) return undefined;
      comments.set(comment.id, mergeHelpful(current, comment));
      return [];
    }
    case 'deleted':
    case 'hidden': {
      const current = comments.get(comment.id);
      if (!current) return undefined;
      removeOrPlaceholder({ ...current, ...comment, status: event.type === 'deleted' ? 'deleted' : 'hidden', replies: [] });
      return [];
    }
    default:
      return undefined;
  }
}

/** The reader's pending post that a live `created` event is the server's copy of, if any. */
function findPendingMatch(comments: Map<string, Comment>, locals: Map<string, LocalPost>, comment: Comment): LocalPost | undefined {
  for (const local of locals.values()) {
    if (local.state !== 'pending' || local.confirmedId) continue;
    const mine = comments.get(local.localId);
    if (!mine || mine.body !== comment.body) continue;
    // The server may move a too-deep reply up a level, so a differing parent can still match.
    if (mine.parentId === comment.parentId || comments.get(mine.parentId ?? '')?.parentId === comment.parentId) return local;
  }
  return undefined;
}
