import { ColloquyError, type SortOrder } from '@colloquy/core';
import { sql } from 'kysely';
import { auditWriter } from './audit.js';
import { decodeBestCursor, decodeThreadCursor, encodeBestCursor, encodeThreadCursor, type ThreadCursorKey } from './cursor.js';
import { bestWeights, scoreRoots } from './helpful.js';
import { COMMENT_SELECTION, newId, notFound, selectComments, toComment, type CommentRow, type StoreContext } from './records.js';
import { followingStore, roomToFollow } from './following.js';
import { insertOutboxJobs, replyJob } from './outbox.js';
import { execute, first, precompile, rows, type QueryBuilder, type SqlRunner, type SqlValue } from './sql.js';
import type { CommentRecord, CommentTree, CreateCommentInput, Store, StoredStatus } from './types.js';

/**
 * Where a new reply to `parent` goes: under it, or, when the parent is at the deepest level,
 * beside it (under the parent's parent), remembering the comment it answers as `replyToId`.
 * With `maxDepth` 0 replies are not threaded at all and become top-level comments.
 */
export function placeReply(
  parent: { id: string; parentId: string | null; rootId: string; depth: number },
  id: string,
  maxDepth: number,
): { parentId: string | null; replyToId: string | null; rootId: string; depth: number } {
  const capped = parent.depth >= maxDepth;
  const parentId = capped ? parent.parentId : parent.id;
  // Placed elsewhere than under the comment it answers: keep that comment (replyTo).
  const replyToId = capped ? parent.id : null;
  if (parentId === null) return { parentId: null, replyToId, rootId: id, depth: 0 };
  return { parentId, replyToId, rootId: parent.rootId, depth: capped ? parent.depth : parent.depth + 1 };
}

/**
 * Keeps a top-level comment's count of visible comments beneath it, which drives `top` sort and
 * decides whether a hidden or deleted top-level comment stays as a placeholder.
 */
export async function recountRoot(q: QueryBuilder, runner: SqlRunner, rootId: string): Promise<void> {
  await execute(
    runner,
    q
      .updateTable('comments')
      .set((eb) => ({
        visible_replies: eb
          .selectFrom('comments as r')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('r.root_id', '=', rootId)
          .where('r.id', '<>', rootId)
          .where('r.status', '=', 'visible'),
      }))
      .where('id', '=', rootId),
  );
}

export async function setStatus(
  q: QueryBuilder,
  runner: SqlRunner,
  comment: CommentRecord,
  status: StoredStatus,
  hiddenBy: 'reports' | 'moderator' | null,
  spam?: boolean,
): Promise<void> {
  const flag = spam === undefined ? (comment.spam ? 1 : 0) : spam ? 1 : 0;
  await execute(runner, q.updateTable('comments').set({ status, hidden_by: hiddenBy, spam: flag }).where('id', '=', comment.id));
  await recountRoot(q, runner, comment.rootId);
}

/** Pins read for a first page: more than any configured limit (pins past a lowered limit still show). */
const PINS_READ_MAX = 100;

type PageParams = { thread: string; viewer: string; limit: number; k0: SqlValue; k1: SqlValue; k2: SqlValue };

/**
 * One statement per page: the page's top-level comments (keyset-paged, one more than asked to
 * tell whether a next page exists) and every reply beneath them, replies oldest first. Compiled
 * once per sort order and cursor presence. With `sort` 'pinned', the thread's pins instead (a
 * pin shows while its comment is visible), most recently pinned first; the sorted pages leave
 * exactly those out.
 */
/** The top-level comments of a thread the viewer may see (or see as a placeholder). */
function shownRoots(q: QueryBuilder, thread: string, viewer: string) {
  return q
    .selectFrom('comments as c')
    .where('c.thread', '=', thread)
    .where('c.parent_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.status', '=', 'visible'),
        eb('c.visible_replies', '>', 0),
        eb.and([eb('c.status', '=', 'held'), eb('c.author_id', '=', viewer)]),
      ]),
    )
    // The thread's pins list apart (on a first page), never among the sorted comments.
    .where((eb) => eb.or([eb('c.pinned_at', 'is', null), eb('c.status', '<>', 'visible')]));
}

