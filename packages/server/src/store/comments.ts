import { ColloquyError } from '@colloquy/core';
import { audit } from './audit.js';
import { decodeThreadCursor, encodeThreadCursor, type ThreadCursorKey } from './cursor.js';
import { placeholders, type SqlRunner, type SqlValue } from './sql.js';
import { COMMENT_COLUMNS, COMMENT_FROM, commentById, newId, notFound, toComment, type StoreContext } from './records.js';
import type { CommentRecord, CommentTree, Store, StoredStatus } from './types.js';

/** Comments: writing, threading and paging them, and the counts readers see. */

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

// The top-level comment's count of visible comments beneath it drives `top` sort and
// decides whether a hidden or deleted top-level comment stays as a placeholder.
export async function recountRoot(runner: SqlRunner, rootId: string): Promise<void> {
  await runner.run(
    `UPDATE comments SET visible_replies =
       (SELECT count(*) FROM comments r WHERE r.root_id = ? AND r.id <> ? AND r.status = 'visible')
     WHERE id = ?`,
    [rootId, rootId, rootId],
  );
}

export async function setStatus(
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

export function commentStore({ db, now }: StoreContext): Pick<Store, 'createComment' | 'getComment' | 'hasHeldComment' | 'listComments' | 'editComment' | 'deleteComment' | 'countVisible' | 'publishedCommentCount'> {
  return {
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
        const key = decodeThreadCursor(sort, cursor);
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
        const key: ThreadCursorKey =
          sort === 'top'
            ? [Number(last.visible_replies), Number(last.created_at), last.id as string]
            : [Number(last.created_at), last.id as string];
        nextCursor = encodeThreadCursor(sort, key);
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
        if (auditBy) await audit(tx, now, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'edit', reason: null });
        return (await commentById(tx, id))!;
      });
    },

    async deleteComment(id, auditBy) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, id);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') return comment;
        await tx.run(`UPDATE comments SET status = 'deleted', body = '', html = '', edited_at = ? WHERE id = ?`, [now(), id]);
        if (auditBy) await audit(tx, now, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'delete', reason: null });
        await recountRoot(tx, comment.rootId);
        return (await commentById(tx, id))!;
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

    async publishedCommentCount(authorId) {
      const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE author_id = ? AND status = 'visible'`, [authorId]);
      return Number(row?.n ?? 0);
    },
  };
}
