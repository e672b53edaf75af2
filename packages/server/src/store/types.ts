import type { ReportReason, Role, SortOrder } from '@colloquy/core';
import type { CommentStatus, ModerationAction, QueueStatus, ThreadEventType } from '@colloquy/protocol';
import type { SqlDatabase } from './sql.js';
import type { OutboxStore } from './outbox.js';
import type { ReaderMailStore } from './reader-mail.js';
import type { SignInStore } from './sign-in.js';
import type { FollowingStore } from './following.js';

// The store's records hold what the server keeps; the literal types they share with the wire
// come from the protocol module, where the wire is declared.
export type { ModerationAction, QueueStatus };
export type IdentityKind = 'pseudonymous' | 'jwt';
export type StoredStatus = CommentStatus;
/** Live event a store change calls for, if any. */
export type ChangeEvent = ThreadEventType;

export interface IdentityRecord {
  id: string;
  kind: IdentityKind;
  name: string | null;
  role: Role;
  /** Banned now: permanently, or suspended until `bannedUntil`. */
  banned: boolean;
  /** When a suspension ends; null for a permanent ban or no ban. */
  bannedUntil: string | null;
  createdAt: string;
}

/** A comment as stored, with everything moderation needs; the HTTP layer decides what readers see. */
export interface CommentRecord {
  id: string;
  thread: string;
  parentId: string | null;
  /**
   * The comment a reply answers when the depth cap stored it under an ancestor instead (see
   * `placeReply`), with that comment's status and author; `status` null when it is gone (an
   * erasure removed it). Null when the reply sits under the comment it answers.
   */
  replyTo: { id: string; status: StoredStatus | null; authorId: string | null; name: string | null } | null;
  rootId: string;
  depth: number;
  author: { id: string; name: string; role: Role };
  body: string;
  html: string;
  status: StoredStatus;
  /** Who hid it: `reports` (the threshold) or `moderator`. */
  hiddenBy: 'reports' | 'moderator' | null;
  spam: boolean;
  visibleReplies: number;
  /** Why the spam filter held it, for the moderation queue; empty otherwise. */
  heldReasons: string[];
  createdAt: string;
  editedAt: string | null;
  /** Helpful marks as the asking reader sees them; set on listed comments and `helpful` events. */
  helpful?: { count: number; mine: boolean };
  /** When a moderator pinned this top-level comment; null when not pinned. Readers see it while it is visible. */
  pinnedAt: string | null;
}

export interface CommentTree extends CommentRecord {
  replies: CommentTree[];
}

export interface ReportRecord {
  id: string;
  commentId: string;
  reason: ReportReason;
  details: string | null;
  weight: number;
  createdAt: string;
  reporter: { id: string; name: string | null; role: Role };
}

export interface QueueItem {
  comment: CommentRecord;
  /** The open reports (this round: those since the last moderator decision), oldest first. */
  reports: ReportRecord[];
  /** Counted weight toward auto-hide: per network the heaviest open report, leaving out reporters of earlier rounds. */
  reportWeight: number;
  parent: CommentRecord | null;
}

