import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { DATABASES, startTestServer, tempPostgres, tempSqlite, type Database, type TestServer } from '../test-support.js';
import { CORPUS, cliDatabaseUrl, openDatabase, runCli } from './cli-test-support.js';
import { exportSite } from './site-export.js';
import { TRANSIENT_TABLES } from './tables.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const THREAD = '/articles/moving-house';

/** Export files compare equal but for the moment they were written. */
function normalise(text: string): string {
  const [header, ...rest] = text.split('\n');
  const parsed = JSON.parse(header!) as Record<string, unknown>;
  delete parsed.exportedAt;
  return [JSON.stringify(parsed), ...rest].join('\n');
}

const keep = (database: Database): Database => ({ ...database, cleanup: async () => {} });
const serverOn = (database: Database, options = {}) =>
  startTestServer({ jwtSecret: SECRET, ...(database.schema ? { storeOptions: { schema: database.schema } } : {}), ...options }, keep(database));

async function moderatorToken(): Promise<string> {
  return new SignJWT({ name: 'Mod Erator', role: 'moderator' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('staff-1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
}

/** A site with a bit of everything: readers, replies, edits, a deletion, reports, a moderator's decision, imported comments. */
async function populate(server: TestServer) {
  const ana = await server.identity('Ana');
  const ben = await server.identity('Ben');
  const mod = await moderatorToken();
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const r = await server.call(method, path, { token, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  const first = (await call('POST', '/comments', ana.token, { thread: THREAD, body: 'First, with *emphasis* and a [link](https://example.org)' })).comment;
  const reply = (await call('POST', '/comments', ben.token, { thread: THREAD, parentId: first.id, body: 'A reply' })).comment;
  // Past the depth cap (1 here): stored beside `reply`, answering it (replyTo).
  await call('POST', '/comments', ana.token, { thread: THREAD, parentId: reply.id, body: 'A reply to the reply' });
  await call('PATCH', `/comments/${reply.id}`, ben.token, { body: 'A reply, edited' });
  const doomed = (await call('POST', '/comments', ben.token, { thread: THREAD, body: 'Soon gone' })).comment;
  await call('DELETE', `/comments/${doomed.id}`, ben.token);
  const rude = (await call('POST', '/comments', ben.token, { thread: '/elsewhere', body: 'Something rude' })).comment;
  await call('POST', `/comments/${rude.id}/reports`, ana.token, { reason: 'harassment', details: 'rude' });
  await call('POST', `/moderation/comments/${rude.id}`, mod, { action: 'hide', reason: 'rude' });
  await call('POST', '/moderation/bans', mod, { cidr: '203.0.113.0/24', reason: 'a spam wave' });
  await call('POST', `/moderation/identities/${ben.id}`, mod, { action: 'ban', reason: 'rude, again' });
  return { ana, ben, reply };
}

function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-export-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

for (const { name, make } of DATABASES) {
  describe(`export and import json (${name})`, () => {
    let source: Database;
    let ana: { token: string; id: string };
    let pageBefore: string;
    before(async () => {
      source = make();
      const server = await serverOn(source, { limits: { ...DEFAULT_LIMITS, maxDepth: 1 } });
      try {
        let reply: { id: string };
        ({ ana, reply } = await populate(server));
        pageBefore = (await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}`)).text;
        const deep = (JSON.parse(pageBefore) as { comments: Array<{ replies: Array<{ body: string; replyTo: unknown }> }> }).comments
          .flatMap((c) => c.replies)
          .find((c) => c.body === 'A reply to the reply');
        assert.deepEqual(deep?.replyTo, { id: reply.id, name: 'Ben' }, 'the reply past the cap says whom it answers (the page compared after the import)');
      } finally {
        await server.stop();
      }
      const imported = await runCli(['import', 'disqus', join(CORPUS, 'disqus/isso-tests-disqus.xml'), '--quiet'], { DATABASE_URL: cliDatabaseUrl(source) });
      assert.equal(imported.code, 0, imported.stderr);
    });
    after(async () => {
      await source.cleanup();
    });

    test('export → import into an empty database → export again gives the same file; tokens and pages still work', async () => {
      await withTemp(async (dir) => {
        const first = join(dir, 'site.jsonl');
        const exported = await runCli(['export', '--out', first], { DATABASE_URL: cliDatabaseUrl(source) });
        assert.equal(exported.code, 0, exported.stderr);
        assert.match(exported.stdout, /exported .* to .*site\.jsonl: \d+ identities, \d+ threads, 10 comments, 5 imported, 1 reports, \d+ author_notes, \d+ counters, \d+ helpful_marks, 1 ip_bans, \d+ local_mail, [3-9] moderation_log/);
        const text = readFileSync(first, 'utf8');
        const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
        assert.deepEqual(Object.keys(lines[0]).sort(), ['exportedAt', 'format', 'schema', 'version']);
        assert.equal(lines[0].format, 'colloquy-export');
        assert.equal(lines[0].version, 1);
        assert.equal(lines.at(-1).end, true);
        // Short-lived rows are not part of a site.
        assert.ok(lines.every((l) => !TRANSIENT_TABLES.has(l.table)));
        // Parents come before their replies.
        const seen = new Set<string>();
        for (const line of lines.filter((l) => l.table === 'comments')) {
          if (line.row.parent_id) assert.ok(seen.has(line.row.parent_id), `reply ${line.row.id} before its parent`);
          seen.add(line.row.id);
        }

        const target = make();
        try {
          await (await openDatabase(target)).close();
          const env = { DATABASE_URL: cliDatabaseUrl(target) };
          const imported = await runCli(['import', 'json', first, '--trusted'], env);
          assert.equal(imported.code, 0, imported.stderr);
          // Every row but the `helpful` counter, which the migrations made (the import moves it past the file's marks).
          assert.match(imported.stdout, new RegExp(`${lines.length - 3} rows created, 1 already there, 0 skipped`));
          const second = join(dir, 'again.jsonl');
          assert.equal((await runCli(['export', '--out', second], env)).code, 0);
          assert.equal(normalise(readFileSync(second, 'utf8')), normalise(text));

          // Importing the same file again changes nothing.
          const rerun = await runCli(['import', 'json', first, '--trusted'], env);
          assert.match(rerun.stdout, new RegExp(`0 rows created, ${lines.length - 2} already there`));

          // Standard output carries the same export.
          const piped = await runCli(['export'], env);
          assert.equal(normalise(piped.stdout), normalise(text));

          const server = await serverOn(target);
          try {
            assert.equal((await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}`)).text, pageBefore);
            const me = await server.call('GET', '/identities/me', { token: ana.token });
            assert.equal(me.status, 200);
            assert.equal(me.json.identity.id, ana.id);
            // The re-imported Disqus export still finds its comments.
            const disqus = await runCli(['import', 'disqus', join(CORPUS, 'disqus/isso-tests-disqus.xml'), '--quiet'], env);
            assert.match(disqus.stdout, /0 comments created, 5 already there/);
            // Bans travel with the site: the range and the banned reader.
            const bans = await server.call('GET', '/moderation/bans', { token: await moderatorToken() });
            assert.deepEqual(bans.json.ranges.map((r: { cidr: string }) => r.cidr), ['203.0.113.0/24']);
            assert.equal(bans.json.identities.length, 1);
          } finally {
            await server.stop();
          }
        } finally {
          await target.cleanup();
        }
      });
    });

    test('the export is one snapshot: a comment written while it runs is not half in it', async () => {
      const reader = await openDatabase(source);
      const writer = await openDatabase(source);
      try {
        let wrote = false;
        let text = '';
        const out = new Writable({
          highWaterMark: 1,
          write(chunk: Buffer, _encoding, done) {
            text += chunk.toString();
            if (wrote || !text.includes('"table":"identities"')) return done();
            wrote = true;
            // Another connection writes a reader and a comment after the export has started reading.
            writer
              .createIdentity({ name: 'Late', tokenHash: 'late-hash' })
              .then((late) =>
                writer.createComment({
                  thread: THREAD, parentId: null, body: 'Written during the export', html: '<p>Written during the export</p>',
                  authorId: late.id, status: 'visible', requestHash: 'x', maxDepth: 3,
                }),
              )
              .then(() => done(), done);
          },
        });
        const trailer = await exportSite(reader, out);
        assert.ok(wrote);
        assert.doesNotMatch(text, /Written during the export|late-hash/);
        assert.equal(trailer.counts.comments, 10);
        const [now] = await writer.db.all('SELECT count(*) AS n FROM comments');
        assert.equal(Number(now!.n), 11);
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    test('a damaged or truncated export is refused with its line and column, before anything is written', async () => {
      await withTemp(async (dir) => {
        const good = join(dir, 'site.jsonl');
        assert.equal((await runCli(['export', '--out', good], { DATABASE_URL: cliDatabaseUrl(source) })).code, 0);
        const lines = readFileSync(good, 'utf8').trimEnd().split('\n');
        const target = make();
        try {
          await (await openDatabase(target)).close();
          const env = { DATABASE_URL: cliDatabaseUrl(target) };

          const broken = join(dir, 'broken.jsonl');
          writeFileSync(broken, [...lines.slice(0, 3), lines[3]!.replace('"row":{', '"row":{,'), ...lines.slice(4)].join('\n'));
          const syntax = await runCli(['import', 'json', broken], env);
          assert.equal(syntax.code, 1);
          assert.match(syntax.stderr, /broken\.jsonl is not a usable Colloquy export: line 4, column \d+: not valid JSON/);

          const truncated = join(dir, 'truncated.jsonl');
          writeFileSync(truncated, lines.slice(0, -3).join('\n'));
          const cut = await runCli(['import', 'json', truncated], env);
          assert.equal(cut.code, 1);
          assert.match(cut.stderr, /the closing line \{"end": true, …\} is missing: the file is incomplete/);

          const foreign = join(dir, 'foreign.jsonl');
          writeFileSync(foreign, [lines[0], '{"table":"users","row":{"id":1}}', lines.at(-1)].join('\n'));
          const unknown = await runCli(['import', 'json', foreign], env);
          assert.equal(unknown.code, 1);
          assert.match(unknown.stderr, /line 2, column 1: unknown table "users"/);

          const store = await openDatabase(target);
          try {
            const [row] = await store.db.all(`SELECT count(*) AS n FROM comments`);
            assert.equal(Number(row!.n), 0);
          } finally {
            await store.close();
          }
        } finally {
          await target.cleanup();
        }
      });
    });
  });
}

test('an export from SQLite imports into PostgreSQL and exports as the same bytes', async () => {
  const from = tempSqlite();
  const to = tempPostgres();
  try {
    const server = await serverOn(from);
    try {
      await populate(server);
    } finally {
      await server.stop();
    }
    await (await openDatabase(to)).close();
    await withTemp(async (dir) => {
      const a = join(dir, 'a.jsonl');
      const b = join(dir, 'b.jsonl');
      assert.equal((await runCli(['export', '--out', a], { DATABASE_URL: cliDatabaseUrl(from) })).code, 0);
      assert.equal((await runCli(['import', 'json', a, '--trusted'], { DATABASE_URL: cliDatabaseUrl(to) })).code, 0);
      assert.equal((await runCli(['export', '--out', b], { DATABASE_URL: cliDatabaseUrl(to) })).code, 0);
      assert.equal(normalise(readFileSync(b, 'utf8')), normalise(readFileSync(a, 'utf8')));
    });
  } finally {
    await from.cleanup();
    await to.cleanup();
  }
});
