import { decodeAuditCursor, encodeAuditCursor } from './cursor.js';
import type { SqlRunner, SqlValue } from './sql.js';
import { COMMENT_COLUMNS, COMMENT_FROM, identityById, newId, toAuditEntry, toComment, type StoreContext } from './records.js';
import type { AuditAction, AuditEntry, Store, StoredStatus } from './types.js';

/** The audit log: every moderator decision and automatic hide, and authors' records built from it. */
/** Writes one audit entry inside the caller's transaction. */
export async function audit(
  runner: SqlRunner,
  now: () => number,
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

export function auditStore({ db }: StoreContext): Pick<Store, 'auditLog' | 'auditEntries' | 'authorHistory'> {
  async function auditRows(where: string, params: SqlValue[], order: string, limit: number): Promise<AuditEntry[]> {
    const rows = await db.all(
      `SELECT m.*, i.name AS moderator_name, i.role AS moderator_role FROM moderation_log m
       LEFT JOIN identities i ON i.id = m.moderator_id WHERE ${where} ORDER BY ${order} LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toAuditEntry);
  }

  return {
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
  };
}
