import type { Unsubscribe } from './adapter.js';
import { ColloquyError, toColloquyError } from './errors.js';
import { readReported } from './reports-memory.js';
import { inTreeOrder, readOptions } from './thread-model.js';
import type { CommentNode, LocalPost, PostInput, ThreadSnapshot, ThreadState, ThreadStateOptions } from './state-types.js';
import { describe } from './text.js';
import { buildTree, countNodes } from './tree.js';
import type { Comment, Identity, ReportInput, SortOrder } from './types.js';
import { validateBody, validateCommentId, validateSort } from './validate.js';

/**
 * The headless state of one thread (see `ThreadState` for the contract): loading and paging,
 * the reader's optimistic writes with retry by idempotency key, and the flat model they share.
 * Live events are merged by live-merge.ts, reports remembered by reports-memory.ts and sent
 * by thread-requests.ts, options read and the tree's order made by thread-model.ts; why the
 * rest stays in one closure: docs/decisions/0017-thread-modules.md.
 *
 * Internally the thread is flat: every comment by id, plus the display order of top-level
 * ones; the tree in each snapshot is rebuilt from that, so merging a page, a live event or an
 * optimistic post is an insert or update by id and can never place the same comment twice.
 *
 * Placement of the reader's own new top-level comments: first under `newest` and `top` (where
 * they would rank once confirmed, or at least where the reader looks) and last under `oldest`.
 */
