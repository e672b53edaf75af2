/** Roles a reader can hold. Every role but `reader` shows as a badge in the widget. */
export type Role = 'reader' | 'mentor' | 'moderator' | 'staff';
export const ROLES: readonly Role[] = ['reader', 'mentor', 'moderator', 'staff'];

/** Lifecycle of a comment. `held` is kept back before publication; `hidden` was taken down. */
export type CommentStatus = 'visible' | 'held' | 'hidden' | 'deleted';
export const COMMENT_STATUSES: readonly CommentStatus[] = ['visible', 'held', 'hidden', 'deleted'];

/** Sort orders of top-level comments. Replies are always oldest first under their parent. */
export type SortOrder = 'oldest' | 'newest' | 'top';
export const SORT_ORDERS: readonly SortOrder[] = ['oldest', 'newest', 'top'];

/** Why a reader reports a comment. */
export type ReportReason = 'spam' | 'harassment' | 'hate' | 'misinformation' | 'off-topic' | 'other';
export const REPORT_REASONS: readonly ReportReason[] = [
  'spam',
  'harassment',
  'hate',
  'misinformation',
  'off-topic',
  'other',
];

/** Who wrote a comment, as readers see it. `name` is text, never HTML. */
export interface Author {
  id: string;
  name: string;
  role: Role;
}

/** The identity the current reader acts as. `name` is null until the reader picks a screen name. */
export interface Identity {
  id: string;
  name: string | null;
  role: Role;
}

/** A comment as it travels between adapter, state and view. */
export interface Comment {
  id: string;
  /** The thread key, usually the article's URL path. */
  thread: string;
  parentId: string | null;
  author: Author;
  /** The source the reader typed (plain text with a small markdown subset). Empty once deleted. */
  body: string;
  /**
   * HTML rendered by a trusted producer (the reference server), sent beside `body`.
   * Views still sanitize it before inserting it.
   */
  html?: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  editedAt: string | null;
  status: CommentStatus;
  /** Nested replies, oldest first. */
  replies: Comment[];
}

/** A page of top-level comments, each with its replies. */
export interface Page {
  comments: Comment[];
  /** Opaque keyset cursor for the next page; null at the end. */
  nextCursor: string | null;
}

export interface ListQuery {
  thread: string;
  sort?: SortOrder;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** 1..100; adapters default to 20. */
  limit?: number;
}

export interface CreateInput {
  thread: string;
  parentId?: string | null;
  body: string;
  /**
   * A retried create with the same key returns the first result and never a duplicate.
   * Callers make one per intended comment (the thread state does this for you).
   */
  idempotencyKey: string;
}

export interface ReportInput {
  reason: ReportReason;
  details?: string;
}

/** Live events pushed to subscribers of a thread. */
export type ThreadEventType = 'created' | 'edited' | 'deleted' | 'hidden' | 'restored';
export const THREAD_EVENT_TYPES: readonly ThreadEventType[] = ['created', 'edited', 'deleted', 'hidden', 'restored'];

export interface ThreadEvent {
  type: ThreadEventType;
  comment: Comment;
}

/** Limits shared by adapters, the server and the widget. */
export interface Limits {
  /** Maximum body length in Unicode code points. */
  maxBodyLength: number;
  /** Maximum screen-name length in Unicode code points. */
  maxNameLength: number;
  /** Maximum report-details length in code points. */
  maxDetailsLength: number;
  /** Deepest reply level (0 is top level); deeper replies attach at this level. */
  maxDepth: number;
  /** Largest page a list call may ask for. */
  maxPageSize: number;
  /** Seconds during which an author may edit or delete their comment. */
  editWindowSeconds: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBodyLength: 10_000,
  maxNameLength: 64,
  maxDetailsLength: 1_000,
  maxDepth: 5,
  maxPageSize: 100,
  editWindowSeconds: 15 * 60,
});

export const DEFAULT_PAGE_SIZE = 20;
