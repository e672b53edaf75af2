import type { SqlDatabase } from './sql.js';

/**
 * Numbered schema migrations, applied in order on start and recorded in `migrations`.
 * Statements are in the SQL both SQLite and PostgreSQL accept; times are epoch milliseconds
 * in BIGINT columns. Never edit a released migration: add the next number.
 */
export interface Migration {
  id: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial schema',
    statements: [
      `CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT UNIQUE,
        token_hash TEXT UNIQUE,
        name TEXT,
        role TEXT NOT NULL DEFAULT 'reader',
        banned INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        thread TEXT NOT NULL,
        parent_id TEXT REFERENCES comments(id),
        root_id TEXT NOT NULL,
        depth INTEGER NOT NULL,
        author_id TEXT NOT NULL REFERENCES identities(id),
        body TEXT NOT NULL,
        html TEXT NOT NULL,
        status TEXT NOT NULL,
        hidden_by TEXT,
        spam INTEGER NOT NULL DEFAULT 0,
        visible_replies INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        edited_at BIGINT
      )`,
      `CREATE INDEX comments_top_oldest ON comments (thread, created_at, id) WHERE parent_id IS NULL`,
      `CREATE INDEX comments_top_replies ON comments (thread, visible_replies, created_at, id) WHERE parent_id IS NULL`,
      `CREATE INDEX comments_root ON comments (root_id, created_at, id)`,
      `CREATE INDEX comments_thread_status ON comments (thread, status)`,
      `CREATE INDEX comments_status ON comments (status, created_at)`,
      `CREATE TABLE idempotency_keys (
        identity_id TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        comment_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (identity_id, key)
      )`,
      `CREATE TABLE reports (
        comment_id TEXT NOT NULL REFERENCES comments(id),
        identity_id TEXT NOT NULL REFERENCES identities(id),
        reason TEXT NOT NULL,
        details TEXT,
        weight INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_at BIGINT,
        PRIMARY KEY (comment_id, identity_id)
      )`,
      `CREATE INDEX reports_open ON reports (resolved_at, comment_id)`,
      `CREATE TABLE moderation_log (
        id TEXT PRIMARY KEY,
        comment_id TEXT NOT NULL,
        moderator_id TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX moderation_log_comment ON moderation_log (comment_id, created_at)`,
      `CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start BIGINT NOT NULL,
        hits INTEGER NOT NULL
      )`,
    ],
  },
  {
    id: 2,
    name: 'spam filter: held reasons and the learned model',
    statements: [
      `ALTER TABLE comments ADD COLUMN held_reasons TEXT`,
      `CREATE TABLE spam_model (id INTEGER PRIMARY KEY, model TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
    ],
  },
  {
    id: 3,
    name: 'index comments by author for the spam filter',
    statements: [`CREATE INDEX comments_author ON comments (author_id, created_at)`],
  },
  {
    id: 4,
    name: 'moderation: report rounds, audit trail with targets, IP-range bans, stream tickets',
    statements: [
      // One open report per identity per comment; after a decision closes them a new round may start.
      `CREATE TABLE reports_v2 (
        id TEXT PRIMARY KEY,
        comment_id TEXT NOT NULL REFERENCES comments(id),
        identity_id TEXT NOT NULL REFERENCES identities(id),
        reason TEXT NOT NULL,
        details TEXT,
        weight INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_at BIGINT
      )`,
      `INSERT INTO reports_v2 (id, comment_id, identity_id, reason, details, weight, created_at, resolved_at)
        SELECT 'r_' || comment_id || '_' || identity_id, comment_id, identity_id, reason, details, weight, created_at, resolved_at FROM reports`,
      `DROP TABLE reports`,
      `ALTER TABLE reports_v2 RENAME TO reports`,
      `CREATE UNIQUE INDEX reports_open_once ON reports (comment_id, identity_id) WHERE resolved_at IS NULL`,
      `CREATE INDEX reports_open ON reports (resolved_at, comment_id)`,
      `CREATE INDEX reports_reporter ON reports (identity_id, created_at)`,
      // The audit trail names whom an action was against, and may be about no comment (IP-range bans)
      // or by no moderator (the report threshold hiding a comment).
      `CREATE TABLE moderation_log_v2 (
        id TEXT PRIMARY KEY,
        comment_id TEXT,
        author_id TEXT,
        moderator_id TEXT,
        action TEXT NOT NULL,
        reason TEXT,
        detail TEXT,
        created_at BIGINT NOT NULL
      )`,
      `INSERT INTO moderation_log_v2 (id, comment_id, author_id, moderator_id, action, reason, detail, created_at)
        SELECT m.id, m.comment_id, c.author_id, m.moderator_id, m.action, m.reason, NULL, m.created_at
        FROM moderation_log m LEFT JOIN comments c ON c.id = m.comment_id`,
      `DROP TABLE moderation_log`,
      `ALTER TABLE moderation_log_v2 RENAME TO moderation_log`,
      `CREATE INDEX moderation_log_comment ON moderation_log (comment_id, created_at)`,
      `CREATE INDEX moderation_log_author ON moderation_log (author_id, created_at)`,
      `CREATE INDEX moderation_log_time ON moderation_log (created_at, id)`,
      `CREATE TABLE ip_bans (
        id TEXT PRIMARY KEY,
        cidr TEXT NOT NULL UNIQUE,
        reason TEXT,
        created_by TEXT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE stream_tickets (
        ticket_hash TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        expires_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    id: 5,
    name: 'imports and data rights: thread metadata, imported-comment ids, imported authors',
    statements: [
      // Pages known from an import: their old URL and title, and whether they were closed to new comments.
      `CREATE TABLE threads (
        key TEXT PRIMARY KEY,
        url TEXT,
        title TEXT,
        closed INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      )`,
      // Which comment an imported record became; (source, source_id) is what makes a re-run create nothing.
      `CREATE TABLE imported (
        source TEXT NOT NULL,
        source_id TEXT NOT NULL,
        comment_id TEXT NOT NULL REFERENCES comments(id),
        type TEXT,
        PRIMARY KEY (source, source_id)
      )`,
      `CREATE INDEX imported_comment ON imported (comment_id)`,
      // Authors of imported comments: no token, no subject; found again by source and e-mail (or name).
      `ALTER TABLE identities ADD COLUMN import_key TEXT`,
      `CREATE UNIQUE INDEX identities_import_key ON identities (import_key)`,
      `ALTER TABLE identities ADD COLUMN email TEXT`,
      `ALTER TABLE identities ADD COLUMN url TEXT`,
    ],
  },
  {
    id: 6,
    name: 'index comments by root and status for counting visible replies',
    statements: [
      // Recounting a top-level comment's visible replies filters on root_id and status. With
      // only single-column choices SQLite's planner took the status index and read every
      // visible comment of the site on each reply (an import of 100,000 comments slowed ten-fold).
      `CREATE INDEX comments_root_status ON comments (root_id, status)`,
    ],
  },
  {
    id: 7,
    name: 'report trust: the reporter network of each report',
    statements: [
      // Reports from one network count once toward auto-hide; the prefix (IPv4 /24, IPv6 /56) is
      // kept, never the address. Older reports have none and count as a network each.
      `ALTER TABLE reports ADD COLUMN network TEXT`,
      // Whether a reporter had reported the comment in an earlier, reviewed round.
      `CREATE INDEX reports_comment_reporter ON reports (comment_id, identity_id)`,
    ],
  },
  {
    id: 8,
    name: 'canonical thread keys: no trailing slash on a path',
    statements: [
      // The widget asked for `/post/` while an import stored `/post`: one rule now
      // (canonicalThreadKey in the core), and the comments stored under the other form move.
      `UPDATE comments SET thread = rtrim(thread, '/') WHERE thread LIKE '/%/' AND rtrim(thread, '/') <> ''`,
      `UPDATE comments SET thread = '/' WHERE thread LIKE '//%' AND rtrim(thread, '/') = ''`,
      `INSERT INTO threads (key, url, title, closed, created_at)
        SELECT rtrim(key, '/'), url, title, closed, created_at FROM threads WHERE key LIKE '/%/' AND rtrim(key, '/') <> ''
        ON CONFLICT (key) DO NOTHING`,
      `DELETE FROM threads WHERE key LIKE '/%/' AND rtrim(key, '/') <> ''`,
    ],
  },
  {
    id: 9,
    name: 'index identities with a badge, for the screen-name check',
    statements: [
      // A reader's new name is compared with every badge holder's; they are few among many readers.
      `CREATE INDEX identities_badge_holders ON identities (role) WHERE role <> 'reader'`,
    ],
  },
  {
    id: 10,
    name: 'moderators’ notes on authors',
    statements: [
      // Seen by moderators only, beside the author's history. No foreign key to identities: an
      // erased reader's notes are deleted with them (data-rights.ts), a moderator's stay.
      `CREATE TABLE author_notes (
        id TEXT PRIMARY KEY,
        author_id TEXT NOT NULL,
        moderator_id TEXT,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX author_notes_author ON author_notes (author_id, created_at)`,
    ],
  },
  {
    id: 11,
    name: 'suspensions: bans that end',
    statements: [
      // A ban with an end is a suspension; null keeps a ban permanent, as before.
      `ALTER TABLE identities ADD COLUMN banned_until BIGINT`,
    ],
  },
  {
    id: 12,
    name: 'durable outbox, reader e-mail addresses, notifications and thread subscriptions',
    statements: [
      // Work that must survive a crash: mail and webhooks to send, and the internal steps that
      // decide what to send. A worker claims a row by writing its name and a lease; a claim whose
      // lease ran out (its process died) may be taken again. `dedupe_key` makes an enqueue once-only.
      `CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        dedupe_key TEXT UNIQUE,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        claimed_by TEXT,
        claim_expires_at BIGINT,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        done_at BIGINT
      )`,
      `CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending'`,
      `CREATE INDEX outbox_done ON outbox (state, done_at)`,
      // A reader's address, separate from the e-mail an import may have brought: only a confirmed
      // address ever receives anything but its confirmation message.
      `CREATE TABLE reader_emails (
        identity_id TEXT PRIMARY KEY REFERENCES identities(id),
        address TEXT NOT NULL,
        confirmed_at BIGINT,
        confirm_token_hash TEXT UNIQUE,
        confirm_expires_at BIGINT,
        language TEXT NOT NULL,
        notify TEXT NOT NULL DEFAULT 'immediate',
        last_notified_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      // What a reader is told about (replies now; new comments in followed threads later), with
      // the mail that carried it and whether they have seen it (for an activity view).
      `CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        recipient_id TEXT NOT NULL,
        comment_id TEXT NOT NULL,
        thread TEXT NOT NULL,
        reason TEXT NOT NULL,
        outbox_id TEXT,
        read_at BIGINT,
        created_at BIGINT NOT NULL,
        UNIQUE (recipient_id, comment_id)
      )`,
      `CREATE INDEX notifications_unmailed ON notifications (recipient_id, created_at) WHERE outbox_id IS NULL`,
      `CREATE INDEX notifications_mail ON notifications (outbox_id)`,
      `CREATE INDEX notifications_comment ON notifications (comment_id)`,
      // A reader's standing in a thread: muted now; following later.
      `CREATE TABLE thread_subscriptions (
        identity_id TEXT NOT NULL REFERENCES identities(id),
        thread TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (identity_id, thread)
      )`,
      `CREATE INDEX thread_subscriptions_thread ON thread_subscriptions (thread, state)`,
      // Mail kept instead of sent when no SMTP server is configured (the demo shows it).
      `CREATE TABLE local_mail (
        id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        text TEXT NOT NULL,
        html TEXT NOT NULL,
        headers TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      // Keys the server makes for itself and every process shares (the signing key of mail links).
      `CREATE TABLE server_keys (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    id: 13,
    name: 'replies past the depth cap keep the comment they answer',
    statements: [
      // A reply to a comment at the deepest level is stored beside it (parent_id is that
      // comment's parent); reply_to_id keeps the comment it answers, so readers see "in reply
      // to NAME". Null when the reply sits under the comment it answers. No foreign key: an
      // erasure may remove the answered comment, and the reply then answers a gone comment.
      `ALTER TABLE comments ADD COLUMN reply_to_id TEXT`,
    ],
  },
  {
    id: 14,
    name: 'sign-in by e-mail: one-time links and an identity\'s further tokens',
    statements: [
      // A magic link asked for from one browser: only the SHA-256 of its code is kept, with the
      // SHA-256 of the verifier that browser keeps (the challenge). Single use, short-lived.
      `CREATE TABLE sign_in_links (
        code_hash TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        challenge TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX sign_in_links_identity ON sign_in_links (identity_id, created_at)`,
      // A pseudonymous identity signed in on another browser gets a token of its own there; the
      // first browser's token (identities.token_hash) keeps working.
      `CREATE TABLE identity_tokens (
        token_hash TEXT PRIMARY KEY,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX identity_tokens_identity ON identity_tokens (identity_id)`,
    ],
  },
  {
    id: 15,
    name: 'following threads and the reader activity view',
    statements: [
      // Posting in a thread follows it unless the reader turned that off.
      `ALTER TABLE identities ADD COLUMN follow_on_post INTEGER NOT NULL DEFAULT 1`,
      // The activity view pages a reader's notifications newest first.
      `CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at, id)`,
      `CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL`,
    ],
  },
  {
    id: 16,
    name: 'helpful marks, kept with the write sequence that made and took them back',
    statements: [
      // One open mark per identity per comment (the partial unique index); a mark taken back keeps
      // its row with unmarked_seq, so a `best` listing can rank every page as of its first one
      // (decision 0036). weight is the reader's trust when marking; network as for reports.
      `CREATE TABLE helpful_marks (
        id TEXT PRIMARY KEY,
        comment_id TEXT NOT NULL REFERENCES comments(id),
        thread TEXT NOT NULL,
        root_id TEXT NOT NULL,
        identity_id TEXT NOT NULL REFERENCES identities(id),
        weight INTEGER NOT NULL,
        network TEXT,
        marked_seq BIGINT NOT NULL,
        unmarked_seq BIGINT,
        created_at BIGINT NOT NULL,
        unmarked_at BIGINT
      )`,
      `CREATE UNIQUE INDEX helpful_marks_open ON helpful_marks (comment_id, identity_id) WHERE unmarked_seq IS NULL`,
      `CREATE INDEX helpful_marks_thread ON helpful_marks (thread, marked_seq)`,
      `CREATE INDEX helpful_marks_identity ON helpful_marks (identity_id)`,
      // Sequences both databases can share: a row per name, taken with UPDATE … RETURNING, so the
      // number is held (row lock) until the transaction that took it commits.
      `CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO counters (name, value) VALUES ('helpful', 0)`,
    ],
  },
  {
    id: 17,
    name: 'pinned comments',
    statements: [
      // When a moderator pinned a top-level comment; null when it is not pinned. A pin shows
      // while the comment is visible; the index finds a thread's pins for its first page.
      `ALTER TABLE comments ADD COLUMN pinned_at BIGINT`,
      `CREATE INDEX comments_pinned ON comments (thread, pinned_at) WHERE pinned_at IS NOT NULL`,
    ],
  },
  {
    id: 18,
    name: 'the outbox claims each kind of job from its own index',
    statements: [
      // Each lane of the outbox worker claims its own kinds, oldest due first. With one index over
      // every kind, the mail lane read past every queued `notify` job (10,000 for a large
      // fan-out) and sorted, at every claim (decision 0035, "Fan-out").
      `CREATE INDEX outbox_kind_due ON outbox (kind, next_attempt_at) WHERE state = 'pending'`,
    ],
  },
];

/** Applies the migrations not yet recorded. On PostgreSQL an advisory lock lets several processes start at once. */
export async function migrate(db: SqlDatabase): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.all(`SELECT pg_advisory_xact_lock(7421001)`);
    await tx.run(
      `CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
    const done = new Set((await tx.all<{ id: number }>(`SELECT id FROM migrations`)).map((r) => Number(r.id)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run(`INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)`, [
        migration.id,
        migration.name,
        Date.now(),
      ]);
      applied.push(migration.id);
    }
    return applied;
  });
}