export function createThreadState(options: ThreadStateOptions): ThreadState {
  const { adapter, thread, limits, pageSize, maxDepth, createId, now, storage } = readOptions(options);

  // --- the flat model ---
  let sort: SortOrder = validateSort(options.sort);
  const comments = new Map<string, Comment>();
  let topOrder: string[] = [];
  const locals = new Map<string, LocalPost>();
  const reported = new Set<string>(readReported(storage, thread));
  let cursor: string | null = null;
  let status: ThreadSnapshot['status'] = 'idle';
  let error: ColloquyError | null = null;
  let hasMore = false;
  let identity: Identity | null = null;
  let liveArrivals: string[] = [];
  let closed = false;

  // --- bookkeeping ---
  /** Bumped by every (re)load; answers to an older generation are stale and ignored. */
  let generation = 0;
  let currentLoad: Promise<void> | null = null;
  let currentMore: Promise<void> | null = null;
  let unsubscribe: Unsubscribe | null = null;
  /** The first `connect()` until it has subscribed (or failed). */
  let connecting: Promise<void> | null = null;
  let disposed = false;
  const listeners = new Set<(snapshot: ThreadSnapshot) => void>();
  let snapshot = makeSnapshot();

  function makeSnapshot(): ThreadSnapshot {
    const ordered = inTreeOrder(topOrder, comments);
    const tree = buildTree(ordered, {
      maxDepth,
      isReported: (id) => reported.has(id),
      localOf: (id) => {
        const local = locals.get(id);
        if (!local) return undefined;
        return local.error ? { state: local.state, localId: local.localId, error: local.error } : { state: local.state, localId: local.localId };
      },
    });
    return Object.freeze({
      thread,
      sort,
      status,
      error,
      comments: Object.freeze(tree) as CommentNode[],
      hasMore,
      loadingMore: currentMore !== null,
      size: countNodes(tree),
      identity,
      liveArrivals: Object.freeze([...liveArrivals]),
      closed,
    });
  }

  function changed(): void {
    if (disposed) return;
    snapshot = makeSnapshot();
    for (const listener of [...listeners]) {
      try {
        listener(snapshot);
      } catch (thrown) {
        // One broken view must not stop the others from hearing about the change.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
  }

  // --- merging ---

  /** Adds or updates a comment and its nested replies; returns ids that were new. */
  function merge(comment: Comment, placement: 'append' | 'prepend' | 'keep' = 'append'): string[] {
    const added: string[] = [];
    const visit = (c: Comment, nestedUnder: string | null): void => {
      const flat: Comment = { ...c, parentId: c.parentId ?? nestedUnder, replies: [] };
      const isNew = !comments.has(flat.id);
      comments.set(flat.id, flat);
      if (isNew) {
        added.push(flat.id);
        if (flat.parentId === null) {
          if (placement === 'prepend') topOrder = [flat.id, ...topOrder];
          else topOrder.push(flat.id);
        }
      }
      for (const reply of c.replies ?? []) visit(reply, flat.id);
    };
    visit(comment, null);
    return added;
  }

  function hasChildren(id: string): boolean {
    for (const comment of comments.values()) if (comment.parentId === id) return true;
    return false;
  }

  /** Drops a comment, or keeps it as a placeholder when replies hang under it. */
  function removeOrPlaceholder(comment: Comment): void {
    if (!comments.has(comment.id)) return;
    if (hasChildren(comment.id)) {
      comments.set(comment.id, { ...comment, body: '', html: '', replies: [] });
      return;
    }
    comments.delete(comment.id);
    topOrder = topOrder.filter((id) => id !== comment.id);
    liveArrivals = liveArrivals.filter((id) => id !== comment.id);
    // A placeholder parent left without replies goes too, as a fresh listing would show it.
    const parent = comment.parentId === null ? undefined : comments.get(comment.parentId);
    if (parent && parent.status !== 'visible' && parent.status !== 'held') removeOrPlaceholder(parent);
  }

  /** Server comments replace everything but the reader's own unconfirmed posts. */
  function resetServerComments(): void {
    for (const id of [...comments.keys()]) if (!locals.has(id)) comments.delete(id);
    topOrder = topOrder.filter((id) => locals.has(id));
    liveArrivals = [];
  }

  /** Places the confirmed comment where its optimistic node stood. */
  function confirm(local: LocalPost, comment: Comment): void {
    locals.delete(local.localId);
    const index = topOrder.indexOf(local.localId);
    comments.delete(local.localId);
    topOrder = topOrder.filter((id) => id !== local.localId);
    const known = comments.has(comment.id);
    merge(comment, 'keep');
    if (!known && comment.parentId === null) {
      topOrder = topOrder.filter((id) => id !== comment.id);
      topOrder.splice(index === -1 ? topOrder.length : index, 0, comment.id);
    }
  }

  // --- loading ---

  async function loadFirstPage(): Promise<void> {
    const mine = ++generation;
    currentMore = null;
    status = 'loading';
    error = null;
    changed();
    // Not knowing who the reader is should not hide the thread: keep the identity we had.
    const identityRequest = Promise.resolve()
      .then(() => adapter.getIdentity())
      .catch(() => identity);
    try {
      const page = await adapter.listComments({ thread, sort, limit: pageSize, cursor: null });
      const who = await identityRequest;
      if (mine !== generation || disposed) return;
      resetServerComments();
      identity = who;
      for (const comment of [...(page.pinned ?? []), ...page.comments]) merge(comment);
      // The reader's own new posts stay on top under newest and top sorts (below the pins).
      if (sort !== 'oldest') {
        const own = topOrder.filter((id) => locals.has(id));
        topOrder = [...own, ...topOrder.filter((id) => !locals.has(id))];
      }
      cursor = page.nextCursor;
      hasMore = page.nextCursor !== null;
      closed = page.closed === true;
      status = 'ready';
      changed();
    } catch (thrown) {
      if (mine !== generation || disposed) return;
      status = 'error';
      error = toColloquyError(thrown);
      changed();
      throw error;
    }
  }

  function load(): Promise<void> {
    const run = loadFirstPage();
    currentLoad = run;
    const clear = (): void => {
      if (currentLoad === run) currentLoad = null;
    };
    run.then(clear, clear);
    return run;
  }

  async function loadNextPage(): Promise<void> {
    const mine = generation;
    const from = cursor;
    try {
      const page = await adapter.listComments({ thread, sort, limit: pageSize, cursor: from });
      if (mine !== generation || disposed) return;
      // A page may repeat comments already shown (others wrote meanwhile): merge drops repeats.
      for (const comment of page.comments) merge(comment);
      cursor = page.nextCursor;
      hasMore = page.nextCursor !== null && page.nextCursor !== from;
      closed = page.closed === true;
      error = null;
    } catch (thrown) {
      if (mine !== generation || disposed) return;
      error = toColloquyError(thrown);
      throw error;
    } finally {
      if (mine === generation) {
        currentMore = null;
        changed();
      }
    }
  }

  function loadMore(): Promise<void> {
    if (disposed) return Promise.resolve();
    if (currentMore) return currentMore;
    if (status !== 'ready' || !hasMore || cursor === null) return Promise.resolve();
    currentMore = loadNextPage();
    changed();
    return currentMore;
  }

  // --- writing ---

  async function send(local: LocalPost, parentId: string | null, body: string): Promise<Comment> {
    try {
      const comment = await adapter.createComment({
        thread,
        parentId,
        body,
        idempotencyKey: local.localId,
        ...(options.pageUrl ? { url: options.pageUrl } : {}),
      });
      if (disposed) return comment;
      if (locals.get(local.localId) === local) confirm(local, comment);
      changed();
      return comment;
    } catch (thrown) {
      // A live event may have confirmed the post already; then only the answer was lost.
      const confirmed = local.confirmedId === undefined ? undefined : comments.get(local.confirmedId);
      if (confirmed) return confirmed;
      const failure = toColloquyError(thrown);
      // Closed while the reader wrote: the text stays in the failed node, and the view learns the thread is closed.
      if (failure.code === 'thread_closed') closed = true;
      if (!disposed && locals.get(local.localId) === local) {
        local.state = 'failed';
        local.error = failure;
        changed();
      }
      throw failure;
    }
  }

  async function post(input: PostInput): Promise<Comment> {
    if (typeof input !== 'object' || input === null) {
      throw new ColloquyError('invalid_input', `post needs {body, parentId?}, got ${describe(input)}.`);
    }
    const body = validateBody(input.body, limits);
    const parentId = input.parentId === undefined || input.parentId === null ? null : validateCommentId(input.parentId);
    if (parentId !== null) {
      if (locals.has(parentId)) {
        throw new ColloquyError('conflict', 'Wait until that comment is posted before replying to it.');
      }
      if (!comments.has(parentId)) {
        throw new ColloquyError('not_found', 'The comment you are replying to is no longer in this thread.');
      }
    }
    const localId = createId();
    const local: LocalPost = { localId, state: 'pending' };
    locals.set(localId, local);
    comments.set(localId, {
      id: localId,
      thread,
      parentId,
      author: identity ? { id: identity.id, name: identity.name ?? '', role: identity.role } : { id: '', name: '', role: 'reader' },
      body,
      createdAt: now().toISOString(),
      editedAt: null,
      status: 'visible',
      replies: [],
    });
    if (parentId === null) {
      if (sort === 'oldest') topOrder.push(localId);
      else topOrder = [localId, ...topOrder];
    }
    changed();
    return send(local, parentId, body);
  }

  async function retry(localId: string): Promise<Comment> {
    const local = typeof localId === 'string' ? locals.get(localId) : undefined;
    const comment = local ? comments.get(local.localId) : undefined;
    if (!local || !comment || local.state !== 'failed') {
      throw new ColloquyError('not_found', 'There is no failed comment with that id to send again.');
    }
    local.state = 'pending';
    delete local.error;
    changed();
    // The same idempotency key as the first attempt: if that one did reach the server, this
    // answers with the comment it created instead of making a second one.
    return send(local, comment.parentId, comment.body);
  }

  function discard(localId: string): void {
    const local = typeof localId === 'string' ? locals.get(localId) : undefined;
    // A pending post may already be stored; only a failed one can be safely forgotten.
    if (!local || local.state !== 'failed') return;
    locals.delete(localId);
    comments.delete(localId);
    topOrder = topOrder.filter((id) => id !== localId);
    changed();
  }

  function requireServerComment(id: unknown): Comment {
    const valid = validateCommentId(id);
    const comment = comments.get(valid);
    if (!comment || locals.has(valid)) {
      throw new ColloquyError('not_found', 'That comment is not in this thread (any more).');
    }
    return comment;
  }

  async function edit(id: string, body: string): Promise<Comment> {
    const before = requireServerComment(id);
    const text = validateBody(body, limits);
    // Optimistic: the new text shows at once; the server's copy (or the old one) replaces it.
    comments.set(before.id, { ...before, body: text, html: undefined, editedAt: now().toISOString() });
    changed();
    try {
      const saved = await adapter.editComment(before.id, text);
      if (!disposed && comments.has(before.id)) {
        comments.set(saved.id, { ...saved, replies: [] });
        changed();
      }
      return saved;
    } catch (thrown) {
      const failure = toColloquyError(thrown);
      if (failure.code === 'thread_closed') closed = true;
      if (!disposed && comments.has(before.id)) {
        comments.set(before.id, before);
        changed();
      }
      throw failure;
    }
  }

  async function remove(id: string): Promise<Comment> {
    const before = requireServerComment(id);
    const index = topOrder.indexOf(before.id);
    removeOrPlaceholder({ ...before, status: 'deleted' });
    changed();
    try {
      const saved = await adapter.deleteComment(before.id);
      if (!disposed && comments.has(saved.id)) {
        removeOrPlaceholder({ ...comments.get(saved.id)!, ...saved, status: 'deleted', replies: [] });
        changed();
      }
      return saved;
    } catch (thrown) {
      if (!disposed) {
        // Put it back where it was, unless a live event removed it for good meanwhile.
        const parentGone = before.parentId !== null && !comments.has(before.parentId);
        if (!parentGone) {
          comments.set(before.id, before);
          if (before.parentId === null && !topOrder.includes(before.id)) {
            topOrder.splice(index === -1 ? topOrder.length : Math.min(index, topOrder.length), 0, before.id);
          }
          changed();
        }
      }
      throw toColloquyError(thrown);
    }
  }

  // Reports and naming are rarer than reading: their code is a module of its own, fetched on
  // first use (an on-demand chunk in embed.js, like helpful-state.ts; docs/decisions/0039).
  async function report(id: string, input: ReportInput): Promise<void> {
    await (await import('./thread-requests.js')).reportInThread(adapter, { storage, thread, reported, limits, changed }, id, input);
  }

  async function identify(name?: string): Promise<Identity> {
    identity = await (await import('./thread-requests.js')).identifyInThread(adapter, name);
    // Pending posts made before the name was known now show it.
    for (const local of locals.values()) {
      const comment = comments.get(local.localId);
      if (comment && comment.author.id === '') {
        comments.set(local.localId, { ...comment, author: { id: identity.id, name: identity.name ?? '', role: identity.role } });
      }
    }
    changed();
    return identity;
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw new ColloquyError('invalid_input', `subscribe needs a function, got ${describe(listener)}.`);
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load,
    loadMore,
    async setSort(next) {
      const valid = validateSort(next);
      sort = valid;
      cursor = null;
      hasMore = false;
      resetServerComments();
      await load();
    },
    async reveal(id) {
      const target = validateCommentId(id);
      if (status === 'idle' && !currentLoad) await load();
      for (;;) {
        if (currentLoad) await currentLoad;
        if (comments.has(target)) return true;
        if (disposed || status !== 'ready' || !hasMore) return false;
        const before = cursor;
        await loadMore();
        if (cursor === before && !comments.has(target)) return false;
      }
    },
    identify,
    post,
    retry,
    discard,
    edit,
    remove,
    report,
    async markHelpful(id, helpful) {
      const valid = validateCommentId(id);
      await (await import('./helpful-state.js')).markInThread(adapter, comments, changed, valid, helpful);
    },
    connect() {
      if (disposed || !adapter.capabilities?.live || typeof adapter.subscribe !== 'function') return Promise.resolve();
      // The merge of live events is a module of its own, fetched on the first connect (an
      // on-demand chunk in embed.js: a thread opens its stream after the first paint). The state
      // subscribes once it is here, so every event it hears is merged before the adapter tells
      // later subscribers (docs/decisions/0039).
      connecting ??= import('./live-merge.js').then(({ applyLiveEvent }) => {
        if (disposed || unsubscribe) return;
        unsubscribe = adapter.subscribe!(thread, (event) => {
          if (disposed) return;
          const arrived = applyLiveEvent(event, identity, sort, thread, comments, locals, merge, confirm, removeOrPlaceholder);
          if (!arrived) return;
          liveArrivals = [...liveArrivals, ...arrived];
          changed();
        });
      });
      // A failed fetch or subscription may be tried again by the next call.
      return connecting.catch((thrown: unknown) => {
        connecting = null;
        throw toColloquyError(thrown, 'unavailable');
      });
    },
    acknowledgeLive() {
      if (liveArrivals.length === 0) return;
      liveArrivals = [];
      changed();
    },
    dispose() {
      disposed = true;
      unsubscribe?.();
      unsubscribe = null;
      listeners.clear();
    },
  };
}


export { reportedStorageKey } from './reports-memory.js';