/** Every comment of the trees of some top-level comments, oldest first. */
function treesQuery(q: QueryBuilder, rootIds: string[]) {
  return selectComments(q).where('c.root_id', 'in', rootIds).orderBy('c.created_at', 'asc').orderBy('c.id', 'asc');
}

function pageQuery(q: QueryBuilder, sort: SortOrder | 'pinned', seek: boolean) {
  return precompile<PageParams, CommentRow>(q, (q, slot) => {
    let roots =
      sort === 'pinned'
        ? q
            .selectFrom('comments as c')
            .select('c.id')
            .where('c.thread', '=', slot('thread'))
            .where('c.parent_id', 'is', null)
            .where('c.pinned_at', 'is not', null)
            .where('c.status', '=', 'visible')
            .orderBy('c.pinned_at', 'desc')
            .orderBy('c.id', 'desc')
        : shownRoots(q, slot('thread'), slot('viewer')).select('c.id');
    // Row values, so both databases seek straight to the cursor in the index.
    if (seek && sort === 'top') {
      roots = roots.where((eb) => eb(eb.refTuple('c.visible_replies', 'c.created_at', 'c.id'), '<', eb.tuple(slot('k0') as number, slot('k1') as number, slot('k2') as string)));
    } else if (seek) {
      roots = roots.where((eb) => eb(eb.refTuple('c.created_at', 'c.id'), sort === 'newest' ? '<' : '>', eb.tuple(slot('k0') as number, slot('k1') as string)));
    }
    if (sort === 'top') roots = roots.orderBy('c.visible_replies', 'desc').orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
    else if (sort === 'newest') roots = roots.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
    else if (sort === 'oldest') roots = roots.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc');
    const page = roots.limit(slot('limit'));
    return q
      .with('page', () => page)
      .selectFrom('comments as c')
      .innerJoin('identities as i', 'i.id', 'c.author_id')
      // The comment each too-deep reply answers (see joinReplyTo).
      .leftJoin('comments as rt', 'rt.id', 'c.reply_to_id')
      .leftJoin('identities as ri', 'ri.id', 'rt.author_id')
      .select(COMMENT_SELECTION)
      .where('c.root_id', 'in', (eb) => eb.selectFrom('page').select('page.id'))
      .orderBy('c.created_at', 'asc')
      .orderBy('c.id', 'asc');
  });
}

/** A row as a tree node, built in place rather than copied. */
function toTree(row: CommentRow): CommentTree {
  const node = toComment(row) as CommentTree;
  node.replies = [];
  return node;
}

