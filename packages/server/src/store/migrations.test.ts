import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATABASES, openEmptyDatabase } from '../test-support.js';
import { createSqlStore } from './index.js';
import { MIGRATIONS, migrate } from './migrations.js';

const CANONICAL_KEYS = MIGRATIONS.find((m) => m.name.startsWith('canonical thread keys'))!.id;

describe('the canonical thread keys migration moves what was stored under a trailing slash', () => {
  for (const { name, make } of DATABASES) {
    test(name, async () => {
      const database = make();
      const db = await openEmptyDatabase(database);
      try {
        // The schema before the migration, with comments under `/post/` (the widget's key) and
        // `/post` (an import's), and thread metadata under both forms.
        await db.transaction(async (tx) => {
          await tx.run(`CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
          for (const m of MIGRATIONS.filter((m) => m.id < CANONICAL_KEYS)) {
            for (const statement of m.statements) await tx.run(statement);
            await tx.run(`INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)`, [m.id, m.name, 0]);
          }
          await tx.run(`INSERT INTO identities (id, kind, name, role, created_at) VALUES ('i_a', 'pseudonymous', 'A', 'reader', 1)`);
          const rows: [string, string, number][] = [
            ['c_1', '/post/', 2],
            ['c_2', '/post', 3],
            ['c_3', '/other//', 4],
            ['c_4', '/', 5],
            ['c_5', 'article-9/', 6],
          ];
          for (const [id, thread, at] of rows) {
            await tx.run(
              `INSERT INTO comments (id, thread, root_id, depth, author_id, body, html, status, created_at) VALUES (?, ?, ?, 0, 'i_a', 'x', '<p>x</p>', 'visible', ?)`,
              [id, thread, id, at],
            );
          }
          await tx.run(`INSERT INTO threads (key, url, title, closed, created_at) VALUES ('/post/', 'https://blog.example/post/', 'Post', 1, 1), ('/other//', NULL, 'Other', 0, 1), ('/other', NULL, 'Kept', 0, 1)`);
        });
        assert.deepEqual(await migrate(db), MIGRATIONS.filter((m) => m.id >= CANONICAL_KEYS).map((m) => m.id));
        const threads = await db.all<{ id: string; thread: string }>(`SELECT id, thread FROM comments ORDER BY id`);
        assert.deepEqual(
          threads.map((r) => [r.id, r.thread]),
          [['c_1', '/post'], ['c_2', '/post'], ['c_3', '/other'], ['c_4', '/'], ['c_5', 'article-9/']],
        );
        const meta = await db.all<{ key: string; title: string; closed: number }>(`SELECT key, title, closed FROM threads ORDER BY key`);
        assert.deepEqual(meta.map((r) => [r.key, r.title, Number(r.closed)]), [['/other', 'Kept', 0], ['/post', 'Post', 1]]);
        // Both comments now show on the page the widget asks for.
        const store = createSqlStore(db);
        const page = await store.listComments({ thread: '/post', sort: 'oldest', limit: 20, cursor: null, viewerId: null });
        assert.deepEqual(page.comments.map((c) => c.id), ['c_1', 'c_2']);
      } finally {
        await db.close();
        await database.cleanup();
      }
    });
  }
});
