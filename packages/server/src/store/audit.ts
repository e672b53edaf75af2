import type { ExpressionBuilder } from 'kysely';
import { decodeAuditCursor, encodeAuditCursor } from './cursor.js';
import { newId, selectComments, toAuditEntry, toComment, type StoreContext } from './records.js';
import type { Database } from './schema.js';
import { execute, rows, type SqlRunner } from './sql.js';
import type { AuditAction, AuditEntry, Store } from './types.js';

/** What one audit entry records; see `AuditEntry`. */
export interface AuditInput {
  commentId: string | null;
  authorId: string | null;
  moderatorId: string | null;
  action: AuditAction;
  reason: string | null;
  detail?: Record<string, unknown>;
}

/** Writes one audit entry inside the caller's transaction. */
export function auditWriter({ q, now }: Pick<StoreContext, 'q' | 'now'>): (runner: SqlRunner, entry: AuditInput) => Promise<void> {
  return async (runner, entry) => {
    await execute(
      runner,
      q.insertInto('moderation_log').values({
        id: newId('m_', now()),
        comment_id: entry.commentId,
        author_id: entry.authorId,
        moderator_id: entry.moderatorId,
        action: entry.action,
        reason: entry.reason,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
        created_at: now(),
      }),
    );
  };
}

type AuditScope = ExpressionBuilder<Database & { m: Database['moderation_log'] }, 'm'>;

/** The audit log: every moderator decision and automatic hide, and authors' records built from it. */
export function auditStore({ db, q, identityById }: StoreContext): Pick<Store, 'auditLog' | 'auditEntries' | 'authorHistory'> {
  async function auditRows(where: (eb: AuditScope) => ReturnType<AuditScope['and']>, newestFirst: boolean, limit: number): Promise<AuditEntry[]> {
    const direction = newestFirst ? 'desc' : 'asc';
    const found = await rows(
      db,
      q
        .selectFrom('moderation_log as m')
        .leftJoin('identities as i', 'i.id', 'm.moderator_id')
        .selectAll('m')
        .select(['i.name as moderator_name', 'i.role as moderator_role'])
        .where((eb) => where(eb as unknown as AuditScope))
        .orderBy('m.created_at', direction)
        .orderBy('m.id', direction)
        .limit(limit),
    );
    return found.map(toAuditEntry);
  }

  return {
    auditLog: (commentId) => auditRows((eb) => eb.and([eb('m.comment_id', '=', commentId)]), false, 10_000),

    async auditEntries({ commentId, authorId, moderatorId, cursor, limit }) {
      const seek = cursor ? decodeAuditCursor(cursor) : null;
      const entries = await auditRows(
        (eb) => {
          const clauses = [];
          if (commentId) clauses.push(eb('m.comment_id', '=', commentId));
          if (authorId) clauses.push(eb('m.author_id', '=', authorId));
          if (moderatorId) clauses.push(eb('m.moderator_id', '=', moderatorId));
          if (seek) {
            const [at, id] = seek;
            clauses.push(eb.or([eb('m.created_at', '<', at), eb.and([eb('m.created_at', '=', at), eb('m.id', '<', id)])]));
          }
          return eb.and(clauses);
        },
        true,
        limit + 1,
      );
      const page = entries.slice(0, limit);
      const last = page[page.length - 1];
      return {
        entries: page,
        nextCursor: entries.length > limit && last ? encodeAuditCursor(Date.parse(last.createdAt), last.id) : null,
      };
    },

    async authorHistory(authorId, { comments = 5, actions = 10 } = {}) {
      const identity = await identityById(db, authorId);
      const countRows = await rows(
        db,
        q
          .selectFrom('comments')
          .select(['status', 'spam', (eb) => eb.fn.countAll<number>().as('n')])
          .where('author_id', '=', authorId)
          .groupBy(['status', 'spam']),
      );
      const counts = { visible: 0, held: 0, hidden: 0, deleted: 0, spam: 0 };
      for (const row of countRows) {
        counts[row.status] += Number(row.n);
        if (Number(row.spam) === 1) counts.spam += Number(row.n);
      }
      const recent = await rows(
        db,
        selectComments(q).where('c.author_id', '=', authorId).orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(comments),
      );
      return {
        identity,
        counts,
        recent: recent.map(toComment),
        actions: await auditRows((eb) => eb.and([eb('m.author_id', '=', authorId)]), true, actions),
      };
    },
  };
}