/** Orders top-level rows as the page shows them. */
function compareRoots(sort: SortOrder | 'pinned'): (a: CommentRow, b: CommentRow) => number {
  const byTime = (a: CommentRow, b: CommentRow) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (sort === 'pinned') return (a, b) => Number(b.pinned_at) - Number(a.pinned_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  if (sort === 'oldest') return byTime;
  if (sort === 'newest') return (a, b) => byTime(b, a);
  return (a, b) => Number(b.visible_replies) - Number(a.visible_replies) || byTime(b, a);
}

export function commentStore(context: StoreContext, marks: Pick<Store, 'helpfulOf' | 'helpfulSeq'>): Pick<
  Store,
  'createComment' | 'getComment' | 'hasHeldComment' | 'hasIdempotencyKey' | 'listComments' | 'editComment' | 'deleteComment' | 'countVisible' | 'publishedCommentCount'
> {
  const { db, q, now, commentById } = context;
  const audit = auditWriter(context);
  const following = followingStore(context);
  const pages = new Map<string, ReturnType<typeof pageQuery>>();
  const heldQuery = precompile<{ thread: string; author: string }, { held: number }>(q, (q, slot) =>
    q
      .selectFrom('comments')
      .select(sql<number>`1`.as('held'))
      .where('author_id', '=', slot('author'))
      .where('thread', '=', slot('thread'))
      .where('status', '=', 'held')
      .limit(1),
  );
  const closedQuery = precompile<{ thread: string }, { closed: number | string }>(q, (q, slot) =>
    q.selectFrom('threads').select('closed').where('key', '=', slot('thread')),
  );

  // The statements of every post, compiled once.
  const replayQuery = precompile<{ identity: string; key: string }, { request_hash: string; comment_id: string }>(q, (q, slot) =>
    q.selectFrom('idempotency_keys').select(['request_hash', 'comment_id']).where('identity_id', '=', slot('identity')).where('key', '=', slot('key')),
  );
  const claimQuery = precompile<{ identity: string; key: string; hash: string; id: string; at: number }, never>(q, (q, slot) =>
    q
      .insertInto('idempotency_keys')
      .values({ identity_id: slot('identity'), key: slot('key'), request_hash: slot('hash'), comment_id: slot('id'), created_at: slot('at') })
      .onConflict((oc) => oc.columns(['identity_id', 'key']).doNothing()),
  );
  type InsertParams = {
    id: string;
    thread: string;
    parent: string | null;
    replyTo: string | null;
    root: string;
    depth: number;
    author: string;
    body: string;
    html: string;
    status: StoredStatus;
    reasons: string | null;
    at: number;
  };
  const insertQuery = precompile<InsertParams, never>(q, (q, slot) =>
    q.insertInto('comments').values({
      id: slot('id'),
      thread: slot('thread'),
      parent_id: slot('parent'),
      reply_to_id: slot('replyTo'),
      root_id: slot('root'),
      depth: slot('depth'),
      author_id: slot('author'),
      body: slot('body'),
      html: slot('html'),
      status: slot('status'),
      held_reasons: slot('reasons'),
      created_at: slot('at'),
    }),
  );

  async function replay(input: CreateCommentInput, key: string): Promise<{ comment: CommentRecord; replayed: boolean } | null> {
    const row = (await db.query(replayQuery({ identity: input.authorId, key }))).rows[0];
    if (!row) return null;
    if (row.request_hash !== input.requestHash) {
      throw new ColloquyError('idempotency_conflict', 'This Idempotency-Key was already used for a different comment.');
    }
    const comment = await commentById(db, row.comment_id);
    if (!comment) throw notFound();
    return { comment, replayed: true };
  }

  const heldReasons = (input: CreateCommentInput) => (input.heldReasons && input.heldReasons.length > 0 ? JSON.stringify(input.heldReasons) : null);

  /**
   * PostgreSQL, a top-level comment with a key: claiming the key, inserting the comment, following
   * the thread (unless its author turned that off), queueing its notifications job when it is
   * visible and reading it back are one statement, so one round trip and no explicit
   * transaction. Null when the key was already taken.
   */
  async function createTopLevelInOneStatement(input: CreateCommentInput, key: string, id: string): Promise<CommentRecord | null> {
    const at = now();
    const job = replyJob(id, null);
    const query = sql<CommentRow>`WITH claimed AS (
        INSERT INTO idempotency_keys (identity_id, key, request_hash, comment_id, created_at)
        VALUES (${input.authorId}, ${key}, ${input.requestHash}, ${id}, ${at})
        ON CONFLICT (identity_id, key) DO NOTHING RETURNING comment_id
      ), inserted AS (
        INSERT INTO comments (id, thread, parent_id, root_id, depth, author_id, body, html, status, held_reasons, created_at)
        SELECT comment_id, ${input.thread}::text, NULL, comment_id, 0, ${input.authorId}::text, ${input.body}::text, ${input.html}::text,
          ${input.status}::text, ${heldReasons(input)}::text, ${at}::bigint FROM claimed
        RETURNING *
      ), followed AS (
        INSERT INTO thread_subscriptions (identity_id, thread, state, created_at)
        SELECT i.id, ${input.thread}::text, 'following', ${at}::bigint FROM identities i JOIN claimed ON true
        WHERE i.id = ${input.authorId}::text AND i.follow_on_post = 1${roomToFollow(input.maxFollows)}
        ON CONFLICT (identity_id, thread) DO NOTHING
      ), queued AS (
        INSERT INTO outbox (id, kind, dedupe_key, payload, next_attempt_at, created_at)
        SELECT ${newId('o_', at)}::text, ${job.kind}::text, ${job.dedupeKey}::text, ${JSON.stringify(job.payload)}::text, ${at}::bigint, ${at}::bigint
        FROM claimed WHERE ${input.status}::text = 'visible'
        ON CONFLICT DO NOTHING
      )
      SELECT c.*, i.name AS author_name, i.role AS author_role FROM inserted c JOIN identities i ON i.id = c.author_id`;
    const row = (await db.query(query.compile(q))).rows[0];
    return row ? toComment(row) : null;
  }

  /**
   * A page of `best` (decision 0036): every top-level comment the viewer may see, scored as of
   * the cursor's moment (or now, for a first page), ordered by score, then newest; the page's
   * trees are then read in one statement.
   */
  async function bestPage(thread: string, cursor: string | null, limit: number, viewerId: string | null) {
    const key = cursor ? decodeBestCursor(cursor) : null;
    const asOfMs = key ? key[0] : now();
    const asOfSeq = key ? key[1] : await marks.helpfulSeq();
    const candidates = await rows(db, shownRoots(q, thread, viewerId ?? '').select(['c.id', 'c.created_at']));
    const weights = await bestWeights(db, q, thread, asOfSeq);
    const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const order = (a: { score: number; created_at: number | string; id: string }, b: typeof a) =>
      b.score - a.score || Number(b.created_at) - Number(a.created_at) || byId(b.id, a.id);
    let ranked = scoreRoots(candidates, weights, asOfMs).sort(order);
    if (key) {
      const last = { score: key[2], created_at: key[3], id: key[4] };
      ranked = ranked.filter((row) => order(row, last) > 0);
    }
    const page = ranked.slice(0, limit);
    const lastRow = page[page.length - 1];
    const nextCursor =
      ranked.length > limit && lastRow ? encodeBestCursor([asOfMs, asOfSeq, lastRow.score, Number(lastRow.created_at), lastRow.id]) : null;
    const found = page.length === 0 ? [] : await rows(db, treesQuery(q, page.map((row) => row.id)));
    const position = new Map(page.map((row, i) => [row.id, i]));
    const pageRows = found.filter((row) => row.parent_id === null).sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    return { found, pageRows, nextCursor };
  }

  /** Gives every comment of the trees its helpful marks as the viewer sees them. */
  async function attachHelpful(trees: CommentTree[], viewerId: string | null): Promise<void> {
    const all: CommentTree[] = [];
    const walk = (nodes: CommentTree[]) => nodes.forEach((node) => (all.push(node), walk(node.replies)));
    walk(trees);
    const found = await marks.helpfulOf(
      all.map((node) => node.id),
      viewerId,
    );
    for (const node of all) node.helpful = found.get(node.id) ?? { count: 0, mine: false };
  }

  /** One page statement of `sort`, compiled once per sort and cursor presence. */
  async function sortedPage(sort: SortOrder | 'pinned', key: ThreadCursorKey | null, params: PageParams): Promise<CommentRow[]> {
    const variant = `${sort}|${key !== null}`;
    let compiled = pages.get(variant);
    if (!compiled) pages.set(variant, (compiled = pageQuery(q, sort, key !== null)));
    return (await db.query(compiled(params))).rows;
  }

  /** The rows of a page as trees of what the viewer may see, with the cursor after its last root. */
  function assemble(found: CommentRow[], sort: Exclude<SortOrder, 'best'> | 'pinned', limit: number, viewerId: string | null): { comments: CommentTree[]; nextCursor: string | null } {
    const rootRows = found.filter((row) => row.parent_id === null).sort(compareRoots(sort));
    const more = rootRows.length > limit;
    const pageRows = more ? rootRows.slice(0, limit) : rootRows;
    let nextCursor: string | null = null;
    const last = pageRows[pageRows.length - 1];
    if (more && last && sort !== 'pinned') {
      nextCursor = encodeThreadCursor(
        sort,
        sort === 'top' ? [Number(last.visible_replies), Number(last.created_at), last.id] : [Number(last.created_at), last.id],
      );
    }
    return { comments: trees(found, pageRows, viewerId), nextCursor };
  }

  /** The page's top-level rows (in order) with their replies from `found`, as what the viewer may see. */
  function trees(found: CommentRow[], pageRows: CommentRow[], viewerId: string | null): CommentTree[] {
    const roots: CommentTree[] = pageRows.map(toTree);
    if (roots.length === 0) return [];
    const byId = new Map<string, CommentTree>(roots.map((r) => [r.id, r]));
    const replies: CommentTree[] = [];
    for (const row of found) {
      // Replies (oldest first) of the page's roots; the extra root fetched to find `more` is not one.
      if (row.parent_id === null || !byId.has(row.root_id)) continue;
      replies.push(toTree(row));
    }
    for (const node of replies) byId.set(node.id, node);
    for (const node of replies) byId.get(node.parentId!)?.replies.push(node);
    // A comment shows if the reader may see it, or as a placeholder while something under it shows.
    const keep = (node: CommentTree): boolean => {
      node.replies = node.replies.filter(keep);
      const own = node.status === 'visible' || (node.status === 'held' && viewerId !== null && node.author.id === viewerId);
      return own || node.replies.length > 0;
    };
    return roots.filter(keep);
  }

  return {
    async createComment(input) {
      const key = input.idempotencyKey ?? null;
      const id = newId('c_', now());
      if (db.dialect === 'postgres' && key !== null && !input.parentId) {
        const created = await createTopLevelInOneStatement(input, key, id);
        if (created) return { comment: created, replayed: false };
        const winner = await replay(input, key);
        if (!winner) throw new ColloquyError('conflict', 'A concurrent request with this Idempotency-Key did not finish; retry.');
        return winner;
      }

      const earlier = key === null ? null : await replay(input, key);
      if (earlier) return earlier;
      const created = await db.transaction(async (tx) => {
        if (key !== null) {
          // Claiming the key first makes a concurrent duplicate wait for this transaction and
          // then find the key taken, so two racing retries can never both insert.
          const claimed = (await tx.query(claimQuery({ identity: input.authorId, key, hash: input.requestHash, id, at: now() }))).changes;
          if (claimed === 0) return null;
        }
        let parentId: string | null = null;
        let replyToId: string | null = null;
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
          ({ parentId, replyToId, rootId, depth } = placeReply(parent, id, input.maxDepth));
        }
        await tx.query(
          insertQuery({
            id,
            thread: input.thread,
            parent: parentId,
            replyTo: replyToId,
            root: rootId,
            depth,
            author: input.authorId,
            body: input.body,
            html: input.html,
            status: input.status,
            reasons: heldReasons(input),
            at: now(),
          }),
        );
        if (rootId !== id) await recountRoot(q, tx, rootId);
        // Posting follows the thread (unless the author turned that off). A visible comment tells
        // whom it answers and the thread's followers, once, even if the process dies right after.
        await following.followOnPosting(tx, input.authorId, input.thread, input.maxFollows);
        if (input.status === 'visible') await insertOutboxJobs(q, tx, [replyJob(id, input.parentId ?? null)], now());
        return commentById(tx, id);
      });
      if (created) return { comment: created, replayed: false };
      const winner = key === null ? null : await replay(input, key);
      if (!winner) throw new ColloquyError('conflict', 'A concurrent request with this Idempotency-Key did not finish; retry.');
      return winner;
    },

    getComment: (id) => commentById(db, id),

    async hasIdempotencyKey(identityId, key) {
      return (await db.query(replayQuery({ identity: identityId, key }))).rows.length > 0;
    },

    async hasHeldComment(thread, authorId) {
      return (await db.query(heldQuery({ thread, author: authorId }))).rows.length > 0;
    },

    async listComments({ thread, sort, cursor, limit, viewerId = null }) {
      const params = { thread, viewer: viewerId ?? '', k0: null, k1: null, k2: null };
      let page: { comments: CommentTree[]; nextCursor: string | null };
      if (sort === 'best') {
        const best = await bestPage(thread, cursor ?? null, limit, viewerId);
        page = { comments: trees(best.found, best.pageRows, viewerId), nextCursor: best.nextCursor };
      } else {
        const key: ThreadCursorKey | null = cursor ? decodeThreadCursor(sort, cursor) : null;
        const found = await sortedPage(sort, key, { ...params, limit: limit + 1, k0: key?.[0] ?? null, k1: key?.[1] ?? null, k2: key?.[2] ?? null });
        page = assemble(found, sort, limit, viewerId);
      }
      const closed = Number((await db.query(closedQuery({ thread }))).rows[0]?.closed ?? 0) === 1;
      const pinned = cursor ? [] : assemble(await sortedPage('pinned', null, { ...params, limit: PINS_READ_MAX }), 'pinned', PINS_READ_MAX, viewerId).comments;
      await attachHelpful([...page.comments, ...pinned], viewerId);
      return { ...page, closed, pinned };
    },

    async editComment(id, { body, html, hold }, auditBy) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, id);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') throw new ColloquyError('conflict', 'A deleted comment cannot be edited.');
        await execute(tx, q.updateTable('comments').set({ body, html, edited_at: now() }).where('id', '=', id));
        if (hold) {
          // Back to the moderators: readers no longer see it until it is approved again.
          const reasons = hold.length > 0 ? JSON.stringify(hold) : null;
          await execute(tx, q.updateTable('comments').set({ status: 'held', hidden_by: null, held_reasons: reasons }).where('id', '=', id));
          await recountRoot(q, tx, comment.rootId);
        }
        if (auditBy) await audit(tx, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'edit', reason: null });
        return (await commentById(tx, id))!;
      });
    },

    async deleteComment(id, auditBy) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, id);
        if (!comment) throw notFound();
        if (comment.status === 'deleted') return comment;
        await execute(tx, q.updateTable('comments').set({ status: 'deleted', body: '', html: '', edited_at: now() }).where('id', '=', id));
        if (auditBy) await audit(tx, { commentId: id, authorId: comment.author.id, moderatorId: auditBy, action: 'delete', reason: null });
        await recountRoot(q, tx, comment.rootId);
        return (await commentById(tx, id))!;
      });
    },

    async countVisible(threads) {
      const counts: Record<string, number> = {};
      for (const t of threads) counts[t] = 0;
      if (threads.length === 0) return counts;
      const found = await rows(
        db,
        q
          .selectFrom('comments')
          .select(['thread', (eb) => eb.fn.countAll<number>().as('n')])
          .where('status', '=', 'visible')
          .where('thread', 'in', [...threads])
          .groupBy('thread'),
      );
      for (const row of found) counts[row.thread] = Number(row.n);
      return counts;
    },

    async publishedCommentCount(authorId) {
      const row = await first(
        db,
        q.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('author_id', '=', authorId).where('status', '=', 'visible'),
      );
      return Number(row?.n ?? 0);
    },
  };
}
