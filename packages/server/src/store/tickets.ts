import { toIdentity, type StoreContext } from './records.js';
import type { Store } from './types.js';

/** Short-lived tickets that open the moderators' event stream. */
export function ticketStore({ db, now }: StoreContext): Pick<Store, 'createStreamTicket' | 'identityByStreamTicket'> {
  return {
    async createStreamTicket(ticketHash, identityId, expiresAt) {
      await db.run(`INSERT INTO stream_tickets (ticket_hash, identity_id, expires_at) VALUES (?, ?, ?)`, [ticketHash, identityId, expiresAt]);
    },

    async identityByStreamTicket(ticketHash) {
      const rows = await db.all(
        `SELECT i.* FROM stream_tickets t JOIN identities i ON i.id = t.identity_id WHERE t.ticket_hash = ? AND t.expires_at > ?`,
        [ticketHash, now()],
      );
      return rows[0] ? toIdentity(rows[0]) : null;
    },
  };
}
