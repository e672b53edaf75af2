// The moderator's queue without a view: the queues loaded page by page (the three awaiting a
// decision at once, the published comments when asked for), live arrivals held
// apart from what is on screen, items decided elsewhere marked, and decisions settled into the
// lists, with the same subscribe/snapshot shape as the thread's state. No Lit, no DOM.
import { ColloquyError, toColloquyError } from './errors.js';
import type { ModerationAction, QueueItem, QueuePage, QueueStatus } from './moderation-types.js';
import type { Comment } from './types.js';
import { QUEUE_STATUSES, REVIEW_QUEUES, compareQueued, normalizeSearch, toQueuePage, type ActOptions, type ModerationSource, type QueueSearch } from './moderation-source.js';

export { QUEUE_STATUSES, REVIEW_QUEUES, MODERATION_ACTIONS, normalizeSearch, compareQueued, toQueuePage, actionApplies } from './moderation-source.js';
export type { QueueChangeListener, ModerationSource, QueueSearch, ActOptions } from './moderation-source.js';

/** Whether a comment still belongs in a queue after a decision left it in `status`. */
function staysIn(queue: QueueStatus, comment: Comment): boolean {
  // Every decision closes the open reports, and nothing a moderator does leaves a comment held.
  return (queue === 'hidden' || queue === 'visible') && comment.status === queue;
}

/** Errors that mean the sign-in itself failed: every later decision would fail too. */
const AUTH_ERRORS = new Set(['unauthenticated', 'invalid_token', 'token_expired', 'token_audience_mismatch', 'token_issuer_mismatch', 'forbidden']);

export interface ModerationQueueSnapshot {
  /**
   * What is on screen, per queue, in queue order (arrivals join at the end when shown, in the
   * published queue in their place, newest first).
   */
  readonly items: ReadonlyMap<QueueStatus, readonly QueueItem[]>;
  /** New items a quiet refresh found, waiting to be shown. */
  readonly arrivals: ReadonlyMap<QueueStatus, readonly QueueItem[]>;
  /** Queues loaded at least once. */
  readonly loaded: ReadonlySet<QueueStatus>;
  /** Where each queue's next page starts; null once it is all loaded. */
  readonly cursors: ReadonlyMap<QueueStatus, string | null>;
  /** Each queue's size as the source last said, adjusted for decisions made here since. */
  readonly totals: ReadonlyMap<QueueStatus, number>;
  readonly loadingMore: ReadonlySet<QueueStatus>;
  /** The failure the moderator should see instead of the queue, or null. */
  readonly loadError: ColloquyError | null;
  /** Items decided elsewhere (or gone from the server), kept on screen but marked. */
  readonly gone: ReadonlySet<string>;
  /** Items with a decision on its way. */
  readonly busy: ReadonlySet<string>;
  /** Why the last decision on an item failed. */
  readonly itemErrors: ReadonlyMap<string, ColloquyError>;
  readonly refreshedAt: Date | null;
  /** The search every queue is showing the matches of; null for whole queues. */
  readonly search: QueueSearch | null;
}

export interface ModerationQueueOptions {
  source: ModerationSource;
  /** A load or decision failed (a quiet refresh's failure too, which the snapshot may not show). */
  onError?(error: ColloquyError, action: 'load' | 'moderate'): void;
  /** A quiet refresh found `count` new items waiting in `queue`. */
  onArrivals?(queue: QueueStatus, count: number): void;
  /** The source confirmed a decision. */
  onDecided?(action: ModerationAction, comment: Comment, reason: string | null): void;
  /** Milliseconds that gather a burst of live signals into one refresh. Default 250. */
  liveDelayMs?: number;
  now?: () => Date;
}

export interface LiveOptions {
  /** Seconds between quiet refreshes when the source has no live stream; 0 turns them off. */
  pollSeconds: number;
  /** Whether a timed refresh is worth it now (the page is in view). */
  isVisible?: () => boolean;
}

export type LoadMoreResult = { added: QueueItem[]; page: QueuePage } | { error: ColloquyError } | null;

