// A reply past the depth cap is stored under an ancestor of the comment it answers; `replyTo`
// keeps that comment, named as readers see it, through posting, listing, deletion, erasure and
// a WordPress import deeper than the cap (docs/decisions/0031).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '@colloquy/core';
import { SignJWT } from 'jose';
import { importInto, parseWxr } from '@colloquy/importer';
import { DATABASES, sharedRenderer, startTestServer, type TestServer } from './test-support.js';
import { createStoreImportSink } from './transfer/import-sink.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

type Listed = { id: string; body: string; parentId: string | null; replyTo: { id: string; name: string | null } | null; replies: Listed[] };

function flatten(comments: Listed[]): Listed[] {
  return comments.flatMap((c) => [c, ...flatten(c.replies)]);
}

/** A WordPress post whose comments form one chain of `length` replies, each answering the one before. */
function wxrChain(length: number): string {
  const comments = Array.from({ length }, (_, i) => {
    const id = i + 1;
    return `<wp:comment>
      <wp:comment_id>${id}</wp:comment_id>
      <wp:comment_author><![CDATA[Writer ${id}]]></wp:comment_author>
      <wp:comment_author_email>writer${id}@example.org</wp:comment_author_email>
      <wp:comment_date_gmt>2014-01-14 17:${String(10 + id).padStart(2, '0')}:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Level ${i}]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type></wp:comment_type>
      <wp:comment_parent>${i}</wp:comment_parent>
    </wp:comment>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Chain</title>
    <link>https://blog.example</link>
    <item>
      <title>A long argument</title>
      <link>https://blog.example/2014/chain/</link>
      <wp:post_id>18</wp:post_id>
      <wp:post_type>post</wp:post_type>
      <wp:status>publish</wp:status>
      ${comments}
    </item>
  </channel>
</rss>`;
}

for (const { name: driver, make } of DATABASES) {
  describe(`replies past the depth cap say whom they answer (${driver})`, () => {
    let t: TestServer;
    let n = 0;
    const nextThread = () => `/articles/reply-to-${++n}`;
    before(async () => {
      t = await startTestServer({ jwtSecret: SECRET, limits: { ...DEFAULT_LIMITS, maxDepth: 1 } }, make());
    });
    after(() => t.stop());

    const post = async (token: string, thread: string, body: string, parentId?: string) => {
      const r = await t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
      assert.equal(r.status, 201, r.text);
      return r.json.comment as Listed;
    };
    const list = async (thread: string, token?: string) =>
      flatten((await t.call('GET', `/comments?thread=${encodeURIComponent(thread)}`, token ? { token } : {})).json.comments as Listed[]);

    test('a reply to the deepest comment sits beside it and names it; others have replyTo null', async () => {
      const thread = nextThread();
      const ada = await t.identity('Ada');
      const bo = await t.identity('Bo');
      const top = await post(ada.token, thread, 'Top');
      const reply = await post(bo.token, thread, 'Depth 1', top.id);
      const deeper = await post(ada.token, thread, 'Answers Bo', reply.id);
      assert.equal(deeper.parentId, top.id, 'stored under the capped ancestor');
      assert.deepEqual(deeper.replyTo, { id: reply.id, name: 'Bo' }, 'the create answer names whom it answers');
      const listed = await list(thread);
      assert.deepEqual(
        listed.map((c) => [c.body, c.parentId, c.replyTo]),
        [
          ['Top', null, null],
          ['Depth 1', top.id, null],
          ['Answers Bo', top.id, { id: reply.id, name: 'Bo' }],
        ],
      );
      // A reply to the capped reply answers it in turn, not the comment it answered.
      const third = await post(bo.token, thread, 'Answers Ada', deeper.id);
      assert.deepEqual([third.parentId, third.replyTo], [top.id, { id: deeper.id, name: 'Ada' }]);
      // Moderators reviewing a report see the comment it answers as its parent.
      assert.equal((await t.call('POST', `/comments/${third.id}/reports`, { token: ada.token, body: { reason: 'spam' } })).status, 201);
      const mod = await new SignJWT({ name: 'Mod', role: 'moderator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mod-1')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SECRET));
      const queue = await t.call('GET', `/moderation/queue?status=reported&thread=${encodeURIComponent(thread)}`, { token: mod });
      assert.equal(queue.status, 200, queue.text);
      const item = queue.json.items.find((i: { comment: { id: string } }) => i.comment.id === third.id);
      assert.equal(item?.parent?.id, deeper.id, 'the queue shows the comment answered, not the stored parent');
      assert.deepEqual(item?.comment.replyTo, { id: deeper.id, name: 'Ada' });
    });

    test('a deleted, or erased, answered comment keeps its id but loses its name', async () => {
      const thread = nextThread();
      const ada = await t.identity('Ada');
      const bo = await t.identity('Bo');
      const dan = await t.identity('Dan');
      const top = await post(ada.token, thread, 'Top');
      const byBo = await post(bo.token, thread, 'Bo at depth 1', top.id);
      const toBo = await post(ada.token, thread, 'To Bo', byBo.id);
      assert.equal((await t.call('DELETE', `/comments/${byBo.id}`, { token: bo.token })).status, 200);
      const replyTo = async (id: string) => (await list(thread)).find((c) => c.id === id)?.replyTo;
      assert.deepEqual(await replyTo(toBo.id), { id: byBo.id, name: null }, 'deleted: no name');
      // Dan erases himself (this server removes an erased reader's comments): his comment has
      // no reply under it, so it goes; the reply answering it keeps its id and no name.
      const byDan = await post(dan.token, thread, 'Dan at depth 1', top.id);
      const toDan = await post(ada.token, thread, 'To Dan', byDan.id);
      assert.deepEqual(await replyTo(toDan.id), { id: byDan.id, name: 'Dan' });
      const erased = await t.call('DELETE', '/me', { token: dan.token });
      assert.equal(erased.status, 200, erased.text);
      assert.equal(erased.json.erased.removed, 1);
      assert.deepEqual(await replyTo(toDan.id), { id: byDan.id, name: null }, 'a removed comment: its id stays, no name');
      assert.equal((await list(thread)).find((c) => c.id === toDan.id)?.body, 'To Dan', 'the answering reply is untouched');
    });

    test('an erasure that keeps the text under no name leaves the answered comment nameless too', async () => {
      const anonymising = await startTestServer({ limits: { ...DEFAULT_LIMITS, maxDepth: 1 }, erasure: 'anonymise' }, make());
      try {
        const thread = nextThread();
        const ada = await anonymising.identity('Ada');
        const cy = await anonymising.identity('Cy');
        const call = async (token: string, body: Record<string, unknown>) => (await anonymising.call('POST', '/comments', { token, body })).json.comment as Listed;
        const top = await call(ada.token, { thread, body: 'Top' });
        const byCy = await call(cy.token, { thread, body: 'Cy at depth 1', parentId: top.id });
        const toCy = await call(ada.token, { thread, body: 'To Cy', parentId: byCy.id });
        assert.deepEqual(toCy.replyTo, { id: byCy.id, name: 'Cy' });
        assert.equal((await anonymising.call('DELETE', '/me', { token: cy.token })).status, 200);
        const listed = flatten((await anonymising.call('GET', `/comments?thread=${encodeURIComponent(thread)}`)).json.comments as Listed[]);
        assert.equal(listed.find((c) => c.id === byCy.id)?.body, 'Cy at depth 1', 'the text stays');
        assert.deepEqual(listed.find((c) => c.id === toCy.id)?.replyTo, { id: byCy.id, name: null }, 'erased author: no name');
      } finally {
        await anonymising.stop();
      }
    });

    test('a WordPress thread deeper than the cap keeps whom each reply answers', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-reply-to-'));
      try {
        const file = join(dir, 'chain.xml');
        writeFileSync(file, wxrChain(4));
        const sink = createStoreImportSink(t.server.store, { renderer: sharedRenderer(), maxDepth: 1 });
        const summary = await importInto(parseWxr(file), sink);
        await sink.flush();
        assert.equal(summary.created, 4);
        const listed = await list('/2014/chain');
        assert.deepEqual(
          listed.map((c) => [c.body, c.parentId === null ? null : listed.find((p) => p.id === c.parentId)?.body, c.replyTo?.name ?? null]),
          [
            ['Level 0', null, null],
            ['Level 1', 'Level 0', null],
            ['Level 2', 'Level 0', 'Writer 2'],
            ['Level 3', 'Level 0', 'Writer 3'],
          ],
        );
        assert.equal(listed[3]!.replyTo!.id, listed[2]!.id);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
