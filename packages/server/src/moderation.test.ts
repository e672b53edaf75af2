import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { FIRST_COMMENT_REASON } from './app.js';
import { DATABASES, EVERY_READER_COUNTS, queriesOf, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'moderation-secret-moderation-secret-moderation';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const enc = encodeURIComponent;

for (const { name: driver, make } of DATABASES) {
  describe(`moderation over HTTP on ${driver}`, () => {
    // Each test starts its own server: the settings under test differ. These tests are about the
    // queue and decisions, not whose report counts (report-trust.test.ts): every reader's weighs 1.
    const servers: TestServer[] = [];
    async function start(options: Parameters<typeof startTestServer>[0] = {}) {
      const t = await startTestServer({ jwtSecret: SECRET, ...EVERY_READER_COUNTS, ...options }, make());
      servers.push(t);
      return t;
    }
    after(async () => {
      for (const t of servers) await t.stop();
    });

    let moderator: string;
    let mentor: string;
    before(async () => {
      moderator = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
      mentor = await jwt({ sub: 'mentor-1', name: 'Mia', role: 'mentor' });
    });

    const post = (t: TestServer, token: string, thread: string, body: string, parentId?: string) =>
      t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
    const report = (t: TestServer, token: string, id: string, reason = 'spam', details?: string) =>
      t.call('POST', `/comments/${id}/reports`, { token, body: { reason, ...(details ? { details } : {}) } });
    const act = (t: TestServer, id: string, action: string, reason?: string) =>
      t.call('POST', `/moderation/comments/${id}`, { token: moderator, body: { action, ...(reason ? { reason } : {}) } });
    const queue = async (t: TestServer, status = 'reported') => (await t.call('GET', `/moderation/queue?status=${status}`, { token: moderator })).json.items;
    const visibleCount = async (t: TestServer, thread: string) => (await t.call('GET', `/counts?thread=${enc(thread)}`)).json.counts[thread];

    test('reports weigh by role as configured, hide at the threshold by weight, and a reader may report again after an approval (weighing nothing)', async () => {
      const t = await start({ reportThreshold: 4, reportWeights: { reader: 1, mentor: 3, moderator: 3, staff: 3 } });
      const th = '/weights';
      const author = await t.identity('Author');
      const c = (await post(t, author.token, th, 'a contested opinion')).json.comment;
      const r1 = await t.identity('R1');
      assert.equal((await report(t, r1.token, c.id)).status, 201);
      assert.equal(await visibleCount(t, th), 1, 'one reader’s report (weight 1 of 4) leaves it up');
      assert.equal((await report(t, mentor, c.id, 'harassment')).status, 201);
      assert.equal(await visibleCount(t, th), 0, 'a mentor’s report (weight 3) reaches 4 and hides it');
      assert.deepEqual((await t.call('GET', `/comments?thread=${enc(th)}`)).json.comments, []);
      let item = (await queue(t)).find((i: { comment: { id: string } }) => i.comment.id === c.id);
      assert.equal(item.reportWeight, 4);
      assert.equal(item.threshold, 4);
      assert.equal(item.hiddenBy, 'reports');
      assert.deepEqual(item.reports.map((r: { weight: number; reporter: { role: string } }) => [r.reporter.role, r.weight]), [['reader', 1], ['mentor', 3]]);

      assert.equal((await act(t, c.id, 'approve', 'within the rules')).json.comment.status, 'visible');
      assert.equal(await visibleCount(t, th), 1);
      assert.ok(!(await queue(t)).some((i: { comment: { id: string } }) => i.comment.id === c.id), 'approval closes the round');
      // The same reader reports again: a new round, counted from zero, in which an earlier reporter weighs nothing.
      assert.equal((await report(t, r1.token, c.id, 'misinformation')).status, 201);
      assertError(await report(t, r1.token, c.id), 409, 'already_reported');
      item = (await queue(t)).find((i: { comment: { id: string } }) => i.comment.id === c.id);
      assert.equal(item.reportWeight, 0);
      assert.equal(item.reports.length, 1);
      assert.equal(item.comment.status, 'visible');
      assert.deepEqual(item.actions.map((a: { action: string }) => a.action), ['auto-hide', 'approve']);
      for (const n of ['R2', 'R3', 'R4']) assert.equal((await report(t, (await t.identity(n)).token, c.id)).status, 201);
      assert.equal(await visibleCount(t, th), 1, 'weight 3 of 4');
      assert.equal((await report(t, (await t.identity('R5')).token, c.id)).status, 201);
      assert.equal(await visibleCount(t, th), 0, 'four new readers reach the threshold again');
    });

    test('a queue page costs the same number of database queries with 2 items as with 12, each by its own author', async () => {
      const t = await start();
      async function queriesForPage() {
        const queries = await queriesOf(t, () => queue(t));
        const items = await queue(t);
        return { items: items.length, queries };
      }
      const reporter = await t.identity('Reporter');
      async function addReported(n: number) {
        for (let i = 0; i < n; i++) {
          const author = await t.identity(`Author ${n}-${i}`);
          const c = (await post(t, author.token, `/queries/${i % 3}`, `reported comment ${n}-${i}`)).json.comment;
          assert.equal((await report(t, reporter.token, c.id)).status, 201);
        }
      }
      await addReported(2);
      const small = await queriesForPage();
      await addReported(10);
      const large = await queriesForPage();
      assert.deepEqual([small.items, large.items], [2, 12]);
      assert.equal(large.queries, small.queries, `${small.queries} queries for 2 items, ${large.queries} for 12`);
    });

    test('moderators search the queue and the audit log over HTTP; a bad search is a clear 400', async () => {
      const t = await start();
      const reporter = await t.identity('Reporter');
      const author = await t.identity('Wendy Search');
      const ids = [];
      for (const [thread, body] of [['/find/a/', 'Cheap watches here'], ['/find/b', 'A thoughtful reply'], ['/find/a', 'watch this space']]) {
        const c = (await post(t, author.token, thread!, body!)).json.comment;
        assert.equal((await report(t, reporter.token, c.id)).status, 201);
        ids.push(c.id);
      }
      const search = async (query: string) => {
        const answer = await t.call('GET', `/moderation/queue?${query}`, { token: moderator });
        assert.equal(answer.status, 200, JSON.stringify(answer.json));
        return { ids: answer.json.items.map((i: { comment: { id: string } }) => i.comment.id), total: answer.json.total };
      };
      assert.deepEqual(await search('q=WATCH'), { ids: [ids[0], ids[2]], total: 2 });
      assert.deepEqual(await search(`thread=${enc('/find/a/')}`), { ids: [ids[0], ids[2]], total: 2 }, 'a thread key in any form the widget accepts');
      assert.deepEqual(await search(`q=wendy&thread=${enc('/find/b')}`), { ids: [ids[1]], total: 1 });
      assert.deepEqual((await search('q=nothing+like+it')).total, 0);
      assertError(await t.call('GET', `/moderation/queue?q=${'x'.repeat(201)}`, { token: moderator }), 400, 'invalid_input');
      assertError(await t.call('GET', '/moderation/queue?q=', { token: moderator }), 400, 'invalid_input');
      assertError(await t.call('GET', `/moderation/queue?q=watch`, { token: reporter.token }), 403, 'forbidden');

      assert.equal((await act(t, ids[0]!, 'spam', 'Counterfeit goods')).status, 200);
      assert.equal((await act(t, ids[1]!, 'approve')).status, 200);
      const audit = await t.call('GET', '/moderation/audit?q=counterfeit', { token: moderator });
      assert.deepEqual(audit.json.entries.map((e: { commentId: string; action: string }) => [e.action, e.commentId]), [['spam', ids[0]]]);
      const byThread = await t.call('GET', `/moderation/audit?thread=${enc('/find/b')}`, { token: moderator });
      assert.deepEqual(byThread.json.entries.map((e: { commentId: string }) => e.commentId), [ids[1]]);
      const exported = await t.call('GET', '/moderation/audit/export?q=counterfeit', { token: moderator });
      assert.equal(exported.json.filters.q, 'counterfeit');
      assert.deepEqual(exported.json.entries.map((e: { commentId: string }) => e.commentId), [ids[0]]);
    });

    test('moderators keep notes on an author, shown in the queue’s author history and to nobody else', async () => {
      const t = await start();
      const author = await t.identity('Noted Author');
      const reporter = await t.identity('Reporter');
      const c = (await post(t, author.token, '/notes', 'something borderline')).json.comment;
      assert.equal((await report(t, reporter.token, c.id)).status, 201);
      const add = (token: string, id: string, body: unknown) => t.call('POST', `/moderation/authors/${enc(id)}/notes`, { token, body: { body } });
      const first = await add(moderator, c.author.id, '  Warned by e-mail on 2 Dec.  ');
      assert.equal(first.status, 201, JSON.stringify(first.json));
      assert.equal(first.json.note.body, 'Warned by e-mail on 2 Dec.');
      assert.deepEqual(first.json.note.moderator, { id: first.json.note.moderator.id, name: 'Morgan', role: 'moderator' });
      const second = await add(mentor, c.author.id, 'x');
      assertError(second, 403, 'forbidden');
      assertError(await add(moderator, c.author.id, '   '), 400, 'invalid_input');
      assertError(await add(moderator, c.author.id, 'n'.repeat(2001)), 400, 'invalid_input');
      assertError(await add(moderator, 'i_nobody', 'who?'), 404, 'not_found');
      assert.equal((await add(moderator, c.author.id, 'Second note')).status, 201);

      const item = (await queue(t)).find((i: { comment: { id: string } }) => i.comment.id === c.id);
      assert.deepEqual(item.author.notes.map((n: { body: string }) => n.body), ['Second note', 'Warned by e-mail on 2 Dec.']);
      const listed = await t.call('GET', `/moderation/authors/${enc(c.author.id)}/notes`, { token: moderator });
      assert.deepEqual(listed.json.notes.map((n: { body: string }) => n.body), ['Second note', 'Warned by e-mail on 2 Dec.']);
      assertError(await t.call('GET', `/moderation/authors/${enc(c.author.id)}/notes`, { token: author.token }), 403, 'forbidden');
      // The author sees nothing of it, in their comments or in their own data.
      const own = await t.call('GET', '/me/export', { token: author.token });
      assert.equal(JSON.stringify(own.json).includes('Warned by e-mail'), false);

      const removed = await t.call('DELETE', `/moderation/notes/${enc(first.json.note.id)}`, { token: moderator });
      assert.equal(removed.json.note.id, first.json.note.id);
      assertError(await t.call('DELETE', `/moderation/notes/${enc(first.json.note.id)}`, { token: moderator }), 404, 'not_found');
      const after = await t.call('GET', `/moderation/authors/${enc(c.author.id)}/notes`, { token: moderator });
      assert.deepEqual(after.json.notes.map((n: { body: string }) => n.body), ['Second note']);
      // An author who erases their identity takes the notes about them along.
      assert.equal((await t.call('DELETE', '/me', { token: author.token })).status < 300, true);
      assertError(await t.call('GET', `/moderation/authors/${enc(c.author.id)}/notes`, { token: moderator }), 404, 'not_found');
      const left = await t.server.store.db.all<{ n: number }>('SELECT count(*) AS n FROM author_notes WHERE author_id = ?', [c.author.id]);
      assert.equal(Number(left[0]?.n), 0);
    });

    test('a suspension bans for a while and then ends by itself; a ban hides the author’s other held comments', async () => {
      let time = Date.parse('2026-12-02T10:00:00.000Z');
      const t = await start({ moderation: 'pre', now: () => time });
      // A moderator's token for the test's clock, valid for the whole year the test spans.
      const moderator = await signJwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' }, { secret: SECRET, at: time, expiresAt: Math.floor(time / 1000) + 400 * 86400 });
      const queue = async (t: TestServer, status: string) => (await t.call('GET', `/moderation/queue?status=${status}`, { token: moderator })).json.items;
      const author = await t.identity('Suspended Sam');
      const first = (await post(t, author.token, '/suspend', 'first held comment')).json.comment;
      const second = (await post(t, author.token, '/suspend', 'second held comment')).json.comment;
      const third = (await post(t, author.token, '/suspend-other', 'third held comment')).json.comment;
      assert.deepEqual([first.status, second.status, third.status], ['held', 'held', 'held']);
      assertError(
        await t.call('POST', `/moderation/comments/${first.id}`, { token: moderator, body: { action: 'hide', duration: 86400 } }),
        400,
        'invalid_input',
      );
      assertError(await t.call('POST', `/moderation/comments/${first.id}`, { token: moderator, body: { action: 'ban-author', duration: 60 } }), 400, 'invalid_input');
      const banned = await t.call('POST', `/moderation/comments/${first.id}`, { token: moderator, body: { action: 'ban-author', reason: 'cool off', duration: 7 * 86400 } });
      assert.equal(banned.status, 200, JSON.stringify(banned.json));
      // The other held comments left the held queue with the ban.
      assert.deepEqual(await queue(t, 'held'), []);
      const hidden = (await queue(t, 'hidden')).map((i: { comment: { id: string } }) => i.comment.id).sort();
      assert.deepEqual(hidden, [first.id, second.id, third.id].sort());
      const entry = (await t.call('GET', `/moderation/audit?commentId=${first.id}`, { token: moderator })).json.entries[0];
      assert.equal(entry.action, 'ban-author');
      assert.equal(entry.detail.until, '2026-12-09T10:00:00.000Z');
      assert.deepEqual([...entry.detail.hiddenHeld].sort(), [second.id, third.id].sort());

      const refused = await post(t, author.token, '/suspend', 'still here?');
      assertError(refused, 403, 'banned');
      assert.match(refused.json.error.message, /suspended by the moderators until 2026-12-09T10:00:00\.000Z/);
      const bans = (await t.call('GET', '/moderation/bans', { token: moderator })).json.identities;
      assert.deepEqual(bans.map((b: { name: string; bannedUntil: string }) => [b.name, b.bannedUntil]), [['Suspended Sam', '2026-12-09T10:00:00.000Z']]);

      time += 7 * 86400 * 1000 + 1000;
      const back = await post(t, author.token, '/suspend', 'back after a week');
      assert.equal(back.status, 201, JSON.stringify(back.json));
      assert.deepEqual((await t.call('GET', '/moderation/bans', { token: moderator })).json.identities, []);

      // Directly, without a comment: a permanent ban has no end.
      const direct = await t.call('POST', `/moderation/identities/${enc(first.author.id)}`, { token: moderator, body: { action: 'ban' } });
      assert.deepEqual([direct.json.identity.banned, direct.json.identity.bannedUntil], [true, null]);
      time += 365 * 86400 * 1000;
      assertError(await post(t, author.token, '/suspend', 'a year later'), 403, 'banned');
    });

    test('a queue item carries its thread, parent, reports grouped by reason, and the author’s history', async () => {
      const t = await start({ reportThreshold: 3 });
      const th = '/context';
      const host = await t.identity('Host');
      const troll = await t.identity('Troll');
      const parent = (await post(t, host.token, th, 'How do you cope with night shifts?')).json.comment;
      const earlier = (await post(t, troll.token, '/elsewhere', 'earlier rudeness')).json.comment;
      await act(t, earlier.id, 'hide', 'insults');
      const replyC = (await post(t, troll.token, th, 'you are all idiots', parent.id)).json.comment;
      const [a, b, c] = [await t.identity('A'), await t.identity('B'), await t.identity('C')];
      await report(t, a.token, replyC.id, 'harassment', 'insults everyone');
      await report(t, b.token, replyC.id, 'spam');
      await report(t, c.token, replyC.id, 'harassment', 'again');
      const item = (await queue(t)).find((i: { comment: { id: string } }) => i.comment.id === replyC.id);
      assert.equal(item.thread, th);
      assert.equal(item.comment.body, 'you are all idiots');
      assert.equal(item.parent.id, parent.id);
      assert.equal(item.parent.body, 'How do you cope with night shifts?');
      assert.deepEqual(
        item.reportGroups.map((g: { reason: string; count: number; weight: number; reports: Array<{ details: string | null }> }) => [
          g.reason,
          g.count,
          g.weight,
          g.reports.map((r) => r.details),
        ]),
        [
          ['harassment', 2, 2, ['insults everyone', 'again']],
          ['spam', 1, 1, [null]],
        ],
      );
      assert.equal(item.reportGroups[0].reports[0].reporter.name, 'A');
      assert.equal(item.author.id, troll.id);
      assert.equal(item.author.banned, false);
      assert.deepEqual(item.author.counts, { visible: 0, held: 0, hidden: 2, deleted: 0, spam: 0 });
      assert.deepEqual(item.author.recent.map((r: { id: string }) => r.id), [replyC.id, earlier.id]);
      assert.deepEqual(
        item.author.actions.map((x: { action: string; reason: string; moderator: { name: string } | null }) => [x.action, x.moderator?.name ?? null]),
        [
          ['auto-hide', null],
          ['hide', 'Morgan'],
        ],
      );
      assert.equal(item.author.actions[1].reason, 'insults');
    });

    test('first comments of new identities are held: their author sees them awaiting review, nobody else does', async () => {
      const t = await start({ holdFirstComments: 1 });
      const th = '/newcomers';
      const ada = await t.identity('Ada');
      const other = await t.identity('Other');
      const first = await post(t, ada.token, th, 'hello, first time here');
      assert.equal(first.status, 201);
      assert.equal(first.json.comment.status, 'held');
      assert.deepEqual((await t.call('GET', `/comments?thread=${enc(th)}`)).json.comments, []);
      assert.deepEqual((await t.call('GET', `/comments?thread=${enc(th)}`, { token: other.token })).json.comments, []);
      const own = (await t.call('GET', `/comments?thread=${enc(th)}`, { token: ada.token })).json.comments;
      assert.deepEqual(
        own.map((c: { status: string; body: string; author: { name: string } }) => [c.status, c.body, c.author.name]),
        [['held', 'hello, first time here', 'Ada']],
      );
      // Ada's page is hers alone: it is not served from the cache to anyone else.
      assert.deepEqual((await t.call('GET', `/comments?thread=${enc(th)}`)).json.comments, []);
      assert.deepEqual((await t.call('GET', `/comments?thread=${enc(th)}`, { token: other.token })).json.comments, []);
      assert.equal(await visibleCount(t, th), 0);
      const held = (await queue(t, 'held')).find((i: { comment: { id: string } }) => i.comment.id === first.json.comment.id);
      assert.deepEqual(held.heldReasons, [FIRST_COMMENT_REASON]);
      // Team members are never held.
      assert.equal((await post(t, mentor, th, 'welcome')).json.comment.status, 'visible');
      await act(t, first.json.comment.id, 'approve');
      assert.equal((await post(t, ada.token, th, 'second comment')).json.comment.status, 'visible', 'published once one is approved');
      assert.equal(await visibleCount(t, th), 3);
      assert.equal((await post(t, other.token, th, 'my first')).json.comment.status, 'held');
    });

    test('a banned author’s posts, edits and reports are refused with code banned; unban-author lifts it', async () => {
      const t = await start();
      const th = '/bans';
      const troll = await t.identity('Troll');
      const reader = await t.identity('Reader');
      const c1 = (await post(t, troll.token, th, 'first')).json.comment;
      const c2 = (await post(t, troll.token, th, 'second')).json.comment;
      const other = (await post(t, reader.token, th, 'fine')).json.comment;
      assert.equal((await act(t, c1.id, 'ban-author', 'repeated abuse')).status, 200);
      const refused = await post(t, troll.token, th, 'again');
      assertError(refused, 403, 'banned');
      assert.match(refused.json.error.message, /banned/);
      assertError(await t.call('PATCH', `/comments/${c2.id}`, { token: troll.token, body: { body: 'edited' } }), 403, 'banned');
      assertError(await report(t, troll.token, other.id), 403, 'banned');
      // Removing one's own words stays possible.
      assert.equal((await t.call('DELETE', `/comments/${c2.id}`, { token: troll.token })).status, 200);
      const item = (await queue(t, 'hidden')).find((i: { comment: { id: string } }) => i.comment.id === c1.id);
      assert.equal(item.author.banned, true);
      assert.deepEqual((await t.call('GET', '/moderation/bans', { token: moderator })).json.identities.map((i: { id: string; name: string }) => [i.id, i.name]), [[troll.id, 'Troll']]);
      assert.equal((await act(t, c1.id, 'unban-author', 'appeal accepted')).status, 200);
      assert.equal((await post(t, troll.token, th, 'I will behave')).status, 201);
      const audit = (await t.call('GET', `/moderation/audit?authorId=${troll.id}`, { token: moderator })).json.entries;
      assert.deepEqual(audit.map((e: { action: string }) => e.action), ['unban-author', 'ban-author']);

      // An identity can be banned directly, without going through one of its comments.
      assertError(await t.call('POST', `/moderation/identities/${reader.id}`, { token: troll.token, body: { action: 'ban' } }), 403, 'forbidden');
      assertError(await t.call('POST', '/moderation/identities/i_nobody', { token: moderator, body: { action: 'ban' } }), 404, 'not_found');
      assertError(await t.call('POST', `/moderation/identities/${reader.id}`, { token: moderator, body: { action: 'mute' } }), 400, 'invalid_input');
      const direct = await t.call('POST', `/moderation/identities/${reader.id}`, { token: moderator, body: { action: 'ban', reason: 'sock puppet' } });
      assert.equal(direct.status, 200);
      assert.equal(direct.json.identity.banned, true);
      assertError(await post(t, reader.token, th, 'still here?'), 403, 'banned');
      assert.equal((await t.call('POST', `/moderation/identities/${reader.id}`, { token: moderator, body: { action: 'unban' } })).json.identity.banned, false);
      assert.equal((await post(t, reader.token, th, 'back')).status, 201);
      const readerAudit = (await t.call('GET', `/moderation/audit?authorId=${reader.id}`, { token: moderator })).json.entries;
      assert.deepEqual(
        readerAudit.map((e: { action: string; reason: string | null; commentId: string | null }) => [e.action, e.reason, e.commentId]),
        [
          ['unban-author', null, null],
          ['ban-author', 'sock puppet', null],
        ],
      );
      assert.deepEqual((await t.call('GET', '/moderation/bans', { token: moderator })).json.identities, []);
    });

    test('IP ranges banned by configuration or by moderators refuse writes, for IPv4, IPv6 and mapped addresses', async () => {
      const t = await start({ trustProxy: 1, bannedIpRanges: ['198.51.100.0/24'] });
      const th = '/ranges';
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      assertError(await t.call('POST', '/identities', { body: { name: 'Spammer' }, headers: from('198.51.100.7') }), 403, 'banned');
      const ok = await t.call('POST', '/identities', { body: { name: 'Fine' }, headers: from('203.0.113.9') });
      assert.equal(ok.status, 201);
      const token = ok.json.token;
      const write = (ip: string) => t.call('POST', '/comments', { token, body: { thread: th, body: `from ${ip}` }, headers: from(ip) });
      assert.equal((await write('203.0.113.9')).status, 201);
      assertError(await write('198.51.100.200'), 403, 'banned');
      assertError(await write('::ffff:198.51.100.9'), 403, 'banned');

      const reader = await t.identity('Just a reader');
      assertError(await t.call('POST', '/moderation/bans', { token: reader.token, body: { cidr: '2001:db8::/32' } }), 403, 'forbidden');
      const added = await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr: '2001:DB8:0:0::1/32', reason: 'spam wave' } });
      assert.equal(added.status, 201);
      assert.equal(added.json.ban.cidr, '2001:db8::/32', 'stored in canonical form');
      assertError(await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr: '2001:db8::/32' } }), 409, 'conflict');
      for (const cidr of ['300.1.1.1/8', '10.0.0.0/33', 'fe80::/129', 'example.org', '10.0.0.0/-1']) {
        assertError(await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr } }), 400, 'invalid_input');
      }
      assertError(await write('2001:db8:1::5'), 403, 'banned');
      assert.equal((await write('2001:db9::5')).status, 201);
      const bans = (await t.call('GET', '/moderation/bans', { token: moderator })).json;
      assert.deepEqual(bans.configured, ['198.51.100.0/24']);
      assert.deepEqual(bans.ranges.map((b: { cidr: string; reason: string }) => [b.cidr, b.reason]), [['2001:db8::/32', 'spam wave']]);
      assert.equal((await t.call('DELETE', `/moderation/bans/${added.json.ban.id}?reason=over`, { token: moderator })).status, 200);
      assertError(await t.call('DELETE', `/moderation/bans/${added.json.ban.id}`, { token: moderator }), 404, 'not_found');
      assert.equal((await write('2001:db8:1::5')).status, 201);
      const audit = (await t.call('GET', '/moderation/audit', { token: moderator })).json.entries;
      assert.deepEqual(
        audit.slice(0, 2).map((e: { action: string; reason: string; detail: { cidr: string } }) => [e.action, e.reason, e.detail.cidr]),
        [
          ['unban-range', 'over', '2001:db8::/32'],
          ['ban-range', 'spam wave', '2001:db8::/32'],
        ],
      );
    });

    test('a range ban holds for a real IPv6 client on ::1', async () => {
      const t = await start({ host: '::1' });
      const ada = await t.identity('Ada');
      assert.equal((await post(t, ada.token, '/v6', 'before')).status, 201);
      assert.equal((await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr: '::1/128' } })).status, 201);
      assertError(await post(t, ada.token, '/v6', 'after'), 403, 'banned');
    });

    test('the queue pages oldest first with a cursor and a true total; bad cursors and limits are 400', async () => {
      const t = await start();
      const th = '/paged-queue';
      const author = await t.identity('Prolific');
      const reporter = await t.identity('Watchful');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = (await post(t, author.token, th, `queued ${i}`)).json.comment;
        assert.equal((await report(t, reporter.token, c.id)).status, 201);
        ids.push(c.id);
      }
      const page = (query: string) => t.call('GET', `/moderation/queue?${query}`, { token: moderator });

      const first = await page('status=reported&limit=2');
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.items.map((i: { comment: { id: string } }) => i.comment.id), ids.slice(0, 2));
      assert.equal(first.json.total, 5);
      assert.equal(typeof first.json.nextCursor, 'string');
      // A decision on an item already seen does not shift the next page.
      assert.equal((await act(t, ids[0]!, 'approve')).status, 200);
      const second = await page(`status=reported&limit=2&cursor=${enc(first.json.nextCursor)}`);
      assert.deepEqual(second.json.items.map((i: { comment: { id: string } }) => i.comment.id), ids.slice(2, 4));
      assert.equal(second.json.total, 4);
      const last = await page(`status=reported&limit=2&cursor=${enc(second.json.nextCursor)}`);
      assert.deepEqual(last.json.items.map((i: { comment: { id: string } }) => i.comment.id), [ids[4]]);
      assert.equal(last.json.nextCursor, null);
      // Without a limit a page holds up to 100; an empty queue answers a zero total.
      const whole = await page('status=reported');
      assert.equal(whole.json.items.length, 4);
      assert.equal(whole.json.nextCursor, null);
      assert.deepEqual((await page('status=held')).json, { items: [], nextCursor: null, total: 0 });

      assertError(await page('status=reported&cursor=garbage!'), 400, 'invalid_cursor');
      assertError(await page(`status=reported&cursor=${Buffer.from('{"s":"oldest","k":[1,"c_x"]}').toString('base64url')}`), 400, 'invalid_cursor');
      assertError(await page(`status=held&cursor=${enc(first.json.nextCursor)}`), 400, 'invalid_cursor');
      assertError(await page('status=reported&cursor='), 400, 'invalid_input');
      for (const limit of ['0', '101', 'ten', '2.5']) assertError(await page(`status=reported&limit=${limit}`), 400, 'invalid_input');
      assertError(await t.call('GET', `/moderation/queue?cursor=${enc(first.json.nextCursor)}`, { token: author.token }), 403, 'forbidden');

      const openapi = (await t.call('GET', '/openapi.json')).json.paths['/api/v1/moderation/queue'].get;
      assert.deepEqual(openapi.parameters.map((p: { name: string }) => p.name).sort(), ['authorId', 'cursor', 'limit', 'q', 'status', 'thread']);
      const schema = openapi.responses['200'].content['application/json'].schema;
      assert.deepEqual(Object.keys(schema.properties).sort(), ['items', 'nextCursor', 'total']);
    });

    test('the audit log: every action with who, when, what and why, newest first, keyset-paged, filtered, and exported as JSON', async () => {
      const t = await start();
      const th = '/audit';
      const [a, b] = [await t.identity('A'), await t.identity('B')];
      const ca = (await post(t, a.token, th, 'by a')).json.comment;
      const cb = (await post(t, b.token, th, 'by b')).json.comment;
      await act(t, ca.id, 'hide', 'rule 1');
      await act(t, ca.id, 'restore', 'on appeal');
      await act(t, cb.id, 'spam', 'link farm');
      assert.equal((await t.call('PATCH', `/comments/${ca.id}`, { token: moderator, body: { body: 'by a (link removed)' } })).status, 200);
      assertError(await t.call('GET', '/moderation/audit'), 401, 'unauthenticated');
      assertError(await t.call('GET', '/moderation/audit', { token: a.token }), 403, 'forbidden');
      assertError(await t.call('GET', '/moderation/audit/export', { token: a.token }), 403, 'forbidden');
      assertError(await t.call('GET', '/moderation/audit?cursor=garbage!', { token: moderator }), 400, 'invalid_cursor');
      assertError(await t.call('GET', '/moderation/audit?limit=0', { token: moderator }), 400, 'invalid_input');

      const all: Array<{ id: string; action: string; reason: string | null; commentId: string; authorId: string; moderator: { name: string }; createdAt: string }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await t.call('GET', `/moderation/audit?limit=2${cursor ? `&cursor=${enc(cursor)}` : ''}`, { token: moderator });
        assert.equal(r.status, 200);
        assert.ok(r.json.entries.length <= 2);
        all.push(...r.json.entries);
        cursor = r.json.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 2);
      assert.deepEqual(
        all.map((e) => [e.action, e.reason, e.commentId, e.authorId, e.moderator.name]),
        [
          ['edit', null, ca.id, a.id, 'Morgan'],
          ['spam', 'link farm', cb.id, b.id, 'Morgan'],
          ['restore', 'on appeal', ca.id, a.id, 'Morgan'],
          ['hide', 'rule 1', ca.id, a.id, 'Morgan'],
        ],
      );
      assert.ok(all.every((e) => !Number.isNaN(Date.parse(e.createdAt))));
      const byB = (await t.call('GET', `/moderation/audit?authorId=${b.id}`, { token: moderator })).json;
      assert.deepEqual(byB.entries.map((e: { action: string }) => e.action), ['spam']);
      assert.equal(byB.nextCursor, null);
      const byComment = (await t.call('GET', `/moderation/audit?commentId=${ca.id}`, { token: moderator })).json.entries;
      assert.deepEqual(byComment.map((e: { action: string }) => e.action), ['edit', 'restore', 'hide']);

      const exported = await fetch(`${t.url}/api/v1/moderation/audit/export`, { headers: { authorization: `Bearer ${moderator}` } });
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get('content-type') ?? '', /^application\/json/);
      assert.match(exported.headers.get('content-disposition') ?? '', /^attachment; filename="colloquy-audit-\d{4}-\d{2}-\d{2}\.json"$/);
      const file = await exported.json();
      assert.equal(file.format, 'colloquy-audit-log');
      assert.deepEqual(file.entries, all);
      const filtered = await t.call('GET', `/moderation/audit/export?authorId=${b.id}`, { token: moderator });
      assert.deepEqual(filtered.json.filters, { commentId: null, authorId: b.id, moderatorId: null, q: null, thread: null });
      assert.deepEqual(filtered.json.entries.map((e: { reason: string }) => e.reason), ['link farm']);
    });

    test('reporting is rate-limited per identity and per address with 429 and Retry-After', async () => {
      const t = await start({
        rateLimits: {
          write: { perIdentity: { limit: 100, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
          reports: { perIdentity: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 5, windowSeconds: 3600 } },
          identities: { perIp: { limit: 100, windowSeconds: 3600 } },
        },
        reportThreshold: 100,
      });
      const author = await t.identity('Author');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await post(t, author.token, '/limits', `comment ${i}`)).json.comment.id);
      const a = await t.identity('A');
      const statuses = [];
      for (const id of ids.slice(0, 3)) statuses.push((await report(t, a.token, id)).status);
      assert.deepEqual(statuses, [201, 201, 429], 'two reports a minute per reader');
      const limited = await report(t, a.token, ids[3]!);
      assertError(limited, 429, 'rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      // Fresh identities from the same address share its limit of five.
      const b = await t.identity('B');
      const c = await t.identity('C');
      assert.deepEqual([(await report(t, b.token, ids[0]!)).status, (await report(t, b.token, ids[1]!)).status, (await report(t, c.token, ids[0]!)).status], [201, 201, 201]);
      assertError(await report(t, c.token, ids[1]!), 429, 'rate_limited');
    });
  });
}