export interface ModerationQueue {
  getSnapshot(): ModerationQueueSnapshot;
  subscribe(listener: (snapshot: ModerationQueueSnapshot) => void): () => void;
  /**
   * Loads the queues, each as far as it is loaded already, so a refresh checks every item on
   * screen: `queues`, or else the ones awaiting a decision and every other asked for before. A quiet refresh never moves what is on screen: new items wait in `arrivals`, items
   * others decided on stay (in `gone`) until the next full refresh. A new item past the loaded
   * pages is not news: `loadMore` reaches it in its turn.
   */
  refresh(quiet?: boolean, queues?: readonly QueueStatus[]): Promise<void>;
  /**
   * Shows only the matches of `search` in every queue (null: whole queues again): the lists start
   * over from their first pages, and later refreshes and arrivals keep to the search.
   */
  search(search: QueueSearch | null): Promise<void>;
  /** Appends a queue's next page; null when there is none or one is on its way. */
  loadMore(queue: QueueStatus): Promise<LoadMoreResult>;
  /** Moves a queue's waiting arrivals onto the list; answers what moved. */
  showArrivals(queue: QueueStatus): QueueItem[];
  /**
   * Sends one decision per item, one request at a time, then settles the answers into `queue`:
   * decided items leave it or update in place. Answers the confirmed comments by id.
   */
  decide(queue: QueueStatus, items: readonly QueueItem[], action: ModerationAction, reason?: string | null, options?: ActOptions): Promise<Map<string, Comment>>;
  /** An author's ban was lifted elsewhere (the ban list): their queued comments say so. */
  markUnbanned(identityId: string): void;
  /** Follows the source's live stream, or polls; `disconnect` stops either. */
  connect(live: LiveOptions): void;
  disconnect(): void;
  dispose(): void;
}

