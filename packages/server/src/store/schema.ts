import type { Role } from '@colloquy/core';
import type { Generated } from 'kysely';
import type { AuditAction, IdentityKind, StoredStatus } from './types.js';

/**
 * The tables as the store's queries see them (see migrations.ts for how they are made). Times
 * are epoch milliseconds; flags are 0 or 1 (SQLite has no boolean); `Generated` columns have
 * a default. Kysely checks every query
 * against these, so a renamed column or a wrong value type fails the type check, not a request.
 */
export interface IdentitiesTable {
  id: string;
  kind: IdentityKind;
  subject: string | null;
  token_hash: string | null;
  name: string | null;
  role: Role;
  banned: Generated<number>;
  /** When a suspension ends (ms); null for a permanent ban or none. */
  banned_until: number | null;
  created_at: number;
  import_key: string | null;
  email: string | null;
  url: string | null;
  /** 1 when posting in a thread follows it (the default), 0 when the reader turned that off. */
  follow_on_post: Generated<number>;
}

export interface CommentsTable {
  id: string;
  thread: string;
  parent_id: string | null;
  /** The comment a reply answers when the depth cap placed it elsewhere; null otherwise. */
  reply_to_id: Generated<string | null>;
  /** When a moderator pinned this top-level comment (epoch ms); null when not pinned. */
  pinned_at: Generated<number | string | null>;
  root_id: string;
  depth: number;
  author_id: string;
  body: string;
  html: string;
  status: StoredStatus;
  hidden_by: 'reports' | 'moderator' | null;
  spam: Generated<number>;
  visible_replies: Generated<number>;
  /** JSON list of strings, or null. */
  held_reasons: string | null;
  created_at: number;
  edited_at: number | null;
}

export interface IdempotencyKeysTable {
  identity_id: string;
  key: string;
  request_hash: string;
  comment_id: string;
  created_at: number;
}

export interface ReportsTable {
  id: string;
  comment_id: string;
  identity_id: string;
  reason: string;
  details: string | null;
  weight: number;
  /** The reporter's network (IPv4 /24, IPv6 /56) in CIDR, not their address; null for older reports. */
  network: string | null;
  created_at: number;
  resolved_at: number | null;
}

export interface ModerationLogTable {
  id: string;
  comment_id: string | null;
  author_id: string | null;
  moderator_id: string | null;
  action: AuditAction;
  reason: string | null;
  /** JSON object, or null. */
  detail: string | null;
  created_at: number;
}

/** Pages known by key: their URL (from an import or a widget that posted there) and whether they are closed. */
export interface ThreadsTable {
  key: string;
  url: string | null;
  title: string | null;
  closed: Generated<number>;
  created_at: number;
}

export interface AuthorNotesTable {
  id: string;
  author_id: string;
  moderator_id: string | null;
  body: string;
  created_at: number;
}

export interface IpBansTable {
  id: string;
  cidr: string;
  reason: string | null;
  created_by: string | null;
  created_at: number;
}

export interface StreamTicketsTable {
  ticket_hash: string;
  identity_id: string;
  expires_at: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface SpamModelTable {
  id: number;
  model: string;
  updated_at: number;
}

export interface HelpfulMarksTable {
  id: string;
  comment_id: string;
  thread: string;
  /** The top-level comment above it (itself at the top): marks on top-level comments rank `best`. */
  root_id: string;
  identity_id: string;
  weight: number;
  network: string | null;
  marked_seq: number;
  unmarked_seq: number | null;
  created_at: number;
  unmarked_at: number | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface MigrationsTable {
  id: number;
  name: string;
  applied_at: number;
}

export type OutboxKind = 'webhook' | 'mail' | 'reply' | 'notify';
export type OutboxState = 'pending' | 'done' | 'failed' | 'cancelled';

export interface OutboxTable {
  id: string;
  kind: OutboxKind;
  dedupe_key: string | null;
  /** JSON. */
  payload: string;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  next_attempt_at: number;
  claimed_by: string | null;
  claim_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

export type NotifyMode = 'immediate' | 'digest' | 'off';

export interface ReaderEmailsTable {
  identity_id: string;
  address: string;
  confirmed_at: number | null;
  confirm_token_hash: string | null;
  confirm_expires_at: number | null;
  language: string;
  notify: Generated<NotifyMode>;
  last_notified_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface NotificationsTable {
  id: string;
  recipient_id: string;
  comment_id: string;
  thread: string;
  reason: 'reply' | 'following';
  outbox_id: string | null;
  read_at: number | null;
  created_at: number;
}

export interface ThreadSubscriptionsTable {
  identity_id: string;
  thread: string;
  state: 'muted' | 'following';
  created_at: number;
}

export interface LocalMailTable {
  id: string;
  message_id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  /** JSON object. */
  headers: string;
  created_at: number;
}

export interface ServerKeysTable {
  name: string;
  value: string;
  created_at: number;
}

export interface SignInLinksTable {
  code_hash: string;
  identity_id: string;
  /** base64url SHA-256 of the verifier the asking browser keeps. */
  challenge: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface IdentityTokensTable {
  token_hash: string;
  identity_id: string;
  created_at: number;
}

export interface Database {
  sign_in_links: SignInLinksTable;
  identity_tokens: IdentityTokensTable;
  outbox: OutboxTable;
  reader_emails: ReaderEmailsTable;
  notifications: NotificationsTable;
  thread_subscriptions: ThreadSubscriptionsTable;
  local_mail: LocalMailTable;
  server_keys: ServerKeysTable;
  identities: IdentitiesTable;
  comments: CommentsTable;
  idempotency_keys: IdempotencyKeysTable;
  reports: ReportsTable;
  moderation_log: ModerationLogTable;
  author_notes: AuthorNotesTable;
  ip_bans: IpBansTable;
  threads: ThreadsTable;
  stream_tickets: StreamTicketsTable;
  rate_limits: RateLimitsTable;
  spam_model: SpamModelTable;
  helpful_marks: HelpfulMarksTable;
  counters: CountersTable;
  migrations: MigrationsTable;
}
