import { auditWriter } from './audit.js';
import type { StoreContext } from './records.js';
import { execute, first, rows } from './sql.js';
import type { Store, ThreadRecord } from './types.js';

function toThread(row: { key: string; url: string | null; closed: number | string }): ThreadRecord {
  return { key: row.key, url: row.url, closed: Number(row.closed) === 1 };
}

/**
 * What the server keeps about a thread beside its comments: whether it is closed and the page
 * it was seen on. A thread has a row only once an import, a moderator or a widget's post made one.
 */
export function threadStore(context: StoreContext): Pick<Store, 'getThread' | 'getThreads' | 'setThreadClosed' | 'noteThreadUrl'> {
  const { db, q, now } = context;
  const audit = auditWriter(context);
  const select = () => q.selectFrom('threads').select(['key', 'url', 'closed']);
  return {
    async getThread(key) {
      const row = await first(db, select().where('key', '=', key));
      return row ? toThread(row) : { key, url: null, closed: false };
    },

    async getThreads(keys) {
      const found = new Map<string, ThreadRecord>();
      if (keys.length === 0) return found;
      for (const row of await rows(db, select().where('key', 'in', [...new Set(keys)]))) found.set(row.key, toThread(row));
      return found;
    },

    async setThreadClosed({ thread, closed, moderatorId, reason }) {
      return db.transaction(async (tx) => {
        const flag = closed ? 1 : 0;
        await execute(
          tx,
          q
            .insertInto('threads')
            .values({ key: thread, url: null, title: null, closed: flag, created_at: now() })
            .onConflict((oc) => oc.column('key').doUpdateSet({ closed: flag })),
        );
        await audit(tx, {
          commentId: null,
          authorId: null,
          moderatorId,
          action: closed ? 'close-thread' : 'reopen-thread',
          reason,
          detail: { thread },
        });
        return toThread((await first(tx, select().where('key', '=', thread)))!);
      });
    },

    async noteThreadUrl(thread, url) {
      // One statement that changes nothing when the URL kept is the same, so a post costs no write.
      await execute(
        db,
        q
          .insertInto('threads')
          .values({ key: thread, url, title: null, closed: 0, created_at: now() })
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({ url })
              .where((eb) => eb.or([eb('threads.url', 'is', null), eb('threads.url', '<>', url)])),
          ),
      );
    },
  };
}
