import type { StoreContext } from './records.js';
import type { Store } from './types.js';

/** What the spam filter reads about authors, and its learned model. */
export function spamModelStore({ db, now }: StoreContext): Pick<Store, 'authorActivity' | 'loadSpamModel' | 'saveSpamModel'> {
  return {
    async authorActivity(authorId, recent = 20) {
      const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE author_id = ?`, [authorId]);
      const rows = await db.all<{ body: string; thread: string; created_at: number }>(
        `SELECT body, thread, created_at FROM comments WHERE author_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
        [authorId, recent],
      );
      return {
        commentCount: Number(count?.n ?? 0),
        recent: rows.map((r) => ({ body: r.body, thread: r.thread, createdAt: Number(r.created_at) })),
      };
    },

    async loadSpamModel() {
      const rows = await db.all<{ model: string }>(`SELECT model FROM spam_model WHERE id = 1`);
      return rows[0]?.model ?? null;
    },

    async saveSpamModel(model) {
      await db.run(
        `INSERT INTO spam_model (id, model, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at`,
        [model, now()],
      );
    },
  };
}
