import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ColloquyError, encodeCursor } from '@colloquy/core';
import { DATABASES, type Database } from '../test-support.js';
import { createStore, MIGRATIONS, type Store } from './index.js';

// One suite, run against each driver: both must behave the same.
for (const { name, make } of DATABASES) {
  describe(`store on ${name}`, () => {
    let database: Database;
    let store: Store;
    let clock = Date.parse('2026-11-22T10:00:00.000Z');
    const tick = () => (clock += 1000);
    let n = 0;
    const thread = () => `/articles/${name}-${++n}`;

    before(async () => {
      database = make();
      store = await createStore(database.url, { now: () => clock, ...(database.schema ? { schema: database.schema } : {}) });
    });
    after(async () => {
      await store.close();
      await database.cleanup();
    });

    async function reader(nameValue: string | null = 'Ada', role: 'reader' | 'mentor' | 'moderator' = 'reader') {
      return store.createIdentity({ name: nameValue, tokenHash: `hash-${Math.random()}`, role });
    }
    async function post(t: string, authorId: string, body: string, parentId: string | null = null, key?: string) {
      tick();
      const { comment } = await store.createComment({
        thread: t,
        parentId,
        body,
        html: `<p>${body}</p>`,
        authorId,
        status: 'visible',
        idempotencyKey: key ?? null,
        requestHash: `${t}|${parentId}|${body}`,
        maxDepth: 2,
      });
      return comment;
    }

    test('migrations are recorded and not applied twice', async () => {
      const rows = await store.db.all<{ id: number }>('SELECT id FROM migrations ORDER BY id');
      assert.deepEqual(
        rows.map((r) => Number(r.id)),
        MIGRATIONS.map((m) => m.id),
      );
      const again = await createStore(database.url, database.schema ? { schema: database.schema } : {});
      await again.close();
    });

    test('pseudonymous identities are found by token hash and named once', async () => {
      const id = await store.createIdentity({ name: null, tokenHash: 'secret-hash-1' });
      assert.equal(id.name, null);
      assert.equal((await store.findIdentityByTokenHash('secret-hash-1'))?.id, id.id);
      assert.equal(await store.findIdentityByTokenHash('other'), null);
      const named = await store.nameIdentity(id.id, 'Grace');
      assert.equal(named.name, 'Grace');
      await assert.rejects(store.nameIdentity(id.id, 'Again'), { code: 'conflict' });
    });

    test('JWT identities are upserted by subject', async () => {
      const first = await store.upsertSubjectIdentity({ subject: 'site-user-7', name: 'Lin', role: 'reader' });
      const second = await store.upsertSubjectIdentity({ subject: 'site-user-7', name: 'Lin M.', role: 'mentor' });
      assert.equal(first.id, second.id);
      assert.equal(second.name, 'Lin M.');
      assert.equal(second.role, 'mentor');
      assert.equal(second.kind, 'jwt');
    });

    test('a create with an idempotency key returns the first comment on replay and refuses another payload', async () => {
      const t = thread();
      const ada = await reader();
      const first = await post(t, ada.id, 'Hello', null, 'key-1');
      const input = {
        thread: t,
        parentId: null,
        body: 'Hello',
        html: '<p>Hello</p>',
        authorId: ada.id,
        status: 'visible' as const,
        idempotencyKey: 'key-1',
        requestHash: `${t}|null|Hello`,
        maxDepth: 2,
      };
      const replay = await store.createComment(input);
      assert.equal(replay.replayed, true);
      assert.equal(replay.comment.id, first.id);
      await assert.rejects(store.createComment({ ...input, body: 'Other', requestHash: 'different' }), {
        code: 'idempotency_conflict',
      });
      // Racing duplicates: exactly one comment.
      const racing = await Promise.all(
        Array.from({ length: 5 }, () => store.createComment({ ...input, idempotencyKey: 'key-race' })),
      );
      assert.equal(new Set(racing.map((r) => r.comment.id)).size, 1);
      assert.equal(racing.filter((r) => !r.replayed).length, 1);
      const page = await store.listComments({ thread: t, sort: 'oldest', limit: 100 });
      assert.equal(page.comments.length, 2);
    });

    test('concurrent writes succeed or fail one by one, and every answered one is stored', async () => {
      const t = thread();
      const ada = await reader();
      const attempts = Array.from({ length: 40 }, (_, i) =>
        store.createComment({
          thread: t,
          parentId: i % 5 === 4 ? 'c_missing' : null,
          body: `burst ${i}`,
          html: `<p>burst ${i}</p>`,
          authorId: ada.id,
          status: 'visible',
          idempotencyKey: `burst-${i}`,
          requestHash: `burst-${i}`,
          maxDepth: 2,
        }),
      );
      const results = await Promise.allSettled(attempts);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r) => r.status === 'rejected');
      assert.equal(ok.length, 32);
      assert.ok(failed.every((r) => (r as PromiseRejectedResult).reason.code === 'not_found'));
      // A failed create left nothing behind, not even its idempotency key.
      const keys = await store.db.all<{ key: string }>(`SELECT key FROM idempotency_keys WHERE identity_id = ? AND key LIKE 'burst-%'`, [ada.id]);
      assert.equal(keys.length, 32);
      const reopened = await createStore(database.url, database.schema ? { schema: database.schema } : {});
      try {
        assert.deepEqual(await reopened.countVisible([t]), { [t]: 32 });
      } finally {
        await reopened.close();
      }
    });

    test('keyset paging neither repeats nor skips while others write', async () => {
      const t = thread();
      const ada = await reader();
      for (let i = 0; i < 7; i++) await post(t, ada.id, `c${i}`);
      for (const sort of ['oldest', 'newest'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let round = 0;
        do {
          const page: Awaited<ReturnType<Store['listComments']>> = await store.listComments({ thread: t, sort, cursor, limit: 3 });
          seen.push(...page.comments.map((c) => c.body));
          cursor = page.nextCursor;
          // Someone posts between page loads.
          if (round++ === 0) await post(t, ada.id, `late-${sort}`);
        } while (cursor);
        const unique = new Set(seen);
        assert.equal(unique.size, seen.length, `no repeats in ${sort}`);
        for (let i = 0; i < 7; i++) assert.ok(unique.has(`c${i}`), `c${i} present in ${sort}`);
      }
    });

    test('top sorts by visible replies and pages with its cursor', async () => {
      const t = thread();
      const ada = await reader();
      const quiet = await post(t, ada.id, 'quiet');
      const busy = await post(t, ada.id, 'busy');
      await post(t, ada.id, 'r1', busy.id);
      await post(t, ada.id, 'r2', busy.id);
      const page1 = await store.listComments({ thread: t, sort: 'top', limit: 1 });
      assert.equal(page1.comments[0]?.id, busy.id);
      const page2 = await store.listComments({ thread: t, sort: 'top', limit: 1, cursor: page1.nextCursor });
      assert.equal(page2.comments[0]?.id, quiet.id);
      assert.equal(page2.nextCursor, null);
    });

    test('bad cursors are invalid_cursor', async () => {
      const t = thread();
      // Malformed, another sort's, or this sort's tag with another key shape.
      for (const cursor of ['!!!', 'bm90IGpzb24', encodeCursor('top', [1, 2, 'x']), encodeCursor('oldest', ['x', 1]), encodeCursor('queue:held', [1, 'x'])]) {
        await assert.rejects(store.listComments({ thread: t, sort: 'oldest', cursor, limit: 5 }), (e: unknown) => {
          return e instanceof ColloquyError && e.code === 'invalid_cursor';
        });
      }
    });

    test('replies below the depth cap attach at the deepest level', async () => {
      const t = thread();
      const ada = await reader();
      const top = await post(t, ada.id, 'd0');
      const d1 = await post(t, ada.id, 'd1', top.id);
      const d2 = await post(t, ada.id, 'd2', d1.id);
      const d3 = await post(t, ada.id, 'd3', d2.id);
      assert.equal(d3.parentId, d1.id);
      assert.equal(d3.depth, 2);
      const page = await store.listComments({ thread: t, sort: 'oldest', limit: 10 });
      assert.deepEqual(
        page.comments[0]?.replies[0]?.replies.map((r) => r.body),
        ['d2', 'd3'],
      );
    });

    test('replies are refused for unknown parents, other threads and deleted parents', async () => {
      const t = thread();
      const ada = await reader();
      const top = await post(t, ada.id, 'x');
      await assert.rejects(post(t, ada.id, 'y', 'c_missing'), { code: 'not_found' });
      await assert.rejects(post(thread(), ada.id, 'y', top.id), { code: 'invalid_input' });
      await store.deleteComment(top.id);
      await assert.rejects(post(t, ada.id, 'y', top.id), { code: 'conflict' });
    });

    test('soft delete keeps the place of a comment with replies and drops one without', async () => {
      const t = thread();
      const ada = await reader();
      const withReplies = await post(t, ada.id, 'parent');
      await post(t, ada.id, 'child', withReplies.id);
      const alone = await post(t, ada.id, 'alone');
      const deleted = await store.deleteComment(withReplies.id);
      assert.equal(deleted.status, 'deleted');
      assert.equal(deleted.body, '');
      await store.deleteComment(alone.id);
      const page = await store.listComments({ thread: t, sort: 'oldest', limit: 10 });
      assert.deepEqual(
        page.comments.map((c) => [c.body, c.status]),
        [['', 'deleted']],
      );
      assert.equal(page.comments[0]?.replies[0]?.body, 'child');
      assert.deepEqual(await store.countVisible([t]), { [t]: 1 });
      await assert.rejects(store.editComment(alone.id, { body: 'x', html: 'x' }), { code: 'conflict' });
    });

    test('reports are unique per identity and hide at the weight threshold', async () => {
      const t = thread();
      const ada = await reader();
      const c = await post(t, ada.id, 'contested');
      const r1 = await reader('R1');
      const mentor = await reader('M', 'mentor');
      const first = await store.reportComment({ commentId: c.id, identityId: r1.id, reason: 'spam', details: null, weight: 1, threshold: 3 });
      assert.equal(first.hidden, null);
      await assert.rejects(
        store.reportComment({ commentId: c.id, identityId: r1.id, reason: 'spam', details: null, weight: 1, threshold: 3 }),
        { code: 'already_reported' },
      );
      const second = await store.reportComment({
        commentId: c.id,
        identityId: mentor.id,
        reason: 'harassment',
        details: 'rude',
        weight: 2,
        threshold: 3,
      });
      assert.equal(second.hidden?.status, 'hidden');
      assert.equal(second.hidden?.hiddenBy, 'reports');
      assert.deepEqual(await store.countVisible([t, '/nothing']), { [t]: 0, '/nothing': 0 });
      const queue = (await store.moderationQueue('reported')).items;
      const item = queue.find((i) => i.comment.id === c.id);
      assert.equal(item?.reports.length, 2);
      assert.equal(item?.reports[1]?.details, 'rude');
      await assert.rejects(
        store.reportComment({ commentId: 'c_none', identityId: r1.id, reason: 'spam', details: null, weight: 1, threshold: 3 }),
        { code: 'not_found' },
      );
    });

    test('moderation actions change status, close reports, ban, and write the audit log', async () => {
      const t = thread();
      const author = await reader('Troll');
      const mod = await reader('Mod', 'moderator');
      const c = await post(t, author.id, 'bad');
      const r = await reader('R');
      await store.reportComment({ commentId: c.id, identityId: r.id, reason: 'spam', details: null, weight: 1, threshold: 3 });
      const hidden = await store.moderate({ commentId: c.id, moderatorId: mod.id, action: 'hide', reason: 'rule 2' });
      assert.equal(hidden.comment.status, 'hidden');
      assert.equal(hidden.event, 'hidden');
      assert.ok(!(await store.moderationQueue('reported')).items.some((i) => i.comment.id === c.id));
      assert.ok((await store.moderationQueue('hidden')).items.some((i) => i.comment.id === c.id));
      const restored = await store.moderate({ commentId: c.id, moderatorId: mod.id, action: 'restore', reason: null });
      assert.equal(restored.comment.status, 'visible');
      assert.equal(restored.event, 'restored');
      const banned = await store.moderate({ commentId: c.id, moderatorId: mod.id, action: 'ban-author', reason: 'repeat' });
      assert.equal(banned.comment.status, 'hidden');
      assert.equal((await store.getIdentity(author.id))?.banned, true);
      const log = await store.auditLog(c.id);
      assert.deepEqual(
        log.map((e) => [e.action, e.reason, e.moderatorId]),
        [
          ['hide', 'rule 2', mod.id],
          ['restore', null, mod.id],
          ['ban-author', 'repeat', mod.id],
        ],
      );
    });

    test('held comments show only to their author until approved', async () => {
      const t = thread();
      const ada = await reader();
      const other = await reader('Other');
      tick();
      const { comment } = await store.createComment({
        thread: t,
        parentId: null,
        body: 'waiting',
        html: '<p>waiting</p>',
        authorId: ada.id,
        status: 'held',
        requestHash: 'h',
        maxDepth: 2,
      });
      assert.equal((await store.listComments({ thread: t, sort: 'oldest', limit: 5, viewerId: ada.id })).comments.length, 1);
      assert.equal((await store.listComments({ thread: t, sort: 'oldest', limit: 5, viewerId: other.id })).comments.length, 0);
      assert.ok((await store.moderationQueue('held')).items.some((i) => i.comment.id === comment.id));
      const approved = await store.moderate({ commentId: comment.id, moderatorId: other.id, action: 'approve', reason: null });
      assert.equal(approved.event, 'created');
      assert.equal((await store.listComments({ thread: t, sort: 'oldest', limit: 5 })).comments.length, 1);
    });

    test('prune forgets old rate-limit windows and idempotency keys, keeping recent ones', async () => {
      const t = thread();
      const ada = await reader();
      await post(t, ada.id, 'old', null, 'prune-old');
      await store.hitRateLimit(`prune:${name}`, 5, 60_000);
      clock += 8 * 24 * 3600_000;
      await post(t, ada.id, 'new', null, 'prune-new');
      const removed = await store.prune({ rateLimitMs: 24 * 3600_000, idempotencyMs: 7 * 24 * 3600_000 });
      assert.ok(removed >= 2);
      const keys = await store.db.all<{ key: string }>('SELECT key FROM idempotency_keys WHERE identity_id = ?', [ada.id]);
      assert.deepEqual(keys.map((k) => k.key), ['prune-new']);
    });

    test('rate limits count within a window and reset after it', async () => {
      const key = `ip:${name}:${Math.random()}`;
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await store.hitRateLimit(key, 3, 60_000));
      assert.deepEqual(
        results.map((r) => r.allowed),
        [true, true, true, false],
      );
      assert.ok(results[3]!.retryAfter >= 1 && results[3]!.retryAfter <= 60);
      clock += 60_000;
      assert.equal((await store.hitRateLimit(key, 3, 60_000)).allowed, true);
    });
  });
}
