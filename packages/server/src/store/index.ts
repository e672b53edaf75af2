import { resolve } from 'node:path';
import { ColloquyError } from '@colloquy/core';
import { migrate } from './migrations.js';
import { openPostgres, quoteIdent } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { auditStore } from './audit.js';
import { banStore } from './bans.js';
import { commentStore } from './comments.js';
import { helpfulStore } from './helpful.js';
import { identityStore } from './identities.js';
import { moderationQueueStore } from './moderation-queue.js';
import { outboxStore } from './outbox.js';
import { pinStore } from './pins.js';
import { readerMailStore } from './reader-mail.js';
import { signInStore } from './sign-in.js';
import { followingStore } from './following.js';
import { rateLimitStore } from './rate-limits.js';
import { spamModelStore } from './spam-model.js';
import { threadStore } from './threads.js';
import { createStoreContext } from './records.js';
import { createQueryBuilder, type SqlDatabase } from './sql.js';
import { ticketStore } from './tickets.js';
import { trustStore } from './trust.js';
import type { Store, StoreOptions } from './types.js';

export const DEFAULT_SQLITE_FILE = './.colloquy/colloquy.db';

export interface CreateStoreOptions extends StoreOptions {
  /** PostgreSQL only: the schema to use, created when missing. */
  schema?: string;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
}

/**
 * The store over an open database: one module per aggregate, all sharing the database and the
 * clock. Each method that writes resolves only after its transaction has committed.
 */
export function createSqlStore(db: SqlDatabase, options: StoreOptions = {}): Store {
  const context = createStoreContext(db, createQueryBuilder(db.dialect), options.now ?? Date.now);
  const helpful = helpfulStore(context);
  return {
    dialect: db.dialect,
    db,
    ...identityStore(context),
    ...commentStore(context, helpful),
    ...threadStore(context),
    ...pinStore(context),
    ...moderationQueueStore(context),
    ...auditStore(context),
    ...banStore(context),
    ...ticketStore(context),
    ...rateLimitStore(context),
    ...spamModelStore(context),
    ...trustStore(context),
    ...helpful,
    ...outboxStore(context),
    ...readerMailStore(context),
    ...signInStore(context),
    ...followingStore(context),
    close: () => db.close(),
  };
}

/**
 * Opens the store named by a database URL and brings its schema up to date.
 * - unset or empty: SQLite at `./.colloquy/colloquy.db`
 * - `sqlite:/path/file.db`, `sqlite:relative.db`, `sqlite::memory:`
 * - `postgres://…` or `postgresql://…`
 */
export async function createStore(url: string | undefined, options: CreateStoreOptions = {}): Promise<Store> {
  const target = url?.trim() || `sqlite:${DEFAULT_SQLITE_FILE}`;
  let store: Store;
  if (target.startsWith('sqlite:')) {
    const file = target.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ColloquyError('invalid_input', 'A sqlite: database URL needs a file path, e.g. sqlite:./data/colloquy.db.');
    store = createSqlStore(openSqlite(file === ':memory:' ? file : resolve(file)), options);
  } else if (/^postgres(ql)?:\/\//.test(target)) {
    if (options.schema) {
      const setup = openPostgres(target, { max: 1 });
      try {
        await setup.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      } finally {
        await setup.close();
      }
    }
    store = createSqlStore(
      openPostgres(target, { ...(options.schema ? { schema: options.schema } : {}), ...(options.poolSize ? { max: options.poolSize } : {}) }),
      options,
    );
  } else {
    throw new ColloquyError('invalid_input', 'DATABASE_URL must start with sqlite: or postgres://.');
  }
  try {
    await migrate(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export type {
  AuditAction,
  AuditEntry,
  AuditQuery,
  AuthorActivity,
  AuthorHistory,
  ChangeEvent,
  CommentRecord,
  CommentTree,
  CreateCommentInput,
  IdentityKind,
  IdentityRecord,
  IpBan,
  ListCommentsInput,
  ModerateInput,
  ModerationAction,
  ModerationSearch,
  QueueItem,
  QueuePage,
  QueueStatus,
  RateLimitResult,
  ReportInput,
  ReportRecord,
  Store,
  StoreOptions,
  StoredStatus,
  ThreadRecord,
} from './types.js';
export { QUEUE_PAGE_MAX } from './types.js';
export { newId, parseReasons } from './records.js';
export { placeReply } from './comments.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { replyJob } from './outbox.js';
export type { OutboxCounts, OutboxJob, OutboxJobInput } from './outbox.js';
export type { LocalMail, NotificationItem, ReaderEmail } from './reader-mail.js';
export type { ActivityItem, FollowedThread, NotificationReason, Recipient, UnreadCounts } from './following.js';
export type { NotifyMode } from './schema.js';
export type { SqlDatabase, SqlRunner } from './sql.js';