export function createModerationQueue(options: ModerationQueueOptions): ModerationQueue {
  const { source } = options;
  if (typeof source !== 'object' || source === null || typeof source.queue !== 'function' || typeof source.act !== 'function') {
    throw new ColloquyError('invalid_input', 'createModerationQueue needs a source with queue() and act().');
  }
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(snapshot: ModerationQueueSnapshot) => void>();
  let snapshot: ModerationQueueSnapshot = {
    items: new Map(),
    arrivals: new Map(),
    loaded: new Set(),
    cursors: new Map(),
    totals: new Map(),
    loadingMore: new Set(),
    loadError: null,
    gone: new Set(),
    busy: new Set(),
    itemErrors: new Map(),
    refreshedAt: null,
    search: null,
  };
  let disposed = false;
  let unsubscribe: (() => void) | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let pendingRefresh: ReturnType<typeof setTimeout> | undefined;
  /** The queues refreshes keep up to date: those awaiting a decision, and any other once asked for. */
  const followed = new Set<QueueStatus>(REVIEW_QUEUES);
  const following = () => QUEUE_STATUSES.filter((queue) => followed.has(queue));

  function update(patch: Partial<ModerationQueueSnapshot>): void {
    if (disposed) return;
    snapshot = { ...snapshot, ...patch };
    for (const listener of [...listeners]) listener(snapshot);
  }

  function fail(error: unknown, action: 'load' | 'moderate'): ColloquyError {
    const colloquyError = toColloquyError(error);
    if (!disposed) options.onError?.(colloquyError, action);
    return colloquyError;
  }

  /** The item shown furthest along the queue's order, or null. */
  function lastLoaded(queue: QueueStatus): QueueItem | null {
    let last: QueueItem | null = null;
    for (const item of snapshot.items.get(queue) ?? []) if (!last || compareQueued(item, last, queue) > 0) last = item;
    return last;
  }

  /** A queue from its first page on, until the pages reach `until` (or the queue ends). */
  async function fetchThrough(queue: QueueStatus, until: QueueItem | null): Promise<QueuePage> {
    const { search } = snapshot;
    let page = toQueuePage(await source.queue(queue, null, search));
    const items = [...page.items];
    while (until && page.nextCursor && page.items.length > 0 && compareQueued(items[items.length - 1]!, until, queue) < 0) {
      page = toQueuePage(await source.queue(queue, page.nextCursor, search));
      items.push(...page.items);
    }
    return { items, nextCursor: page.nextCursor, total: page.total };
  }

  function adjustTotal(totals: Map<QueueStatus, number>, queue: QueueStatus, delta: number): void {
    const total = totals.get(queue);
    if (total !== undefined) totals.set(queue, Math.max(0, total + delta));
  }

  async function refresh(quiet = false, asked?: readonly QueueStatus[]): Promise<void> {
    if (disposed) return;
    for (const queue of asked ?? []) followed.add(queue);
    const queues = asked ?? following();
    const searched = snapshot.search;
    let results: QueuePage[];
    try {
      results = await Promise.all(queues.map((queue) => fetchThrough(queue, lastLoaded(queue))));
    } catch (error) {
      // An answer to an earlier search is no answer to this one.
      if (disposed || snapshot.search !== searched) return;
      const colloquyError = fail(error, 'load');
      // A failed background refresh keeps the list as it is; only a visible load reports it,
      // or a sign-in that stopped working, since every decision would fail too.
      if (!quiet || snapshot.loaded.size === 0 || AUTH_ERRORS.has(colloquyError.code)) update({ loadError: colloquyError });
      return;
    }
    if (disposed || snapshot.search !== searched) return;
    const items = new Map(snapshot.items);
    const arrivals = new Map(snapshot.arrivals);
    const gone = new Set(snapshot.gone);
    const loaded = new Set(snapshot.loaded);
    const cursors = new Map(snapshot.cursors);
    const totals = new Map(snapshot.totals);
    const fresh = new Map<QueueStatus, number>();
    queues.forEach((queue, i) => {
      const incoming = results[i]!;
      const shown = items.get(queue);
      totals.set(queue, incoming.total);
      if (!quiet || !shown) {
        items.set(queue, incoming.items);
        cursors.set(queue, incoming.nextCursor);
        arrivals.delete(queue);
        for (const item of shown ?? []) gone.delete(item.comment.id);
      } else {
        const byId = new Map(incoming.items.map((item) => [item.comment.id, item]));
        const shownIds = new Set(shown.map((item) => item.comment.id));
        // The pages fetched reach at least the last item shown, so one missing was decided elsewhere.
        items.set(
          queue,
          shown.map((item) => {
            const changed = byId.get(item.comment.id);
            if (!changed) gone.add(item.comment.id);
            return changed ?? item;
          }),
        );
        const last = lastLoaded(queue);
        const complete = (cursors.get(queue) ?? null) === null;
        const unseen = incoming.items.filter((item) => !shownIds.has(item.comment.id));
        const within = (item: QueueItem) => last !== null && compareQueued(item, last, queue) <= 0;
        const before = new Set((arrivals.get(queue) ?? []).map((item) => item.comment.id));
        // On a queue loaded to its end, anything new is an arrival; otherwise only what lands among the loaded items.
        const waiting = complete ? unseen : unseen.filter((item) => within(item) || before.has(item.comment.id));
        arrivals.set(queue, waiting);
        if (complete) cursors.set(queue, incoming.nextCursor);
        else if (incoming.nextCursor === null && unseen.every(within)) cursors.set(queue, null);
        const count = waiting.filter((item) => !before.has(item.comment.id)).length;
        if (count > 0) fresh.set(queue, count);
      }
      loaded.add(queue);
    });
    update({ items, arrivals, gone, loaded, cursors, totals, loadError: null, refreshedAt: now() });
    for (const [queue, count] of fresh) options.onArrivals?.(queue, count);
  }

  async function loadMore(queue: QueueStatus): Promise<LoadMoreResult> {
    const cursor = snapshot.cursors.get(queue);
    if (disposed || !cursor || snapshot.loadingMore.has(queue)) return null;
    update({ loadingMore: new Set(snapshot.loadingMore).add(queue) });
    const done = () => {
      const loading = new Set(snapshot.loadingMore);
      loading.delete(queue);
      return loading;
    };
    const asked = snapshot.search;
    let page: QueuePage;
    try {
      page = toQueuePage(await source.queue(queue, cursor, asked));
    } catch (error) {
      if (disposed || snapshot.search !== asked) return null;
      const colloquyError = fail(error, 'load');
      update({ loadingMore: done() });
      return { error: colloquyError };
    }
    if (disposed || snapshot.search !== asked) return null;
    const shown = snapshot.items.get(queue) ?? [];
    const shownIds = new Set(shown.map((item) => item.comment.id));
    const added = page.items.filter((item) => !shownIds.has(item.comment.id));
    const addedIds = new Set(added.map((item) => item.comment.id));
    update({
      loadingMore: done(),
      items: new Map(snapshot.items).set(queue, [...shown, ...added]),
      arrivals: new Map(snapshot.arrivals).set(
        queue,
        (snapshot.arrivals.get(queue) ?? []).filter((item) => !addedIds.has(item.comment.id)),
      ),
      cursors: new Map(snapshot.cursors).set(queue, page.nextCursor),
      totals: new Map(snapshot.totals).set(queue, page.total),
    });
    return { added, page };
  }

  function showArrivals(queue: QueueStatus): QueueItem[] {
    const waiting = [...(snapshot.arrivals.get(queue) ?? [])];
    if (waiting.length === 0) return [];
    const arrivals = new Map(snapshot.arrivals);
    arrivals.delete(queue);
    const shown = [...(snapshot.items.get(queue) ?? []), ...waiting];
    // A published comment arrives newer than those shown (or restored among them): in its place.
    if (queue === 'visible') shown.sort((a, b) => compareQueued(a, b, queue));
    update({ items: new Map(snapshot.items).set(queue, shown), arrivals });
    return waiting;
  }

  function setBusy(id: string, on: boolean, error?: ColloquyError | null): void {
    const busy = new Set(snapshot.busy);
    if (on) busy.add(id);
    else busy.delete(id);
    if (error === undefined) return update({ busy });
    const itemErrors = new Map(snapshot.itemErrors);
    if (error === null) itemErrors.delete(id);
    else itemErrors.set(id, error);
    update({ busy, itemErrors });
  }

  /** Sends one decision; the comment when the source confirmed it, else null. */
  async function send(queue: QueueStatus, item: QueueItem, action: ModerationAction, reason: string | null, extra?: ActOptions): Promise<Comment | null> {
    const id = item.comment.id;
    setBusy(id, true, null);
    try {
      const comment = extra ? await source.act(id, action, reason, extra) : await source.act(id, action, reason);
      setBusy(id, false);
      if (!disposed) options.onDecided?.(action, comment, reason);
      return comment;
    } catch (error) {
      const colloquyError = fail(error, 'moderate');
      setBusy(id, false, colloquyError);
      if ((colloquyError.code === 'not_found' || colloquyError.code === 'conflict') && !snapshot.gone.has(id)) {
        // It has left the queue on the server; the tab says so before the next refresh does.
        const totals = new Map(snapshot.totals);
        adjustTotal(totals, queue, -1);
        update({ gone: new Set(snapshot.gone).add(id), totals });
      }
      return null;
    }
  }

  /** Applies the source's answers to a queue: decided items leave it, or update in place. */
  function settle(queue: QueueStatus, decided: Map<string, Comment>, action: ModerationAction): void {
    const current = snapshot.items.get(queue) ?? [];
    const list: QueueItem[] = [];
    for (const item of current) {
      const comment = decided.get(item.comment.id);
      if (!comment) list.push(item);
      // Lifting a ban leaves the comment and its reports as they were.
      else if (action === 'unban-author') list.push({ ...item, authorHistory: item.authorHistory && { ...item.authorHistory, banned: false } });
      else if (staysIn(queue, comment)) list.push({ ...item, comment: { ...item.comment, status: comment.status }, reports: [], reportWeight: 0 });
    }
    const totals = new Map(snapshot.totals);
    adjustTotal(totals, queue, list.length - current.length);
    update({ items: new Map(snapshot.items).set(queue, list), totals });
    // A decided comment may have moved to another queue (hidden, say): keep those tabs' counts true.
    if (decided.size > 0) void refresh(true, following().filter((other) => other !== queue));
  }

  async function decide(
    queue: QueueStatus,
    targets: readonly QueueItem[],
    action: ModerationAction,
    reason: string | null = null,
    extra?: ActOptions,
  ): Promise<Map<string, Comment>> {
    const decided = new Map<string, Comment>();
    for (const item of targets) {
      if (disposed) break;
      const comment = await send(queue, item, action, reason, extra);
      if (comment) decided.set(item.comment.id, comment);
    }
    settle(queue, decided, action);
    return decided;
  }

  function markUnbanned(identityId: string): void {
    const items = new Map<QueueStatus, QueueItem[]>();
    for (const [queue, list] of snapshot.items) {
      items.set(
        queue,
        list.map((item) =>
          item.comment.author.id === identityId && item.authorHistory ? { ...item, authorHistory: { ...item.authorHistory, banned: false } } : item,
        ),
      );
    }
    update({ items });
  }

  function disconnect(): void {
    clearInterval(pollTimer);
    clearTimeout(pendingRefresh);
    pollTimer = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
  }

  function connect(live: LiveOptions): void {
    disconnect();
    if (disposed) return;
    if (source.subscribe) {
      // A burst of reports (three readers within a second) becomes one refresh.
      unsubscribe = source.subscribe(() => {
        clearTimeout(pendingRefresh);
        pendingRefresh = setTimeout(() => void refresh(true), options.liveDelayMs ?? 250);
      });
    } else if (live.pollSeconds > 0) {
      // A polite refresh: only while the page is in view, and new items wait as arrivals.
      pollTimer = setInterval(() => {
        if (live.isVisible?.() ?? true) void refresh(true);
      }, live.pollSeconds * 1000);
    }
  }

  async function search(filters: QueueSearch | null): Promise<void> {
    const next = normalizeSearch(filters);
    if (disposed || JSON.stringify(next) === JSON.stringify(snapshot.search)) return;
    update({
      search: next,
      items: new Map(),
      arrivals: new Map(),
      loaded: new Set(),
      cursors: new Map(),
      totals: new Map(),
      loadingMore: new Set(),
      gone: new Set(),
      loadError: null,
    });
    await refresh(false);
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    search,
    loadMore,
    showArrivals,
    decide,
    markUnbanned,
    connect,
    disconnect,
    dispose() {
      disconnect();
      disposed = true;
      listeners.clear();
    },
  };
}
