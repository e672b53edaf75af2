// Rules R8–R14, R17, R18, R34, R37: what a listing holds and in which order, keyset paging, and where
// replies go.
import { DEFAULT_PAGE_SIZE } from '@colloquy/core';
import type { Comment } from '@colloquy/core';
import { deepEqual, equal, ok, rejectsWith, rejectsWithOneOf } from './check.js';
import type { Harness } from './harness.js';

export function listingRules(h: Harness): void {
  h.describe('ordering', () => {
    h.it(['R8'], 'lists oldest first and newest first', async () => {
      const adapter = await h.reader('Ada');
      const threadKey = h.thread();
      const ids: string[] = [];
      for (const body of ['first', 'second', 'third', 'fourth']) ids.push((await h.post(adapter, threadKey, body)).id);
      // A reply on the oldest comment: replies decide `top`, never `oldest` or `newest`.
      await h.post(adapter, threadKey, 'a reply', ids[0]);
      const oldest = await adapter.listComments({ thread: threadKey, sort: 'oldest' });
      deepEqual(oldest.comments.map((c) => c.id), ids, 'oldest order');
      equal(oldest.nextCursor, null, 'one page holds them all');
      const newest = await adapter.listComments({ thread: threadKey, sort: 'newest' });
      deepEqual(newest.comments.map((c) => c.id), [...ids].reverse(), 'newest order');
      const byDefault = await adapter.listComments({ thread: threadKey });
      deepEqual(byDefault.comments.map((c) => c.id), ids, 'oldest is the default');
    });

    h.it(['R9'], 'lists top by replies, ties newest first', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const quiet = await h.post(ada, threadKey, 'no replies');
      const popular = await h.post(ada, threadKey, 'two replies');
      const middling = await h.post(ada, threadKey, 'one reply');
      const late = await h.post(ada, threadKey, 'no replies, later');
      const faded = await h.post(ada, threadKey, 'two replies, both deleted');
      await h.post(bo, threadKey, 'reply', popular.id);
      await h.post(bo, threadKey, 'reply', popular.id);
      await h.post(bo, threadKey, 'reply', middling.id);
      for (const reply of [await h.post(bo, threadKey, 'reply', faded.id), await h.post(bo, threadKey, 'reply', faded.id)]) {
        await bo.deleteComment(reply.id);
      }
      const top = await ada.listComments({ thread: threadKey, sort: 'top' });
      deepEqual(
        top.comments.map((c) => c.id),
        [popular.id, middling.id, faded.id, late.id, quiet.id],
        'top order (deleted replies do not count)',
      );
      // A deleted reply that keeps its place above a live one counts as nothing; the live one counts.
      const placeholder = await h.post(bo, threadKey, 'reply, deleted later', late.id);
      await h.post(ada, threadKey, 'reply to the reply', placeholder.id);
      await bo.deleteComment(placeholder.id);
      const after = await ada.listComments({ thread: threadKey, sort: 'top' });
      deepEqual(
        after.comments.map((c) => c.id),
        [popular.id, late.id, middling.id, faded.id, quiet.id],
        'top order (a deleted reply with a live reply counts one)',
      );
    });

    h.it(['R11'], 'an empty or unknown thread is an empty last page', async () => {
      const adapter = await h.ctx().connect();
      deepEqual(await adapter.listComments({ thread: h.thread('empty') }), { comments: [], nextCursor: null, closed: false }, 'empty page');
    });

    h.it(['R34'], 'a path key with a trailing slash names the same thread as without', async () => {
      const adapter = await h.reader('Ada');
      const threadKey = h.thread('slash');
      const posted = await h.post(adapter, `${threadKey}/`, 'posted under a trailing slash');
      equal(posted.thread, threadKey, 'stored under the canonical key');
      for (const asked of [threadKey, `${threadKey}/`, `${threadKey}//`]) {
        const page = await adapter.listComments({ thread: asked });
        deepEqual(page.comments.map((c) => c.id), [posted.id], `listed when asked for ${asked}`);
      }
      deepEqual(await adapter.countComments([`${threadKey}/`]), { [threadKey]: 1 }, 'counted under the canonical key');
    });
  });

  h.describe('paging', () => {
    h.it(['R12'], 'keyset pages oldest first with no repeats and no gaps while another client posts', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await h.post(ada, threadKey, `comment ${i}`)).id);
      const added: string[] = [];
      const seen = await h.pageThrough(ada, threadKey, 'oldest', 2, async () => {
        added.push((await h.post(bo, threadKey, `written while paging ${added.length}`)).id);
      });
      equal(new Set(seen).size, seen.length, 'no comment appears twice');
      deepEqual(seen.slice(0, 5), ids, 'every earlier comment, in order');
      deepEqual(seen.slice(5), added, 'comments written meanwhile come after, none lost');
    });

    h.it(['R12'], 'keyset pages newest first with no repeats while another client posts', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await h.post(ada, threadKey, `comment ${i}`)).id);
      // The first page ends on a comment with a reply: the cursor must not depend on replies.
      await h.post(ada, threadKey, 'reply', ids[3]);
      const seen = await h.pageThrough(ada, threadKey, 'newest', 2, async () => {
        await h.post(bo, threadKey, 'newer than the first page');
      });
      deepEqual(seen, [...ids].reverse(), 'the pages hold exactly the earlier comments, newest first');
    });

    h.it(['R9', 'R12'], 'keyset pages top with every comment once', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await h.post(ada, threadKey, `comment ${i}`)).id);
      await h.post(ada, threadKey, 'reply', ids[2]);
      const expected = [ids[2], ids[4], ids[3], ids[1], ids[0]];
      deepEqual(await h.pageThrough(ada, threadKey, 'top', 2), expected, 'top order across pages of 2');
      deepEqual(await h.pageThrough(ada, threadKey, 'top', 1), expected, 'top order across pages of 1');
    });

    h.it(['R13'], 'honours every limit from 1 to maxPageSize, and pages by 20 by default', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      for (let i = 0; i < 3; i++) await h.post(ada, threadKey, `comment ${i}`);
      const max = ada.capabilities.limits.maxPageSize;
      ok(max >= 1, 'maxPageSize is at least 1');
      const one = await ada.listComments({ thread: threadKey, limit: 1 });
      equal(one.comments.length, 1, 'limit 1');
      ok(one.nextCursor !== null, 'limit 1 leaves more');
      equal((await ada.listComments({ thread: threadKey, limit: 3 })).nextCursor, null, 'an exact fit is the last page');
      equal((await ada.listComments({ thread: threadKey, limit: max })).comments.length, 3, 'limit maxPageSize');
      const pageSize = Math.min(DEFAULT_PAGE_SIZE, max);
      for (let i = 3; i <= pageSize; i++) await h.post(ada, threadKey, `comment ${i}`);
      const first = await ada.listComments({ thread: threadKey });
      equal(first.comments.length, pageSize, `the default page holds ${pageSize}`);
      ok(first.nextCursor !== null, 'one more comment than the default page leaves a cursor');
      const rest = await ada.listComments({ thread: threadKey, cursor: first.nextCursor });
      equal(rest.comments.length, 1, 'the next page holds the one left');
      equal(rest.nextCursor, null, 'and is the last');
    });

    h.it(['R14'], 'rejects bad limits, sorts and cursors', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      await h.post(ada, threadKey, 'x');
      await h.post(ada, threadKey, 'y');
      const max = ada.capabilities.limits.maxPageSize;
      for (const limit of [0, -1, max + 1, 2.5, Number.NaN]) {
        await rejectsWith(() => ada.listComments({ thread: threadKey, limit }), 'invalid_input', `limit ${String(limit)}`);
      }
      await rejectsWith(
        () => ada.listComments({ thread: threadKey, sort: 'random' as 'top' }),
        'invalid_input',
        'an unknown sort',
      );
      for (const cursor of ['not a cursor', '%%%', 'eyJub3QiOiJ0aGF0In0']) {
        await rejectsWith(() => ada.listComments({ thread: threadKey, cursor }), 'invalid_cursor', `cursor ${cursor}`);
      }
      const oldest = await ada.listComments({ thread: threadKey, sort: 'oldest', limit: 1 });
      ok(oldest.nextCursor !== null, 'a first page of one leaves a cursor');
      await rejectsWith(
        () => ada.listComments({ thread: threadKey, sort: 'newest', cursor: oldest.nextCursor }),
        'invalid_cursor',
        'a cursor made for another sort',
      );
    });
  });

  h.describe('nesting', () => {
    h.it(['R10'], 'nests replies under their parent, oldest first, in every sort', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const root = await h.post(ada, threadKey, 'root');
      const first = await h.post(bo, threadKey, 'first reply', root.id);
      const second = await h.post(ada, threadKey, 'second reply', root.id);
      const nested = await h.post(ada, threadKey, 'reply to the first reply', first.id);
      equal(first.parentId, root.id, 'a reply names its parent');
      for (const sort of ['oldest', 'newest', 'top'] as const) {
        const [listed, ...rest] = (await bo.listComments({ thread: threadKey, sort })).comments;
        equal(rest.length, 0, `${sort}: replies are not top-level comments`);
        ok(listed, `${sort}: the root is listed`);
        deepEqual(listed.replies.map((c) => c.id), [first.id, second.id], `${sort}: replies oldest first`);
        deepEqual(listed.replies[0]?.replies.map((c) => c.id), [nested.id], `${sort}: a reply to a reply nests again`);
        equal(listed.replies[0]?.replies[0]?.parentId, first.id, `${sort}: nested parentId`);
      }
    });

    h.it(['R17'], 'attaches replies beyond the depth cap at the deepest level', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const maxDepth = ada.capabilities.limits.maxDepth;
      const chain: Comment[] = [await h.post(ada, threadKey, 'depth 0')];
      for (let depth = 1; depth <= maxDepth; depth++) {
        chain.push(await h.post(ada, threadKey, `depth ${depth}`, chain[depth - 1]!.id));
      }
      const deepest = chain[maxDepth]!;
      const tooDeep = await h.post(ada, threadKey, 'one level too deep', deepest.id);
      equal(tooDeep.parentId, deepest.parentId, 'stored as a sibling of the deepest comment');
      let level = await h.listAll(ada, threadKey);
      for (let depth = 0; depth < maxDepth; depth++) level = level[0]!.replies;
      deepEqual(level.map((c) => c.id), [deepest.id, tooDeep.id], 'both sit at the deepest level');
      equal(level[0]!.replies.length, 0, 'nothing nests below the deepest level');
      const raw = h.ctx().raw;
      if (raw) equal((await raw.getComment(tooDeep.id))?.parentId, deepest.parentId ?? null, 'raw parentId');
    });

    h.it(['R37'], 'a reply stored beside the comment it answers says whom it answers', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const maxDepth = ada.capabilities.limits.maxDepth;
      const chain: Comment[] = [await h.post(ada, threadKey, 'depth 0')];
      for (let depth = 1; depth <= maxDepth; depth++) {
        chain.push(await h.post(depth % 2 ? bo : ada, threadKey, `depth ${depth}`, chain[depth - 1]!.id));
      }
      const deepest = chain[maxDepth]!;
      const answerer = deepest.author.name === 'Ada' ? bo : ada;
      const tooDeep = await h.post(answerer, threadKey, 'one level too deep', deepest.id);
      const named = { id: deepest.id, name: deepest.author.name };
      deepEqual(tooDeep.replyTo, named, 'the answer names the comment answered and its author');
      const find = (comments: Comment[], id: string): Comment | undefined => {
        for (const c of comments) {
          const found = c.id === id ? c : find(c.replies, id);
          if (found) return found;
        }
        return undefined;
      };
      const listed = await h.listAll(bo, threadKey);
      deepEqual(find(listed, tooDeep.id)?.replyTo, named, 'the listing names it too');
      for (const c of chain) equal(find(listed, c.id)?.replyTo ?? null, null, 'a reply under the comment it answers has replyTo null');
      // Once the answered comment is deleted, its author is no longer named.
      await (deepest.author.name === 'Ada' ? ada : bo).deleteComment(deepest.id);
      const after = find(await h.listAll(bo, threadKey), tooDeep.id);
      deepEqual(after?.replyTo, { id: deepest.id, name: null }, 'a deleted comment answered keeps its id, not its author');
    });

    h.it(['R18'], 'refuses a reply to a comment that does not exist, or not in this thread', async () => {
      const ada = await h.reader('Ada');
      const threadKey = h.thread();
      await rejectsWith(() => h.post(ada, threadKey, 'orphan', 'no-such-comment'), 'not_found', 'unknown parent');
      const elsewhere = await h.post(ada, h.thread('elsewhere'), 'in another thread');
      // Adapters differ on the code here (the reference server says invalid_input).
      await rejectsWithOneOf(() => h.post(ada, threadKey, 'cross-thread', elsewhere.id), ['not_found', 'invalid_input'], 'a parent in another thread');
      equal((await h.listAll(ada, threadKey)).length, 0, 'nothing was stored');
    });
  });
}
