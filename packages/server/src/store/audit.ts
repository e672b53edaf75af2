import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Role } from '@colloquy/core';
import { decodeAuditCursor, encodeAuditCursor } from './cursor.js';
import { containsPattern, iso, newId, notFound, selectComments, toAuditEntry, toComment, toIdentity, type StoreContext } from './records.js';
import type { AuthorNotesTable, Database } from './schema.js';
import { execute, rows, type SqlRunner } from './sql.js';
import type { AuditAction, AuditEntry, AuthorHistory, AuthorNote, CommentRecord, Store } from './types.js';

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

/**
 * Numbers rows per author, newest first, for "the newest N of each author" in one query:
 * `rank` 1 is each author's newest row of the table aliased `alias`.
 */
function rankPerAuthor(alias: 'c' | 'm' | 'n') {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<number>`row_number() over (partition by ${column('author_id')} order by ${column('created_at')} desc, ${column('id')} desc)`.as('rank');
}

type AuditScope = ExpressionBuilder<Database & { m: Database['moderation_log'] }, 'm'>;

/** The audit log: every moderator decision and automatic hide, and authors' records built from it. */
/** Groups rows by a key, keeping their order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

type NoteRow = Selectable<AuthorNotesTable> & { moderator_name: string | null; moderator_role: Role | null };

function toNote(row: NoteRow): AuthorNote {
  return {
    id: row.id,
    authorId: row.author_id,
    body: row.body,
    createdAt: iso(Number(row.created_at)),
    moderator:
      row.moderator_id === null || row.moderator_role === null
        ? null
        : { id: row.moderator_id, name: row.moderator_name ?? null, role: row.moderator_role },
  };
}

export function auditStore({ db, q, now }: StoreContext): Pick<
  Store,
  'auditLog' | 'auditLogs' | 'auditEntries' | 'authorHistory' | 'authorHistories' | 'addAuthorNote' | 'deleteAuthorNote'
> {
  const selectNotes = () =>
    q
      .selectFrom('author_notes as n')
      .leftJoin('identities as w', 'w.id', 'n.moderator_id')
      .selectAll('n')
      .select(['w.name as moderator_name', 'w.role as moderator_role']);

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

  /*
   * Every author of a queue page at once, in four queries whatever the number of authors:
   * identities, counts by status, and the newest comments and audit entries of each author,
   * numbered per author by a window function and cut at the wanted size.
   */
