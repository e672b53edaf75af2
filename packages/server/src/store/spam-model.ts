import type { StoreContext } from './records.js';
import { execute, first, rows } from './sql.js';
import type { Store } from './types.js';

/** What the spam filter reads about authors, and its learned model. */
export function spamModelStore({ db, q, now }: StoreContext): Pick<Store, 'authorActivity' | 'loadSpamModel' | 'saveSpamModel'> {
  return {
    async authorActivity(authorId, recent = 20) {
      const count = await first(db, q.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('author_id', '=', authorId));
      const latest = await rows(
        db,
        q
          .selectFrom('comments')
          .select(['body', 'thread', 'created_at'])
          .where('author_id', '=', authorId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(recent),
      );
      return {
        commentCount: Number(count?.n ?? 0),
        recent: latest.map((r) => ({ body: r.body, thread: r.thread, createdAt: Number(r.created_at) })),
      };
    },

    async loadSpamModel() {
      const row = await first(db, q.selectFrom('spam_model').select('model').where('id', '=', 1));
      return row?.model ?? null;
    },

    async saveSpamModel(model) {
      await execute(
        db,
        q
          .insertInto('spam_model')
          .values({ id: 1, model, updated_at: now() })
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ model: eb.ref('excluded.model'), updated_at: eb.ref('excluded.updated_at') }))),
      );
    },
  };
}
