import { sql } from 'kysely';
import { insertOutboxJobs, type OutboxJobInput } from './outbox.js';
import type { StoreContext } from './records.js';
import { execute, first } from './sql.js';
import type { IdentityRecord } from './types.js';

/** What redeeming a sign-in code came to. */
export type SignInRedemption =
  | { status: 'signed_in'; identity: IdentityRecord }
  /** Unknown, used or expired. */
  | { status: 'invalid' }
  /** The code is real but the verifier is not the asking browser's: the code is spent all the same. */
  | { status: 'wrong_browser' };

/**
 * Sign-in by e-mail (docs/decisions/0034): one-time links bound to the browser that asked, and
 * the further tokens a pseudonymous identity gets on each browser it signs in on.
 */
export function signInStore({ db, q, now, identityById }: StoreContext) {
  return {
    /**
     * The pseudonymous identity a confirmed address signs in to (the latest confirmed, should
     * several readers share an address), or null. Addresses compare without regard to case.
     */
    async findSignInIdentity(address: string): Promise<{ identityId: string; language: string; address: string } | null> {
      const row = await first(
        db,
        q
          .selectFrom('reader_emails as e')
          .innerJoin('identities as i', 'i.id', 'e.identity_id')
          .select(['e.identity_id', 'e.language', 'e.address'])
          .where(sql<string>`lower(e.address)`, '=', address.toLowerCase())
          .where('e.confirmed_at', 'is not', null)
          .where('i.kind', '=', 'pseudonymous')
          .orderBy('e.confirmed_at', 'desc')
          .limit(1),
      );
      return row ? { identityId: row.identity_id, language: row.language, address: row.address } : null;
    },

    /**
     * Keeps a new link's code hash and challenge and queues its message in the same
     * transaction; false (nothing kept or queued) when the identity already asked for
     * `perHour` links in the last hour.
     */
    async createSignInLink(input: { identityId: string; codeHash: string; challenge: string; expiresAt: number; perHour: number; message: OutboxJobInput }): Promise<boolean> {
      return db.transaction(async (tx) => {
        const at = now();
        const recent = await first(
          tx,
          q
            .selectFrom('sign_in_links')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('identity_id', '=', input.identityId)
            .where('created_at', '>', at - 3600_000),
        );
        if (Number(recent?.n ?? 0) >= input.perHour) return false;
        await execute(
          tx,
          q.insertInto('sign_in_links').values({ code_hash: input.codeHash, identity_id: input.identityId, challenge: input.challenge, expires_at: input.expiresAt, used_at: null, created_at: at }),
        );
        await insertOutboxJobs(q, tx, [input.message], at);
        return true;
      });
    },

    /**
     * Spends a code (single use, whoever presents it) and, when the challenge matches and the
     * link has not expired, gives the identity a further token (`tokenHash`).
     */
    async redeemSignInLink(codeHash: string, challenge: string, tokenHash: string): Promise<SignInRedemption> {
      return db.transaction(async (tx) => {
        const at = now();
        const row = await first(tx, q.selectFrom('sign_in_links').selectAll().where('code_hash', '=', codeHash));
        if (!row || row.used_at !== null || Number(row.expires_at) < at) return { status: 'invalid' };
        const spent = await execute(tx, q.updateTable('sign_in_links').set({ used_at: at }).where('code_hash', '=', codeHash).where('used_at', 'is', null));
        if (spent === 0) return { status: 'invalid' };
        if (row.challenge !== challenge) return { status: 'wrong_browser' };
        const identity = await identityById(tx, row.identity_id);
        if (!identity) return { status: 'invalid' };
        await execute(tx, q.insertInto('identity_tokens').values({ token_hash: tokenHash, identity_id: row.identity_id, created_at: at }));
        return { status: 'signed_in', identity };
      });
    },

    /** A reader's new screen name (a pseudonymous identity renames itself; a host site names its own). */
    async renameIdentity(id: string, name: string): Promise<IdentityRecord | null> {
      await execute(db, q.updateTable('identities').set({ name }).where('id', '=', id));
      return identityById(db, id);
    },
  };
}

export type SignInStore = ReturnType<typeof signInStore>;
