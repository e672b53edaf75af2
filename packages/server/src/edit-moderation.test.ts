import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { signJwt } from './http-test-support.js';
import { EDITED_REASON, FIRST_COMMENT_REASON } from './post-decision.js';
import { openSse } from './sse-test-client.js';
import { DATABASES, serverStarter, type TestServer } from './test-support.js';

const SECRET = 'edit-moderation-secret-edit-moderation-secret';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const enc = encodeURIComponent;
type Item = { comment: { id: string; body: string; status: string }; heldReasons: string[] };

for (const { name: driver, make } of DATABASES) {
  describe(`edits are moderated as new posts are, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET });

    let moderator: string;
    before(async () => {
      moderator = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
    });

    const post = (t: TestServer, token: string, thread: string, body: string) => t.call('POST', '/comments', { token, body: { thread, body } });
    const edit = (t: TestServer, token: string, id: string, body: string) => t.call('PATCH', `/comments/${id}`, { token, body: { body } });
    const act = (t: TestServer, id: string, action: string) => t.call('POST', `/moderation/comments/${id}`, { token: moderator, body: { action } });
    const heldItem = async (t: TestServer, id: string): Promise<Item | undefined> =>
      (await t.call('GET', '/moderation/queue?status=held', { token: moderator })).json.items.find((i: Item) => i.comment.id === id);
    const page = async (t: TestServer, thread: string, token?: string) =>
      (await t.call('GET', `/comments?thread=${enc(thread)}`, token ? { token } : {})).json.comments.map((c: { body: string; status: string }) => [c.status, c.body]);

    test('under pre-moderation an approved comment that its author edits goes back to the queue and leaves the thread', async () => {
      const t = await start({ moderation: 'pre' });
      const th = '/pre/edit';
      const author = await t.identity('Author');
      const reader = await t.identity('Reader');
      const c = (await post(t, author.token, th, 'a harmless remark')).json.comment;
      assert.equal(c.status, 'held');
      await act(t, c.id, 'approve');
      assert.deepEqual(await page(t, th, reader.token), [['visible', 'a harmless remark']]);

      const live = await openSse(`${t.url}/api/v1/events?thread=${enc(th)}`);
      const mods = await openSse(`${t.url}/api/v1/moderation/events`, { authorization: `Bearer ${moderator}` });
      try {
        const edited = await edit(t, author.token, c.id, 'BUY NOW at my shop');
        assert.equal(edited.status, 200);
        assert.equal(edited.json.comment.status, 'held', 'the author is told the edit awaits review');
        assert.deepEqual(await page(t, th, reader.token), [], 'other readers no longer see it');
        assert.deepEqual(await page(t, th), []);
        assert.deepEqual(await page(t, th, author.token), [['held', 'BUY NOW at my shop']], 'the author still sees it, as held');
        assert.equal((await t.call('GET', `/counts?thread=${enc(th)}`)).json.counts[th], 0);

        const [gone] = await live.waitFor(1);
        assert.equal(gone!.event, 'hidden');
        assert.equal(gone!.data.comment.id, c.id);
        assert.equal(gone!.data.comment.body, '', 'the live event carries no text');
        const [held] = await mods.waitFor(1);
        assert.deepEqual([held!.event, held!.data.comment.body, held!.data.edited, held!.data.heldReasons], ['held', 'BUY NOW at my shop', true, [EDITED_REASON]]);

        const item = await heldItem(t, c.id);
        assert.ok(item, 'the edit reaches moderators as a held item');
        assert.deepEqual(item.heldReasons, [EDITED_REASON]);
        assert.equal(item.comment.body, 'BUY NOW at my shop');

        // Approved again, it comes back to every reader.
        await act(t, c.id, 'approve');
        assert.deepEqual(await page(t, th, reader.token), [['visible', 'BUY NOW at my shop']]);
      } finally {
        await live.close();
        await mods.close();
      }
    });

    test('a thread prefix under pre-moderation holds edits there only; an edit of a held comment stays held', async () => {
      const t = await start({ premoderatedThreads: ['/review/'] });
      const author = await t.identity('Author');
      const open = (await post(t, author.token, '/open', 'first words')).json.comment;
      assert.equal((await edit(t, author.token, open.id, 'second words')).json.comment.status, 'visible', 'outside the prefix an edit shows at once');
      const reviewed = (await post(t, author.token, '/review/a', 'first words')).json.comment;
      assert.equal(reviewed.status, 'held');
      const again = await edit(t, author.token, reviewed.id, 'still waiting');
      assert.equal(again.json.comment.status, 'held', 'editing a held comment does not publish it');
      await act(t, reviewed.id, 'approve');
      assert.deepEqual(await page(t, '/review/a'), [['visible', 'still waiting']]);
      assert.equal((await edit(t, author.token, reviewed.id, 'changed after approval')).json.comment.status, 'held');
      assert.deepEqual((await heldItem(t, reviewed.id))?.heldReasons, [EDITED_REASON]);
      assert.deepEqual(await page(t, '/review/a'), []);
    });

    test('an edit that the spam check flags is held, in post-moderation too', async () => {
      const t = await start({ spamFilter: true });
      const th = '/spam-edit';
      const author = await t.identity('Ada');
      const c = (await post(t, author.token, th, 'Walking after dinner helps me sleep.')).json.comment;
      assert.equal(c.status, 'visible');
      const spam = await edit(t, author.token, c.id, 'Cheap pills at https://bit.ly/xyz and https://pills.example.com');
      assert.equal(spam.json.comment.status, 'held');
      assert.deepEqual(await page(t, th), []);
      const item = await heldItem(t, c.id);
      assert.ok(item && item.heldReasons.length > 0, 'the spam rules are named');
      assert.ok(!item.heldReasons.includes(EDITED_REASON));
    });

    test('the first-comments hold applies to edits as to posts', async () => {
      const t = await start({ holdFirstComments: 2 });
      const author = await t.identity('Newcomer');
      const c = (await post(t, author.token, '/first', 'hello')).json.comment;
      await act(t, c.id, 'approve');
      // One comment published of the two it takes: a new post would still be held, so is an edit.
      const edited = await edit(t, author.token, c.id, 'hello, edited');
      assert.equal(edited.json.comment.status, 'held');
      assert.deepEqual((await heldItem(t, c.id))?.heldReasons, [FIRST_COMMENT_REASON]);
    });

    test('a moderator’s edit of someone else’s comment is not held; nor is a mentor’s own edit', async () => {
      const t = await start({ moderation: 'pre' });
      const th = '/pre/staff';
      const author = await t.identity('Author');
      const c = (await post(t, author.token, th, 'my phone number is 555-0100')).json.comment;
      await act(t, c.id, 'approve');
      const fixed = await edit(t, moderator, c.id, 'my phone number is [removed]');
      assert.equal(fixed.status, 200);
      assert.equal(fixed.json.comment.status, 'visible');
      assert.deepEqual(await page(t, th), [['visible', 'my phone number is [removed]']]);
      assert.equal(await heldItem(t, c.id), undefined);
      const mentor = await jwt({ sub: 'mentor-1', name: 'Mia', role: 'mentor' });
      const own = (await post(t, mentor, th, 'welcome')).json.comment;
      assert.equal((await edit(t, mentor, own.id, 'welcome, all')).json.comment.status, 'visible');
    });

    test('a reader who reconnects after missing the edit drops the comment (replay)', async () => {
      const t = await start({ moderation: 'pre' });
      const th = '/pre/replay';
      const author = await t.identity('Author');
      const c = (await post(t, author.token, th, 'fine words')).json.comment;
      await act(t, c.id, 'approve');
      const first = await openSse(`${t.url}/api/v1/events?thread=${enc(th)}`);
      await first.waitForPing();
      const lastEventId = first.lastEventId;
      await first.close();
      await edit(t, author.token, c.id, 'changed words');
      const again = await openSse(`${t.url}/api/v1/events?thread=${enc(th)}`, { 'last-event-id': lastEventId });
      try {
        const [missed] = await again.waitFor(1);
        assert.deepEqual([missed!.event, missed!.data.comment.id, missed!.data.comment.body], ['hidden', c.id, '']);
      } finally {
        await again.close();
      }
    });
  });
}
