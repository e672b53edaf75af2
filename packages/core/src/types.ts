// The domain types of the headless core, derived from the wire (@colloquy/protocol), which is
// the one place they are declared. `import type` only: nothing of TypeBox reaches a bundle.
// Where the core's in-memory shape legitimately differs from the wire, the difference is
// spelt out beside the type.
import type * as Wire from '@colloquy/protocol';

export {
  COMMENT_STATUSES,
  REPORT_REASONS,
  ROLES,
  SORT_ORDERS,
  THREAD_EVENT_TYPES,
} from '@colloquy/protocol/constants';

/** Roles a reader can hold. Every role but `reader` shows as a badge in the widget. */
export type Role = Wire.Role;

/** Lifecycle of a comment. `held` is kept back before publication; `hidden` was taken down. */
export type CommentStatus = Wire.CommentStatus;

/** Sort orders of top-level comments. Replies are always oldest first under their parent. */
export type SortOrder = Wire.SortOrder;

/** Why a reader reports a comment. */
export type ReportReason = Wire.ReportReason;

/** Who wrote a comment, as readers see it. `name` is text, never HTML. */
export type Author = Wire.Author;

/** The identity the current reader acts as. `name` is null until the reader picks a screen name. */
export type Identity = Wire.Identity;

/**
 * A comment as it travels between adapter, state and view: the wire's comment, except that
 * `html` is optional (only a trusted producer such as the reference server renders it; the
 * memory and local-storage adapters do not), and so is it in every nested reply.
 *
 * - `thread`: the thread key, usually the article's URL path.
 * - `body`: the source the reader typed (plain text with a small markdown subset); empty once deleted.
 * - `html`: HTML sent beside `body`; views still sanitize it before inserting it.
 * - `createdAt`, `editedAt`: ISO 8601 timestamps.
 * - `replyTo`: see `ReplyTo`; adapters that never place a reply elsewhere than under the
 *   comment it answers may leave it out.
 * - `replies`: nested replies, oldest first.
 */
export interface Comment extends Omit<Wire.Comment, 'html' | 'replies' | 'replyTo' | 'helpful'> {
  html?: string;
  /** Helpful marks; adapters fill it in listings (absent means none known, as in a create answer). */
  helpful?: Helpful;
  replyTo?: ReplyTo | null;
  replies: Comment[];
}

/**
 * Whom a reply answers when the depth cap placed it under an ancestor (its `parentId`) instead
 * of the comment it answers: that comment's id, and its author's name as that comment shows it
 * (null once it is deleted, hidden, held from this reader, gone, or its author erased). A
 * comment's `replyTo` is null when it sits under the comment it answers.
 */
export type ReplyTo = NonNullable<Wire.Comment['replyTo']>;

/**
 * A comment's helpful marks as a reader sees them: every identity's mark counted (`count`), and
 * whether this reader's is among them (`mine`). What ranks the `best` sort is weighted by trust
 * and is not shown (decision 0036).
 */
export interface Helpful {
  count: number;
  mine: boolean;
}

/** What `markHelpful` answers: the comment's marks after the change. */
export interface HelpfulMark extends Helpful {
  commentId: string;
}

/**
 * A page of top-level comments, each with its replies; `nextCursor` is opaque, null at the end.
 * `pinned`, on a first page only: the comments a moderator pinned, shown before `comments` in
 * every sort and never among them (absent when there are none or the storage cannot pin).
 */
export interface Page extends Omit<Wire.Page, 'comments' | 'pinned'> {
  comments: Comment[];
  pinned?: Comment[];
}

/**
 * What a list call asks for: the wire's query, except that `cursor` may also be null (a first
 * page), which the adapter leaves out of the URL.
 */
export interface ListQuery extends Omit<Wire.ListQuery, 'cursor'> {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** 1..100; adapters default to 20. */
  limit?: number;
}

/** The wire's create body, plus the idempotency key the REST adapter sends as a header. */
export interface CreateInput extends Wire.CreateBody {
  /**
   * A retried create with the same key returns the first result and never a duplicate.
   * Callers make one per intended comment (the thread state does this for you).
   */
  idempotencyKey: string;
}

/** A report: the wire also takes `details: null`; the adapter contract takes a string or nothing. */
export interface ReportInput extends Omit<Wire.ReportBody, 'details'> {
  details?: string;
}

/** Live events pushed to subscribers of a thread. */
export type ThreadEventType = Wire.ThreadEventType;

/** A live event as adapters hand it to the state: the wire's payload, its comment given `replies: []`. */
export interface ThreadEvent {
  type: ThreadEventType;
  comment: Comment;
}

/** Limits shared by adapters, the server and the widget (the wire's `limits` in `GET /config`). */
export type Limits = Wire.Limits;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBodyLength: 10_000,
  maxNameLength: 64,
  maxDetailsLength: 1_000,
  maxDepth: 5,
  maxPageSize: 100,
  editWindowSeconds: 15 * 60,
});

export const DEFAULT_PAGE_SIZE = 20;