/** One page of a moderation queue, oldest first. */
export interface QueuePage {
  items: QueueItem[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
  /** How many comments the whole queue holds now, on every page. */
  total: number;
}

/** Largest page of the moderation queue; also its default, what it listed before it paged. */
export const QUEUE_PAGE_MAX = 100;

/** What a moderator sees of an author next to a queued comment. */
export interface AuthorHistory {
  identity: IdentityRecord | null;
  /** Comments by status, all time. */
  counts: { visible: number; held: number; hidden: number; deleted: number; spam: number };
  /** Newest first. */
  recent: CommentRecord[];
  /** Audit entries about this author, newest first. */
  actions: AuditEntry[];
  /** Moderators' notes on this author, newest first. */
  notes: AuthorNote[];
}

/** A moderator's note on an author, seen by moderators only. */
export interface AuthorNote {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
  /** Who wrote it; null once that moderator's identity is gone. */
  moderator: { id: string; name: string | null; role: Role } | null;
}

export interface IpBan {
  id: string;
  cidr: string;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
}

/**
 * Search filters of the queue and the audit log; each given one must match. `text` is found
 * ignoring case (on SQLite, for ASCII letters only) in the comment's body or its author's name,
 * and in the audit log also in the reason given.
 */
export interface ModerationSearch {
  text?: string | null;
  thread?: string | null;
  authorId?: string | null;
}

export interface AuditQuery extends ModerationSearch {
  commentId?: string | null;
  moderatorId?: string | null;
  cursor?: string | null;
  limit: number;
}

export interface CreateCommentInput {
  thread: string;
  parentId: string | null;
  body: string;
  html: string;
  authorId: string;
  status: 'visible' | 'held';
  /** Why it is held, shown to moderators. */
  heldReasons?: readonly string[];
  /** With a key, a repeat by the same identity returns the first comment. */
  idempotencyKey?: string | null;
  /** Fingerprint of the request; the same key with another payload is `idempotency_conflict`. */
  requestHash: string;
  /** Deepest reply level; a reply below it attaches to its parent's parent. */
  maxDepth: number;
  /**
   * Threads the author may follow: one who follows this many already is not made to follow this
   * one by posting, and the post goes on. Unset: posting always follows (unless turned off).
   */
  maxFollows?: number;
}

export interface ListCommentsInput {
  thread: string;
  sort: SortOrder;
  cursor?: string | null;
  limit: number;
  /** The reader asking; their own held comments are included. */
  viewerId?: string | null;
}

export interface ReportInput {
  commentId: string;
  identityId: string;
  reason: ReportReason;
  details: string | null;
  /** The reporter's trust weight now (src/trust.ts). */
  weight: number;
  /** The reporter's network prefix (src/trust.ts); none (null) makes the report a network of its own. */
  network?: string | null;
  /** Counted report weight at which a visible comment is hidden pending review. */
  threshold: number;
  /** Authors' roles whose comments reports never auto-hide (they still reach the queue); none by default. */
  shieldedRoles?: readonly Role[];
}

export interface ModerateInput {
  commentId: string;
  moderatorId: string;
  action: ModerationAction;
  reason: string | null;
  /** With `ban-author`: when the suspension ends (ms); absent or null bans for good. */
  banUntil?: number | null;
}

/**
 * What the audit log records: moderation actions, moderators' edits and deletes of others'
 * comments, the report threshold hiding a comment (`auto-hide`, no moderator), and IP-range bans.
 */
export type AuditAction = ModerationAction | 'edit' | 'delete' | 'auto-hide' | 'ban-range' | 'unban-range' | 'close-thread' | 'reopen-thread' | 'pin' | 'unpin';

/** What the server knows of a thread beyond its comments. Threads nobody closed or linked have no record. */
export interface ThreadRecord {
  key: string;
  /** The page the thread was last seen on (origin and path), from an import or a widget that posted there. */
  url: string | null;
  closed: boolean;
}

export interface AuditEntry {
  id: string;
  /** The comment acted on; null for actions on no comment (IP ranges). */
  commentId: string | null;
  /** Whom the action was against: the comment's author, or the banned identity. */
  authorId: string | null;
  /** Who acted; null when the system did (the report threshold). */
  moderatorId: string | null;
  moderator: { id: string; name: string | null; role: Role } | null;
  action: AuditAction;
  reason: string | null;
  /** Facts of the action: `{cidr}` for ranges, `{reportWeight, threshold}` for auto-hide, `{thread}` for thread actions. */
  detail: Record<string, unknown> | null;
  createdAt: string;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/**
 * Everything the server keeps. Both drivers share this implementation over a small SQL
 * surface; each method that writes resolves only after its transaction has committed.
 */
export interface Store extends OutboxStore, ReaderMailStore, SignInStore, FollowingStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: SqlDatabase;

