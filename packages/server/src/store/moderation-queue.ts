import { ColloquyError, type ReportReason } from '@colloquy/core';
import { sql, type ExpressionBuilder } from 'kysely';
import { auditWriter } from './audit.js';
import { banDetail, identityBanner } from './bans.js';
import { setStatus } from './comments.js';
import { decodeQueueCursor, encodeQueueCursor } from './cursor.js';
import { containsPattern, iso, newId, notFound, selectComments, toComment, type StoreContext } from './records.js';
import type { Database } from './schema.js';
import { insertOutboxJobs, replyJob } from './outbox.js';
import { execute, first, rows } from './sql.js';
import { countedReportWeights } from './trust.js';
import { QUEUE_PAGE_MAX, type ChangeEvent, type CommentRecord, type ModerationSearch, type QueueStatus, type Store } from './types.js';

type CommentScope = ExpressionBuilder<Database & { c: Database['comments'] }, 'c'>;

/** Which comments a moderation queue holds. */
function inQueue(status: QueueStatus) {
  return (eb: CommentScope) => {
    // Every published comment, reported or not: where a moderator finds one to pin or hide.
    if (status === 'visible') return eb('c.status', '=', 'visible');
    if (status === 'reported') {
      return eb.and([
        eb('c.status', '<>', 'deleted'),
        eb.exists(eb.selectFrom('reports as r').select('r.id').whereRef('r.comment_id', '=', 'c.id').where('r.resolved_at', 'is', null)),
      ]);
    }
    if (status === 'held') return eb('c.status', '=', 'held');
    return eb.and([eb('c.status', '=', 'hidden'), eb('c.hidden_by', '=', 'moderator')]);
  };
}

/** The queue's search filters (ModerationSearch) as a condition on the comment `c`. */
function matchesSearch({ text, thread, authorId }: ModerationSearch) {
  return (eb: CommentScope) => {
    const clauses = [];
    if (thread) clauses.push(eb('c.thread', '=', thread));
    if (authorId) clauses.push(eb('c.author_id', '=', authorId));
    if (text) {
      const pattern = containsPattern(text);
      clauses.push(
        eb.or([
          sql<boolean>`lower(c.body) like ${pattern} escape '\\'`,
          eb('c.author_id', 'in', eb.selectFrom('identities as n').select('n.id').where(sql<boolean>`lower(n.name) like ${pattern} escape '\\'`)),
        ]),
      );
    }
    return eb.and(clauses);
  };
}

