// What the moderator's queue reads and decides through (`ModerationSource`), and the pure
// rules it applies to items: which action applies, the queue order, search and page shapes.
import type {
  AuditPage,
  AuthorNote,
  BanList,
  BannedRange,
  ModerationAction,
  QueueItem,
  QueuePage,
  QueueStatus,
} from './moderation-types.js';
import type { Comment } from './types.js';


/** Every queue, in the order the moderator's tabs show them. */
export const QUEUE_STATUSES: readonly QueueStatus[] = ['reported', 'held', 'hidden', 'visible'];
/**
 * The queues of comments awaiting a decision, loaded from the start. `visible` (every published
 * comment, where a moderator finds one to pin) is loaded once asked for.
 */
export const REVIEW_QUEUES: readonly QueueStatus[] = ['reported', 'held', 'hidden'];
export const MODERATION_ACTIONS: readonly ModerationAction[] = ['approve', 'hide', 'spam', 'restore', 'ban-author', 'unban-author'];

/** Called when the queue may have changed (a live report, another moderator's decision). */
export type QueueChangeListener = (status: QueueStatus | null) => void;

/**
 * The moderation side of a server. `subscribe` is optional: without it the queue refreshes
 * on a timer instead.
 */
export interface ModerationSource {
  /**
   * A page of a queue in its order (`compareQueued`): oldest first by (`createdAt`, `id`), the
   * published comments (`visible`) newest first; `cursor` is the previous page's `nextCursor`
   * (null for the first page). A source that does not page may answer the whole queue as a
   * plain array.
   */
  queue(status: QueueStatus, cursor?: string | null, search?: QueueSearch | null): Promise<QueuePage | QueueItem[]>;
  /** `options.duration` (seconds) makes a `ban-author` a suspension that ends by itself. */
  act(commentId: string, action: ModerationAction, reason?: string | null, options?: ActOptions): Promise<Comment>;
  subscribe?(listener: QueueChangeListener): () => void;
  /** The audit log, newest first; without it no log is offered. */
  auditLog?(cursor: string | null): Promise<AuditPage>;
  /** The whole audit log as the server's JSON export file. */
  exportAuditLog?(): Promise<Blob>;
  /** Banned identities and address ranges; without it no ban list is offered. */
  bans?(): Promise<BanList>;
  /** Adds a moderator's note on an author; without it the queue offers no note form. */
  addAuthorNote?(authorId: string, body: string): Promise<AuthorNote>;
  /** Lifts an identity's ban (from the ban list, where no comment of theirs is at hand). */
  unbanIdentity?(identityId: string, reason: string | null): Promise<void>;
  banRange?(cidr: string, reason: string | null): Promise<BannedRange>;
  liftRange?(rangeId: string, reason: string | null): Promise<void>;
  /** Closes a thread to new comments (`closed` true) or reopens it; without it the queue offers neither. */
  setThreadClosed?(thread: string, closed: boolean, reason?: string | null): Promise<void>;
  /**
   * Pins a visible top-level comment (readers see it first, in every sort) or unpins it,
   * answering the comment with its `pinnedAt`; past the thread's limit it rejects with
   * `pin_limit`. Without it the queue offers no pin button.
   */
  setPinned?(commentId: string, pinned: boolean, reason?: string | null): Promise<Comment>;
}

/**
 * A search of the queues (docs/protocol.md): every filter given must match. `q` is text found,
 * ignoring case, in the body or the author's name; `thread` a thread key; `authorId` an author.
 * A source that cannot search ignores it and answers the whole queue.
 */
export interface QueueSearch {
  q?: string;
  thread?: string;
  authorId?: string;
}

/** A search with its blank filters dropped; null when nothing is left to search by. */
export function normalizeSearch(search: QueueSearch | null | undefined): QueueSearch | null {
  if (!search) return null;
  const kept: QueueSearch = {};
  for (const key of ['q', 'thread', 'authorId'] as const) {
    const value = search[key]?.trim();
    if (value) kept[key] = value;
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

/** Options of one decision: a ban's `duration` in seconds (absent: for good). */
export interface ActOptions {
  duration?: number;
}

/**
 * The order a queue is paged in (docs/protocol.md): oldest first, then by id; the published
 * comments (`visible`) the other way round, newest first.
 */
export function compareQueued(a: QueueItem, b: QueueItem, queue?: QueueStatus): number {
  const at = Date.parse(a.comment.createdAt) - Date.parse(b.comment.createdAt);
  const order = at !== 0 ? at : a.comment.id < b.comment.id ? -1 : a.comment.id > b.comment.id ? 1 : 0;
  return queue === 'visible' ? -order : order;
}

/** A source's answer as a page; a plain array is a whole queue. */
export function toQueuePage(answer: QueuePage | QueueItem[]): QueuePage {
  return Array.isArray(answer) ? { items: answer, nextCursor: null, total: answer.length } : answer;
}

/** Which decisions make sense for a comment in its current state. */
export function actionApplies(item: QueueItem, action: ModerationAction): boolean {
  const status = item.comment.status;
  if (action === 'unban-author') return item.authorHistory?.banned === true;
  if (status === 'deleted') return false;
  if (action === 'restore') return status === 'hidden';
  // Approving a published comment only closes its open reports: without any it would change nothing.
  if (action === 'approve') return status === 'held' || (status === 'visible' && item.reports.length > 0);
  if (action === 'hide') return status === 'visible' || status === 'held';
  return true;
}

