import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encodeCursor, type Role } from '@colloquy/core';
import { DATABASES, openEmptyDatabase, type Database } from '../test-support.js';
import { createStore, MIGRATIONS, type Store } from './index.js';
import { migrate } from './migrations.js';

// The moderation side of the store, against each driver: report rounds, the audit trail,
// authors' history, IP-range bans and stream tickets.
for (const { name, make } of DATABASES) {
  describe(`moderation store on ${name}`, () => {
    let database: Database;
    let store: Store;
    let clock = Date.parse('2026-11-22T10:00:00.000Z');
    const tick = () => (clock += 1000);
    let n = 0;
    const thread = () => `/moderation/${name}-${++n}`;

    before(async () => {
      database = make();
      store = await createStore(database.url, { now: () => clock, ...(database.schema ? { schema: database.schema } : {}) });
    });
    after(async () => {
      await store.close();
      await database.cleanup();
    });

    const reader = (nameValue = 'Ada', role: Role = 'reader') =>
      store.createIdentity({ name: nameValue, tokenHash: `hash-${Math.random()}`, role });
    async function post(t: string, authorId: string, body: string, status: 'visible' | 'held' = 'visible') {
      tick();
      const { comment } = await store.createComment({ thread: t, parentId: null, body, html: `<p>${body}</p>`, authorId, status, requestHash: body, maxDepth: 2 });
      return comment;
    }
    const report = (commentId: string, identityId: string, weight = 1, reason: 'spam' | 'harassment' = 'spam') => {
      tick();
      return store.reportComment({ commentId, identityId, reason, details: null, weight, threshold: 3 });
    };

    test('an approval closes the round of reports; the same readers may report again, weighing nothing, and new readers count anew', async () => {
      const t = thread();
      const author = await reader('Author');
      const mod = await reader('Mod', 'moderator');
      const c = await post(t, author.id, 'contested');
      const [a, b, d] = [await reader('A'), await reader('B'), await reader('D')];
      assert.equal((await report(c.id, a.id)).reportWeight, 1);
      assert.equal((await report(c.id, b.id)).reportWeight, 2);
      const third = await report(c.id, d.id);
      assert.equal(third.reportWeight, 3);
      assert.equal(third.hidden?.status, 'hidden');
      await assert.rejects(report(c.id, a.id), { code: 'already_reported' });
      await store.moderate({ commentId: c.id, moderatorId: mod.id, action: 'approve', reason: 'satire, fine' });
      assert.ok(!(await store.moderationQueue('reported')).items.some((i) => i.comment.id === c.id), 'approval empties the round');

      // A new round: the earlier reports no longer count, and neither do the earlier reporters.
      const again = await report(c.id, a.id, 1, 'harassment');
      assert.equal(again.reportWeight, 0);
      assert.equal(again.hidden, null);
      const item = (await store.moderationQueue('reported')).items.find((i) => i.comment.id === c.id);
      assert.deepEqual(item?.reports.map((r) => [r.reporter.id, r.reason]), [[a.id, 'harassment']]);
      assert.equal(item?.reportWeight, 0);
      await report(c.id, b.id);
      assert.equal((await report(c.id, d.id)).hidden, null, 'the same three readers cannot hide it again');
      const [e, f, g] = [await reader('E'), await reader('F'), await reader('G')];
      await report(c.id, e.id);
      assert.equal((await report(c.id, f.id)).reportWeight, 2);
      const hiddenAgain = await report(c.id, g.id);
      assert.equal(hiddenAgain.reportWeight, 3);
      assert.equal(hiddenAgain.hidden?.hiddenBy, 'reports');

      const log = await store.auditLog(c.id);
      assert.deepEqual(
        log.map((e) => [e.action, e.moderatorId, e.authorId]),
        [
          ['auto-hide', null, author.id],
          ['approve', mod.id, author.id],
          ['auto-hide', null, author.id],
        ],
      );
      assert.deepEqual(log[0]?.detail, { reportWeight: 3, threshold: 3 });
      assert.equal(log[1]?.moderator?.name, 'Mod');
      assert.equal(log[1]?.reason, 'satire, fine');
    });

    test('the audit log pages newest first without repeats and filters by comment, author and moderator', async () => {
      const t = thread();
      const mod = await reader('Pager', 'moderator');
      const other = await reader('Other mod', 'staff');
      const target = await reader('Target');
      const bystander = await reader('Bystander');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = await post(t, i % 2 === 0 ? target.id : bystander.id, `c${i}`);
        tick();
        await store.moderate({ commentId: c.id, moderatorId: i === 4 ? other.id : mod.id, action: 'hide', reason: `r${i}` });
        made.push(c.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<Store['auditEntries']>> = await store.auditEntries({ moderatorId: mod.id, cursor, limit: 2 });
        assert.ok(page.entries.length <= 2);
        seen.push(...page.entries.map((e) => e.commentId!));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, made.slice(0, 4).reverse());
      const byAuthor = await store.auditEntries({ authorId: target.id, limit: 50 });
      assert.deepEqual(byAuthor.entries.map((e) => e.reason), ['r4', 'r2', 'r0']);
      assert.equal(byAuthor.entries[0]?.moderator?.role, 'staff');
      const byComment = await store.auditEntries({ commentId: made[1]!, limit: 50 });
      assert.deepEqual(byComment.entries.map((e) => [e.action, e.reason]), [['hide', 'r1']]);
      for (const cursor of ['not-a-cursor!', encodeCursor('oldest', [1, 'c_x']), encodeCursor('audit', ['c_x', 1])]) {
        await assert.rejects(store.auditEntries({ cursor, limit: 5 }), { code: 'invalid_cursor' });
      }
    });

    test('a queue pages oldest first by keyset with its total, and deciding items between pages neither skips nor repeats one', async () => {
      // The queues are store-wide, so this test counts on a database of its own.
      const own = make();
      const paged = await createStore(own.url, { now: () => clock, ...(own.schema ? { schema: own.schema } : {}) });
      try {
        const t = thread();
        const [author, mod, reporter] = await Promise.all([
          paged.createIdentity({ name: 'Author', tokenHash: 'paged-author' }),
          paged.createIdentity({ name: 'Mod', tokenHash: 'paged-mod', role: 'moderator' }),
          paged.createIdentity({ name: 'Reporter', tokenHash: 'paged-reporter' }),
        ]);
        const reported = async (body: string) => {
          tick();
          const { comment } = await paged.createComment({ thread: t, parentId: null, body, html: body, authorId: author.id, status: 'visible', requestHash: body, maxDepth: 2 });
          tick();
          await paged.reportComment({ commentId: comment.id, identityId: reporter.id, reason: 'spam', details: null, weight: 1, threshold: 3 });
          return comment.id;
        };
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push(await reported(`r${i}`));
        tick();
        await paged.createComment({ thread: t, parentId: null, body: 'held', html: 'held', authorId: author.id, status: 'held', requestHash: 'held', maxDepth: 2 });

        const first = await paged.moderationQueue('reported', { limit: 3 });
        assert.deepEqual(first.items.map((i) => i.comment.id), ids.slice(0, 3));
        assert.equal(first.total, 7);
        assert.ok(first.nextCursor);
        assert.equal(first.items[0]?.reportWeight, 1);

        // Between pages: two items already seen are decided, one not yet seen is decided, and a new one is reported.
        for (const id of [ids[0]!, ids[1]!, ids[4]!]) await paged.moderate({ commentId: id, moderatorId: mod.id, action: 'approve', reason: null });
        ids.push(await reported('late'));

        const second = await paged.moderationQueue('reported', { cursor: first.nextCursor, limit: 3 });
        assert.deepEqual(second.items.map((i) => i.comment.id), [ids[3], ids[5], ids[6]]);
        assert.equal(second.total, 5, 'the total is the queue now: 7 − 3 decided + 1 new');
        const third = await paged.moderationQueue('reported', { cursor: second.nextCursor, limit: 3 });
        assert.deepEqual(third.items.map((i) => i.comment.id), [ids[7]]);
        assert.equal(third.nextCursor, null);
        assert.equal(third.total, 5);

        // Without a limit, the whole of a small queue in one page; each queue has its own total.
        const whole = await paged.moderationQueue('reported');
        assert.deepEqual(whole.items.map((i) => i.comment.id), [ids[2], ids[3], ids[5], ids[6], ids[7]]);
        assert.equal(whole.nextCursor, null);
        assert.deepEqual([(await paged.moderationQueue('held')).total, (await paged.moderationQueue('hidden')).total], [1, 0]);

        // A cursor belongs to its queue; anything else is invalid_cursor.
        const foreign = encodeCursor('oldest', [1, 'c_x']);
        for (const cursor of ['not-a-cursor!', foreign, encodeCursor('queue:reported', ['x', 1]), encodeCursor('audit', [1, 'c_x'])]) {
          await assert.rejects(paged.moderationQueue('reported', { cursor, limit: 3 }), { code: 'invalid_cursor' });
        }
        await assert.rejects(paged.moderationQueue('held', { cursor: first.nextCursor, limit: 3 }), { code: 'invalid_cursor' });
      } finally {
        await paged.close();
        await own.cleanup();
      }
    });

    test('an author’s history counts comments by status and lists the latest comments and actions about them', async () => {
      const t = thread();
      const mod = await reader('Historian', 'moderator');
      const author = await reader('Often reported');
      const first = await post(t, author.id, 'first');
      await post(t, author.id, 'second');
      await post(t, author.id, 'third', 'held');
      await store.moderate({ commentId: first.id, moderatorId: mod.id, action: 'spam', reason: 'link farm' });
      const history = await store.authorHistory(author.id, { comments: 2 });
      assert.equal(history.identity?.name, 'Often reported');
      assert.deepEqual(history.counts, { visible: 1, held: 1, hidden: 1, deleted: 0, spam: 1 });
      assert.deepEqual(history.recent.map((c) => c.body), ['third', 'second']);
      assert.deepEqual(history.actions.map((a) => [a.action, a.reason, a.commentId]), [['spam', 'link farm', first.id]]);
      assert.equal(await store.publishedCommentCount(author.id), 1);
      await store.moderate({ commentId: first.id, moderatorId: mod.id, action: 'ban-author', reason: 'spammer' });
      assert.equal((await store.authorHistory(author.id)).identity?.banned, true);
      await store.moderate({ commentId: first.id, moderatorId: mod.id, action: 'unban-author', reason: 'appealed' });
      const after = await store.authorHistory(author.id);
      assert.equal(after.identity?.banned, false);
      assert.deepEqual(after.actions.map((a) => a.action), ['unban-author', 'ban-author', 'spam']);
    });

    test('several authors’ histories at once match each author’s own, cut at the sizes asked', async () => {
      const t = thread();
      const mod = await reader('Batch mod', 'moderator');
      const prolific = await reader('Prolific');
      const quiet = await reader('Quiet');
      const silent = await reader('Silent');
      const posted = [];
      for (const body of ['p1', 'p2', 'p3', 'p4']) posted.push(await post(t, prolific.id, body));
      const q1 = await post(t, quiet.id, 'q1', 'held');
      for (const [commentId, action] of [[posted[0]!.id, 'hide'], [posted[1]!.id, 'spam'], [q1.id, 'approve']] as const) {
        tick();
        await store.moderate({ commentId, moderatorId: mod.id, action, reason: null });
      }
      const histories = await store.authorHistories([prolific.id, quiet.id, silent.id, prolific.id, 'i_nobody'], { comments: 2, actions: 1 });
      assert.deepEqual([...histories.keys()], [prolific.id, quiet.id, silent.id, 'i_nobody']);
      for (const id of [prolific.id, quiet.id, silent.id]) {
        assert.deepEqual(histories.get(id), await store.authorHistory(id, { comments: 2, actions: 1 }));
      }
      assert.deepEqual(histories.get(prolific.id)!.recent.map((c) => c.body), ['p4', 'p3']);
      assert.deepEqual(histories.get(prolific.id)!.actions.map((a) => a.action), ['spam']);
      assert.deepEqual(histories.get(prolific.id)!.counts, { visible: 2, held: 0, hidden: 2, deleted: 0, spam: 1 });
      assert.deepEqual(histories.get(quiet.id)!.actions.map((a) => [a.action, a.commentId]), [['approve', q1.id]]);
      assert.deepEqual(histories.get(silent.id)!.recent, []);
      assert.equal(histories.get('i_nobody')!.identity, null);
      const logs = await store.auditLogs([posted[0]!.id, q1.id, posted[3]!.id]);
      assert.deepEqual(logs.get(posted[0]!.id)!.map((e) => e.action), ['hide']);
      assert.deepEqual(logs.get(q1.id), await store.auditLog(q1.id));
      assert.equal(logs.has(posted[3]!.id), false);
    });

    test('the queue and the audit log are searched by text, author and thread, ignoring case, with LIKE’s own characters matched as typed', async () => {
      const own = make();
      const searched = await createStore(own.url, { now: () => clock, ...(own.schema ? { schema: own.schema } : {}) });
      try {
        const mod = await searched.createIdentity({ name: 'Search mod', tokenHash: 'search-mod', role: 'moderator' });
        const ada = await searched.createIdentity({ name: 'Ada Lovelace', tokenHash: 'search-ada' });
        const bob = await searched.createIdentity({ name: 'Bob', tokenHash: 'search-bob' });
        const held = async (thread: string, authorId: string, body: string) => {
          tick();
          return (await searched.createComment({ thread, parentId: null, body, html: `<p>${body}</p>`, authorId, status: 'held', requestHash: body, maxDepth: 2 })).comment;
        };
        const a1 = await held('/search/one', ada.id, 'Buy CHEAP pills now');
        const a2 = await held('/search/two', ada.id, 'A kind word, 100% sincere');
        const b1 = await held('/search/one', bob.id, 'cheap_flights and more');
        const b2 = await held('/search/two', bob.id, 'Nothing to see');
        const found = async (search: Parameters<Store['moderationQueue']>[1] extends infer P ? P extends { search?: infer S } ? S : never : never, limit = 100) => {
          const page = await searched.moderationQueue('held', { search, limit });
          return { ids: page.items.map((i) => i.comment.id), total: page.total, next: page.nextCursor };
        };
        assert.deepEqual((await found({ text: 'cheap' })).ids, [a1.id, b1.id]);
        assert.deepEqual((await found({ text: 'CHEAP P' })).ids, [a1.id]);
        assert.deepEqual((await found({ text: '100%' })).ids, [a2.id], '% is matched as typed');
        assert.deepEqual((await found({ text: 'p_p' })).ids, [], '_ is matched as typed (as a wildcard it would find “cheap pills”)');
        assert.deepEqual((await found({ text: 'cheap_' })).ids, [b1.id]);
        assert.deepEqual((await found({ text: 'lovelace' })).ids, [a1.id, a2.id], 'the author’s name is searched too');
        assert.deepEqual((await found({ thread: '/search/two' })).ids, [a2.id, b2.id]);
        assert.deepEqual((await found({ authorId: bob.id, thread: '/search/one' })).ids, [b1.id]);
        assert.deepEqual((await found({ text: 'nowhere' })).ids, []);
        // The total is the search's, and keyset paging works inside a search.
        const first = await found({ text: 'e' }, 2);
        assert.deepEqual([first.ids.length, first.total], [2, 4]);
        const second = await searched.moderationQueue('held', { search: { text: 'e' }, limit: 2, cursor: first.next });
        assert.deepEqual(second.items.map((i) => i.comment.id), [b1.id, b2.id]);

        tick();
        await searched.moderate({ commentId: a1.id, moderatorId: mod.id, action: 'spam', reason: 'Pharmacy spam' });
        tick();
        await searched.moderate({ commentId: b2.id, moderatorId: mod.id, action: 'approve', reason: null });
        const audit = async (query: Omit<Parameters<Store['auditEntries']>[0], 'limit'>) =>
          (await searched.auditEntries({ ...query, limit: 50 })).entries.map((e) => e.commentId);
        assert.deepEqual(await audit({ text: 'pharmacy' }), [a1.id], 'the reason');
        assert.deepEqual(await audit({ text: 'nothing to' }), [b2.id], 'the comment’s body');
        assert.deepEqual(await audit({ text: 'BOB' }), [b2.id], 'the author’s name');
        assert.deepEqual(await audit({ thread: '/search/one' }), [a1.id]);
        assert.deepEqual(await audit({ thread: '/search/two', text: 'pharmacy' }), []);
      } finally {
        await searched.close();
        await own.cleanup();
      }
    });

    test('IP-range bans are added once, listed, lifted, and audited', async () => {
      const mod = await reader('Range mod', 'moderator');
      const ban = await store.addIpBan({ cidr: `203.0.113.0/24`, reason: 'spam wave', moderatorId: mod.id });
      assert.equal(ban.cidr, '203.0.113.0/24');
      await assert.rejects(store.addIpBan({ cidr: '203.0.113.0/24', reason: null, moderatorId: mod.id }), { code: 'conflict' });
      const v6 = await store.addIpBan({ cidr: '2001:db8::/32', reason: null, moderatorId: mod.id });
      assert.deepEqual((await store.listIpBans()).map((b) => b.cidr), ['203.0.113.0/24', '2001:db8::/32']);
      await store.removeIpBan({ id: ban.id, reason: 'wave over', moderatorId: mod.id });
      assert.deepEqual((await store.listIpBans()).map((b) => b.id), [v6.id]);
      await assert.rejects(store.removeIpBan({ id: ban.id, reason: null, moderatorId: mod.id }), { code: 'not_found' });
      const entries = (await store.auditEntries({ moderatorId: mod.id, limit: 10 })).entries;
      assert.deepEqual(
        entries.map((e) => [e.action, e.detail?.cidr, e.commentId]),
        [
          ['unban-range', '203.0.113.0/24', null],
          ['ban-range', '2001:db8::/32', null],
          ['ban-range', '203.0.113.0/24', null],
        ],
      );
    });

    test('identities are banned and unbanned directly, listed, and audited without a comment', async () => {
      const mod = await reader('Direct mod', 'moderator');
      const sock = await reader('Sock');
      await assert.rejects(store.setIdentityBan({ identityId: 'i_none', banned: true, moderatorId: mod.id, reason: null }), { code: 'not_found' });
      assert.equal((await store.setIdentityBan({ identityId: sock.id, banned: true, moderatorId: mod.id, reason: 'puppet' })).banned, true);
      assert.ok((await store.listBannedIdentities()).some((i) => i.id === sock.id));
      assert.equal((await store.setIdentityBan({ identityId: sock.id, banned: false, moderatorId: mod.id, reason: null })).banned, false);
      assert.ok(!(await store.listBannedIdentities()).some((i) => i.id === sock.id));
      const history = await store.authorHistory(sock.id);
      assert.deepEqual(history.actions.map((a) => [a.action, a.reason, a.commentId]), [['unban-author', null, null], ['ban-author', 'puppet', null]]);
    });

    test('stream tickets name their identity until they expire, and prune removes them', async () => {
      const mod = await reader('Streamer', 'moderator');
      await store.createStreamTicket('ticket-hash', mod.id, clock + 60_000);
      assert.equal((await store.identityByStreamTicket('ticket-hash'))?.id, mod.id);
      assert.equal(await store.identityByStreamTicket('other'), null);
      clock += 61_000;
      assert.equal(await store.identityByStreamTicket('ticket-hash'), null);
      await store.prune({ rateLimitMs: 3600_000, idempotencyMs: 3600_000 });
      assert.deepEqual(await store.db.all('SELECT * FROM stream_tickets'), []);
    });
  });
}

