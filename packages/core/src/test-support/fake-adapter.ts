import type { AdapterCapabilities, StorageAdapter, Unsubscribe } from '../adapter.js';
import { ColloquyError } from '../errors.js';
import {
  DEFAULT_LIMITS,
  type Comment,
  type CreateInput,
  type HelpfulMark,
  type Identity,
  type Limits,
  type ListQuery,
  type Page,
  type ReportInput,
  type Role,
  type ThreadEvent,
} from '../types.js';
import { validateBody, validateListQuery } from '../validate.js';
import { validateCreateInput, validateName, validateReport } from '../validate-writes.js';

/*
 * An in-process comment backend for core's own tests: real storage, paging, idempotency,
 * authorship and live events, with switches a test needs to provoke the awkward cases
 * (a failing call, a slow or held response). Several adapters over one backend act as several
 * readers, so "someone else posted" is an actual write, not a scripted event.
 */

type Method = 'getIdentity' | 'identify' | 'listComments' | 'createComment' | 'editComment' | 'deleteComment' | 'reportComment' | 'markHelpful' | 'countComments';

interface Stored {
  comment: Comment;
  idempotencyKey: string | null;
}

interface Held {
  promise: Promise<void>;
  release: () => void;
}

export interface FakeBackendOptions {
  limits?: Partial<Limits>;
  /** Milliseconds every call waits before it answers. */
  latency?: number;
  /** Delivers live events to subscribers; false makes adapters report no live capability. */
  live?: boolean;
}

