import { ColloquyError, type ReportReason, type Role } from '@colloquy/core';
import { audit } from './audit.js';
import { setStatus } from './comments.js';
import { decodeQueueCursor, encodeQueueCursor } from './cursor.js';
import { placeholders, type SqlValue } from './sql.js';
import { COMMENT_COLUMNS, COMMENT_FROM, commentById, identityById, iso, newId, notFound, toComment, type StoreContext } from './records.js';
import { QUEUE_PAGE_MAX, type ChangeEvent, type CommentRecord, type Store } from './types.js';

/** Reports, the moderation queues they fill, and moderators' decisions on queued comments. */
export function moderationQueueStore({ db, now }: StoreContext): Pick<Store, 'reportComment' | 'moderationQueue' | 'moderate'> {
  return {
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
          await audit(tx, now, {
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
        await audit(tx, now, { commentId, authorId: comment.author.id, moderatorId, action, reason });
        return { comment: (await commentById(tx, commentId))!, event };
      });
    },
  };
}
