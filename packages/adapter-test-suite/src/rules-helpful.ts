// Rules R38–R41: helpful marks (one per identity per comment, counted, the reader's own shown,
// live) and the `best` sort, whose keyset pages rank as of the first page while readers mark.
import type { Comment, StorageAdapter, ThreadEvent } from '@colloquy/core';
import { deepEqual, equal, eventually, ok, rejectsWith, rejectsWithOneOf } from './check.js';
import type { Harness } from './harness.js';

/** A comment's helpful marks as `adapter` lists them. */
async function marksOf(h: Harness, adapter: StorageAdapter, threadKey: string, id: string): Promise<Comment['helpful']> {
  const find = (comments: Comment[]): Comment | undefined => {
    for (const c of comments) {
      if (c.id === id) return c;
      const below = find(c.replies);
      if (below) return below;
    }
    return undefined;
  };
  return find(await h.listAll(adapter, threadKey))?.helpful;
}

export function helpfulRules(h: Harness): void {
  h.describe('helpful marks', () => {
    h.it(['R38'], 'one mark per identity per comment: set, repeated, taken back, counted for everyone, the reader’s own shown, live', async () => {
      const threadKey = h.thread('helpful');
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, threadKey, 'a helpful answer');
      const reply = await h.post(ada, threadKey, 'a helpful reply', comment.id);
      const bo = await h.reader('Bo');
      const events: ThreadEvent[] = [];
      if (ada.capabilities.live && ada.subscribe) {
        h.cleanup(ada.subscribe(threadKey, (event) => events.push(event)));
      }
      deepEqual(await marksOf(h, bo, threadKey, comment.id), { count: 0, mine: false }, 'no marks yet');

      deepEqual(await bo.markHelpful(comment.id, true), { commentId: comment.id, count: 1, mine: true }, 'a mark answers the count and mine');
      deepEqual(await bo.markHelpful(comment.id, true), { commentId: comment.id, count: 1, mine: true }, 'marking again counts once');
      deepEqual(await marksOf(h, bo, threadKey, comment.id), { count: 1, mine: true }, 'the marker sees their own mark');
      deepEqual(await marksOf(h, ada, threadKey, comment.id), { count: 1, mine: false }, 'others see the count, not as theirs');

      // A reader without an identity may mark, as they may report: a nameless identity is made.
      const cy = await h.ctx().connect();
      deepEqual(await cy.markHelpful(comment.id, true), { commentId: comment.id, count: 2, mine: true }, 'a second identity adds one');
      deepEqual(await cy.markHelpful(reply.id, true), { commentId: reply.id, count: 1, mine: true }, 'replies take marks too');
      deepEqual(await marksOf(h, cy, threadKey, reply.id), { count: 1, mine: true }, 'a reply lists its marks');

      deepEqual(await bo.markHelpful(comment.id, false), { commentId: comment.id, count: 1, mine: false }, 'taking the mark back');
      deepEqual(await bo.markHelpful(comment.id, false), { commentId: comment.id, count: 1, mine: false }, 'taking it back again changes nothing');
      deepEqual(await marksOf(h, bo, threadKey, comment.id), { count: 1, mine: false }, 'the listing agrees');
      deepEqual(await bo.markHelpful(comment.id, true), { commentId: comment.id, count: 2, mine: true }, 'and marking once more');

      if (ada.capabilities.live && ada.subscribe) {
        await eventually(() => events.some((e) => e.type === 'helpful' && e.comment.id === comment.id && e.comment.helpful?.count === 2), 'a subscriber hears the new count');
        const forReply = events.filter((e) => e.type === 'helpful' && e.comment.id === reply.id);
        ok(forReply.length >= 1 && forReply[forReply.length - 1]!.comment.helpful?.count === 1, 'and the reply’s');
      }
    });

    h.it(['R39'], 'an unknown or deleted comment is not_found, one’s own is forbidden, a non-boolean is invalid_input', async () => {
      const threadKey = h.thread('helpful-errors');
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const comment = await h.post(ada, threadKey, 'marked by others only');
      const gone = await h.post(ada, threadKey, 'deleted soon');
      await ada.deleteComment(gone.id);
      await rejectsWith(() => bo.markHelpful('c_does_not_exist', true), 'not_found', 'an unknown comment');
      await rejectsWith(() => bo.markHelpful(gone.id, true), 'not_found', 'a deleted comment');
      await rejectsWith(() => ada.markHelpful(comment.id, true), 'forbidden', 'the author’s own comment');
      await rejectsWithOneOf(() => bo.markHelpful(comment.id, 'yes' as unknown as boolean), ['invalid_input'], 'a string for helpful');
      await rejectsWithOneOf(() => bo.markHelpful(42 as unknown as string, true), ['invalid_input', 'not_found'], 'a number for the id');
      deepEqual(await marksOf(h, bo, threadKey, comment.id), { count: 0, mine: false }, 'nothing was marked');
    });
  });

  h.describe('best', () => {
    h.it(['R40'], '`best` lists comments with more marks first, newest first among equals, and lets a newer comment pass an old one', async () => {
      const threadKey = h.thread('best');
      const ada = await h.reader('Ada');
      const [a, b, c] = [await h.post(ada, threadKey, 'a'), await h.post(ada, threadKey, 'b'), await h.post(ada, threadKey, 'c')];
      const reply = await h.post(ada, threadKey, 'a reply under a', a.id);
      const ids = async () => (await ada.listComments({ thread: threadKey, sort: 'best' })).comments.map((x) => x.id);
      deepEqual(await ids(), [c.id, b.id, a.id], 'without marks, newest first');
      const bo = await h.reader('Bo');
      const cy = await h.reader('Cy');
      await bo.markHelpful(a.id, true);
      await cy.markHelpful(a.id, true);
      await bo.markHelpful(b.id, true);
      // Marks on a reply do not lift its top-level comment.
      await bo.markHelpful(reply.id, true);
      await cy.markHelpful(reply.id, true);
      const page = await ada.listComments({ thread: threadKey, sort: 'best' });
      deepEqual(page.comments.map((x) => x.id), [a.id, b.id, c.id], 'more marks first');
      deepEqual(page.comments[0]?.replies.map((x) => x.id), [reply.id], 'replies nest as in every sort');

      const advance = h.ctx().advanceTime;
      if (!advance) return;
      // Two days on, a new comment with one mark passes the old one with two.
      await advance(48 * 3600);
      const d = await h.post(ada, threadKey, 'd, newer');
      await bo.markHelpful(d.id, true);
      deepEqual((await ids()).slice(0, 2), [d.id, a.id], 'age weighs against old marks');
    });

    h.it(['R41', 'R12'], '`best` pages rank as of the first page: marks between pages neither repeat nor skip a comment', async () => {
      const threadKey = h.thread('best-paging');
      const ada = await h.reader('Ada');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await h.post(ada, threadKey, `comment ${i}`)).id);
      const readers = [await h.reader('Bo'), await h.reader('Cy'), await h.reader('Di')];
      await readers[0]!.markHelpful(ids[2]!, true);
      const expected = [ids[2], ids[5], ids[4], ids[3], ids[1], ids[0]];
      deepEqual(await h.pageThrough(ada, threadKey, 'best', 2), expected, 'best order across pages of 2');

      let step = 0;
      const seen = await h.pageThrough(ada, threadKey, 'best', 2, async () => {
        step += 1;
        if (step === 1) {
          // The last comment jumps to the top, and a seen one loses its mark.
          for (const reader of readers) await reader.markHelpful(ids[0]!, true);
          await readers[0]!.markHelpful(ids[2]!, false);
        }
      });
      deepEqual(seen, expected, 'one listing, ranked as of its first page, whatever was marked between pages');
      const fresh = await ada.listComments({ thread: threadKey, sort: 'best', limit: 1 });
      equal(fresh.comments[0]?.id, ids[0], 'a new listing ranks by the marks as they stand now');

      ok(fresh.nextCursor !== null, 'a first page of one leaves a cursor');
      await rejectsWith(() => ada.listComments({ thread: threadKey, sort: 'newest', cursor: fresh.nextCursor }), 'invalid_cursor', 'a best cursor for another sort');
      const newest = await ada.listComments({ thread: threadKey, sort: 'newest', limit: 1 });
      await rejectsWith(() => ada.listComments({ thread: threadKey, sort: 'best', cursor: newest.nextCursor }), 'invalid_cursor', 'another sort’s cursor for best');
    });
  });
}