export class FakeBackend {
  readonly limits: Limits;
  latency: number;
  readonly live: boolean;
  /** Every call made, in order, as `method` names: lets a test see what really went out. */
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];

  private readonly comments = new Map<string, Stored>();
  private readonly identities = new Map<string, Identity>();
  private readonly reports = new Set<string>();
  private readonly marks = new Map<string, Set<string>>();
  private readonly listeners = new Map<string, Set<(event: ThreadEvent) => void>>();
  private readonly failures = new Map<Method, Array<{ error: ColloquyError; after: boolean }>>();
  private readonly holds = new Map<Method, Held[]>();
  private sequence = 0;
  private time = Date.UTC(2026, 0, 1);

  constructor(options: FakeBackendOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.latency = options.latency ?? 0;
    this.live = options.live ?? true;
  }

  /** An adapter acting for one reader; `identity` sets who that is from the start. */
  adapter(identity?: { name?: string | null; role?: Role }): FakeAdapter {
    const adapter = new FakeAdapter(this);
    if (identity) adapter.currentId = this.createIdentity(identity.name ?? null, identity.role ?? 'reader').id;
    return adapter;
  }

  /**
   * The next call to `method` rejects with `error` (queued: call again to fail several). With
   * `afterWork` the call takes effect first and only the answer is lost, like a dropped response.
   */
  failNext(
    method: Method,
    error: ColloquyError = new ColloquyError('network_error', 'The network is down.'),
    { afterWork = false }: { afterWork?: boolean } = {},
  ): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ error, after: afterWork });
    this.failures.set(method, queue);
  }

  /**
   * The next call to `method` does its work but holds its answer until the returned function
   * is called: the way to make answers arrive late or out of order.
   */
  hold(method: Method): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const queue = this.holds.get(method) ?? [];
    queue.push({ promise, release });
    this.holds.set(method, queue);
    return release;
  }

  /** What is really stored, replies flattened: the test's view behind the adapter. */
  stored(thread: string): Comment[] {
    return [...this.comments.values()].map((s) => s.comment).filter((c) => c.thread === thread);
  }

  /** A moderator's hide or restore, which readers see as live events. */
  moderate(id: string, action: 'hide' | 'restore'): Comment {
    const stored = this.comments.get(id);
    if (!stored) throw new ColloquyError('not_found', 'No such comment.');
    stored.comment = { ...stored.comment, status: action === 'hide' ? 'hidden' : 'visible' };
    this.emit({ type: action === 'hide' ? 'hidden' : 'restored', comment: this.publicView(stored.comment) });
    return stored.comment;
  }

  /** @internal Runs one adapter call: records it, applies latency, failures and holds. */
  async run<T>(method: Method, args: unknown[], work: () => T): Promise<T> {
    this.calls.push({ method, args });
    const held = this.holds.get(method)?.shift();
    if (this.latency > 0) await new Promise((resolve) => setTimeout(resolve, this.latency));
    else await Promise.resolve();
    const failure = this.failures.get(method)?.shift();
    if (failure && !failure.after) throw failure.error;
    const result = work();
    if (held) await held.promise;
    if (failure) throw failure.error;
    return result;
  }

  /** @internal */
  createIdentity(name: string | null, role: Role = 'reader'): Identity {
    const identity: Identity = { id: `i_${++this.sequence}`, name, role };
    this.identities.set(identity.id, identity);
    return identity;
  }

  /** @internal */
  identity(id: string | null): Identity | null {
    return id === null ? null : (this.identities.get(id) ?? null);
  }

  /** @internal */
  subscribe(thread: string, listener: (event: ThreadEvent) => void): Unsubscribe {
    const set = this.listeners.get(thread) ?? new Set();
    set.add(listener);
    this.listeners.set(thread, set);
    return () => set.delete(listener);
  }

  /** @internal */
  list(query: ListQuery): Page {
    const { thread, sort, cursor, limit } = validateListQuery(query, this.limits);
    const all = this.stored(thread);
    const childrenOf = (id: string): Comment[] =>
      all.filter((c) => c.parentId === id).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    const shown = (c: Comment): Comment | null => {
      const replies = childrenOf(c.id).map(shown).filter((r): r is Comment => r !== null);
      if (c.status === 'visible') return { ...c, replies };
      if (replies.length === 0) return null;
      return { ...this.publicView(c), replies };
    };
    const visibleReplies = (id: string): number => childrenOf(id).filter((c) => c.status === 'visible').length;
    const key = (c: Comment): string[] => {
      if (sort === 'top') return [String(1e6 - visibleReplies(c.id)).padStart(7, '0'), invert(c.createdAt), invert(c.id)];
      if (sort === 'newest') return [invert(c.createdAt), invert(c.id)];
      return [c.createdAt, c.id];
    };
    const rows = all
      .filter((c) => c.parentId === null)
      .map((c) => ({ c, k: JSON.stringify(key(c)) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    let after: string | null = null;
    if (cursor !== null) {
      try {
        const parsed = JSON.parse(cursor) as { sort: string; key: string };
        if (parsed.sort !== sort || typeof parsed.key !== 'string') throw new Error('wrong sort');
        after = parsed.key;
      } catch {
        throw new ColloquyError('invalid_cursor', 'The cursor is not one this server gave out; load the thread again.');
      }
    }
    const page: Comment[] = [];
    let last: string | null = null;
    let more = false;
    for (const row of rows) {
      if (after !== null && row.k <= after) continue;
      const comment = shown(row.c);
      if (comment === null) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(comment);
      last = row.k;
    }
    return { comments: page, nextCursor: more && last !== null ? JSON.stringify({ sort, key: last }) : null, closed: false };
  }

  /** @internal */
  create(identityId: string | null, input: CreateInput): Comment {
    const author = this.identity(identityId);
    if (!author) throw new ColloquyError('unauthenticated', 'Choose a screen name before posting.');
    if (!author.name) throw new ColloquyError('name_required', 'Choose a screen name before posting.');
    const valid = validateCreateInput(input, this.limits);
    for (const stored of this.comments.values()) {
      if (stored.idempotencyKey === `${author.id}:${valid.idempotencyKey}`) {
        const same = stored.comment.body === valid.body && stored.comment.thread === valid.thread;
        if (!same) throw new ColloquyError('idempotency_conflict', 'This key was used for a different comment.');
        return stored.comment;
      }
    }
    let parentId = valid.parentId;
    if (parentId !== null) {
      const parent = this.comments.get(parentId)?.comment;
      if (!parent || parent.thread !== valid.thread) throw new ColloquyError('not_found', 'The comment you reply to is gone.');
      // Like the server: a reply to the deepest level is stored as a sibling.
      if (this.depth(parent) >= this.limits.maxDepth) parentId = parent.parentId;
    }
    this.time += 1000;
    const comment: Comment = {
      id: `c_${++this.sequence}`,
      thread: valid.thread,
      parentId,
      author: { id: author.id, name: author.name, role: author.role },
      body: valid.body,
      createdAt: new Date(this.time).toISOString(),
      editedAt: null,
      status: 'visible',
      replies: [],
    };
    this.comments.set(comment.id, { comment, idempotencyKey: `${author.id}:${valid.idempotencyKey}` });
    this.emit({ type: 'created', comment });
    return comment;
  }

  /** @internal */
  change(identityId: string | null, id: string, body: string | null): Comment {
    const stored = this.comments.get(id);
    if (!stored || stored.comment.status === 'deleted') throw new ColloquyError('not_found', 'No such comment.');
    const actor = this.identity(identityId);
    if (!actor) throw new ColloquyError('unauthenticated', 'Sign in first.');
    if (actor.id !== stored.comment.author.id && actor.role !== 'moderator' && actor.role !== 'staff') {
      throw new ColloquyError('forbidden', 'Only the author can change this comment.');
    }
    this.time += 1000;
    if (body === null) {
      stored.comment = { ...stored.comment, status: 'deleted', body: '' };
      this.emit({ type: 'deleted', comment: this.publicView(stored.comment) });
      return this.publicView(stored.comment);
    }
    stored.comment = { ...stored.comment, body: validateBody(body, this.limits), editedAt: new Date(this.time).toISOString() };
    this.emit({ type: 'edited', comment: stored.comment });
    return stored.comment;
  }

  /** @internal */
  report(identityId: string | null, id: string, report: ReportInput): void {
    validateReport(report, this.limits);
    if (!this.comments.has(id)) throw new ColloquyError('not_found', 'No such comment.');
    if (identityId === null) throw new ColloquyError('unauthenticated', 'Get an identity before reporting.');
    const key = `${identityId}:${id}`;
    if (this.reports.has(key)) throw new ColloquyError('already_reported', 'You already reported this comment.');
    this.reports.add(key);
  }

  /** @internal One mark per identity per comment; the count is every identity's. */
  mark(identityId: string | null, id: string, helpful: boolean): HelpfulMark {
    if (!this.comments.has(id)) throw new ColloquyError('not_found', 'No such comment.');
    if (identityId === null) throw new ColloquyError('unauthenticated', 'Get an identity before marking.');
    const marks = this.marks.get(id) ?? new Set<string>();
    this.marks.set(id, marks);
    if (helpful) marks.add(identityId);
    else marks.delete(identityId);
    const stored = this.comments.get(id)!.comment;
    this.emit({ type: 'helpful', comment: { ...this.publicView(stored), helpful: { count: marks.size, mine: false } } });
    return { commentId: id, count: marks.size, mine: helpful };
  }

  /** @internal */
  count(threads: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const thread of threads) counts[thread] = this.stored(thread).filter((c) => c.status === 'visible').length;
    return counts;
  }

  private depth(comment: Comment): number {
    let depth = 0;
    let current = comment;
    while (current.parentId !== null) {
      const parent = this.comments.get(current.parentId)?.comment;
      if (!parent) break;
      current = parent;
      depth++;
    }
    return depth;
  }

  /** A removed comment as readers get it: a placeholder with nothing of its content. */
  private publicView(comment: Comment): Comment {
    if (comment.status === 'visible') return comment;
    return { ...comment, body: '', author: { id: '', name: '', role: 'reader' } };
  }

  private emit(event: ThreadEvent): void {
    if (!this.live) return;
    const listeners = [...(this.listeners.get(event.comment.thread) ?? [])];
    // Delivered later, as a network stream would, never inside the write that caused it.
    setTimeout(() => {
      for (const listener of listeners) listener(event);
    }, 0);
  }
}

/** Sorts descending on a string key by inverting each character. */
function invert(value: string): string {
  return Array.from(value, (char) => String.fromCharCode(0xffff - char.charCodeAt(0))).join('');
}

export class FakeAdapter implements StorageAdapter {
  readonly capabilities: AdapterCapabilities;
  /** @internal The identity this reader acts as. */
  currentId: string | null = null;
  readonly subscribe?: (thread: string, listener: (event: ThreadEvent) => void) => Unsubscribe;

  constructor(private readonly backend: FakeBackend) {
    this.capabilities = { live: backend.live, limits: backend.limits };
    if (backend.live) this.subscribe = (thread, listener) => backend.subscribe(thread, listener);
  }

  getIdentity(): Promise<Identity | null> {
    return this.backend.run('getIdentity', [], () => this.backend.identity(this.currentId));
  }

  identify(name?: string): Promise<Identity> {
    return this.backend.run('identify', [name], () => {
      const valid = name === undefined ? null : validateName(name, this.backend.limits);
      const current = this.backend.identity(this.currentId);
      if (current) {
        if (current.name === null && valid !== null) current.name = valid;
        return { ...current };
      }
      const created = this.backend.createIdentity(valid);
      this.currentId = created.id;
      return { ...created };
    });
  }

  listComments(query: ListQuery): Promise<Page> {
    return this.backend.run('listComments', [query], () => this.backend.list(query));
  }

  createComment(input: CreateInput): Promise<Comment> {
    return this.backend.run('createComment', [input], () => this.backend.create(this.currentId, input));
  }

  editComment(id: string, body: string): Promise<Comment> {
    return this.backend.run('editComment', [id, body], () => this.backend.change(this.currentId, id, body));
  }

  deleteComment(id: string): Promise<Comment> {
    return this.backend.run('deleteComment', [id], () => this.backend.change(this.currentId, id, null));
  }

  reportComment(id: string, report: ReportInput): Promise<void> {
    return this.backend.run('reportComment', [id, report], () => this.backend.report(this.currentId, id, report));
  }

  markHelpful(id: string, helpful: boolean): Promise<HelpfulMark> {
    return this.backend.run('markHelpful', [id, helpful], () => this.backend.mark(this.currentId, id, helpful));
  }

  countComments(threads: readonly string[]): Promise<Record<string, number>> {
    return this.backend.run('countComments', [threads], () => this.backend.count(threads));
  }
}
