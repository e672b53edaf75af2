import { randomBytes } from 'node:crypto';
import { ColloquyError, type ReportReason, type Role, type SortOrder } from '@colloquy/core';
import { decodeCursor, decodeQueueCursor, encodeCursor, encodeQueueCursor, type CursorKey } from './cursor.js';
import { placeholders, type Row, type SqlDatabase, type SqlRunner, type SqlValue } from './sql.js';

export type IdentityKind = 'pseudonymous' | 'jwt';
export type StoredStatus = 'visible' | 'held' | 'hidden' | 'deleted';
export type ModerationAction = 'approve' | 'hide' | 'spam' | 'restore' | 'ban-author' | 'unban-author';
export type QueueStatus = 'reported' | 'held' | 'hidden';
/** Live event a store change calls for, if any. */
export type ChangeEvent = 'created' | 'edited' | 'deleted' | 'hidden' | 'restored';

export interface IdentityRecord {
  id: string;
  kind: IdentityKind;
  name: string | null;
  role: Role;
  banned: boolean;
  createdAt: string;
}

/** A comment as stored, with everything moderation needs; the HTTP layer decides what readers see. */
export interface CommentRecord {
  id: string;
  thread: string;
  parentId: string | null;
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
  /** Sum of the open reports' weights. */
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
}

export interface IpBan {
  id: string;
  cidr: string;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface AuditQuery {
  commentId?: string | null;
  authorId?: string | null;
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
  weight: number;
  /** Open report weight at which a visible comment is hidden pending review. */
  threshold: number;
}

export interface ModerateInput {
  commentId: string;
  moderatorId: string;
  action: ModerationAction;
  reason: string | null;
}

/**
 * What the audit log records: moderation actions, moderators' edits and deletes of others'
 * comments, the report threshold hiding a comment (`auto-hide`, no moderator), and IP-range bans.
 */
export type AuditAction = ModerationAction | 'edit' | 'delete' | 'auto-hide' | 'ban-range' | 'unban-range';

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
  /** Facts of the action: `{cidr}` for ranges, `{reportWeight, threshold}` for auto-hide. */
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
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: SqlDatabase;

  createIdentity(input: { name: string | null; tokenHash: string; role?: Role }): Promise<IdentityRecord>;
  findIdentityByTokenHash(tokenHash: string): Promise<IdentityRecord | null>;
  /** Host-site identities: one per JWT `sub`; role, and name when the token has one, refreshed from the latest token. */
  upsertSubjectIdentity(input: { subject: string; name: string | null; role: Role }): Promise<IdentityRecord>;
  getIdentity(id: string): Promise<IdentityRecord | null>;
  /** Names a nameless identity; `conflict` when it already has a name. */
  nameIdentity(id: string, name: string): Promise<IdentityRecord>;

