import { ColloquyError } from '@colloquy/core';
import { identityById, newId, toIdentity, type StoreContext } from './records.js';
import type { Store } from './types.js';

/** Identities: pseudonymous readers with a token, and host-site accounts by JWT subject. */
export function identityStore({ db, now }: StoreContext): Pick<Store, 'createIdentity' | 'findIdentityByTokenHash' | 'upsertSubjectIdentity' | 'getIdentity' | 'nameIdentity'> {
  return {
    async createIdentity({ name, tokenHash, role = 'reader' }) {
      const id = newId('i_', now());
      const rows = await db.all(
        `INSERT INTO identities (id, kind, token_hash, name, role, created_at) VALUES (?, 'pseudonymous', ?, ?, ?, ?) RETURNING *`,
        [id, tokenHash, name, role, now()],
      );
      return toIdentity(rows[0]!);
    },

    async findIdentityByTokenHash(tokenHash) {
      const rows = await db.all(`SELECT * FROM identities WHERE token_hash = ?`, [tokenHash]);
      return rows[0] ? toIdentity(rows[0]) : null;
    },

    async upsertSubjectIdentity({ subject, name, role }) {
      const existing = await db.all(`SELECT * FROM identities WHERE subject = ?`, [subject]);
      const row = existing[0];
      // A token without a name keeps the name the identity already has (set by an earlier token or by the reader).
      if (row && (name === null || row.name === name) && row.role === role) return toIdentity(row);
      const rows = await db.all(
        `INSERT INTO identities (id, kind, subject, name, role, created_at) VALUES (?, 'jwt', ?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET name = COALESCE(excluded.name, identities.name), role = excluded.role RETURNING *`,
        [newId('i_', now()), subject, name, role, now()],
      );
      return toIdentity(rows[0]!);
    },

    getIdentity: (id) => identityById(db, id),

    async nameIdentity(id, name) {
      const changed = await db.run(`UPDATE identities SET name = ? WHERE id = ? AND name IS NULL`, [name, id]);
      const identity = await identityById(db, id);
      if (!identity) throw new ColloquyError('not_found', 'No identity has that id.');
      if (changed === 0) throw new ColloquyError('conflict', 'This identity already has a screen name.');
      return identity;
    },
  };
}
