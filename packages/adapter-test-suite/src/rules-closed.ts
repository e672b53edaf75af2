// Rules R35 and R36: closed threads read as before and take no new words.
import { deepEqual, equal, rejectsWith } from './check.js';
import type { Harness } from './harness.js';

export function closedThreadRules(h: Harness): void {
  h.describe('closed threads', () => {
    h.it(['R35'], 'a closed thread reads and counts as before, refuses comments and replies, and takes them again once reopened', async () => {
      const threadKey = h.thread('closed');
      const ada = await h.reader('Ada');
      const root = await h.post(ada, threadKey, 'said before closing');
      const reply = await h.post(ada, threadKey, 'a reply before closing', root.id);
      const open = await ada.listComments({ thread: threadKey });
      equal(open.closed, false, 'an open thread says closed: false');
      const close = h.ctx().setThreadClosed;
      if (!close) return;

      await close(threadKey, true);
      const bo = await h.reader('Bo');
      const page = await bo.listComments({ thread: threadKey });
      equal(page.closed, true, 'the listing says the thread is closed');
      deepEqual(page.comments.map((c) => c.id), [root.id], 'the comments still list');
      deepEqual(page.comments[0]?.replies.map((c) => c.id), [reply.id], 'with their replies');
      deepEqual(await bo.countComments([threadKey]), { [threadKey]: 2 }, 'and count');
      await rejectsWith(() => h.post(bo, threadKey, 'too late'), 'thread_closed', 'a new comment');
      await rejectsWith(() => h.post(bo, threadKey, 'a late reply', root.id), 'thread_closed', 'a reply');
      const raw = h.ctx().raw;
      if (raw) equal(await raw.countStored(threadKey), 2, 'nothing more was stored');
      equal((await h.listAll(bo, threadKey)).length, 1, 'still one top-level comment');
      const other = await h.post(bo, h.thread('still-open'), 'another thread is not closed');
      equal(other.status, 'visible', 'closing one thread leaves the others open');

      await close(threadKey, false);
      equal((await bo.listComments({ thread: threadKey })).closed, false, 'reopened, the listing says so');
      const after = await h.post(bo, threadKey, 'after reopening', root.id);
      equal(after.parentId, root.id, 'a reply is taken again');
    });

    h.it(['R36'], 'in a closed thread the author may delete but not edit; a moderator may still edit', async () => {
      const threadKey = h.thread('closed-edit');
      const ada = await h.reader('Ada');
      const kept = await h.post(ada, threadKey, 'the words as they stood');
      const gone = await h.post(ada, threadKey, 'to be taken back');
      const close = h.ctx().setThreadClosed;
      if (!close) {
        equal((await ada.listComments({ thread: threadKey })).closed, false, 'storage that cannot close threads lists them open');
        return;
      }
      await close(threadKey, true);
      await rejectsWith(() => ada.editComment(kept.id, 'changed after closing'), 'thread_closed', 'the author’s edit');
      const listed = await h.listAll(ada, threadKey);
      equal(listed.find((c) => c.id === kept.id)?.body, 'the words as they stood', 'the text did not change');
      const deleted = await ada.deleteComment(gone.id);
      equal(deleted.status, 'deleted', 'the author may still delete');
      const moderator = await h.reader('Mod', 'moderator');
      const identity = await moderator.getIdentity();
      if (identity?.role !== 'moderator') return;
      const edited = await moderator.editComment(kept.id, 'edited by a moderator');
      equal(edited.body, 'edited by a moderator', 'a moderator may still edit');
    });
  });
}
