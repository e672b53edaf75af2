// Rules R15, R16, R19–R27: creating, editing, deleting and reporting comments, who may do it,
// and what the counts show afterwards.
import { deepEqual, equal, ok, rejectsWith, rejectsWithOneOf } from './check.js';
import type { Harness } from './harness.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function writeRules(h: Harness): void {
  h.describe('create', () => {
    h.it(['R15'], 'a new comment or reply belongs to its author and starts visible and unedited', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const identity = await ada.getIdentity();
      const root = await h.post(ada, threadKey, 'a root');
      const reply = await h.post(ada, threadKey, 'a reply', root.id);
      for (const [label, comment, parentId] of [['root', root, null], ['reply', reply, root.id]] as const) {
        equal(comment.thread, threadKey, `${label}: thread`);
        equal(comment.parentId, parentId, `${label}: parentId`);
        deepEqual(comment.author, { id: identity?.id, name: 'Ada', role: identity?.role }, `${label}: author`);
        equal(comment.status, 'visible', `${label}: status`);
        equal(comment.editedAt, null, `${label}: editedAt`);
        ok(ISO_TIME.test(comment.createdAt) && !Number.isNaN(Date.parse(comment.createdAt)), `${label}: createdAt ${comment.createdAt}`);
        deepEqual(comment.replies, [], `${label}: no replies yet`);
        equal(typeof comment.id, 'string', `${label}: id`);
      }
      ok(root.id !== reply.id, 'two comments, two ids');
      const [listed] = await h.listAll(ada, threadKey);
      equal(listed?.createdAt, root.createdAt, 'the listing shows the same createdAt');
      deepEqual(listed?.author, root.author, 'and the same author');
    });
  });

  h.describe('idempotent create', () => {
    h.it(['R16'], 'answers a retried create with the first comment and stores one', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const input = { thread: threadKey, body: 'sent twice', idempotencyKey: h.key() };
      const first = await ada.createComment(input);
      const again = await ada.createComment({ ...input });
      equal(again.id, first.id, 'the same comment id');
      equal((await h.listAll(ada, threadKey)).length, 1, 'listed once');
      const raw = h.ctx().raw;
      if (raw) equal(await raw.countStored(threadKey), 1, 'one stored row');
      const other = await ada.createComment({ ...input, idempotencyKey: h.key() });
      ok(other.id !== first.id, 'a new key makes a new comment');
    });

    h.it(['R16'], 'refuses a reused key with a different comment', async () => {
      const ada = await h.reader('Ada');
      const input = { thread: h.thread(), body: 'original', idempotencyKey: h.key() };
      await ada.createComment(input);
      await rejectsWith(
        () => ada.createComment({ ...input, body: 'something else' }),
        'idempotency_conflict',
        'same key, other body',
      );
    });
  });

  h.describe('edit', () => {
    h.it(['R19'], 'lets the author edit and marks the comment edited', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, threadKey, 'before');
      equal(comment.editedAt, null, 'a new comment is not edited');
      const edited = await ada.editComment(comment.id, 'after');
      equal(edited.body, 'after', 'the edit answers the new body');
      equal(edited.id, comment.id, 'same comment');
      ok(edited.editedAt !== null && Date.parse(edited.editedAt) >= Date.parse(comment.createdAt), 'editedAt is set');
      const [listed] = await h.listAll(ada, threadKey);
      equal(listed?.body, 'after', 'the listing shows the edit');
      equal(listed?.editedAt, edited.editedAt, 'the listing shows editedAt');
    });

    h.it(['R20'], 'refuses edits and deletes by another identity', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const comment = await h.post(ada, threadKey, 'mine');
      await rejectsWith(() => bo.editComment(comment.id, 'yours now'), 'forbidden', 'another reader editing');
      await rejectsWith(() => bo.deleteComment(comment.id), 'forbidden', 'another reader deleting');
      const [listed] = await h.listAll(ada, threadKey);
      equal(listed?.body, 'mine', 'the body is unchanged');
      equal(listed?.status, 'visible', 'the comment is still there');
      equal(listed?.editedAt, null, 'and not marked edited');
    });

    h.it(['R21'], 'closes the edit window for the author after editWindowSeconds', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const window = ada.capabilities.limits.editWindowSeconds;
      const edited = await h.post(ada, threadKey, 'to edit');
      const deleted = await h.post(ada, threadKey, 'to delete');
      equal((await ada.editComment(edited.id, 'inside the window')).body, 'inside the window', 'an edit inside the window');
      const context = h.ctx();
      if (!context.advanceTime) {
        // This storage cannot move its clock (a live server): waiting out the window would take
        // editWindowSeconds, so only the declared window and an edit inside it are checked.
        ok(window > 0, 'the edit window is declared (closing it is not checked without advanceTime)');
        return;
      }
      await context.advanceTime(Math.floor(window / 2));
      equal((await ada.editComment(edited.id, 'still inside')).body, 'still inside', 'an edit halfway through the window');
      await context.advanceTime(window);
      await rejectsWith(() => ada.editComment(edited.id, 'too late'), 'edit_window_closed', 'an edit after the window');
      await rejectsWith(() => ada.deleteComment(deleted.id), 'edit_window_closed', 'a delete after the window');
      const listed = await h.listAll(ada, threadKey);
      deepEqual(listed.map((c) => c.body), ['still inside', 'to delete'], 'both comments are unchanged');
    });
  });

  h.describe('roles', () => {
    h.it(['R22'], 'a moderator may edit and delete anyone’s comment; without the role a client may not', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, threadKey, 'needs moderating');
      const moderator = await h.reader('Mod', 'moderator');
      const identity = await moderator.getIdentity();
      if (identity?.role === 'moderator') {
        equal((await moderator.editComment(comment.id, 'moderated')).body, 'moderated', 'moderator edit');
        equal((await h.listAll(ada, threadKey))[0]?.body, 'moderated', 'the author sees the moderated body');
        equal((await moderator.deleteComment(comment.id)).status, 'deleted', 'moderator delete');
        equal((await h.listAll(ada, threadKey)).length, 0, 'the deleted comment is gone');
      } else {
        // This adapter does not hand out roles on connect: the client is an ordinary reader.
        equal(identity?.role, 'reader', 'an identity without the moderator role is a reader');
        await rejectsWith(() => moderator.editComment(comment.id, 'x'), 'forbidden', 'edit without the role');
        await rejectsWith(() => moderator.deleteComment(comment.id), 'forbidden', 'delete without the role');
      }
    });
  });

  h.describe('delete', () => {
    h.it(['R23'], 'removes a comment without replies from the listing and the counts, for good', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const keep = await h.post(ada, threadKey, 'keep');
      const gone = await h.post(ada, threadKey, 'delete me');
      const deleted = await ada.deleteComment(gone.id);
      equal(deleted.status, 'deleted', 'delete answers status deleted');
      equal(deleted.id, gone.id, 'for the deleted comment');
      deepEqual((await h.listAll(bo, threadKey)).map((c) => c.id), [keep.id], 'only the other comment is listed');
      equal((await bo.countComments([threadKey]))[threadKey], 1, 'the count drops');
      // Adapters differ on the code here (the reference server says conflict).
      await rejectsWithOneOf(() => ada.editComment(gone.id, 'back again'), ['conflict', 'not_found'], 'editing a deleted comment');
      deepEqual((await h.listAll(bo, threadKey)).map((c) => c.id), [keep.id], 'the deleted comment stays deleted');
    });

    h.it(['R24'], 'keeps the place of a deleted comment that has replies, without its text or author', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const parent = await h.post(ada, threadKey, 'secret parent text');
      const reply = await h.post(bo, threadKey, 'a reply', parent.id);
      await ada.deleteComment(parent.id);
      const [listed] = await h.listAll(bo, threadKey);
      ok(listed, 'the deleted parent is still listed');
      equal(listed.id, parent.id, 'in its place');
      equal(listed.status, 'deleted', 'as deleted');
      equal(listed.body, '', 'with an empty body');
      equal(listed.author.name, '', 'with no author name');
      ok(listed.author.id !== (await ada.getIdentity())?.id, 'with no trace of the author');
      deepEqual(listed.replies.map((c) => c.id), [reply.id], 'its replies stay under it');
      equal(listed.replies[0]?.body, 'a reply', 'the reply keeps its text');
      const raw = h.ctx().raw;
      if (raw) {
        const stored = await raw.getComment(parent.id);
        equal(stored?.status, 'deleted', 'stored as deleted');
        ok(!stored?.body.includes('secret'), 'the deleted text is not kept in storage');
      }
    });
  });

  h.describe('reports', () => {
    h.it(['R25'], 'takes one report per identity per comment', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      const cy = await h.reader('Cy');
      const comment = await h.post(ada, threadKey, 'contested');
      await bo.reportComment(comment.id, { reason: 'spam', details: 'links to a shop' });
      await rejectsWith(() => bo.reportComment(comment.id, { reason: 'hate' }), 'already_reported', 'a second report');
      await cy.reportComment(comment.id, { reason: 'off-topic' });
      const other = await h.post(ada, threadKey, 'another one');
      await bo.reportComment(other.id, { reason: 'spam' });
    });

    h.it(['R26'], 'rejects unknown reasons, and unknown or deleted comments', async () => {
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, h.thread(), 'x');
      const bo = await h.reader('Bo');
      await rejectsWith(
        () => bo.reportComment(comment.id, { reason: 'boring' as 'spam' }),
        'invalid_input',
        'an unknown reason',
      );
      await rejectsWith(() => bo.reportComment('no-such-comment', { reason: 'spam' }), 'not_found', 'unknown comment');
      await bo.reportComment(comment.id, { reason: 'spam' });
      const gone = await h.post(ada, comment.thread, 'deleted before anyone reports it');
      await ada.deleteComment(gone.id);
      await rejectsWith(() => bo.reportComment(gone.id, { reason: 'spam' }), 'not_found', 'a deleted comment');
    });
  });

  h.describe('counts', () => {
    h.it(['R27'], 'counts visible comments per thread, 0 for unknown threads', async () => {
      const a = h.thread('a');
      const b = h.thread('b');
      const unknown = h.thread('unknown');
      const ada = await h.reader('Ada');
      const root = await h.post(ada, a, 'one');
      await h.post(ada, a, 'reply', root.id);
      const gone = await h.post(ada, a, 'deleted');
      await ada.deleteComment(gone.id);
      await h.post(ada, b, 'other thread');
      deepEqual(await ada.countComments([a, b, unknown]), { [a]: 2, [b]: 1, [unknown]: 0 }, 'counts');
      const anyone = await h.ctx().connect();
      deepEqual(await anyone.countComments([b]), { [b]: 1 }, 'anyone can count');
    });
  });
}
