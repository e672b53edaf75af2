import { randomBytes } from 'node:crypto';
import { ColloquyError, type Role } from '@colloquy/core';
import type { Row, SqlDatabase, SqlRunner } from './sql.js';
import type { AuditAction, AuditEntry, CommentRecord, IdentityKind, IdentityRecord, IpBan, StoredStatus } from './types.js';

/** What every aggregate of the store works with: the database and the clock. */
export interface StoreContext {
  db: SqlDatabase;
  now: () => number;
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

export const COMMENT_COLUMNS = `c.id, c.thread, c.parent_id, c.root_id, c.depth, c.author_id, c.body, c.html, c.status,
  c.hidden_by, c.spam, c.visible_replies, c.held_reasons, c.created_at, c.edited_at, i.name AS author_name, i.role AS author_role`;
export const COMMENT_FROM = `comments c JOIN identities i ON i.id = c.author_id`;

export function toIdentity(row: Row): IdentityRecord {
  return {
    id: row.id as string,
    kind: row.kind as IdentityKind,
    name: (row.name as string | null) ?? null,
    role: row.role as Role,
    banned: Number(row.banned) === 1,
    createdAt: iso(Number(row.created_at)),
  };
}

export function toComment(row: Row): CommentRecord {
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

export function toAuditEntry(row: Row): AuditEntry {
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

export function toIpBan(row: Row): IpBan {
  return {
    id: row.id as string,
    cidr: row.cidr as string,
    reason: (row.reason as string | null) ?? null,
    createdBy: (row.created_by as string | null) ?? null,
    createdAt: iso(Number(row.created_at)),
  };
}

export const notFound = () => new ColloquyError('not_found', 'No comment has that id.');

export async function commentById(runner: SqlRunner, id: string): Promise<CommentRecord | null> {
  const rows = await runner.all(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = ?`, [id]);
  return rows[0] ? toComment(rows[0]) : null;
}

export async function identityById(runner: SqlRunner, id: string): Promise<IdentityRecord | null> {
  const rows = await runner.all(`SELECT * FROM identities WHERE id = ?`, [id]);
  return rows[0] ? toIdentity(rows[0]) : null;
}