  createIdentity(input: { name: string | null; tokenHash: string; role?: Role }): Promise<IdentityRecord>;
  findIdentityByTokenHash(tokenHash: string): Promise<IdentityRecord | null>;
  /** Host-site identities: one per JWT `sub`; role, and name when the token has one, refreshed from the latest token. */
  upsertSubjectIdentity(input: { subject: string; name: string | null; role: Role }): Promise<IdentityRecord>;
  getIdentity(id: string): Promise<IdentityRecord | null>;
  /** Names a nameless identity; `conflict` when it already has a name. */
  nameIdentity(id: string, name: string): Promise<IdentityRecord>;
  /** Named identities with a badge (every role but `reader`), whose names readers may not imitate. */
  listBadgeHolderNames(): Promise<Array<{ id: string; name: string }>>;

  createComment(input: CreateCommentInput): Promise<{ comment: CommentRecord; replayed: boolean }>;
  getComment(id: string): Promise<CommentRecord | null>;
  /** Whether the identity has a comment held for review in the thread (it then sees a page others do not). */
  hasHeldComment(thread: string, authorId: string): Promise<boolean>;
  /** Whether the identity already posted with this Idempotency-Key (a retry is then answered with that comment). */
  hasIdempotencyKey(identityId: string, key: string): Promise<boolean>;
  /** A page in its sort; a first page also has the thread's pins (`pinned`), which no page's `comments` repeats. */
  listComments(input: ListCommentsInput): Promise<{ comments: CommentTree[]; nextCursor: string | null; closed: boolean; pinned: CommentTree[] }>;
  /** The thread's record, or one with no URL and not closed when none is kept. */
  getThread(key: string): Promise<ThreadRecord>;
  /** Records of several threads (those without one are left out), for the moderation queue. */
  getThreads(keys: readonly string[]): Promise<Map<string, ThreadRecord>>;
  /** Closes or reopens a thread and audits it in the same transaction; a no-op change is still audited. */
  setThreadClosed(input: { thread: string; closed: boolean; moderatorId: string; reason: string | null }): Promise<ThreadRecord>;
  /**
   * Pins or unpins a comment and audits it in the same transaction. Pinning needs a visible
   * top-level comment (`conflict`) and a free place among the thread's `maxPins` (`pin_limit`);
   * pinning a pinned comment or unpinning one that is not pinned changes nothing and is not audited.
   */
  setPinned(input: { commentId: string; pinned: boolean; moderatorId: string; reason: string | null; maxPins: number }): Promise<CommentRecord>;
  /** Remembers the page a thread was seen on; writes only when it differs from the one kept. */
  noteThreadUrl(thread: string, url: string): Promise<void>;
  /**
   * With `auditBy`, the change is a moderator's and is written to the audit log in the same transaction.
   * With `hold`, the comment is held for review with those reasons (an edit that needs a moderator again).
   */
  editComment(id: string, update: { body: string; html: string; hold?: readonly string[] }, auditBy?: string): Promise<CommentRecord>;
  /** Soft delete: the row stays (as a placeholder while it has replies), its text is cleared. */
  deleteComment(id: string, auditBy?: string): Promise<CommentRecord>;
  /**
   * One open report per identity and comment; `reportWeight` is the counted weight of the open
   * reports after this one: per network the heaviest, leaving out reporters of earlier rounds.
   */
  reportComment(input: ReportInput): Promise<{ report: ReportRecord; hidden: CommentRecord | null; reportWeight: number }>;
  countVisible(threads: readonly string[]): Promise<Record<string, number>>;
  /** Sets (`helpful`) or takes back the identity's mark on a comment (decision 0036); `changed` is false when it already stood so. */
  markHelpful(input: {
    comment: CommentRecord;
    identityId: string;
    helpful: boolean;
    weight: number;
    network: string | null;
  }): Promise<{ count: number; mine: boolean; changed: boolean }>;
  /** Open marks per comment, and whether `viewerId`'s is one; comments without marks are left out. */
  helpfulOf(commentIds: readonly string[], viewerId: string | null): Promise<Map<string, { count: number; mine: boolean }>>;
  /** Whether the identity has an open mark in the thread (its pages then say `mine` and are not shared). */
  hasHelpfulMark(thread: string, identityId: string): Promise<boolean>;
  /** The last number of the marks' write sequence: what a first `best` page ranks as of. */
  helpfulSeq(): Promise<number>;
  /**
   * A page of a moderation queue, oldest first by (created_at, id) (`visible`, every published
   * comment, newest first), with the queue's total. Keyset-paged, so deciding items already seen
   * does not shift the next page.
   */
  moderationQueue(status: QueueStatus, page?: { cursor?: string | null; limit?: number; search?: ModerationSearch }): Promise<QueuePage>;
  /** Applies a moderator's action and writes the audit log in the same transaction. */
  /**
   * A decision on a comment. A ban (or suspension) also hides the author's other comments
   * waiting in the held queue (`alsoHidden`), audited as part of the ban.
   */
  moderate(input: ModerateInput): Promise<{ comment: CommentRecord; event: ChangeEvent | null; alsoHidden: CommentRecord[] }>;
  /** A comment's audit entries, oldest first. */
  auditLog(commentId: string): Promise<AuditEntry[]>;
  /** The audit logs of several comments in one query, by comment id (a comment without entries is absent). */
  auditLogs(commentIds: readonly string[]): Promise<Map<string, AuditEntry[]>>;
  /** The audit log newest first, keyset-paged; filters by comment, author or moderator. */
  auditEntries(query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }>;
  /** An author's record for moderators: counts, latest comments and the actions taken about them. */
  authorHistory(authorId: string, sizes?: { comments?: number; actions?: number; notes?: number }): Promise<AuthorHistory>;
  /** Adds a moderator's note on an author (not_found without such an author). */
  addAuthorNote(input: { authorId: string; moderatorId: string; body: string }): Promise<AuthorNote>;
  /** Deletes a note (not_found without it); resolves with the note deleted. */
  deleteAuthorNote(id: string): Promise<AuthorNote>;
  /** The histories of several authors in a fixed number of queries, by author id (every id present). */
  authorHistories(authorIds: readonly string[], sizes?: { comments?: number; actions?: number; notes?: number }): Promise<Map<string, AuthorHistory>>;
  /** The author's visible comments that no moderator and no auto-hide ever hid, counted up to `cap`. */
  cleanCommentCount(authorId: string, cap: number): Promise<number>;
  /** Comments of the author that are visible now (holding first comments counts these). */
  publishedCommentCount(authorId: string): Promise<number>;
  /** Banned identities, most recently created first. */
  listBannedIdentities(): Promise<IdentityRecord[]>;
  /** Bans or unbans an identity directly (not through one of its comments) and audits it; `not_found` for no such identity. */
  /** Bans (until `until`, ms, or for good) or unbans an identity directly; a ban hides their held comments too. */
  setIdentityBan(input: { identityId: string; banned: boolean; until?: number | null; moderatorId: string; reason: string | null }): Promise<IdentityRecord>;
  listIpBans(): Promise<IpBan[]>;
  /** Adds a banned range (already canonical CIDR) and audits it; `conflict` when it is already banned. */
  addIpBan(input: { cidr: string; reason: string | null; moderatorId: string | null }): Promise<IpBan>;
  /** Lifts a banned range and audits it; `not_found` when there is none with that id. */
  removeIpBan(input: { id: string; reason: string | null; moderatorId: string | null }): Promise<IpBan>;
  /** Short-lived tickets that open the moderators' event stream where headers cannot be sent. */
  createStreamTicket(ticketHash: string, identityId: string, expiresAt: number): Promise<void>;
  identityByStreamTicket(ticketHash: string): Promise<IdentityRecord | null>;
  /** Fixed-window counter shared by every process on the same database. */
  hitRateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Forgets rate-limit windows and idempotency keys older than the given ages; returns rows removed. */
  prune(ages: { rateLimitMs: number; idempotencyMs: number }): Promise<number>;

  /** What the spam filter weighs about an author: their comment count and latest comments. */
  authorActivity(authorId: string, recent?: number): Promise<AuthorActivity>;
  /** The spam filter's learned model (plain JSON text), or null before the first decision. */
  loadSpamModel(): Promise<string | null>;
  saveSpamModel(model: string): Promise<void>;

  close(): Promise<void>;
}

export interface AuthorActivity {
  commentCount: number;
  /** Newest first. */
  recent: Array<{ body: string; thread: string; createdAt: number }>;
}

export interface StoreOptions {
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}
