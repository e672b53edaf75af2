import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { writeWithinCap } from './following.js';
import { insertOutboxJobs, type OutboxJobInput } from './outbox.js';
import { newId, type StoreContext } from './records.js';
import type { LocalMailTable, NotifyMode, ReaderEmailsTable } from './schema.js';
import { execute, first, rows, type SqlRunner } from './sql.js';

/** A reader's e-mail address and what they want sent to it. */
export interface ReaderEmail {
  identityId: string;
  address: string;
  confirmed: boolean;
  language: string;
  notify: NotifyMode;
  lastNotifiedAt: number | null;
}

/** A notification as a message shows it: the reply, who wrote it, where it is. */
export interface NotificationItem {
  id: string;
  commentId: string;
  thread: string;
  /** A reply to the reader, or a comment in a thread they follow. */
  reason: 'reply' | 'following';
  body: string;
  authorName: string | null;
  createdAt: number;
}

export interface LocalMail {
  id: string;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  createdAt: number;
}

const toReaderEmail = (row: Selectable<ReaderEmailsTable>): ReaderEmail => ({
  identityId: row.identity_id,
  address: row.address,
  confirmed: row.confirmed_at !== null,
  language: row.language,
  notify: row.notify,
  lastNotifiedAt: row.last_notified_at === null ? null : Number(row.last_notified_at),
});

const toLocalMail = (row: Selectable<LocalMailTable>): LocalMail => ({
  id: row.id,
  messageId: row.message_id,
  to: row.to_address,
  subject: row.subject,
  text: row.text,
  html: row.html,
  headers: JSON.parse(row.headers),
  createdAt: Number(row.created_at),
});

/**
 * Readers' addresses (double opt-in), their notification settings, muted threads, the
 * notifications themselves, and the local mailbox used when no SMTP server is configured.
 */
