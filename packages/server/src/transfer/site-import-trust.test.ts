import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hashToken } from '../identity.js';
import { DATABASES, startTestServer, type Database } from '../test-support.js';
import { CORPUS, cliDatabaseUrl, openDatabase, runCli } from './cli-test-support.js';
import { EXPORT_FORMAT, EXPORT_VERSION, latestSchema } from './site-export.js';

const THREAD = '/planted';
const STAFF_TOKEN = `cq_${'K'.repeat(43)}`; // a well-formed token that everyone who has the file knows
const BODY = 'Hello <img src=x onerror=alert(1)> and [a link](javascript:alert(2))';

/** A hand-made export: a staff identity with a known token, and a comment whose "sanitized" html is not. */
function maliciousExport(): string {
  const rows = [
    {
      table: 'identities',
      row: { id: 'i_planted', kind: 'pseudonymous', subject: null, token_hash: hashToken(STAFF_TOKEN), name: 'Site Staff', role: 'staff', banned: 0, created_at: 1_700_000_000_000, import_key: null, email: null, url: null },
    },
    {
      table: 'comments',
      row: {
        id: 'c_planted', thread: THREAD, parent_id: null, root_id: 'c_planted', depth: 0, author_id: 'i_planted', body: BODY,
        html: '<p>Hello <img src="x" onerror="alert(1)"> and <a href="javascript:alert(2)">a link</a></p>',
        status: 'visible', hidden_by: null, spam: 0, visible_replies: 0, created_at: 1_700_000_000_000, edited_at: null, held_reasons: null,
      },
    },
  ];
  return [
    JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, schema: latestSchema(), exportedAt: '2026-01-01T00:00:00.000Z' }),
    ...rows.map((r) => JSON.stringify(r)),
    JSON.stringify({ format: EXPORT_FORMAT, end: true, counts: { identities: 1, comments: 1 } }),
  ].join('\n');
}

/** No attribute handler, no script, no `javascript:` URL anywhere in the markup. */
function assertSafe(html: string) {
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    assert.doesNotMatch(tag, /^<\/?(?:script|img|iframe)\b|\son\w+\s*=|javascript:/i, `unsafe markup: ${html}`);
  }
}

for (const { name, make } of DATABASES) {
  describe(`import json trusts nothing in the file (${name})`, () => {
    let dir: string;
    let file: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'colloquy-trust-'));
      file = join(dir, 'planted.jsonl');
      writeFileSync(file, maliciousExport());
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function importAndServe(args: string[], check: (server: Awaited<ReturnType<typeof startTestServer>>, stdout: string) => Promise<void>) {
      const database: Database = make();
      try {
        await (await openDatabase(database)).close();
        const run = await runCli(['import', 'json', file, ...args], { DATABASE_URL: cliDatabaseUrl(database) });
        assert.equal(run.code, 0, run.stderr);
        const server = await startTestServer(database.schema ? { storeOptions: { schema: database.schema } } : {}, { ...database, cleanup: async () => {} });
        try {
          await check(server, run.stdout);
        } finally {
          await server.stop();
        }
      } finally {
        await database.cleanup();
      }
    }

    test('without --trusted: the staff identity is a reader, its token signs nobody in, the html is rendered from the body', async () => {
      await importAndServe([], async (server, stdout) => {
        assert.match(stdout, /untrusted file: 1 roles demoted, 1 tokens dropped, 1 html fields re-rendered \(1 differed from the file\)/);
        const me = await server.call('GET', '/identities/me', { token: STAFF_TOKEN });
        assert.equal(me.status, 401, me.text);
        // The planted token moderates nothing either.
        const queue = await server.call('GET', '/moderation/queue', { token: STAFF_TOKEN });
        assert.equal(queue.status, 401, queue.text);
        const page = await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}`);
        assert.equal(page.status, 200, page.text);
        const [comment] = page.json.comments;
        assert.equal(comment.author.name, 'Site Staff');
        assert.equal(comment.author.role ?? 'reader', 'reader');
        assert.equal(comment.body, BODY);
        assertSafe(comment.html);
        // The reader still sees what was written, as text.
        assert.match(comment.html, /Hello &lt;img src=x onerror=alert\(1\)&gt;/);
        assert.match(comment.html, /a link/);
      });
    });

    test('with --trusted: the role and the token are kept, the html is still rendered from the body', async () => {
      await importAndServe(['--trusted'], async (server, stdout) => {
        assert.match(stdout, /trusted file: 0 roles demoted, 0 tokens dropped, 1 html fields re-rendered/);
        const me = await server.call('GET', '/identities/me', { token: STAFF_TOKEN });
        assert.equal(me.status, 200, me.text);
        assert.equal(me.json.identity.id, 'i_planted');
        assert.equal(me.json.identity.role, 'staff');
        const page = await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}`);
        const [comment] = page.json.comments;
        assert.equal(comment.author.role, 'staff');
        assertSafe(comment.html);
      });
    });

    test('a Disqus post with an onerror handler and a javascript: link is stored as safe html, by a reader', async () => {
      const xml = join(dir, 'planted.xml');
      writeFileSync(
        xml,
        `<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><link>http://example.org${THREAD}</link><title>Planted</title></thread>
  <post dsq:id="2">
    <message><![CDATA[<p>Hi <img src=x onerror="alert(1)"> <a href="javascript:alert(2)" onclick="alert(3)">click</a></p>]]></message>
    <createdAt>2020-01-01T00:00:00Z</createdAt>
    <author><name>Staff</name></author>
    <thread dsq:id="1"/>
  </post>
</disqus>`,
      );
      const database = make();
      try {
        await (await openDatabase(database)).close();
        const run = await runCli(['import', 'disqus', xml], { DATABASE_URL: cliDatabaseUrl(database) });
        assert.equal(run.code, 0, run.stderr);
        const server = await startTestServer(database.schema ? { storeOptions: { schema: database.schema } } : {}, { ...database, cleanup: async () => {} });
        try {
          const [comment] = (await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}`)).json.comments;
          assert.equal(comment.author.role ?? 'reader', 'reader');
          assertSafe(comment.html);
          assert.match(comment.html, /click/);
        } finally {
          await server.stop();
        }
      } finally {
        await database.cleanup();
      }
    });

    test('--trusted is refused for Disqus and WordPress files, whose authors are always readers', async () => {
      const database = make();
      try {
        const run = await runCli(['import', 'disqus', join(CORPUS, 'disqus/isso-tests-disqus.xml'), '--trusted'], { DATABASE_URL: cliDatabaseUrl(database) });
        assert.equal(run.code, 2);
        assert.match(run.stderr, /--trusted applies to import json only/);
      } finally {
        await database.cleanup();
      }
    });
  });
}
