import { ColloquyError, bestScore } from '@colloquy/core';
import { sql } from 'kysely';
import { newId, type StoreContext } from './records.js';
import { first, rows, type QueryBuilder, type SqlRunner } from './sql.js';
import type { Store } from './types.js';

/**
 * Helpful marks (decision 0036): one open mark per identity per comment. Every change takes the
 * next number of one write sequence (`counters`), held until its transaction commits, and a mark
 * taken back keeps its row with the number of that change: a `best` listing ranks every page by
 * the marks that stood at its first page's number, whatever readers mark meanwhile.
 */

/** The next number of the marks' write sequence; the row stays locked until the transaction ends. */
async function nextSeq(q: QueryBuilder, tx: SqlRunner): Promise<number> {
  const row = await first(
    tx,
    q
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'helpful')
      .returning('value'),
  );
  if (!row) throw new ColloquyError('server_error', 'The helpful-mark sequence is missing (migration 16).');
  return Number(row.value);
}

/** The top-level comments' weights from the marks that stood at `asOfSeq`: per reader network the heaviest, as for reports. */
export async function bestWeights(runner: SqlRunner, q: QueryBuilder, thread: string, asOfSeq: number): Promise<Map<string, number>> {
  const found = await rows(
    runner,
    q
      .selectFrom('helpful_marks')
      .select(['comment_id', 'id', 'network', 'weight'])
      .where('thread', '=', thread)
      .whereRef('comment_id', '=', 'root_id')
      .where('weight', '>', 0)
      .where('marked_seq', '<=', asOfSeq)
      .where((eb) => eb.or([eb('unmarked_seq', 'is', null), eb('unmarked_seq', '>', asOfSeq)])),
  );
  const heaviest = new Map<string, number>();
  for (const row of found) {
    const group = `${row.comment_id}\u0000${row.network ?? row.id}`;
    heaviest.set(group, Math.max(heaviest.get(group) ?? 0, Number(row.weight)));
  }
  const weights = new Map<string, number>();
  for (const [group, weight] of heaviest) {
    const id = group.slice(0, group.indexOf('\u0000'));
    weights.set(id, (weights.get(id) ?? 0) + weight);
  }
  return weights;
}

/** Scores for `best` as of (`asOfSeq`, `asOfMs`), for rows of top-level comments. */
export function scoreRoots<R extends { id: string; created_at: number | string }>(
  roots: readonly R[],
  weights: Map<string, number>,
  asOfMs: number,
): (R & { score: number })[] {
  return roots.map((row) => ({ ...row, score: bestScore(weights.get(row.id) ?? 0, Number(row.created_at), asOfMs) }));
}

export function helpfulStore({ db, q, now }: StoreContext): Pick<Store, 'markHelpful' | 'helpfulOf' | 'hasHelpfulMark' | 'helpfulSeq'> {
  const countOpen = (runner: SqlRunner, commentId: string) =>
    first(
      runner,
      q
        .selectFrom('helpful_marks')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('comment_id', '=', commentId)
        .where('unmarked_seq', 'is', null),
    );
  return {
    async markHelpful({ comment, identityId, helpful, weight, network }) {
      return db.transaction(async (tx) => {
        // The number first: a concurrent mark by the same reader waits here, then sees this one's row.
        const seq = await nextSeq(q, tx);
        const open = await first(
          tx,
          q.selectFrom('helpful_marks').select('id').where('comment_id', '=', comment.id).where('identity_id', '=', identityId).where('unmarked_seq', 'is', null),
        );
        let changed = false;
        if (helpful && !open) {
          await tx.query(
            q
              .insertInto('helpful_marks')
              .values({
                id: newId('h_', now()),
                comment_id: comment.id,
                thread: comment.thread,
                root_id: comment.rootId,
                identity_id: identityId,
                weight,
                network,
                marked_seq: seq,
                unmarked_seq: null,
                created_at: now(),
                unmarked_at: null,
              })
              .compile(),
          );
          changed = true;
        } else if (!helpful && open) {
          await tx.query(q.updateTable('helpful_marks').set({ unmarked_seq: seq, unmarked_at: now() }).where('id', '=', open.id).compile());
          changed = true;
        }
        const count = Number((await countOpen(tx, comment.id))?.n ?? 0);
        return { count, mine: helpful, changed };
      });
    },

    async helpfulOf(commentIds, viewerId) {
      const marks = new Map<string, { count: number; mine: boolean }>();
      if (commentIds.length === 0) return marks;
      const found = await rows(
        db,
        q
          .selectFrom('helpful_marks')
          .select([
            'comment_id',
            (eb) => eb.fn.countAll<number | string>().as('n'),
            (eb) => eb.fn.max<number | string>(sql<number>`CASE WHEN identity_id = ${viewerId ?? ''} THEN 1 ELSE 0 END`).as('mine'),
          ])
          .where('comment_id', 'in', [...commentIds])
          .where('unmarked_seq', 'is', null)
          .groupBy('comment_id'),
      );
      for (const row of found) marks.set(row.comment_id, { count: Number(row.n), mine: Number(row.mine) === 1 });
      return marks;
    },

    async hasHelpfulMark(thread, identityId) {
      const row = await first(
        db,
        q
          .selectFrom('helpful_marks')
          .select(sql<number>`1`.as('one'))
          .where('identity_id', '=', identityId)
          .where('thread', '=', thread)
          .where('unmarked_seq', 'is', null)
          .limit(1),
      );
      return row !== undefined;
    },

    async helpfulSeq() {
      const row = await first(db, q.selectFrom('counters').select('value').where('name', '=', 'helpful'));
      return Number(row?.value ?? 0);
    },
  };
}