export function readerMailStore(context: StoreContext) {
  const { db, q, now } = context;
  const emailOf = (runner: SqlRunner, identityId: string) =>
    first(runner, q.selectFrom('reader_emails').selectAll().where('identity_id', '=', identityId));

  return {
    getReaderEmail: async (identityId: string) => {
      const row = await emailOf(db, identityId);
      return row ? toReaderEmail(row) : null;
    },

    /**
     * Sets the reader's address. A new address is unconfirmed, with a confirmation token whose
     * message `confirmation(email)` builds, queued in the same transaction. The address already
     * confirmed stays confirmed and queues nothing.
     */
    async setReaderEmail(input: {
      identityId: string;
      address: string;
      language: string;
      tokenHash: string;
      expiresAt: number;
      confirmation: (email: ReaderEmail) => OutboxJobInput;
    }): Promise<{ email: ReaderEmail; queued: boolean }> {
      return db.transaction(async (tx) => {
        const at = now();
        const existing = await emailOf(tx, input.identityId);
        if (existing && existing.confirmed_at !== null && existing.address === input.address) {
          return { email: toReaderEmail(existing), queued: false };
        }
        const values = {
          address: input.address,
          confirmed_at: null,
          confirm_token_hash: input.tokenHash,
          confirm_expires_at: input.expiresAt,
          language: input.language,
          updated_at: at,
        };
        if (existing) await execute(tx, q.updateTable('reader_emails').set(values).where('identity_id', '=', input.identityId));
        else await execute(tx, q.insertInto('reader_emails').values({ ...values, identity_id: input.identityId, last_notified_at: null, created_at: at }));
        const email = toReaderEmail((await emailOf(tx, input.identityId))!);
        await insertOutboxJobs(q, tx, [input.confirmation(email)], at);
        return { email, queued: true };
      });
    },

    /** Confirms the address whose token this is; single use; null for an unknown, used or expired token. */
    async confirmReaderEmail(tokenHash: string): Promise<ReaderEmail | null> {
      return db.transaction(async (tx) => {
        const row = await first(tx, q.selectFrom('reader_emails').selectAll().where('confirm_token_hash', '=', tokenHash));
        if (!row || row.confirm_expires_at === null || Number(row.confirm_expires_at) < now()) return null;
        await execute(
          tx,
          q
            .updateTable('reader_emails')
            .set({ confirmed_at: now(), confirm_token_hash: null, confirm_expires_at: null, updated_at: now() })
            .where('identity_id', '=', row.identity_id),
        );
        return toReaderEmail((await emailOf(tx, row.identity_id))!);
      });
    },

    async setNotifyPreferences(identityId: string, prefs: { notify?: NotifyMode; language?: string }): Promise<ReaderEmail | null> {
      const set: Partial<Selectable<ReaderEmailsTable>> = { updated_at: now() };
      if (prefs.notify) set.notify = prefs.notify;
      if (prefs.language) set.language = prefs.language;
      await execute(db, q.updateTable('reader_emails').set(set).where('identity_id', '=', identityId));
      const row = await emailOf(db, identityId);
      return row ? toReaderEmail(row) : null;
    },

    /** Forgets the reader's address; mail queued for it is then cancelled when its turn comes. */
    async removeReaderEmail(identityId: string): Promise<boolean> {
      return (await execute(db, q.deleteFrom('reader_emails').where('identity_id', '=', identityId))) > 0;
    },

    /**
     * Mutes or unmutes a thread. With `maxMuted` (a reader muting through the API), muting one
     * more thread than that is `follow_limit`; an unsubscribe link, which only names threads that
     * mailed the reader, passes none. Unmuting always works.
     */
    async setThreadMuted(identityId: string, thread: string, muted: boolean, maxMuted?: number): Promise<void> {
      if (muted) {
        await writeWithinCap(context, { identityId, thread, state: 'muted', max: maxMuted }, (runner) =>
          execute(
            runner,
            q
              .insertInto('thread_subscriptions')
              .values({ identity_id: identityId, thread, state: 'muted', created_at: now() })
              .onConflict((oc) => oc.columns(['identity_id', 'thread']).doUpdateSet({ state: 'muted' })),
          ),
        );
      } else {
        await execute(db, q.deleteFrom('thread_subscriptions').where('identity_id', '=', identityId).where('thread', '=', thread).where('state', '=', 'muted'));
      }
    },

    async mutedThreads(identityId: string): Promise<string[]> {
      const found = await rows(db, q.selectFrom('thread_subscriptions').select('thread').where('identity_id', '=', identityId).where('state', '=', 'muted').orderBy('thread'));
      return found.map((r) => r.thread);
    },

    async isThreadMuted(identityId: string, thread: string): Promise<boolean> {
      return !!(await first(
        db,
        q.selectFrom('thread_subscriptions').select('thread').where('identity_id', '=', identityId).where('thread', '=', thread).where('state', '=', 'muted'),
      ));
    },

    /**
     * The notifications one message carries: those of the recipient not yet in a message are
     * given to `outboxId`, then all given to it are read, oldest first. Run again for the same
     * message (a retry after a crash), it returns the same list.
     */
    async takeNotifications(tx: SqlRunner, recipientId: string, outboxId: string): Promise<NotificationItem[]> {
      await execute(tx, q.updateTable('notifications').set({ outbox_id: outboxId }).where('recipient_id', '=', recipientId).where('outbox_id', 'is', null));
      const found = await rows(
        tx,
        q
          .selectFrom('notifications as n')
          .innerJoin('comments as c', 'c.id', 'n.comment_id')
          .leftJoin('identities as i', 'i.id', 'c.author_id')
          .select(['n.id', 'n.comment_id', 'n.thread', 'n.reason', 'c.body', 'c.status', 'i.name', 'n.created_at'])
          .where('n.outbox_id', '=', outboxId)
          .orderBy('n.created_at')
          .orderBy('n.id'),
      );
      // A comment hidden or deleted since it notified is left out of the message.
      return found
        .filter((r) => r.status === 'visible')
        .map((r) => ({ id: r.id, commentId: r.comment_id, thread: r.thread, reason: r.reason, body: r.body, authorName: r.name, createdAt: Number(r.created_at) }));
    },

    async markNotified(tx: SqlRunner, identityId: string, at: number): Promise<void> {
      await execute(tx, q.updateTable('reader_emails').set({ last_notified_at: at }).where('identity_id', '=', identityId));
    },

    /** Keeps a message in the local mailbox; a second copy with the same Message-ID is ignored. */
    async keepLocalMail(mail: Omit<LocalMail, 'id' | 'createdAt'>): Promise<void> {
      await execute(
        db,
        q
          .insertInto('local_mail')
          .values({
            id: newId('m_', now()),
            message_id: mail.messageId,
            to_address: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            headers: JSON.stringify(mail.headers),
            created_at: now(),
          })
          .onConflict((oc) => oc.doNothing()),
      );
    },

    /** The local mailbox, newest first. */
    async listLocalMail(limit = 50): Promise<LocalMail[]> {
      return (await rows(db, q.selectFrom('local_mail').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit))).map(toLocalMail);
    },

    /** A key the server made for itself once, shared by every process on the database. */
    async serverKey(name: string): Promise<string> {
      await execute(
        db,
        q
          .insertInto('server_keys')
          .values({ name, value: randomBytes(32).toString('base64url'), created_at: now() })
          .onConflict((oc) => oc.doNothing()),
      );
      return (await first(db, q.selectFrom('server_keys').select('value').where('name', '=', name)))!.value;
    },
  };
}

export type ReaderMailStore = ReturnType<typeof readerMailStore>;
