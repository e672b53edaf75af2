import { ColloquyError } from '@colloquy/core';
import { auditWriter } from './audit.js';
import { newId, toIdentity, toIpBan, type StoreContext } from './records.js';
import { execute, first, rows } from './sql.js';
import type { Store } from './types.js';

/** Banned identities and banned IP ranges; every change is audited. */
export function banStore(context: StoreContext): Pick<Store, 'listBannedIdentities' | 'setIdentityBan' | 'listIpBans' | 'addIpBan' | 'removeIpBan'> {
  const { db, q, now, identityById } = context;
  const audit = auditWriter(context);
  const banById = (id: string) => q.selectFrom('ip_bans').selectAll().where('id', '=', id);
  return {
    async listBannedIdentities() {
      const banned = await rows(db, q.selectFrom('identities').selectAll().where('banned', '=', 1).orderBy('created_at', 'desc').orderBy('id', 'desc'));
      return banned.map(toIdentity);
    },

    async setIdentityBan({ identityId, banned, moderatorId, reason }) {
      return db.transaction(async (tx) => {
        if (!(await identityById(tx, identityId))) throw new ColloquyError('not_found', 'No identity has that id.');
        await execute(tx, q.updateTable('identities').set({ banned: banned ? 1 : 0 }).where('id', '=', identityId));
        await audit(tx, { commentId: null, authorId: identityId, moderatorId, action: banned ? 'ban-author' : 'unban-author', reason });
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
