// The memory store's shapes: what it keeps, how it persists, and what it offers (store.ts).
import type {
  Comment,
  CommentStatus,
  CreateInput,
  HelpfulMark,
  Identity,
  Limits,
  ListQuery,
  Page,
  ReportReason,
  Role,
  ThreadEvent,
  Unsubscribe,
} from '@colloquy/core';
import type { StoredMark } from './helpful.js';

/** A comment as the store keeps it: the author by id, no nesting. */
export interface StoredComment {
  id: string;
  thread: string;
  parentId: string | null;
  /** The comment answered, when the depth cap stored the reply beside it (absent in older data). */
  replyTo?: string | null;
  authorId: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: CommentStatus;
  /** When a moderator pinned this top-level comment; absent or null when it is not pinned. */
  pinnedAt?: string | null;
}

export interface StoredReport {
  commentId: string;
  identityId: string;
  reason: ReportReason;
  details: string | null;
  createdAt: string;
}

interface IdempotencyRecord {
  fingerprint: string;
  commentId: string;
}

/** Everything a store holds, as plain JSON so it can be persisted. */
export interface StoreData {
  version: 1;
  /** Feeds comment ids, so ids sort in creation order (the tie-break of equal timestamps). */
  sequence: number;
  comments: Record<string, StoredComment>;
  identities: Record<string, Identity>;
  reports: StoredReport[];
  /** Keyed by identity id and idempotency key. */
  idempotency: Record<string, IdempotencyRecord>;
  /** Helpful marks, open and taken back; absent in data saved before marks existed. */
  marks?: StoredMark[];
  /** Keys of closed threads; absent in data saved before threads could be closed. */
  closed?: string[];
}

/**
 * Where a store keeps its data between calls. The store reads before every operation and
 * writes after every change, so several stores over one persistence (two browser tabs) stay in
 * step. `watch` reports writes made elsewhere, so subscribers hear about them.
 */
export interface StorePersistence {
  read(): string | null;
  write(serialized: string): void;
  watch?(onChange: () => void): Unsubscribe;
}

export interface MemoryStoreOptions {
  limits?: Partial<Limits>;
  /** Clock for timestamps and the edit window. */
  now?: () => Date;
  persistence?: StorePersistence;
  /** Pinned comments a thread may hold at once (default 3). */
  maxPins?: number;
}

export interface CreateResult {
  comment: Comment;
  /** True when an earlier create with the same key answered; nothing new was stored. */
  replayed: boolean;
}

/** Read access to what really reached the store, for conformance tests and debugging. */
export interface MemoryStoreRaw {
  getComment(id: string): StoredComment | null;
  countStored(thread: string): number;
  reports(commentId: string): StoredReport[];
  getIdentity(id: string): Identity | null;
}

export interface MemoryStore {
  readonly limits: Readonly<Limits>;
  readonly raw: MemoryStoreRaw;
  createIdentity(input?: { name?: string | null; role?: Role }): Identity;
  getIdentity(id: string): Identity | null;
  /** Gives a nameless identity its screen name; a named one keeps its name (`conflict`). */
  nameIdentity(id: string, name: unknown): Identity;
  /** `viewerId` sees its own held comments. */
  list(viewerId: string | null, query: ListQuery): Page;
  create(actorId: string | null, input: CreateInput): CreateResult;
  edit(actorId: string | null, id: string, body: unknown): Comment;
  remove(actorId: string | null, id: string): Comment;
  report(actorId: string | null, id: string, report: unknown): StoredReport;
  /** Marks a visible comment helpful or takes the mark back; not one's own (`forbidden`). */
  mark(actorId: string | null, id: string, helpful: unknown): HelpfulMark;
  counts(threads: readonly unknown[]): Record<string, number>;
  /**
   * Closes a thread to new comments, replies and authors' edits (moderators may still edit), or
   * reopens it; what a moderator does on a server. It reads as before.
   */
  setThreadClosed(thread: string, closed: boolean): void;
  /**
   * Pins a visible top-level comment (shown first, in every sort, on a thread's first page) or
   * unpins it; what a moderator does on a server. Past `maxPins` visible pins: `pin_limit`.
   * Subscribers of the thread get a `pinned` or `unpinned` event when what readers see changes.
   */
  setPinned(id: string, pinned: boolean): Comment;
  /** Events for one thread, delivered asynchronously after the write. */
  subscribe(thread: string, listener: (event: ThreadEvent) => void): Unsubscribe;
}

