import type { ColloquyError } from './errors.js';
import type { StorageAdapter } from './adapter.js';
import type { Comment, Identity, ReportInput, SortOrder } from './types.js';

/** Where a comment the reader wrote stands before the adapter confirms it. */
export type LocalState = 'pending' | 'failed';

/** A comment placed in the tree. Replies beyond the depth cap attach at the deepest level. */
export interface CommentNode {
  comment: Comment;
  /** 0 for top-level comments. */
  depth: number;
  children: CommentNode[];
  /** Set for the reader's own comments not yet confirmed (optimistic create/reply). */
  local?: {
    state: LocalState;
    /** Stable id of the attempt; pass to `retry` / `discard`. Also the idempotency key. */
    localId: string;
    error?: ColloquyError;
  };
  /** True when this reader has reported the comment. */
  reported: boolean;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** An immutable picture of a thread; a new object after every change. */
export interface ThreadSnapshot {
  thread: string;
  sort: SortOrder;
  status: LoadStatus;
  /** The error of the last failed load (first page or load more). */
  error: ColloquyError | null;
  /** Top-level nodes in display order. */
  comments: CommentNode[];
  /** More top-level comments are available through `loadMore`. */
  hasMore: boolean;
  loadingMore: boolean;
  /** Number of comments in the tree, replies included (pending ones too). */
  size: number;
  identity: Identity | null;
  /** Ids of comments that arrived live since the last `acknowledgeLive()`. */
  liveArrivals: readonly string[];
  /**
   * The thread takes no new comments or replies: as the last page said, or since a post was
   * refused with `thread_closed`. It still reads, and readers may delete their own comments.
   */
  closed: boolean;
}

export interface ThreadStateOptions {
  adapter: StorageAdapter;
  thread: string;
  sort?: SortOrder;
  pageSize?: number;
  /** Deepest level shown (0 is top level); defaults to the adapter's `limits.maxDepth`. */
  maxDepth?: number;
  /** Where to remember which comments this reader reported (defaults to memory only). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** Makes ids for optimistic comments and idempotency keys; defaults to 32 random hex digits from `crypto.getRandomValues`. */
  createId?: () => string;
  /** Clock for optimistic timestamps (tests pass a fixed one). */
  now?: () => Date;
  /** The page the thread is shown on, sent with each post so moderators can open comments in context. */
  pageUrl?: string;
}

export interface PostInput {
  body: string;
  parentId?: string | null;
}

/**
 * Headless state of one thread, usable from any framework: subscribe for changes, read
 * snapshots, call actions. Actions reject with `ColloquyError`; the snapshot shows the outcome too.
 */
export interface ThreadState {
  getSnapshot(): ThreadSnapshot;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: ThreadSnapshot) => void): () => void;

  /** Loads the first page (again), and the identity. */
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setSort(sort: SortOrder): Promise<void>;
  /** Keeps loading pages until `id` is in the tree or there are no more; true if found. */
  reveal(id: string): Promise<boolean>;

  /** Ensures an identity, giving it `name` when it has none. */
  identify(name?: string): Promise<Identity>;

  /**
   * Optimistic create or reply: the node appears at once as `pending`, then is confirmed or
   * marked `failed` with the typed text kept. Resolves with the confirmed comment.
   */
  post(input: PostInput): Promise<Comment>;
  /** Retries a failed post with the same idempotency key, so it can never duplicate. */
  retry(localId: string): Promise<Comment>;
  /** Drops a failed post from the tree. */
  discard(localId: string): void;

  edit(id: string, body: string): Promise<Comment>;
  remove(id: string): Promise<Comment>;
  report(id: string, report: ReportInput): Promise<void>;
  /**
   * The reader's helpful mark on a comment, shown at once (count and `helpful.mine`), then as the
   * adapter answers; on failure it returns to what it was and the promise rejects.
   */
  markHelpful(id: string, helpful: boolean): Promise<void>;

  /**
   * Starts live updates when the adapter can subscribe; safe to call twice. Resolves once the
   * state listens (the code that merges live events is fetched first, on the first call); an
   * event sent before then is not heard. Rejects with `unavailable` when the adapter cannot
   * subscribe or that code cannot be fetched; a later call tries again.
   */
  connect(): Promise<void>;
  /** Clears `liveArrivals` once the view has announced them. */
  acknowledgeLive(): void;
  /** Stops live updates and drops listeners. */
  dispose(): void;
}

export type { StorageAdapter };

/** @internal A comment the reader wrote, from the moment it shows until the server's copy replaces it. */
export interface LocalPost {
  localId: string;
  state: LocalState;
  error?: ColloquyError;
  /** Set once the server's copy is known (from the answer or a live event). */
  confirmedId?: string;
}
