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
