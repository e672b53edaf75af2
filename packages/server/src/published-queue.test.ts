// The `visible` queue ("Published"; docs/protocol.md, decision 0037's amendment): every published
// comment, newest first, searched and keyset-paged like the queues awaiting a decision, so a
// moderator finds a staff answer nobody reported and pins it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { DATABASES, EVERY_READER_COUNTS, queriesOf, serverStarter, type TestServer } from './test-support.js';

const SECRET = 'published-queue-secret-published-queue-secret';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const enc = encodeURIComponent;
type Item = { comment: { id: string; status: string; pinnedAt?: string | null }; reports: unknown[]; reportGroups: unknown[]; actions: unknown[]; author: { name: string; counts: { visible: number } } };

for (const { name: driver, make } of DATABASES) {
  describe(`the published queue, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET, ...EVERY_READER_COUNTS, reportThreshold: 2 });

    const post = async (t: TestServer, token: string, thread: string, body: string, parentId?: string): Promise<string> => {
      const answer = await t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
      assert.equal(answer.status, 201, answer.text);
      return answer.json.comment.id;
    };
    async function page(t: TestServer, moderator: string, query: string): Promise<{ items: Item[]; nextCursor: string | null; total: number }> {
      const answer = await t.call('GET', `/moderation/queue?status=visible&${query}`, { token: moderator });
      assert.equal(answer.status, 200, answer.text);
      return answer.json;
    }
    /** Every page of a search, `limit` at a time: the ids in order, and the totals each page gave. */
    async function allPages(t: TestServer, moderator: string, query: string, limit: number) {
      const ids: string[] = [];
      const totals: number[] = [];
      let cursor: string | null = null;
      do {
        const answer: Awaited<ReturnType<typeof page>> = await page(t, moderator, `${query}&limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
        assert.ok(answer.items.length <= limit);
        ids.push(...answer.items.map((item) => item.comment.id));
        totals.push(answer.total);
        cursor = answer.nextCursor;
      } while (cursor);
      return { ids, totals };
    }

    test('lists every visible comment newest first, none held, hidden or deleted; searches and pages it like the other queues', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
      const staff = await jwt({ sub: 'staff-1', name: 'Sam Staff', role: 'staff' });
      const ada = await t.identity('Ada');
      const bea = await t.identity('Bea');
      const posted: string[] = [];
      posted.push(await post(t, ada.token, '/pub/a', 'First thoughts on the article'));
      posted.push(await post(t, staff, '/pub/a', 'Staff answer: the fix ships in 2.3'));
      posted.push(await post(t, bea.token, '/pub/b', 'Unrelated musing'));
      posted.push(await post(t, ada.token, '/pub/a', 'A reply to the staff answer', posted[1]));
      const hidden = await post(t, bea.token, '/pub/b', 'Something a moderator hides');
      const deleted = await post(t, ada.token, '/pub/b', 'Something its author deletes');
      posted.push(await post(t, bea.token, '/pub/a', 'Reported once, still up'));
      assert.equal((await t.call('POST', `/moderation/comments/${hidden}`, { token: moderator, body: { action: 'hide' } })).status, 200);
      assert.equal((await t.call('DELETE', `/comments/${deleted}`, { token: ada.token })).status, 200);
      assert.equal((await t.call('POST', `/comments/${posted[4]}/reports`, { token: ada.token, body: { reason: 'spam' } })).status, 201);

      const newestFirst = [...posted].reverse();
      const whole = await page(t, moderator, '');
      assert.deepEqual(whole.items.map((item) => item.comment.id), newestFirst, 'newest first, replies too; not the hidden or deleted one');
      assert.equal(whole.total, 5);
      assert.equal(whole.nextCursor, null);
      assert.ok(whole.items.every((item) => item.comment.status === 'visible'));
      const staffAnswer = whole.items.find((item) => item.comment.id === posted[1])!;
      assert.deepEqual([staffAnswer.reports, staffAnswer.reportGroups, staffAnswer.actions], [[], [], []], 'an unreported comment has no reports');
      assert.equal(staffAnswer.author.name, 'Sam Staff');
      assert.equal(staffAnswer.author.counts.visible, 1, 'with its author’s history, as in every queue');
      const reported = whole.items.find((item) => item.comment.id === posted[4])!;
      assert.equal(reported.reports.length, 1, 'a reported comment below the threshold shows its report here too');

      // Keyset pages of 2: each comment once, in order, with the whole total on each page.
      assert.deepEqual(await allPages(t, moderator, '', 2), { ids: newestFirst, totals: [5, 5, 5] });
      // The same filters as the other queues, every one given must match.
      assert.deepEqual(await allPages(t, moderator, 'q=STAFF', 1), { ids: [posted[3], posted[1]], totals: [2, 2] }, 'text in the body or the author’s name');
      assert.deepEqual(await allPages(t, moderator, 'q=sam', 5), { ids: [posted[1]], totals: [1] });
      assert.deepEqual(await allPages(t, moderator, `thread=${enc('/pub/b/')}`, 5), { ids: [posted[2]], totals: [1] }, 'the hidden and deleted ones are not published');
      assert.deepEqual(await allPages(t, moderator, `authorId=${ada.id}&thread=${enc('/pub/a')}`, 5), { ids: [posted[3], posted[0]], totals: [2] });
      assert.equal((await page(t, moderator, 'q=nothing+like+it')).total, 0);

      // A page decided on meanwhile neither skips nor repeats: hide the first item seen, then page on.
      const first = await page(t, moderator, 'limit=2');
      assert.equal((await t.call('POST', `/moderation/comments/${first.items[0]!.comment.id}`, { token: moderator, body: { action: 'hide' } })).status, 200);
      const second = await page(t, moderator, `limit=2&cursor=${enc(first.nextCursor!)}`);
      assert.deepEqual(second.items.map((item) => item.comment.id), newestFirst.slice(2, 4));
      assert.equal(second.total, 4, 'the hidden comment left the published queue');
      const hiddenQueue = (await t.call('GET', '/moderation/queue?status=hidden', { token: moderator })).json.items.map((item: Item) => item.comment.id);
      assert.ok(hiddenQueue.includes(first.items[0]!.comment.id), 'and is in the hidden queue');

      // A cursor belongs to its queue; an unknown status is refused; readers may not look.
      assertError(await t.call('GET', `/moderation/queue?status=reported&cursor=${enc(first.nextCursor!)}`, { token: moderator }), 400, 'invalid_cursor');
      assertError(await t.call('GET', `/moderation/queue?status=visible&cursor=${enc('x'.repeat(20))}`, { token: moderator }), 400, 'invalid_cursor');
      assertError(await t.call('GET', '/moderation/queue?status=published', { token: moderator }), 400, 'invalid_input');
      assertError(await t.call('GET', '/moderation/queue?status=visible&limit=101', { token: moderator }), 400, 'invalid_input');
      assertError(await t.call('GET', '/moderation/queue?status=visible', { token: ada.token }), 403, 'forbidden');
    });

    test('a moderator finds a staff answer nobody reported in the published queue and pins it: readers see it first', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-2', name: 'Mina', role: 'moderator' });
      const staff = await jwt({ sub: 'staff-2', name: 'Sol', role: 'staff' });
      const reader = await t.identity('Reader');
      const thread = '/2026/guide';
      await post(t, reader.token, thread, 'How do I configure this?');
      const answer = await post(t, staff, thread, 'The mentor’s guide: set COLLOQUY_SITE_URL first.');
      for (const n of [1, 2, 3]) await post(t, reader.token, thread, `later comment ${n}`);
      for (const status of ['reported', 'held', 'hidden']) {
        const items = (await t.call('GET', `/moderation/queue?status=${status}`, { token: moderator })).json.items as Item[];
        assert.ok(!items.some((item) => item.comment.id === answer), `not in ${status}: nobody reported it`);
      }

      const found = await page(t, moderator, `q=${enc('mentor’s guide')}&thread=${enc(thread)}`);
      assert.deepEqual(found.items.map((item) => item.comment.id), [answer]);
      const pinned = await t.call('POST', `/moderation/comments/${answer}/pin`, { token: moderator, body: { pinned: true, reason: 'the answer' } });
      assert.equal(pinned.status, 200, pinned.text);

      const first = (await t.call('GET', `/comments?thread=${enc(thread)}&sort=newest&limit=2`)).json;
      assert.deepEqual(first.pinned.map((c: { id: string }) => c.id), [answer], 'the pin is on the thread’s first page');
      assert.ok(!first.comments.some((c: { id: string }) => c.id === answer));
      const again = await page(t, moderator, `q=${enc('mentor’s guide')}`);
      assert.ok(again.items[0]!.comment.pinnedAt, 'the published queue shows it pinned');
      const audit = (await t.call('GET', `/moderation/audit?commentId=${answer}`, { token: moderator })).json.entries;
      assert.deepEqual(audit.map((e: { action: string }) => e.action), ['pin']);
    });

    test('a published page costs the same number of database queries with 2 items as with 12, each by its own author', async () => {
      const t = await start();
      const moderator = await jwt({ sub: 'mod-3', name: 'Max', role: 'moderator' });
      async function queriesForPage() {
        const queries = await queriesOf(t, () => page(t, moderator, ''));
        const { items } = await page(t, moderator, '');
        return { items: items.length, queries };
      }
      async function addPublished(n: number) {
        for (let i = 0; i < n; i++) {
          const author = await t.identity(`Author ${n}-${i}`);
          const parent = await post(t, author.token, `/queries/${i % 3}`, `published comment ${n}-${i}`);
          // Half of them replies, so the page reads parents too.
          if (i % 2 === 0) await post(t, author.token, `/queries/${i % 3}`, `a reply ${n}-${i}`, parent);
        }
      }
      await addPublished(1);
      const small = await queriesForPage();
      await addPublished(8);
      const large = await queriesForPage();
      assert.deepEqual([small.items, large.items], [2, 14]);
      assert.equal(large.queries, small.queries, `${small.queries} queries for 2 items, ${large.queries} for 14`);
    });
  });
}