  createComment(input: CreateCommentInput): Promise<{ comment: CommentRecord; replayed: boolean }>;
  getComment(id: string): Promise<CommentRecord | null>;
  /** Whether the identity has a comment held for review in the thread (it then sees a page others do not). */
  hasHeldComment(thread: string, authorId: string): Promise<boolean>;
  listComments(input: ListCommentsInput): Promise<{ comments: CommentTree[]; nextCursor: string | null }>;
  /** With `auditBy`, the change is a moderator's and is written to the audit log in the same transaction. */
  editComment(id: string, update: { body: string; html: string }, auditBy?: string): Promise<CommentRecord>;
  /** Soft delete: the row stays (as a placeholder while it has replies), its text is cleared. */
  deleteComment(id: string, auditBy?: string): Promise<CommentRecord>;
  /** One open report per identity and comment; `reportWeight` is the open reports' total after this one. */
  reportComment(input: ReportInput): Promise<{ report: ReportRecord; hidden: CommentRecord | null; reportWeight: number }>;
  countVisible(threads: readonly string[]): Promise<Record<string, number>>;
  /**
   * A page of a moderation queue, oldest first by (created_at, id), with the queue's total.
   * Keyset-paged, so deciding items already seen does not shift the next page.
   */
  moderationQueue(status: QueueStatus, page?: { cursor?: string | null; limit?: number }): Promise<QueuePage>;
  /** Applies a moderator's action and writes the audit log in the same transaction. */
  moderate(input: ModerateInput): Promise<{ comment: CommentRecord; event: ChangeEvent | null }>;
  /** A comment's audit entries, oldest first. */
  auditLog(commentId: string): Promise<AuditEntry[]>;
  /** The audit log newest first, keyset-paged; filters by comment, author or moderator. */
  auditEntries(query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }>;
  /** An author's record for moderators: counts, latest comments and the actions taken about them. */
  authorHistory(authorId: string, sizes?: { comments?: number; actions?: number }): Promise<AuthorHistory>;
  /** Comments of the author that are visible now (holding first comments counts these). */
  publishedCommentCount(authorId: string): Promise<number>;
  /** Banned identities, most recently created first. */
  listBannedIdentities(): Promise<IdentityRecord[]>;
  /** Bans or unbans an identity directly (not through one of its comments) and audits it; `not_found` for no such identity. */
  setIdentityBan(input: { identityId: string; banned: boolean; moderatorId: string; reason: string | null }): Promise<IdentityRecord>;
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

let lastIdTime = 0;
let idSequence = 0;
/** Ids sort by creation time (then by a per-process sequence), with a random tail so they cannot be guessed. */
export function newId(prefix: string, now = Date.now()): string {
  idSequence = now === lastIdTime ? idSequence + 1 : 0;
  lastIdTime = now;
  return `${prefix}${now.toString(36).padStart(9, '0')}${(idSequence % 36 ** 4).toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

const COMMENT_COLUMNS = `c.id, c.thread, c.parent_id, c.root_id, c.depth, c.author_id, c.body, c.html, c.status,
  c.hidden_by, c.spam, c.visible_replies, c.held_reasons, c.created_at, c.edited_at, i.name AS author_name, i.role AS author_role`;
const COMMENT_FROM = `comments c JOIN identities i ON i.id = c.author_id`;

function toIdentity(row: Row): IdentityRecord {
  return {
    id: row.id as string,
    kind: row.kind as IdentityKind,
    name: (row.name as string | null) ?? null,
    role: row.role as Role,
    banned: Number(row.banned) === 1,
    createdAt: iso(Number(row.created_at)),
  };
}

function toComment(row: Row): CommentRecord {
  return {
    id: row.id as string,
    thread: row.thread as string,
    parentId: (row.parent_id as string | null) ?? null,
    rootId: row.root_id as string,
    depth: Number(row.depth),
    author: { id: row.author_id as string, name: (row.author_name as string | null) ?? '', role: row.author_role as Role },
    body: row.body as string,
    html: row.html as string,
    status: row.status as StoredStatus,
    hiddenBy: (row.hidden_by as 'reports' | 'moderator' | null) ?? null,
    spam: Number(row.spam) === 1,
    visibleReplies: Number(row.visible_replies),
    heldReasons: parseReasons(row.held_reasons),
    createdAt: iso(Number(row.created_at)),
    editedAt: row.edited_at === null || row.edited_at === undefined ? null : iso(Number(row.edited_at)),
  };
}

/**
 * Where a new reply to `parent` goes: under it, or, when the parent is at the deepest level,
 * beside it (under the parent's parent). With `maxDepth` 0 replies are not threaded at all and
 * become top-level comments.
 */
export function placeReply(
  parent: { id: string; parentId: string | null; rootId: string; depth: number },
  id: string,
  maxDepth: number,
): { parentId: string | null; rootId: string; depth: number } {
  const parentId = parent.depth >= maxDepth ? parent.parentId : parent.id;
  if (parentId === null) return { parentId: null, rootId: id, depth: 0 };
  return { parentId, rootId: parent.rootId, depth: parent.depth >= maxDepth ? parent.depth : parent.depth + 1 };
}

/** A comment's stored `held_reasons` (a JSON list) as a list; anything else reads as none. */
export function parseReasons(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

function toAuditEntry(row: Row): AuditEntry {
  const moderatorId = (row.moderator_id as string | null) ?? null;
  let detail: Record<string, unknown> | null = null;
  if (typeof row.detail === 'string' && row.detail !== '') {
    try {
      detail = JSON.parse(row.detail) as Record<string, unknown>;
    } catch {
      detail = null;
    }
  }
  return {
    id: row.id as string,
    commentId: (row.comment_id as string | null) ?? null,
    authorId: (row.author_id as string | null) ?? null,
    moderatorId,
    moderator:
      moderatorId === null
        ? null
        : { id: moderatorId, name: (row.moderator_name as string | null) ?? null, role: ((row.moderator_role as Role | null) ?? 'moderator') as Role },
    action: row.action as AuditAction,
    reason: (row.reason as string | null) ?? null,
    detail,
    createdAt: iso(Number(row.created_at)),
  };
}

function toIpBan(row: Row): IpBan {
  return {
    id: row.id as string,
    cidr: row.cidr as string,
    reason: (row.reason as string | null) ?? null,
    createdBy: (row.created_by as string | null) ?? null,
    createdAt: iso(Number(row.created_at)),
  };
}

/** Audit cursors: the last entry's time and id, opaque to clients. */
function encodeAuditCursor(at: number, id: string): string {
  return Buffer.from(JSON.stringify({ a: [at, id] }), 'utf8').toString('base64url');
}

function decodeAuditCursor(cursor: string): [number, string] {
  const invalid = () => new ColloquyError('invalid_cursor', 'The cursor is not one this server gave out for the audit log.');
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid();
  try {
    const { a } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a?: unknown };
    if (Array.isArray(a) && a.length === 2 && Number.isSafeInteger(a[0]) && (a[0] as number) >= 0 && typeof a[1] === 'string' && a[1].length <= 64) {
      return [a[0] as number, a[1]];
    }
  } catch {
    // falls through
  }
  throw invalid();
}

const notFound = () => new ColloquyError('not_found', 'No comment has that id.');

export function createSqlStore(db: SqlDatabase, options: StoreOptions = {}): Store {
  const now = options.now ?? Date.now;

  async function commentById(runner: SqlRunner, id: string): Promise<CommentRecord | null> {
    const rows = await runner.all(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = ?`, [id]);
    return rows[0] ? toComment(rows[0]) : null;
  }

  async function identityById(runner: SqlRunner, id: string): Promise<IdentityRecord | null> {
    const rows = await runner.all(`SELECT * FROM identities WHERE id = ?`, [id]);
    return rows[0] ? toIdentity(rows[0]) : null;
  }

  // The top-level comment's count of visible comments beneath it drives `top` sort and
  // decides whether a hidden or deleted top-level comment stays as a placeholder.
  async function recountRoot(runner: SqlRunner, rootId: string): Promise<void> {
    await runner.run(
      `UPDATE comments SET visible_replies =
         (SELECT count(*) FROM comments r WHERE r.root_id = ? AND r.id <> ? AND r.status = 'visible')
       WHERE id = ?`,
      [rootId, rootId, rootId],
    );
  }

  async function audit(
    runner: SqlRunner,
    entry: {
      commentId: string | null;
      authorId: string | null;
      moderatorId: string | null;
      action: AuditAction;
      reason: string | null;
      detail?: Record<string, unknown>;
    },
  ) {
    await runner.run(
      `INSERT INTO moderation_log (id, comment_id, author_id, moderator_id, action, reason, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId('m_', now()),
        entry.commentId,
        entry.authorId,
        entry.moderatorId,
        entry.action,
        entry.reason,
        entry.detail ? JSON.stringify(entry.detail) : null,
        now(),
      ],
    );
  }

  async function auditRows(where: string, params: SqlValue[], order: string, limit: number): Promise<AuditEntry[]> {
    const rows = await db.all(
      `SELECT m.*, i.name AS moderator_name, i.role AS moderator_role FROM moderation_log m
       LEFT JOIN identities i ON i.id = m.moderator_id WHERE ${where} ORDER BY ${order} LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toAuditEntry);
  }

  async function setStatus(
    runner: SqlRunner,
    comment: CommentRecord,
    status: StoredStatus,
    hiddenBy: 'reports' | 'moderator' | null,
    spam?: boolean,
  ): Promise<void> {
    await runner.run(`UPDATE comments SET status = ?, hidden_by = ?, spam = ? WHERE id = ?`, [
      status,
      hiddenBy,
      spam === undefined ? (comment.spam ? 1 : 0) : spam ? 1 : 0,
      comment.id,
    ]);
    await recountRoot(runner, comment.rootId);
  }

  const store: Store = {
    dialect: db.dialect,
    db,

    async createIdentity({ name, tokenHash, role = 'reader' }) {
      const id = newId('i_', now());
      const rows = await db.all(
        `INSERT INTO identities (id, kind, token_hash, name, role, created_at) VALUES (?, 'pseudonymous', ?, ?, ?, ?) RETURNING *`,
        [id, tokenHash, name, role, now()],
      );
      return toIdentity(rows[0]!);
    },

    async findIdentityByTokenHash(tokenHash) {
      const rows = await db.all(`SELECT * FROM identities WHERE token_hash = ?`, [tokenHash]);
      return rows[0] ? toIdentity(rows[0]) : null;
    },

    async upsertSubjectIdentity({ subject, name, role }) {
      const existing = await db.all(`SELECT * FROM identities WHERE subject = ?`, [subject]);
      const row = existing[0];
      // A token without a name keeps the name the identity already has (set by an earlier token or by the reader).
      if (row && (name === null || row.name === name) && row.role === role) return toIdentity(row);
      const rows = await db.all(
        `INSERT INTO identities (id, kind, subject, name, role, created_at) VALUES (?, 'jwt', ?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET name = COALESCE(excluded.name, identities.name), role = excluded.role RETURNING *`,
        [newId('i_', now()), subject, name, role, now()],
      );
      return toIdentity(rows[0]!);
    },

    getIdentity: (id) => identityById(db, id),

    async nameIdentity(id, name) {
      const changed = await db.run(`UPDATE identities SET name = ? WHERE id = ? AND name IS NULL`, [name, id]);
      const identity = await identityById(db, id);
      if (!identity) throw new ColloquyError('not_found', 'No identity has that id.');
      if (changed === 0) throw new ColloquyError('conflict', 'This identity already has a screen name.');
      return identity;
    },

    async createComment(input) {
      const key = input.idempotencyKey ?? null;
      const replay = async (): Promise<{ comment: CommentRecord; replayed: boolean } | null> => {
        if (key === null) return null;
        const rows = await db.all<{ request_hash: string; comment_id: string }>(
          `SELECT request_hash, comment_id FROM idempotency_keys WHERE identity_id = ? AND key = ?`,
          [input.authorId, key],
        );
        const row = rows[0];
        if (!row) return null;
        if (row.request_hash !== input.requestHash) {
          throw new ColloquyError('idempotency_conflict', 'This Idempotency-Key was already used for a different comment.');
        }
        const comment = await commentById(db, row.comment_id);
        if (!comment) throw notFound();
        return { comment, replayed: true };
      };

      const earlier = await replay();
      if (earlier) return earlier;

      const id = newId('c_', now());
      const created = await db.transaction(async (tx) => {
        if (key !== null) {
          // Claiming the key first makes a concurrent duplicate wait for this transaction and
          // then find the key taken, so two racing retries can never both insert.
          const claimed = await tx.run(
            `INSERT INTO idempotency_keys (identity_id, key, request_hash, comment_id, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (identity_id, key) DO NOTHING`,
            [input.authorId, key, input.requestHash, id, now()],
          );
          if (claimed === 0) return null;
        }
        let parentId: string | null = null;
        let rootId = id;
        let depth = 0;
        if (input.parentId) {
          const parent = await commentById(tx, input.parentId);
          if (!parent) throw new ColloquyError('not_found', 'The comment you are replying to does not exist.');
          if (parent.thread !== input.thread) {
            throw new ColloquyError('invalid_input', 'parentId belongs to a different thread.');
          }
          if (parent.status === 'deleted') throw new ColloquyError('conflict', 'The comment you are replying to was deleted.');
          if (parent.status !== 'visible' && !(parent.status === 'held' && parent.author.id === input.authorId)) {
            throw new ColloquyError('not_found', 'The comment you are replying to is not available.');
          }
          ({ parentId, rootId, depth } = placeReply(parent, id, input.maxDepth));
        }
        await tx.run(
          `INSERT INTO comments (id, thread, parent_id, root_id, depth, author_id, body, html, status, held_reasons, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            input.thread,
            parentId,
            rootId,
            depth,
            input.authorId,
            input.body,
            input.html,
            input.status,
            input.heldReasons && input.heldReasons.length > 0 ? JSON.stringify(input.heldReasons) : null,
            now(),
          ],
        );
        if (rootId !== id) await recountRoot(tx, rootId);
        return commentById(tx, id);
      });
      if (created) return { comment: created, replayed: false };
      const winner = await replay();
      if (!winner) throw new ColloquyError('conflict', 'A concurrent request with this Idempotency-Key did not finish; retry.');
      return winner;
    },

    getComment: (id) => commentById(db, id),

    async hasHeldComment(thread, authorId) {
      const rows = await db.all(`SELECT 1 AS held FROM comments WHERE author_id = ? AND thread = ? AND status = 'held' LIMIT 1`, [authorId, thread]);
      return rows.length > 0;
    },

    async listComments({ thread, sort, cursor, limit, viewerId = null }) {
      const params: SqlValue[] = [thread, viewerId ?? ''];
      let where = `c.thread = ? AND c.parent_id IS NULL
        AND (c.status = 'visible' OR c.visible_replies > 0 OR (c.status = 'held' AND c.author_id = ?))`;
      let order: string;
      if (sort === 'top') order = 'c.visible_replies DESC, c.created_at DESC, c.id DESC';
      else if (sort === 'newest') order = 'c.created_at DESC, c.id DESC';
      else order = 'c.created_at ASC, c.id ASC';
      if (cursor) {
        const key = decodeCursor(sort, cursor);
        // Row values, so both databases seek straight to the cursor in the index.
        if (sort === 'top') {
          where += ` AND (c.visible_replies, c.created_at, c.id) < (?, ?, ?)`;
          params.push(key[0], key[1] as number, key[2] as string);
        } else {
          where += ` AND (c.created_at, c.id) ${sort === 'newest' ? '<' : '>'} (?, ?)`;
          params.push(key[0], key[1] as string);
        }
      }
      params.push(limit + 1);
      const rows = await db.all(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE ${where} ORDER BY ${order} LIMIT ?`, params);
      const more = rows.length > limit;
      const pageRows = rows.slice(0, limit);
      let nextCursor: string | null = null;
      const last = pageRows[pageRows.length - 1];
      if (more && last) {
        const key: CursorKey =
          sort === 'top'
            ? [Number(last.visible_replies), Number(last.created_at), last.id as string]
            : [Number(last.created_at), last.id as string];
        nextCursor = encodeCursor(sort, key);
      }
      const roots: CommentTree[] = pageRows.map((row) => ({ ...toComment(row), replies: [] }));
      if (roots.length === 0) return { comments: [], nextCursor };

      const replyRows = await db.all(
        `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
         WHERE c.root_id IN (${placeholders(roots.length)}) AND c.parent_id IS NOT NULL
         ORDER BY c.created_at ASC, c.id ASC`,
        roots.map((r) => r.id),
      );
      const byId = new Map<string, CommentTree>(roots.map((r) => [r.id, r]));
      for (const row of replyRows) {
        const node: CommentTree = { ...toComment(row), replies: [] };
        byId.set(node.id, node);
      }
      for (const row of replyRows) {
        const node = byId.get(row.id as string)!;
        byId.get(node.parentId!)?.replies.push(node);
      }
      // A comment shows if the reader may see it, or as a placeholder while something under it shows.
      const keep = (node: CommentTree): boolean => {
        node.replies = node.replies.filter(keep);
        const own = node.status === 'visible' || (node.status === 'held' && viewerId !== null && node.author.id === viewerId);
        return own || node.replies.length > 0;
      };
      return { comments: roots.filter(keep), nextCursor };
    },

    async editComment(id, { body, html }, auditBy) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, id);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') throw new ColloquyError('conflict', 'A deleted comment cannot be edited.');
        await tx.run(`UPDATE comments SET body = ?, html = ?, edited_at = ? WHERE id = ?`, [body, html, now(), id]);
        if (auditBy) await audit(tx, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'edit', reason: null });
        return (await commentById(tx, id))!;
      });
    },

    async deleteComment(id, auditBy) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, id);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') return comment;
        await tx.run(`UPDATE comments SET status = 'deleted', body = '', html = '', edited_at = ? WHERE id = ?`, [now(), id]);
        if (auditBy) await audit(tx, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'delete', reason: null });
        await recountRoot(tx, comment.rootId);
        return (await commentById(tx, id))!;
      });
    },

    async reportComment({ commentId, identityId, reason, details, weight, threshold }) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, commentId);
        if (!comment || comment.status === 'deleted') throw notFound();
        const at = now();
        const reportId = newId('r_', at);
        const inserted = await tx.run(
          `INSERT INTO reports (id, comment_id, identity_id, reason, details, weight, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id, identity_id) WHERE resolved_at IS NULL DO NOTHING`,
          [reportId, commentId, identityId, reason, details, weight, at],
        );
        if (inserted === 0) throw new ColloquyError('already_reported', 'You have already reported this comment.');
        const reporter = await identityById(tx, identityId);
        const [sum] = await tx.all<{ total: number | null }>(
          `SELECT sum(weight) AS total FROM reports WHERE comment_id = ? AND resolved_at IS NULL`,
          [commentId],
        );
        const reportWeight = Number(sum?.total ?? 0);
        let hidden: CommentRecord | null = null;
        if (comment.status === 'visible' && reportWeight >= threshold) {
          await setStatus(tx, comment, 'hidden', 'reports');
          await audit(tx, {
            commentId,
            authorId: comment.author.id,
            moderatorId: null,
            action: 'auto-hide',
            reason: `Report weight ${reportWeight} reached the threshold of ${threshold}.`,
            detail: { reportWeight, threshold },
          });
          hidden = await commentById(tx, commentId);
        }
        return {
          reportWeight,
          report: {
            id: reportId,
            commentId,
            reason,
            details,
            weight,
            createdAt: iso(at),
            reporter: { id: identityId, name: reporter?.name ?? null, role: reporter?.role ?? 'reader' },
          },
          hidden,
        };
      });
    },

    async countVisible(threads) {
      const counts: Record<string, number> = {};
      for (const t of threads) counts[t] = 0;
      if (threads.length === 0) return counts;
      const rows = await db.all<{ thread: string; n: number }>(
        `SELECT thread, count(*) AS n FROM comments WHERE status = 'visible' AND thread IN (${placeholders(threads.length)}) GROUP BY thread`,
        [...threads],
      );
      for (const row of rows) counts[row.thread] = Number(row.n);
      return counts;
    },

    async moderationQueue(status, { cursor = null, limit = QUEUE_PAGE_MAX } = {}) {
      let where: string;
      if (status === 'reported') {
        where = `c.status <> 'deleted' AND EXISTS (SELECT 1 FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL)`;
      } else if (status === 'held') {
        where = `c.status = 'held'`;
      } else {
        where = `c.status = 'hidden' AND c.hidden_by = 'moderator'`;
      }
      const params: SqlValue[] = [];
      let seek = '';
      if (cursor) {
        const [at, id] = decodeQueueCursor(status, cursor);
        seek = ` AND (c.created_at, c.id) > (?, ?)`;
        params.push(at, id);
      }
      const rows = await db.all(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE ${where}${seek} ORDER BY c.created_at ASC, c.id ASC LIMIT ?`, [
        ...params,
        limit + 1,
      ]);
      const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM comments c WHERE ${where}`);
      const total = Number(count?.n ?? 0);
      const last = rows[limit - 1];
      const nextCursor = rows.length > limit && last ? encodeQueueCursor(status, [Number(last.created_at), last.id as string]) : null;
      const comments = rows.slice(0, limit).map(toComment);
      if (comments.length === 0) return { items: [], nextCursor, total };
      const ids = comments.map((c) => c.id);
      const reportRows = await db.all(
        `SELECT r.*, i.name AS reporter_name, i.role AS reporter_role FROM reports r JOIN identities i ON i.id = r.identity_id
         WHERE r.comment_id IN (${placeholders(ids.length)}) AND r.resolved_at IS NULL ORDER BY r.created_at ASC`,
        ids,
      );
      const parentIds = [...new Set(comments.map((c) => c.parentId).filter((p): p is string => p !== null))];
      const parents = new Map<string, CommentRecord>();
      if (parentIds.length > 0) {
        const parentRows = await db.all(
          `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id IN (${placeholders(parentIds.length)})`,
          parentIds,
        );
        for (const row of parentRows) parents.set(row.id as string, toComment(row));
      }
      const items = comments.map((comment) => ({
        comment,
        reports: reportRows
          .filter((r) => r.comment_id === comment.id)
          .map((r) => ({
            id: r.id as string,
            commentId: comment.id,
            reason: r.reason as ReportReason,
            details: (r.details as string | null) ?? null,
            weight: Number(r.weight),
            createdAt: iso(Number(r.created_at)),
            reporter: { id: r.identity_id as string, name: (r.reporter_name as string | null) ?? null, role: r.reporter_role as Role },
          })),
        parent: comment.parentId ? (parents.get(comment.parentId) ?? null) : null,
      })).map((item) => ({ ...item, reportWeight: item.reports.reduce((sum, r) => sum + r.weight, 0) }));
      return { items, nextCursor, total };
    },

    async moderate({ commentId, moderatorId, action, reason }) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, commentId);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') throw new ColloquyError('conflict', 'The comment was deleted by its author.');
        const before = comment.status;
        let event: ChangeEvent | null = null;
        switch (action) {
          case 'approve':
          case 'restore':
            await setStatus(tx, comment, 'visible', null, action === 'restore' ? false : undefined);
            if (before === 'held') event = 'created';
            else if (before === 'hidden') event = 'restored';
            break;
          case 'hide':
          case 'spam':
          case 'ban-author':
            await setStatus(tx, comment, 'hidden', 'moderator', action === 'spam' ? true : undefined);
            if (before === 'visible') event = 'hidden';
            if (action === 'ban-author') await tx.run(`UPDATE identities SET banned = 1 WHERE id = ?`, [comment.author.id]);
            break;
          case 'unban-author':
            // Lifts the ban only; the comment stays as it is.
            await tx.run(`UPDATE identities SET banned = 0 WHERE id = ?`, [comment.author.id]);
            break;
        }
        // Every decision on the comment closes its open reports: they have been reviewed, and
        // later reports start a new round.
        if (action !== 'unban-author') {
          await tx.run(`UPDATE reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at IS NULL`, [now(), commentId]);
        }
        await audit(tx, { commentId, authorId: comment.author.id, moderatorId, action, reason });
        return { comment: (await commentById(tx, commentId))!, event };
      });
    },

    auditLog: (commentId) => auditRows('m.comment_id = ?', [commentId], 'm.created_at ASC, m.id ASC', 10_000),

    async auditEntries({ commentId, authorId, moderatorId, cursor, limit }) {
      const clauses: string[] = [];
      const params: SqlValue[] = [];
      const filters: Array<[string, string | null | undefined]> = [
        ['m.comment_id = ?', commentId],
        ['m.author_id = ?', authorId],
        ['m.moderator_id = ?', moderatorId],
      ];
      for (const [clause, value] of filters) {
        if (!value) continue;
        clauses.push(clause);
        params.push(value);
      }
      if (cursor) {
        const [at, id] = decodeAuditCursor(cursor);
        clauses.push('(m.created_at < ? OR (m.created_at = ? AND m.id < ?))');
        params.push(at, at, id);
      }
      const entries = await auditRows(clauses.length ? clauses.join(' AND ') : '1 = 1', params, 'm.created_at DESC, m.id DESC', limit + 1);
      const page = entries.slice(0, limit);
      const last = page[page.length - 1];
      return {
        entries: page,
        nextCursor: entries.length > limit && last ? encodeAuditCursor(Date.parse(last.createdAt), last.id) : null,
      };
    },

    async authorHistory(authorId, { comments = 5, actions = 10 } = {}) {
      const identity = await identityById(db, authorId);
      const countRows = await db.all<{ status: string; spam: number; n: number }>(
        `SELECT status, spam, count(*) AS n FROM comments WHERE author_id = ? GROUP BY status, spam`,
        [authorId],
      );
      const counts = { visible: 0, held: 0, hidden: 0, deleted: 0, spam: 0 };
      for (const row of countRows) {
        const status = row.status as StoredStatus;
        counts[status] += Number(row.n);
        if (Number(row.spam) === 1) counts.spam += Number(row.n);
      }
      const recentRows = await db.all(
        `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.author_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
        [authorId, comments],
      );
      return {
        identity,
        counts,
        recent: recentRows.map(toComment),
        actions: await auditRows('m.author_id = ?', [authorId], 'm.created_at DESC, m.id DESC', actions),
      };
    },

    async listBannedIdentities() {
      const rows = await db.all(`SELECT * FROM identities WHERE banned = 1 ORDER BY created_at DESC, id DESC`);
      return rows.map(toIdentity);
    },

    async setIdentityBan({ identityId, banned, moderatorId, reason }) {
      return db.transaction(async (tx) => {
        if (!(await identityById(tx, identityId))) throw new ColloquyError('not_found', 'No identity has that id.');
        await tx.run(`UPDATE identities SET banned = ? WHERE id = ?`, [banned ? 1 : 0, identityId]);
        await audit(tx, { commentId: null, authorId: identityId, moderatorId, action: banned ? 'ban-author' : 'unban-author', reason });
        return (await identityById(tx, identityId))!;
      });
    },

    async publishedCommentCount(authorId) {
      const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE author_id = ? AND status = 'visible'`, [authorId]);
      return Number(row?.n ?? 0);
    },

    async listIpBans() {
      const rows = await db.all(`SELECT * FROM ip_bans ORDER BY created_at ASC, id ASC`);
      return rows.map(toIpBan);
    },

    async addIpBan({ cidr, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const id = newId('b_', now());
        const inserted = await tx.run(
          `INSERT INTO ip_bans (id, cidr, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cidr) DO NOTHING`,
          [id, cidr, reason, moderatorId, now()],
        );
        if (inserted === 0) throw new ColloquyError('conflict', `The range ${cidr} is already banned.`);
        await audit(tx, { commentId: null, authorId: null, moderatorId, action: 'ban-range', reason, detail: { cidr, banId: id } });
        const rows = await tx.all(`SELECT * FROM ip_bans WHERE id = ?`, [id]);
        return toIpBan(rows[0]!);
      });
    },

    async removeIpBan({ id, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const rows = await tx.all(`SELECT * FROM ip_bans WHERE id = ?`, [id]);
        if (!rows[0]) throw new ColloquyError('not_found', 'No banned range has that id.');
        const ban = toIpBan(rows[0]);
        await tx.run(`DELETE FROM ip_bans WHERE id = ?`, [id]);
        await audit(tx, { commentId: null, authorId: null, moderatorId, action: 'unban-range', reason, detail: { cidr: ban.cidr, banId: id } });
        return ban;
      });
    },

    async createStreamTicket(ticketHash, identityId, expiresAt) {
      await db.run(`INSERT INTO stream_tickets (ticket_hash, identity_id, expires_at) VALUES (?, ?, ?)`, [ticketHash, identityId, expiresAt]);
    },

    async identityByStreamTicket(ticketHash) {
      const rows = await db.all(
        `SELECT i.* FROM stream_tickets t JOIN identities i ON i.id = t.identity_id WHERE t.ticket_hash = ? AND t.expires_at > ?`,
        [ticketHash, now()],
      );
      return rows[0] ? toIdentity(rows[0]) : null;
    },

    async hitRateLimit(key, limit, windowMs) {
      const at = now();
      const windowStart = at - (at % windowMs);
      const rows = await db.all<{ hits: number; window_start: number }>(
        `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
           window_start = excluded.window_start
         RETURNING hits, window_start`,
        [key, windowStart],
      );
      const hits = Number(rows[0]?.hits ?? 1);
      return { allowed: hits <= limit, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
    },

    async prune({ rateLimitMs, idempotencyMs }) {
      const at = now();
      const windows = await db.run(`DELETE FROM rate_limits WHERE window_start < ?`, [at - rateLimitMs]);
      const keys = await db.run(`DELETE FROM idempotency_keys WHERE created_at < ?`, [at - idempotencyMs]);
      const tickets = await db.run(`DELETE FROM stream_tickets WHERE expires_at < ?`, [at]);
      return windows + keys + tickets;
    },

    async authorActivity(authorId, recent = 20) {
      const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE author_id = ?`, [authorId]);
      const rows = await db.all<{ body: string; thread: string; created_at: number }>(
        `SELECT body, thread, created_at FROM comments WHERE author_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
        [authorId, recent],
      );
      return {
        commentCount: Number(count?.n ?? 0),
        recent: rows.map((r) => ({ body: r.body, thread: r.thread, createdAt: Number(r.created_at) })),
      };
    },

    async loadSpamModel() {
      const rows = await db.all<{ model: string }>(`SELECT model FROM spam_model WHERE id = 1`);
      return rows[0]?.model ?? null;
    },

    async saveSpamModel(model) {
      await db.run(
        `INSERT INTO spam_model (id, model, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at`,
        [model, now()],
      );
    },

    close: () => db.close(),
  };
  return store;
}
