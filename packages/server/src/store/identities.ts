import { ColloquyError } from '@colloquy/core';
import { newId, toIdentity, type StoreContext } from './records.js';
import { execute, first, rows } from './sql.js';
import type { Store } from './types.js';

/** Identities: pseudonymous readers with a token, and host-site accounts by JWT subject. */
export function identityStore({ db, q, now, identityById }: StoreContext): Pick<
  Store,
  'createIdentity' | 'findIdentityByTokenHash' | 'upsertSubjectIdentity' | 'getIdentity' | 'nameIdentity' | 'listBadgeHolderNames'
> {
  return {
    async createIdentity({ name, tokenHash, role = 'reader' }) {
      const row = await first(
        db,
        q
          .insertInto('identities')
          .values({ id: newId('i_', now()), kind: 'pseudonymous', token_hash: tokenHash, name, role, created_at: now() })
          .returningAll(),
      );
      return toIdentity(row!, now());
    },

    async findIdentityByTokenHash(tokenHash) {
      const row = await first(db, q.selectFrom('identities').selectAll().where('token_hash', '=', tokenHash));
      if (row) return toIdentity(row, now());
      // A token given on another browser by signing in with an e-mail link (migration 14).
      const other = await first(db, q.selectFrom('identity_tokens as t').innerJoin('identities as i', 'i.id', 't.identity_id').selectAll('i').where('t.token_hash', '=', tokenHash));
      return other ? toIdentity(other, now()) : null;
    },

    async upsertSubjectIdentity({ subject, name, role }) {
      const row = await first(db, q.selectFrom('identities').selectAll().where('subject', '=', subject));
      // A token without a name keeps the name the identity already has (set by an earlier token or by the reader).
      if (row && (name === null || row.name === name) && row.role === role) return toIdentity(row, now());
      const upserted = await first(
        db,
        q
          .insertInto('identities')
          .values({ id: newId('i_', now()), kind: 'jwt', subject, name, role, created_at: now() })
          .onConflict((oc) =>
            oc.column('subject').doUpdateSet((eb) => ({
              name: eb.fn.coalesce('excluded.name', 'identities.name'),
              role: eb.ref('excluded.role'),
            })),
          )
          .returningAll(),
      );
      return toIdentity(upserted!, now());
    },

    getIdentity: (id) => identityById(db, id),

    async nameIdentity(id, name) {
      const changed = await execute(db, q.updateTable('identities').set({ name }).where('id', '=', id).where('name', 'is', null));
      const identity = await identityById(db, id);
      if (!identity) throw new ColloquyError('not_found', 'No identity has that id.');
      if (changed === 0) throw new ColloquyError('conflict', 'This identity already has a screen name.');
      return identity;
    },

    async listBadgeHolderNames() {
      // Served by the partial index identities_badge_holders (migration 7): readers are never read.
      const found = await rows(db, q.selectFrom('identities').select(['id', 'name']).where('role', '<>', 'reader').where('name', 'is not', null));
      return found.map(({ id, name }) => ({ id, name: name! }));
    },
  };
}
