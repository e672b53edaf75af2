import type { StoreContext } from './records.js';
import type { QueryBuilder, SqlRunner } from './sql.js';
import { first, rows } from './sql.js';
import type { Store } from './types.js';

/** Audit actions that hid a comment: one of them on a comment makes it no longer clean. */
const HIDING_ACTIONS = ['hide', 'spam', 'ban-author', 'auto-hide'] as const;

/**
 * The counted report weight of each comment: open reports only; per reporter network the
 * heaviest (a report without a network is its own); none from a reporter who had reported the
 * comment in an earlier round a moderator closed. One aggregate row per comment.
 */
export async function countedReportWeights(runner: SqlRunner, q: QueryBuilder, commentIds: readonly string[]): Promise<Map<string, number>> {
  const weights = new Map<string, number>();
  if (commentIds.length === 0) return weights;
  const perNetwork = q
    .selectFrom('reports as r')
    .select(['r.comment_id', (eb) => eb.fn.max('r.weight').as('w')])
    .where('r.comment_id', 'in', [...commentIds])
    .where('r.resolved_at', 'is', null)
    .where('r.weight', '>', 0)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('reports as p')
            .select('p.id')
            .whereRef('p.comment_id', '=', 'r.comment_id')
            .whereRef('p.identity_id', '=', 'r.identity_id')
            .where('p.resolved_at', 'is not', null),
        ),
      ),
    )
    .groupBy(['r.comment_id', (eb) => eb.fn.coalesce('r.network', 'r.id')]);
  const totals = await rows(
    runner,
    q
      .selectFrom(perNetwork.as('t'))
      .select(['t.comment_id', (eb) => eb.fn.sum<number | string>('t.w').as('total')])
      .groupBy('t.comment_id'),
  );
  for (const row of totals) weights.set(row.comment_id, Number(row.total));
  return weights;
}

/** What the trust model (src/trust.ts) reads about an identity. */
export function trustStore({ db, q }: StoreContext): Pick<Store, 'cleanCommentCount'> {
  return {
    async cleanCommentCount(authorId, cap) {
      if (cap <= 0) return 0;
      const clean = q
        .selectFrom('comments as c')
        .select('c.id')
        .where('c.author_id', '=', authorId)
        .where('c.status', '=', 'visible')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom('moderation_log as m').select('m.id').whereRef('m.comment_id', '=', 'c.id').where('m.action', 'in', [...HIDING_ACTIONS]),
            ),
          ),
        )
        .limit(cap);
      const row = await first(db, q.selectFrom(clean.as('t')).select((eb) => eb.fn.countAll<number | string>().as('n')));
      return Number(row?.n ?? 0);
    },
  };
}
