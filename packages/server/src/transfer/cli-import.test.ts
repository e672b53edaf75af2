import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DATABASES, startTestServer, type Database, type TestServer } from '../test-support.js';
import type { Store } from '../store/index.js';
import { CORPUS, cliDatabaseUrl, openDatabase, runCli } from './cli-test-support.js';

const DISQUS = join(CORPUS, 'disqus/isso-tests-disqus.xml');
const REMARK_DISQUS = join(CORPUS, 'disqus/remark42-disqus.repaired.xml');
const MALFORMED = join(CORPUS, 'disqus/remark42-disqus.xml');
const WXR = join(CORPUS, 'wxr/isso-tests-wordpress.xml');
const REMARK_WXR = join(CORPUS, 'wxr/remark42-wordpress-xmlTestWP.xml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function rows(store: Store, sql: string, params: Array<string | number> = []) {
  return store.db.all(sql, params);
}

/** A thread as a reader sees it through the API of a server over the imported database. */
async function threadPage(server: TestServer, thread: string): Promise<Json[]> {
  const response = await server.call('GET', `/comments?thread=${encodeURIComponent(thread)}&limit=100`);
  assert.equal(response.status, 200, response.text);
  return response.json.comments;
}

for (const { name, make } of DATABASES) {
  describe(`colloquy-server import (${name})`, () => {
    let database: Database;
    let env: Record<string, string>;
    before(async () => {
      database = make();
      env = { DATABASE_URL: cliDatabaseUrl(database) };
      // Creates the PostgreSQL schema the CLI is pointed at.
      await (await openDatabase(database)).close();
    });
    after(async () => {
      await database.cleanup();
    });

    test('a Disqus export: counts, nesting, deleted placeholders, authors and times; the orphan post is reported and skipped', async () => {
      const run = await runCli(['import', 'disqus', DISQUS], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /5 comments created, 0 already there, 1 skipped, 0 detached/);
      assert.match(run.stderr, /skipped record 6 at line 66, column 5: thread dsq:id 1337 is not in the export/);
      // Not a terminal: plain progress lines, no carriage returns.
      assert.match(run.stderr, /^import: 6 records, 5 created, 0 existing, 1 skipped \(4\.5 KB of 4\.5 KB read\)$/m);
      assert.doesNotMatch(run.stderr, /\r/);

      const server = await startTestServer({ storeOptions: database.schema ? { schema: database.schema } : {} }, { ...database, cleanup: async () => {} });
      try {
        const home = await threadPage(server, '/');
        assert.equal(home.length, 2);
        const [first, deleted] = home;
        assert.equal(first.author.name, 'peter');
        assert.equal(first.createdAt, '2013-10-10T19:20:29.000Z');
        assert.equal(first.status, 'visible');
        assert.equal(first.replies.length, 1);
        assert.equal(first.replies[0].author.name, 'user');
        assert.equal(first.replies[0].parentId, first.id);
        // The deleted post keeps its place because a reply hangs under it; its text and author are gone.
        assert.equal(deleted.status, 'deleted');
        assert.equal(deleted.body, '');
        assert.equal(deleted.replies.length, 1);
        assert.equal(deleted.replies[0].status, 'visible');
        const blog = await threadPage(server, '/blog/2013/02/12/redacted/index.html');
        assert.equal(blog.length, 1);
        assert.equal(blog[0].author.name, 'Empty');
        const counts = await server.call('GET', '/counts?thread=/&thread=/blog/2013/02/12/redacted/index.html');
        assert.deepEqual(counts.json.counts, { '/': 3, '/blog/2013/02/12/redacted/index.html': 1 });
      } finally {
        await server.stop();
      }
    });

    test('running the same import again creates nothing', async () => {
      const store = await openDatabase(database);
      const before = await rows(store, 'SELECT count(*) AS n FROM comments');
      const authorsBefore = await rows(store, 'SELECT count(*) AS n FROM identities');
      await store.close();
      const run = await runCli(['import', 'disqus', DISQUS], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /0 comments created, 5 already there, 1 skipped/);
      const again = await openDatabase(database);
      try {
        assert.deepEqual(await rows(again, 'SELECT count(*) AS n FROM comments'), before);
        assert.deepEqual(await rows(again, 'SELECT count(*) AS n FROM identities'), authorsBefore);
      } finally {
        await again.close();
      }
    });

    test('Disqus spam stays hidden and marked, the thread stays closed, the invalid post is reported with its line', async () => {
      const run = await runCli(['import', 'disqus', REMARK_DISQUS], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /5 comments created, 0 already there, 1 skipped/);
      assert.match(run.stderr, /line 135, column 5: createdAt "2011-x09-30T22:48:43Z" is not an ISO 8601 date; isSpam "123" is not true or false/);
      const store = await openDatabase(database);
      try {
        const spam = await rows(store, `SELECT c.status, c.spam, c.hidden_by FROM comments c JOIN imported m ON m.comment_id = c.id WHERE m.source = 'disqus' AND c.spam = 1`);
        assert.deepEqual(spam.map((r) => [r.status, Number(r.spam), r.hidden_by]), [['hidden', 1, 'moderator']]);
        const threads = await rows(store, `SELECT key, closed, title FROM threads WHERE key LIKE '/p/%' ORDER BY key`);
        assert.ok(threads.length >= 1);
        assert.ok(threads.some((t) => Number(t.closed) === 1 && t.title === 'Радио-Т: Радио-Т 229'));
      } finally {
        await store.close();
      }
    });

    test('a WordPress export: the reply chain nests, duplicate comment ids under two posts both arrive, ?p= links keep their id', async () => {
      const run = await runCli(['import', 'wordpress', WXR], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /8 comments created, 0 already there, 0 skipped, 0 detached/);
      const store = await openDatabase(database);
      try {
        const chain = await rows(
          store,
          `SELECT m.source_id, c.depth, p.source_id AS parent FROM imported m JOIN comments c ON c.id = m.comment_id
           LEFT JOIN imported p ON p.comment_id = c.parent_id WHERE m.source = 'wordpress' AND m.source_id IN ('18#6', '18#7', '18#8', '18#9') ORDER BY m.source_id`,
        );
        assert.deepEqual(
          chain.map((r) => [r.source_id, Number(r.depth), r.parent ?? null]),
          [['18#6', 0, null], ['18#7', 1, '18#6'], ['18#8', 2, '18#7'], ['18#9', 2, '18#7']],
        );
        const byThread = await rows(store, `SELECT thread, count(*) AS n FROM comments c JOIN imported m ON m.comment_id = c.id WHERE m.source = 'wordpress' GROUP BY thread ORDER BY thread`);
        assert.deepEqual(byThread.map((r) => [r.thread, Number(r.n)]), [['/2014/test', 7], ['/?p=4', 1]]);
      } finally {
        await store.close();
      }
    });

    test('WordPress pending comments are held for moderators, pingbacks keep their type and their replies', async () => {
      const run = await runCli(['import', 'wordpress', REMARK_WXR], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /4 comments created/);
      const store = await openDatabase(database);
      try {
        const imported = await rows(
          store,
          `SELECT m.source_id, m.type, c.status, c.held_reasons, p.source_id AS parent, i.name FROM imported m JOIN comments c ON c.id = m.comment_id
           JOIN identities i ON i.id = c.author_id LEFT JOIN imported p ON p.comment_id = c.parent_id
           WHERE m.source = 'wordpress' AND m.source_id IN ('100#8', '100#9', '100#13', '100#14') ORDER BY c.created_at`,
        );
        assert.equal(imported.length, 4);
        const by = Object.fromEntries(imported.map((r) => [r.source_id, r]));
        assert.equal(by['100#8'].status, 'visible');
        assert.equal(by['100#9'].status, 'held');
        assert.match(String(by['100#9'].held_reasons), /Pending review in the WordPress export/);
        assert.equal(by['100#13'].type, 'pingback');
        assert.equal(by['100#13'].name, 'Wednesday Reading « Cynwise\'s Battlefield Manual');
        assert.equal(by['100#14'].parent, '100#13');
        const queue = (await store.moderationQueue('held')).items;
        assert.ok(queue.some((item) => item.comment.id && item.comment.status === 'held'));
      } finally {
        await store.close();
      }
    });

    test('a genuine WordPress 3.1 export: its one comment lands on /?p=1 with its GMT time', async () => {
      const run = await runCli(['import', 'wordpress', join(CORPUS, 'wxr/wordpress-importer-valid-wxr-1.1.xml')], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /1 comments created, 0 already there, 0 skipped/);
      const server = await startTestServer({ storeOptions: database.schema ? { schema: database.schema } : {} }, { ...database, cleanup: async () => {} });
      try {
        const [comment, ...rest] = await threadPage(server, '/?p=1');
        assert.equal(rest.length, 0);
        assert.equal(comment.author.name, 'Mr WordPress');
        assert.equal(comment.createdAt, '2010-10-16T20:53:18.000Z');
        assert.match(comment.html, /^<p>/);
      } finally {
        await server.stop();
      }
    });

    test('a file that is not well-formed is refused with its line and column, and nothing of it is stored', async () => {
      const store = await openDatabase(database);
      const before = await rows(store, 'SELECT count(*) AS n FROM comments');
      await store.close();
      const run = await runCli(['import', 'disqus', MALFORMED], env);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /remark42-disqus\.xml is not a well-formed Disqus export: line 1, column 2: text data outside of root node\./);
      // With the stray backtick gone, the unquoted attribute further down is what is refused.
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-malformed-'));
      try {
        const fixed = join(dir, 'disqus.xml');
        const { readFileSync } = await import('node:fs');
        writeFileSync(fixed, readFileSync(MALFORMED, 'utf8').replace(/^`/, ''));
        const second = await runCli(['import', 'disqus', fixed], env);
        assert.equal(second.code, 1);
        assert.match(second.stderr, /line 147, column 24: unquoted attribute value\./);
        const after = await openDatabase(database);
        try {
          assert.deepEqual(await rows(after, 'SELECT count(*) AS n FROM comments'), before);
        } finally {
          await after.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the thread-key rule is configurable by flag or environment, with a map for moved pages', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-keys-'));
      try {
        // A copy with other ids, so it is a separate import into the same database.
        const copy = join(dir, 'disqus.xml');
        const { readFileSync } = await import('node:fs');
        writeFileSync(copy, readFileSync(DISQUS, 'utf8').replace(/dsq:id="(\d+)"/g, 'dsq:id="9$1"'));
        const map = join(dir, 'map.json');
        writeFileSync(map, JSON.stringify({ 'http://example.org/': '/welcome' }));
        const run = await runCli(['import', 'disqus', copy, '--strip-prefix', '/blog', '--thread-map', map], env);
        assert.equal(run.code, 0, run.stderr);
        const store = await openDatabase(database);
        try {
          const threads = await rows(
            store,
            `SELECT DISTINCT c.thread FROM comments c JOIN imported m ON m.comment_id = c.id WHERE m.source = 'disqus' AND m.source_id LIKE '9_%' ORDER BY c.thread`,
          );
          assert.deepEqual(threads.map((r) => r.thread), ['/2013/02/12/redacted/index.html', '/welcome']);
        } finally {
          await store.close();
        }
        const bad = await runCli(['import', 'disqus', copy, '--trailing-slash', 'keep'], env);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--trailing-slash \(COLLOQUY_IMPORT_TRAILING_SLASH\) is gone/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('control characters an old system stored are dropped from imported bodies', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-controls-'));
      try {
        const file = join(dir, 'disqus.xml');
        writeFileSync(
          file,
          `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="c1"><link>https://old.example/controls/</link><title>Controls</title><isClosed>false</isClosed></thread>
  <post dsq:id="c2"><message>Next&#x85;line and a delete&#x7F; key</message><createdAt>2012-05-01T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Old</name></author><thread dsq:id="c1"/></post>
</disqus>
`,
        );
        const run = await runCli(['import', 'disqus', file], env);
        assert.equal(run.code, 0, run.stderr);
        const store = await openDatabase(database);
        try {
          const [row] = await rows(store, `SELECT body FROM comments WHERE thread = '/controls'`);
          assert.equal(row!.body, 'Nextline and a delete key');
        } finally {
          await store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a site owner erases an imported author by e-mail; re-running the import does not bring the text back', async () => {
      const run = await runCli(['erase', '--email', 'FOO@bar.com'], env);
      assert.equal(run.code, 0, run.stderr);
      // peter and user share the address in the export: two authors, both erased.
      assert.equal(run.stdout.trim().split('\n').length, 2);
      assert.match(run.stdout, /colloquy: erased i_\w+ \(remove\): 0 comments removed, \d+ kept as placeholders, 0 anonymised, 0 reports deleted/);
      const rerun = await runCli(['import', 'disqus', DISQUS], env);
      assert.match(rerun.stdout, /0 comments created, 5 already there/);
      const store = await openDatabase(database);
      try {
        const left = await rows(
          store,
          `SELECT m.source_id, c.body, c.status, i.name FROM imported m JOIN comments c ON c.id = m.comment_id JOIN identities i ON i.id = c.author_id
           WHERE m.source = 'disqus' AND m.source_id IN ('4', '5', '9', '11') ORDER BY m.source_id`,
        );
        assert.deepEqual(left.map((r) => [r.source_id, r.body, r.status, r.name]), [['11', '', 'deleted', null], ['4', '', 'deleted', null], ['5', '', 'deleted', null], ['9', '', 'deleted', null]]);
        const [identities] = await rows(store, `SELECT count(*) AS n FROM identities WHERE lower(email) = 'foo@bar.com'`);
        assert.equal(Number(identities!.n), 0);
      } finally {
        await store.close();
      }
      const unknown = await runCli(['erase', 'i_nobody'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No identity has the id i_nobody/);
    });

    if (name === 'sqlite') {
      test('on a terminal the progress is one bar redrawn in place', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'colloquy-tty-'));
        try {
          copyFileSync(REMARK_WXR, join(dir, 'wp.xml'));
          const run = await runCli(['import', 'wordpress', join(dir, 'wp.xml')], { DATABASE_URL: `sqlite:${join(dir, 'tty.db')}` }, { tty: true });
          assert.equal(run.code, 0, run.stdout + run.stderr);
          // `script` merges the child's output into its own standard output.
          assert.ok(run.stdout.includes(`\r\u001b[K[${'#'.repeat(24)}] 100%  4 records, 4 created, 0 existing, 0 skipped`), JSON.stringify(run.stdout));
          assert.doesNotMatch(run.stdout, /^import: /m);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}

test('import with a missing kind or file is a usage error (exit 2)', async () => {
  const run = await runCli(['import', 'blogger', 'x.xml'], { DATABASE_URL: 'sqlite::memory:' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Unknown import kind "blogger"; use disqus, wordpress or json/);
});
