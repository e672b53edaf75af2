import { toIdentity, type StoreContext } from './records.js';
import { execute, first } from './sql.js';
import type { Store } from './types.js';

/** Short-lived tickets that open the moderators' event stream. */
export function ticketStore({ db, q, now }: StoreContext): Pick<Store, 'createStreamTicket' | 'identityByStreamTicket'> {
  return {
    async createStreamTicket(ticketHash, identityId, expiresAt) {
      await execute(db, q.insertInto('stream_tickets').values({ ticket_hash: ticketHash, identity_id: identityId, expires_at: expiresAt }));
    },

    async identityByStreamTicket(ticketHash) {
      const row = await first(
        db,
        q
          .selectFrom('stream_tickets as t')
          .innerJoin('identities as i', 'i.id', 't.identity_id')
          .selectAll('i')
          .where('t.ticket_hash', '=', ticketHash)
          .where('t.expires_at', '>', now()),
      );
      return row ? toIdentity(row, now()) : null;
    },
  };
}