/** Reports, the moderation queues they fill, and moderators' decisions on queued comments. */
export function moderationQueueStore(context: StoreContext): Pick<Store, 'reportComment' | 'moderationQueue' | 'moderate'> {
  const { db, q, now, commentById, identityById } = context;
  const audit = auditWriter(context);
  const banIdentity = identityBanner(context);
  return {
    async reportComment({ commentId, identityId, reason, details, weight, network = null, threshold, shieldedRoles = [] }) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, commentId);
        if (!comment || comment.status === 'deleted') throw notFound();
        const at = now();
        const reportId = newId('r_', at);
        const inserted = await execute(
          tx,
          q
            .insertInto('reports')
            .values({ id: reportId, comment_id: commentId, identity_id: identityId, reason, details, weight, network, created_at: at })
            .onConflict((oc) => oc.columns(['comment_id', 'identity_id']).where('resolved_at', 'is', null).doNothing()),
        );
        if (inserted === 0) throw new ColloquyError('already_reported', 'You have already reported this comment.');
        const reporter = await identityById(tx, identityId);
        const reportWeight = (await countedReportWeights(tx, q, [commentId])).get(commentId) ?? 0;
        let hidden: CommentRecord | null = null;
        if (comment.status === 'visible' && reportWeight >= threshold && !shieldedRoles.includes(comment.author.role)) {
          await setStatus(q, tx, comment, 'hidden', 'reports');
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

    async moderationQueue(status, { cursor = null, limit = QUEUE_PAGE_MAX, search = {} } = {}) {
      const queued = inQueue(status);
      const matches = matchesSearch(search);
      const where = (eb: CommentScope) => eb.and([queued(eb), matches(eb)]);
      const seek = cursor ? decodeQueueCursor(status, cursor) : null;
      // The queues awaiting a decision are worked through oldest first; the published comments
      // are looked through for a recent one (a staff answer to pin), so newest first.
      const direction = status === 'visible' ? 'desc' : 'asc';
      let page = selectComments(q).where(where);
      if (seek) page = page.where((eb) => eb(eb.refTuple('c.created_at', 'c.id'), direction === 'asc' ? '>' : '<', eb.tuple(seek[0], seek[1])));
      const found = await rows(db, page.orderBy('c.created_at', direction).orderBy('c.id', direction).limit(limit + 1));
      const count = await first(db, q.selectFrom('comments as c').select((eb) => eb.fn.countAll<number>().as('n')).where(where));
      const total = Number(count?.n ?? 0);
      const last = found[limit - 1];
      const nextCursor = found.length > limit && last ? encodeQueueCursor(status, [Number(last.created_at), last.id]) : null;
      const comments = found.slice(0, limit).map(toComment);
      if (comments.length === 0) return { items: [], nextCursor, total };
      const ids = comments.map((c) => c.id);
      const reportRows = await rows(
        db,
        q
          .selectFrom('reports as r')
          .innerJoin('identities as i', 'i.id', 'r.identity_id')
          .selectAll('r')
          .select(['i.name as reporter_name', 'i.role as reporter_role'])
          .where('r.comment_id', 'in', ids)
          .where('r.resolved_at', 'is', null)
          .orderBy('r.created_at', 'asc'),
      );
      const counted = await countedReportWeights(db, q, ids);
      // The comment each one answers: its parent, or the comment a reply past the depth cap answers.
      const answered = (c: CommentRecord) => c.replyTo?.id ?? c.parentId;
      const parentIds = [...new Set(comments.map(answered).filter((p): p is string => p !== null))];
      const parents = new Map<string, CommentRecord>();
      if (parentIds.length > 0) {
        for (const row of await rows(db, selectComments(q).where('c.id', 'in', parentIds))) parents.set(row.id, toComment(row));
      }
      const items = comments.map((comment) => {
        const reports = reportRows
          .filter((r) => r.comment_id === comment.id)
          .map((r) => ({
            id: r.id,
            commentId: comment.id,
            reason: r.reason as ReportReason,
            details: r.details ?? null,
            weight: Number(r.weight),
            createdAt: iso(Number(r.created_at)),
            reporter: { id: r.identity_id, name: r.reporter_name ?? null, role: r.reporter_role },
          }));
        return {
          comment,
          reports,
          parent: answered(comment) === null ? null : (parents.get(answered(comment)!) ?? null),
          reportWeight: counted.get(comment.id) ?? 0,
        };
      });
      return { items, nextCursor, total };
    },

    async moderate({ commentId, moderatorId, action, reason, banUntil = null }) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, commentId);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') throw new ColloquyError('conflict', 'The comment was deleted by its author.');
        const before = comment.status;
        let event: ChangeEvent | null = null;
        let alsoHidden: CommentRecord[] = [];
        switch (action) {
          case 'approve':
          case 'restore':
            await setStatus(q, tx, comment, 'visible', null, action === 'restore' ? false : undefined);
            if (before === 'held') {
              event = 'created';
              // A held comment notifies nobody (whom it answers, the thread's followers) until now.
              await insertOutboxJobs(q, tx, [replyJob(comment.id, comment.replyTo?.id ?? comment.parentId)], now());
            }
            else if (before === 'hidden') event = 'restored';
            break;
          case 'hide':
          case 'spam':
          case 'ban-author':
            await setStatus(q, tx, comment, 'hidden', 'moderator', action === 'spam' ? true : undefined);
            if (before === 'visible') event = 'hidden';
            if (action === 'ban-author') alsoHidden = await banIdentity(tx, comment.author.id, banUntil, commentId);
            break;
          case 'unban-author':
            // Lifts the ban only; the comment stays as it is.
            await execute(tx, q.updateTable('identities').set({ banned: 0, banned_until: null }).where('id', '=', comment.author.id));
            break;
        }
        // Every decision on the comment closes its open reports: they have been reviewed, and
        // later reports start a new round.
        if (action !== 'unban-author') {
          await execute(tx, q.updateTable('reports').set({ resolved_at: now() }).where('comment_id', '=', commentId).where('resolved_at', 'is', null));
        }
        const detail = action === 'ban-author' ? banDetail(banUntil, alsoHidden) : undefined;
        await audit(tx, { commentId, authorId: comment.author.id, moderatorId, action, reason, ...(detail ? { detail } : {}) });
        return { comment: (await commentById(tx, commentId))!, event, alsoHidden };
      });
    },
  };
}
