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
}

export interface CommentsTable {
  id: string;
  thread: string;
  parent_id: string | null;
  /** The comment a reply answers when the depth cap placed it elsewhere; null otherwise. */
  reply_to_id: Generated<string | null>;
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

export interface MigrationsTable {
  id: number;
  name: string;
  applied_at: number;
}

export interface Database {
  identities: IdentitiesTable;
  comments: CommentsTable;
  idempotency_keys: IdempotencyKeysTable;
  reports: ReportsTable;
  moderation_log: ModerationLogTable;
  author_notes: AuthorNotesTable;
  ip_bans: IpBansTable;
  stream_tickets: StreamTicketsTable;
  rate_limits: RateLimitsTable;
  spam_model: SpamModelTable;
  migrations: MigrationsTable;
}
