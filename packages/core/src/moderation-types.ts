// The moderation side as the moderation client (adapter-rest) and the queue state
// (moderation-queue.ts) see it. The wire's shapes are declared once, in @colloquy/protocol; the
// types here are those shapes, or the parts of them the client keeps, or (QueueItem, QueuePage,
// AuthorHistory) the client's normalised form of a queue entry.
import type * as Wire from '@colloquy/protocol';
import type { Comment, CommentStatus, Role } from './types.js';

export type QueueStatus = Wire.QueueStatus;

export type ModerationAction = Wire.ModerationAction;

/** One open report on a queued comment. */
export type QueueReport = Pick<Wire.QueueReport, 'reason' | 'details' | 'weight' | 'createdAt' | 'reporter'>;

/** One past moderation decision (an audit log entry). */
export interface AuthorAction {
  action: string;
  reason: string | null;
  createdAt: string;
  /** Who decided; null when the report threshold hid the comment. */
  moderator?: { id: string; name: string | null; role: Role } | null;
}

/** What the server tells moderators about an author, when it does. */
export interface AuthorHistory {
  /** Comments by status, all time. */
  counts: Partial<Record<CommentStatus | 'spam', number>>;
  /** Their latest comments, newest first. */
  recent: Comment[];
  /** Moderation decisions about them, newest first. */
  actions: AuthorAction[];
  banned: boolean;
  /** When the author's suspension ends; null or absent for a permanent ban (or none). */
  bannedUntil?: string | null;
  /** When the author's identity was first seen, if the server says. */
  since: string | null;
  /** Moderators' notes on the author, newest first; absent where the source keeps none. */
  notes?: readonly AuthorNote[];
}

/** A moderator's note on an author, seen by moderators only. */
export interface AuthorNote {
  id: string;
  body: string;
  createdAt: string;
  /** Who wrote it; null once that identity is gone. */
  moderator: { id: string; name: string | null; role: Role } | null;
}

export interface QueueItem {
  comment: Comment;
  /** The comment it replies to, for context; null for a top-level comment. */
  parent: Comment | null;
  /** Open reports, oldest first; in the published queue (`visible`) usually none. */
  reports: QueueReport[];
  /** Sum of the open reports' weights. */
  reportWeight: number;
  /** Why the spam filter held it; empty otherwise. */
  heldReasons: string[];
  /** Null when the server sends no history. */
  authorHistory: AuthorHistory | null;
  /** Who hid it: the report threshold or a moderator; null when not hidden or not said. */
  hiddenBy: 'reports' | 'moderator' | null;
  /** The report weight that hides a comment, when the server says. */
  threshold: number | null;
  /** Earlier decisions on this comment, oldest first. */
  commentActions: AuthorAction[];
  /** The page the thread was last seen on (origin and path), when the server knows it. */
  threadUrl?: string | null;
  /** Whether the thread is closed to new comments, when the server says. */
  threadClosed?: boolean;
}

/** One page of a queue, oldest first. */
export interface QueuePage {
  items: QueueItem[];
  /** Pass back to `queue` for the next page; null on the last page. */
  nextCursor: string | null;
  /** How many items the whole queue holds now, loaded or not. */
  total: number;
}

/** One entry of the audit log: who did what to which comment (or address range), when and why. */
export type AuditEntry = Omit<Wire.AuditEntry, 'detail'> & {
  /** `{cidr, banId}` for address-range bans, `{reportWeight, threshold}` for automatic hides. */
  detail: Record<string, unknown> | null;
};

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** A banned identity, as the ban list shows it. */
export type BannedIdentity = Pick<Wire.BannedIdentity, 'id' | 'name' | 'role' | 'createdAt'>;

/** A banned address range; `configured` ones come from the server's settings and cannot be lifted here. */
export type BannedRange = Pick<Wire.IpBan, 'id' | 'cidr' | 'reason' | 'createdAt'>;

export interface BanList {
  identities: BannedIdentity[];
  ranges: BannedRange[];
  /** Ranges from the server's configuration (`COLLOQUY_BANNED_IPS`). */
  configured: string[];
}
