import { ColloquyError } from '@colloquy/core';
import { auditWriter } from './audit.js';
import { iso, newId, selectComments, toComment, toIdentity, toIpBan, type StoreContext } from './records.js';
import { execute, first, rows, type SqlRunner } from './sql.js';
import type { CommentRecord, Store } from './types.js';

/** What the audit log keeps of a ban: when it ends, and the held comments it hid. */
export function banDetail(until: number | null, held: readonly CommentRecord[]): Record<string, unknown> | undefined {
  if (until === null && held.length === 0) return undefined;
  return { ...(until === null ? {} : { until: iso(until) }), ...(held.length === 0 ? {} : { hiddenHeld: held.map((c) => c.id) }) };
}

/**
 * Bans an identity (until `until`, or for good) inside a transaction, and hides the comments of
 * theirs still waiting for approval: nobody should have to decide on them one by one.
 */
export function identityBanner({ q }: Pick<StoreContext, 'q'>) {
  return async (tx: SqlRunner, identityId: string, until: number | null, except: string | null = null): Promise<CommentRecord[]> => {
    await execute(tx, q.updateTable('identities').set({ banned: 1, banned_until: until }).where('id', '=', identityId));
    let held = selectComments(q).where('c.author_id', '=', identityId).where('c.status', '=', 'held');
    if (except) held = held.where('c.id', '<>', except);
    const found = (await rows(tx, held)).map(toComment);
    if (found.length > 0) {
      await execute(
        tx,
        q
          .updateTable('comments')
          .set({ status: 'hidden', hidden_by: 'moderator' })
          .where('id', 'in', found.map((c) => c.id)),
      );
    }
    return found;
  };
}

/** Banned identities and banned IP ranges; every change is audited. */
export function banStore(context: StoreContext): Pick<Store, 'listBannedIdentities' | 'setIdentityBan' | 'listIpBans' | 'addIpBan' | 'removeIpBan'> {
  const { db, q, now, identityById } = context;
  const audit = auditWriter(context);
  const banIdentity = identityBanner(context);
  const banById = (id: string) => q.selectFrom('ip_bans').selectAll().where('id', '=', id);
  return {
    async listBannedIdentities() {
      const at = now();
      const banned = await rows(
        db,
        q
          .selectFrom('identities')
          .selectAll()
          .where('banned', '=', 1)
          .where((eb) => eb.or([eb('banned_until', 'is', null), eb('banned_until', '>', at)]))
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc'),
      );
      return banned.map((row) => toIdentity(row, at));
    },

    async setIdentityBan({ identityId, banned, until = null, moderatorId, reason }) {
      return db.transaction(async (tx) => {
        if (!(await identityById(tx, identityId))) throw new ColloquyError('not_found', 'No identity has that id.');
        if (banned) {
          const held = await banIdentity(tx, identityId, until);
          await audit(tx, { commentId: null, authorId: identityId, moderatorId, action: 'ban-author', reason, detail: banDetail(until, held) });
        } else {
          await execute(tx, q.updateTable('identities').set({ banned: 0, banned_until: null }).where('id', '=', identityId));
          await audit(tx, { commentId: null, authorId: identityId, moderatorId, action: 'unban-author', reason });
        }
        return (await identityById(tx, identityId))!;
      });
    },

    async listIpBans() {
      const bans = await rows(db, q.selectFrom('ip_bans').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc'));
      return bans.map(toIpBan);
    },

    async addIpBan({ cidr, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const id = newId('b_', now());
        const inserted = await execute(
          tx,
          q
            .insertInto('ip_bans')
            .values({ id, cidr, reason, created_by: moderatorId, created_at: now() })
            .onConflict((oc) => oc.column('cidr').doNothing()),
        );
        if (inserted === 0) throw new ColloquyError('conflict', `The range ${cidr} is already banned.`);
        await audit(tx, { commentId: null, authorId: null, moderatorId, action: 'ban-range', reason, detail: { cidr, banId: id } });
        return toIpBan((await first(tx, banById(id)))!);
      });
    },

    async removeIpBan({ id, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const row = await first(tx, banById(id));
        if (!row) throw new ColloquyError('not_found', 'No banned range has that id.');
        const ban = toIpBan(row);
        await execute(tx, q.deleteFrom('ip_bans').where('id', '=', id));
        await audit(tx, { commentId: null, authorId: null, moderatorId, action: 'unban-range', reason, detail: { cidr: ban.cidr, banId: id } });
        return ban;
      });
    },
  };
}
