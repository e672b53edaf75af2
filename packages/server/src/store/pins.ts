import { ColloquyError } from '@colloquy/core';
import { auditWriter } from './audit.js';
import { notFound, type StoreContext } from './records.js';
import { execute, first } from './sql.js';
import type { Store } from './types.js';

/**
 * Pinned comments: a moderator's choice of up to `maxPins` visible top-level comments a thread
 * shows first. A pin shows while its comment is visible; hiding keeps it, deleting drops it.
 */
export function pinStore(context: StoreContext): Pick<Store, 'setPinned'> {
  const { db, q, now, commentById } = context;
  const audit = auditWriter(context);
  return {
    async setPinned({ commentId, pinned, moderatorId, reason, maxPins }) {
      return db.transaction(async (tx) => {
        const comment = await commentById(tx, commentId);
        if (!comment) throw notFound();
        const shown = comment.pinnedAt !== null && comment.status === 'visible';
        if (pinned ? shown : comment.pinnedAt === null) return comment;
        if (pinned) {
          if (comment.parentId !== null) throw new ColloquyError('conflict', 'Only a top-level comment can be pinned.');
          if (comment.status !== 'visible') throw new ColloquyError('conflict', 'Only a visible comment can be pinned.');
          // Touching the thread's row first makes two moderators pinning in one thread take turns
          // (PostgreSQL locks the row; SQLite has one writer), so the limit holds under races.
          await execute(
            tx,
            q
              .insertInto('threads')
              .values({ key: comment.thread, url: null, title: null, closed: 0, created_at: now() })
              .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ closed: eb.ref('threads.closed') }))),
          );
          const count = await first(
            tx,
            q
              .selectFrom('comments')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('thread', '=', comment.thread)
              .where('parent_id', 'is', null)
              .where('pinned_at', 'is not', null)
              .where('status', '=', 'visible'),
          );
          if (Number(count?.n ?? 0) >= maxPins) {
            throw new ColloquyError('pin_limit', `This thread already has ${maxPins} pinned comments: unpin one first.`);
          }
        }
        await execute(tx, q.updateTable('comments').set({ pinned_at: pinned ? now() : null }).where('id', '=', commentId));
        await audit(tx, {
          commentId,
          authorId: comment.author.id,
          moderatorId,
          action: pinned ? 'pin' : 'unpin',
          reason,
          detail: { thread: comment.thread },
        });
        return (await commentById(tx, commentId))!;
      });
    },
  };
}