const authorHistories: Store['authorHistories'] = async (authorIds, { comments = 5, actions = 10, notes = 20 } = {}) => {
    const ids = [...new Set(authorIds)];
    const histories = new Map<string, AuthorHistory>();
    if (ids.length === 0) return histories;
    const identities = await rows(db, q.selectFrom('identities').select(['id', 'kind', 'name', 'role', 'banned', 'banned_until', 'created_at']).where('id', 'in', ids));
    const countRows = await rows(
      db,
      q
        .selectFrom('comments')
        .select(['author_id', 'status', 'spam', (eb) => eb.fn.countAll<number>().as('n')])
        .where('author_id', 'in', ids)
        .groupBy(['author_id', 'status', 'spam']),
    );
    const recentRows = await rows(
      db,
      q
        .selectFrom(
          selectComments(q)
            .select(rankPerAuthor('c'))
            .where('c.author_id', 'in', ids)
            .as('ranked'),
        )
        .selectAll()
        .where('ranked.rank', '<=', comments)
        .orderBy('ranked.created_at', 'desc')
        .orderBy('ranked.id', 'desc'),
    );
    const actionRows = await rows(
      db,
      q
        .selectFrom(
          q
            .selectFrom('moderation_log as m')
            .leftJoin('identities as i', 'i.id', 'm.moderator_id')
            .selectAll('m')
            .select(['i.name as moderator_name', 'i.role as moderator_role'])
            .select(rankPerAuthor('m'))
            .where('m.author_id', 'in', ids)
            .as('ranked'),
        )
        .selectAll()
        .where('ranked.rank', '<=', actions)
        .orderBy('ranked.created_at', 'desc')
        .orderBy('ranked.id', 'desc'),
    );
    const noteRows = await rows(
      db,
      q
        .selectFrom(
          selectNotes()
            .select(rankPerAuthor('n'))
            .where('n.author_id', 'in', ids)
            .as('ranked'),
        )
        .selectAll()
        .where('ranked.rank', '<=', notes)
        .orderBy('ranked.created_at', 'desc')
        .orderBy('ranked.id', 'desc'),
    );
    const notesOf = groupBy(noteRows.map(toNote), (note) => note.authorId);
    const identityOf = new Map(identities.map((row) => [row.id, toIdentity(row, now())]));
    const recentOf = groupBy(recentRows.map(toComment), (c: CommentRecord) => c.author.id);
    const actionsOf = groupBy(actionRows.map(toAuditEntry), (a: AuditEntry) => a.authorId ?? '');
    for (const id of ids) histories.set(id, { identity: identityOf.get(id) ?? null, counts: { visible: 0, held: 0, hidden: 0, deleted: 0, spam: 0 }, recent: recentOf.get(id) ?? [], actions: actionsOf.get(id) ?? [], notes: notesOf.get(id) ?? [] });
    for (const row of countRows) {
      const counts = histories.get(row.author_id)!.counts;
      counts[row.status] += Number(row.n);
      if (Number(row.spam) === 1) counts.spam += Number(row.n);
    }
    return histories;
  };

  return {
    auditLog: (commentId) => auditRows((eb) => eb.and([eb('m.comment_id', '=', commentId)]), false, 10_000),

    async auditLogs(commentIds) {
      const ids = [...new Set(commentIds)];
      if (ids.length === 0) return new Map();
      const entries = await auditRows((eb) => eb.and([eb('m.comment_id', 'in', ids)]), false, 10_000 * ids.length);
      return groupBy(entries, (entry) => entry.commentId ?? '');
    },

    async auditEntries({ commentId, authorId, moderatorId, text, thread, cursor, limit }) {
      const seek = cursor ? decodeAuditCursor(cursor) : null;
      const entries = await auditRows(
        (eb) => {
          const clauses = [];
          if (commentId) clauses.push(eb('m.comment_id', '=', commentId));
          if (authorId) clauses.push(eb('m.author_id', '=', authorId));
          if (moderatorId) clauses.push(eb('m.moderator_id', '=', moderatorId));
          if (thread) clauses.push(eb('m.comment_id', 'in', eb.selectFrom('comments as t').select('t.id').where('t.thread', '=', thread)));
          if (text) {
            const pattern = containsPattern(text);
            clauses.push(
              eb.or([
                sql<boolean>`lower(m.reason) like ${pattern} escape '\\'`,
                eb('m.comment_id', 'in', eb.selectFrom('comments as t').select('t.id').where(sql<boolean>`lower(t.body) like ${pattern} escape '\\'`)),
                eb('m.author_id', 'in', eb.selectFrom('identities as n').select('n.id').where(sql<boolean>`lower(n.name) like ${pattern} escape '\\'`)),
              ]),
            );
          }
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

    authorHistories,

    async addAuthorNote({ authorId, moderatorId, body }) {
      const author = await rows(db, q.selectFrom('identities').select('id').where('id', '=', authorId));
      if (author.length === 0) throw notFound();
      const at = now();
      const id = newId('n_', at);
      await execute(db, q.insertInto('author_notes').values({ id, author_id: authorId, moderator_id: moderatorId, body, created_at: at }));
      return toNote((await rows(db, selectNotes().where('n.id', '=', id)))[0]!);
    },

    async deleteAuthorNote(id) {
      const [row] = await rows(db, selectNotes().where('n.id', '=', id));
      if (!row) throw notFound();
      await execute(db, q.deleteFrom('author_notes').where('id', '=', id));
      return toNote(row);
    },

    async authorHistory(authorId, sizes) {
      return (await authorHistories([authorId], sizes)).get(authorId)!;
    },
  };
}