describe('migration 4 keeps earlier reports and audit entries', () => {
  for (const { name, make } of DATABASES) {
    test(name, async () => {
      const database = make();
      const db = await openEmptyDatabase(database);
      try {
        // The schema as it was before migration 4, with a report and an audit entry in it.
        await db.transaction(async (tx) => {
          await tx.run(`CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
          for (const m of MIGRATIONS.filter((m) => m.id < 4)) {
            for (const statement of m.statements) await tx.run(statement);
            await tx.run(`INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)`, [m.id, m.name, 0]);
          }
          await tx.run(`INSERT INTO identities (id, kind, name, role, created_at) VALUES ('i_a', 'pseudonymous', 'A', 'reader', 1), ('i_m', 'jwt', 'M', 'moderator', 1)`);
          await tx.run(
            `INSERT INTO comments (id, thread, root_id, depth, author_id, body, html, status, created_at) VALUES ('c_1', '/t', 'c_1', 0, 'i_a', 'x', 'x', 'visible', 2)`,
          );
          await tx.run(`INSERT INTO reports (comment_id, identity_id, reason, details, weight, created_at) VALUES ('c_1', 'i_m', 'spam', 'ads', 2, 3)`);
          await tx.run(`INSERT INTO moderation_log (id, comment_id, moderator_id, action, reason, created_at) VALUES ('m_1', 'c_1', 'i_m', 'hide', 'old', 4)`);
        });
        assert.deepEqual(await migrate(db), MIGRATIONS.filter((m) => m.id >= 4).map((m) => m.id));
        const store = (await import('./index.js')).createSqlStore(db);
        const queue = (await store.moderationQueue('reported')).items;
        assert.deepEqual(queue.map((i) => [i.comment.id, i.reports[0]?.details, i.reportWeight]), [['c_1', 'ads', 2]]);
        const log = await store.auditLog('c_1');
        assert.deepEqual(log.map((e) => [e.id, e.action, e.reason, e.authorId, e.moderator?.name]), [['m_1', 'hide', 'old', 'i_a', 'M']]);
      } finally {
        await db.close();
        await database.cleanup();
      }
    });
  }
});
