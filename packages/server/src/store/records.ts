import { randomBytes } from 'node:crypto';
import { ColloquyError, type Role } from '@colloquy/core';
import type { Selectable } from 'kysely';
import type { CommentsTable, IdentitiesTable, IpBansTable, ModerationLogTable } from './schema.js';
import { precompile, type QueryBuilder, type SqlDatabase, type SqlRunner } from './sql.js';
import type { AuditEntry, CommentRecord, IdentityRecord, IpBan } from './types.js';

/** What every aggregate of the store works with: the database, its query builder, the clock, and the common reads. */
export interface StoreContext {
  db: SqlDatabase;
  q: QueryBuilder;
  now: () => number;
  commentById(runner: SqlRunner, id: string): Promise<CommentRecord | null>;
  identityById(runner: SqlRunner, id: string): Promise<IdentityRecord | null>;
}

export function createStoreContext(db: SqlDatabase, q: QueryBuilder, now: () => number): StoreContext {
  const comment = precompile<{ id: string }, CommentRow>(q, (q, slot) => selectComments(q).where('c.id', '=', slot('id')));
  const identity = precompile<{ id: string }, Selectable<IdentitiesTable>>(q, (q, slot) => q.selectFrom('identities').selectAll().where('id', '=', slot('id')));
  return {
    db,
    q,
    now,
    async commentById(runner, id) {
      const row = (await runner.query(comment({ id }))).rows[0];
      return row ? toComment(row) : null;
    },
    async identityById(runner, id) {
      const row = (await runner.query(identity({ id }))).rows[0];
      return row ? toIdentity(row, now()) : null;
    },
  };
}

let lastIdTime = 0;
let idSequence = 0;
/** Ids sort by creation time (then by a per-process sequence), with a random tail so they cannot be guessed. */
export function newId(prefix: string, now = Date.now()): string {
  idSequence = now === lastIdTime ? idSequence + 1 : 0;
  lastIdTime = now;
  return `${prefix}${now.toString(36).padStart(9, '0')}${(idSequence % 36 ** 4).toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A comment row with its author's name and role, and the status and author of the comment it
 * answers (see `replyTo`), as every comment query selects it.
 */
export type CommentRow = Selectable<CommentsTable> & {
  author_name: string | null;
  author_role: Role;
  reply_to_status?: CommentsTable['status'] | null;
  reply_to_author?: string | null;
  reply_to_name?: string | null;
};

/**
 * What `toComment` reads: a comment (`c`), its author's name and role (`i`), and the comment it
 * answers (`rt`) with that comment's author (`ri`), both left-joined.
 */
export const COMMENT_SELECTION = [
  'c.id',
  'c.thread',
  'c.parent_id',
  'c.reply_to_id',
  'rt.status as reply_to_status',
  'rt.author_id as reply_to_author',
  'ri.name as reply_to_name',
  'c.root_id',
  'c.depth',
  'c.author_id',
  'c.body',
  'c.html',
  'c.status',
  'c.hidden_by',
  'c.spam',
  'c.visible_replies',
  'c.held_reasons',
  'c.created_at',
  'c.edited_at',
  'c.pinned_at',
  'i.name as author_name',
  'i.role as author_role',
] as const;

/** Comments joined to their authors, selecting what `toComment` reads. */
/**
 * A LIKE pattern finding `text` anywhere, ignoring case: compared with `lower(column) like
 * pattern escape '\'`. Its own `%`, `_` and `\` match themselves.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function selectComments(q: QueryBuilder) {
  return (
    q
      .selectFrom('comments as c')
      .innerJoin('identities as i', 'i.id', 'c.author_id')
      // The comment a too-deep reply answers and its author; absent for most rows.
      .leftJoin('comments as rt', 'rt.id', 'c.reply_to_id')
      .leftJoin('identities as ri', 'ri.id', 'rt.author_id')
      .select(COMMENT_SELECTION)
  );
}

/** An identity as of `now`: a suspension that has ended no longer bans it. */
export function toIdentity(
  row: Pick<Selectable<IdentitiesTable>, 'id' | 'kind' | 'name' | 'role' | 'banned' | 'banned_until' | 'created_at'>,
  now: number,
): IdentityRecord {
  const until = row.banned_until === null || row.banned_until === undefined ? null : Number(row.banned_until);
  const banned = Number(row.banned) === 1 && (until === null || until > now);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name ?? null,
    role: row.role,
    banned,
    bannedUntil: banned && until !== null ? iso(until) : null,
    createdAt: iso(Number(row.created_at)),
  };
}

export function toComment(row: CommentRow): CommentRecord {
  return {
    id: row.id,
    thread: row.thread,
    parentId: row.parent_id ?? null,
    replyTo: row.reply_to_id
      ? { id: row.reply_to_id, status: row.reply_to_status ?? null, authorId: row.reply_to_author ?? null, name: row.reply_to_name ?? null }
      : null,
    rootId: row.root_id,
    depth: Number(row.depth),
    author: { id: row.author_id, name: row.author_name ?? '', role: row.author_role },
    body: row.body,
    html: row.html,
    status: row.status,
    hiddenBy: row.hidden_by ?? null,
    spam: Number(row.spam) === 1,
    visibleReplies: Number(row.visible_replies),
    heldReasons: parseReasons(row.held_reasons),
    createdAt: iso(Number(row.created_at)),
    editedAt: row.edited_at === null || row.edited_at === undefined ? null : iso(Number(row.edited_at)),
    pinnedAt: row.pinned_at === null || row.pinned_at === undefined ? null : iso(Number(row.pinned_at)),
  };
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

export type AuditRow = Selectable<ModerationLogTable> & { moderator_name: string | null; moderator_role: Role | null };

export function toAuditEntry(row: AuditRow): AuditEntry {
  const moderatorId = row.moderator_id ?? null;
  let detail: Record<string, unknown> | null = null;
  if (typeof row.detail === 'string' && row.detail !== '') {
    try {
      detail = JSON.parse(row.detail) as Record<string, unknown>;
    } catch {
      detail = null;
    }
  }
  return {
    id: row.id,
    commentId: row.comment_id ?? null,
    authorId: row.author_id ?? null,
    moderatorId,
    moderator: moderatorId === null ? null : { id: moderatorId, name: row.moderator_name ?? null, role: row.moderator_role ?? 'moderator' },
    action: row.action,
    reason: row.reason ?? null,
    detail,
    createdAt: iso(Number(row.created_at)),
  };
}

export function toIpBan(row: Selectable<IpBansTable>): IpBan {
  return {
    id: row.id,
    cidr: row.cidr,
    reason: row.reason ?? null,
    createdBy: row.created_by ?? null,
    createdAt: iso(Number(row.created_at)),
  };
}

export const notFound = () => new ColloquyError('not_found', 'No comment has that id.');
