import { ColloquyError } from '@colloquy/core';
import { audit } from './audit.js';
import { identityById, newId, toIdentity, toIpBan, type StoreContext } from './records.js';
import type { Store } from './types.js';

/** Banned identities and banned IP ranges; every change is audited. */
export function banStore({ db, now }: StoreContext): Pick<Store, 'listBannedIdentities' | 'setIdentityBan' | 'listIpBans' | 'addIpBan' | 'removeIpBan'> {
  return {
    async listBannedIdentities() {
      const rows = await db.all(`SELECT * FROM identities WHERE banned = 1 ORDER BY created_at DESC, id DESC`);
      return rows.map(toIdentity);
    },

    async setIdentityBan({ identityId, banned, moderatorId, reason }) {
      return db.transaction(async (tx) => {
        if (!(await identityById(tx, identityId))) throw new ColloquyError('not_found', 'No identity has that id.');
        await tx.run(`UPDATE identities SET banned = ? WHERE id = ?`, [banned ? 1 : 0, identityId]);
        await audit(tx, now, { commentId: null, authorId: identityId, moderatorId, action: banned ? 'ban-author' : 'unban-author', reason });
        return (await identityById(tx, identityId))!;
      });
    },

    async listIpBans() {
      const rows = await db.all(`SELECT * FROM ip_bans ORDER BY created_at ASC, id ASC`);
      return rows.map(toIpBan);
    },

    async addIpBan({ cidr, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const id = newId('b_', now());
        const inserted = await tx.run(
          `INSERT INTO ip_bans (id, cidr, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cidr) DO NOTHING`,
          [id, cidr, reason, moderatorId, now()],
        );
        if (inserted === 0) throw new ColloquyError('conflict', `The range ${cidr} is already banned.`);
        await audit(tx, now, { commentId: null, authorId: null, moderatorId, action: 'ban-range', reason, detail: { cidr, banId: id } });
        const rows = await tx.all(`SELECT * FROM ip_bans WHERE id = ?`, [id]);
        return toIpBan(rows[0]!);
      });
    },

    async removeIpBan({ id, reason, moderatorId }) {
      return db.transaction(async (tx) => {
        const rows = await tx.all(`SELECT * FROM ip_bans WHERE id = ?`, [id]);
        if (!rows[0]) throw new ColloquyError('not_found', 'No banned range has that id.');
        const ban = toIpBan(rows[0]);
        await tx.run(`DELETE FROM ip_bans WHERE id = ?`, [id]);
        await audit(tx, now, { commentId: null, authorId: null, moderatorId, action: 'unban-range', reason, detail: { cidr: ban.cidr, banId: id } });
        return ban;
      });
    },
  };
}
