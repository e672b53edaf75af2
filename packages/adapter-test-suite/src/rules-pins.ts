// Rules R42–R46: pinned comments come first on a thread's first page, in every sort, and never
// again on later pages; a thread holds a limited number of them; subscribers hear of pins live.
import type { Comment, Page, SortOrder, StorageAdapter, ThreadEvent } from '@colloquy/core';
import { deepEqual, equal, eventually, ok, rejectsWith } from './check.js';
import type { Harness } from './harness.js';

const SORTS: readonly SortOrder[] = ['oldest', 'newest', 'top'];

const ids = (comments: readonly Comment[] | undefined) => (comments ?? []).map((c) => c.id);
const isIsoTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

export function pinRules(h: Harness): void {
  /** A thread of five comments by Ada (the second with a reply), oldest first. */
  async function thread(): Promise<{ ada: StorageAdapter; threadKey: string; posted: Comment[] }> {
    const ada = await h.reader('Ada');
    const threadKey = h.thread('pins');
    const posted: Comment[] = [];
    for (const body of ['one', 'two', 'three', 'four', 'five']) posted.push(await h.post(ada, threadKey, body));
    await h.post(ada, threadKey, 'a reply to two', posted[1]!.id);
    return { ada, threadKey, posted };
  }

  async function firstPage(adapter: StorageAdapter, threadKey: string, sort: SortOrder): Promise<Page> {
    return adapter.listComments({ thread: threadKey, sort, limit: adapter.capabilities.limits.maxPageSize });
  }

  h.describe('pins', () => {
    h.it(['R42'], 'pinned comments come first, most recently pinned first, marked, in every sort, and leave the sorted list', async () => {
      const { ada, threadKey, posted } = await thread();
      const pin = h.ctx().setPinned;
      if (!pin) {
        const page = await firstPage(ada, threadKey, 'oldest');
        deepEqual(ids(page.pinned), [], 'storage that cannot pin lists no pinned comments');
        ok(page.comments.every((c) => !c.pinnedAt), 'and marks none');
        return;
      }
      await pin(posted[1]!.id, true);
      await pin(posted[3]!.id, true);
      const bo = await h.reader('Bo');
      for (const sort of SORTS) {
        const page = await firstPage(bo, threadKey, sort);
        deepEqual(ids(page.pinned), [posted[3]!.id, posted[1]!.id], `${sort}: the pins, the latest first`);
        ok(page.pinned!.every((c) => isIsoTime(c.pinnedAt)), `${sort}: each pinned comment has pinnedAt`);
        equal(page.pinned![1]!.replies.length, 1, `${sort}: a pinned comment keeps its replies`);
        ok(!page.pinned![1]!.replies[0]!.pinnedAt, `${sort}: a reply is not marked pinned`);
        const rest = posted.filter((_, i) => i !== 1 && i !== 3).map((c) => c.id);
        deepEqual(ids(page.comments), sort === 'oldest' ? rest : [...rest].reverse(), `${sort}: the others in their order, without the pins`);
        ok(page.comments.every((c) => !c.pinnedAt), `${sort}: the others are not marked`);
      }
      const anonymous = await h.ctx().connect();
      deepEqual(ids((await firstPage(anonymous, threadKey, 'oldest')).pinned), [posted[3]!.id, posted[1]!.id], 'a reader without an identity sees the pins too');
    });

    h.it(['R43'], 'paging any sort never repeats a pinned comment and misses no other; counts do not change', async () => {
      const { ada, threadKey, posted } = await thread();
      const pin = h.ctx().setPinned;
      const before = await ada.countComments([threadKey]);
      if (pin) await pin(posted[2]!.id, true);
      const others = posted.filter((_, i) => !pin || i !== 2).map((c) => c.id);
      for (const sort of SORTS) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const page: Page = await ada.listComments({ thread: threadKey, sort, limit: 2, cursor });
          if (cursor !== null) deepEqual(ids(page.pinned), [], `${sort}: a later page carries no pinned comments`);
          else if (pin) deepEqual(ids(page.pinned), [posted[2]!.id], `${sort}: the first page carries the pin`);
          ok(page.comments.length <= 2, `${sort}: a page holds at most its limit`);
          seen.push(...ids(page.comments));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        deepEqual([...seen].sort(), [...others].sort(), `${sort}: every other comment once, the pinned one never`);
      }
      deepEqual(await ada.countComments([threadKey]), before, 'a pin does not change the count');
    });

    h.it(['R44'], 'unpinned, a comment goes back to its place; hidden from the pins once deleted', async () => {
      const { ada, threadKey, posted } = await thread();
      const pin = h.ctx().setPinned;
      if (!pin) return;
      await pin(posted[4]!.id, true);
      await pin(posted[1]!.id, true);
      await pin(posted[4]!.id, false);
      let page = await firstPage(ada, threadKey, 'oldest');
      deepEqual(ids(page.pinned), [posted[1]!.id], 'only the comment still pinned');
      const back = page.comments.find((c) => c.id === posted[4]!.id);
      ok(back, 'the unpinned comment lists again');
      ok(!back.pinnedAt, 'not marked');
      equal(ids(page.comments).indexOf(posted[4]!.id), 3, 'in its place in the sort');

      await ada.deleteComment(posted[1]!.id);
      page = await firstPage(ada, threadKey, 'oldest');
      deepEqual(ids(page.pinned), [], 'a deleted comment is no longer shown pinned');
      const placeholder = page.comments.find((c) => c.id === posted[1]!.id);
      ok(placeholder, 'deleted with a reply, it keeps its place among the others');
      equal(placeholder.status, 'deleted', 'as a deleted placeholder');
      ok(!placeholder.pinnedAt, 'not marked pinned');
    });

    h.it(['R45'], 'a thread holds a limited number of pins; only a visible top-level comment can be pinned', async () => {
      const { ada, threadKey, posted } = await thread();
      const pin = h.ctx().setPinned;
      if (!pin) return;
      const limit = h.ctx().maxPins ?? 3;
      for (const comment of posted.slice(0, limit)) await pin(comment.id, true);
      const extra = posted[limit];
      ok(extra, 'the thread has a comment more than the limit');
      await rejectsWith(async () => pin(extra.id, true), 'pin_limit', `a pin past ${limit}`);
      let page = await firstPage(ada, threadKey, 'oldest');
      equal(page.pinned?.length, limit, 'the refused pin changed nothing');
      ok(page.comments.some((c) => c.id === extra.id && !c.pinnedAt), 'the refused comment lists as before');
      await pin(posted[0]!.id, false);
      await pin(extra.id, true);
      page = await firstPage(ada, threadKey, 'oldest');
      ok(ids(page.pinned).includes(extra.id), 'unpinning one freed a place');
      await pin(extra.id, true);
      equal((await firstPage(ada, threadKey, 'oldest')).pinned?.length, limit, 'pinning a pinned comment again changes nothing');

      const reply = (await firstPage(ada, threadKey, 'oldest')).pinned!.find((c) => c.id === posted[1]!.id)!.replies[0]!;
      await pin(posted[1]!.id, false);
      await rejectsWith(async () => pin(reply.id, true), 'conflict', 'pinning a reply');
      await ada.deleteComment(posted[4]!.id);
      await rejectsWith(async () => pin(posted[4]!.id, true), 'conflict', 'pinning a deleted comment');
    });

    h.it(['R46'], 'subscribers hear a pin as `pinned` with its time and an unpin as `unpinned`', async () => {
      const { ada, threadKey, posted } = await thread();
      const pin = h.ctx().setPinned;
      if (!pin || !ada.capabilities.live || !ada.subscribe) return;
      const bo = await h.reader('Bo');
      const events: ThreadEvent[] = [];
      h.cleanup(bo.subscribe!(threadKey, (event) => events.push(event)));
      // Give connection-based transports a moment to open before writing.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const target = posted[2]!;
      const about = (type: string) => events.filter((e) => e.type === type && e.comment.id === target.id);
      await pin(target.id, true);
      await eventually(() => about('pinned').length > 0, 'the pinned event arrives');
      const pinned = about('pinned')[0]!.comment;
      ok(isIsoTime(pinned.pinnedAt), 'with the time of the pin');
      equal(pinned.body, target.body, 'and the comment');
      await pin(target.id, false);
      await eventually(() => about('unpinned').length > 0, 'the unpinned event arrives');
      equal(about('unpinned')[0]!.comment.pinnedAt, null, 'with pinnedAt null');
      ok(
        events.every((e) => e.type !== 'pinned' || e.comment.id === target.id),
        'no other comment is announced pinned',
      );
    });
  });
}
