import type {
  Comment,
  CreateInput,
  HelpfulMark,
  Identity,
  Limits,
  ListQuery,
  Page,
  ReportInput,
  ThreadEvent,
} from './types.js';

/** What an adapter can do beyond the required contract. The conformance suite skips by these. */
export interface AdapterCapabilities {
  /** `subscribe` delivers other clients' writes as they happen. */
  live: boolean;
  /** The limits the backing store enforces. */
  limits: Limits;
}

export type Unsubscribe = () => void;

/**
 * The storage contract between the widget and wherever comments live.
 *
 * One adapter instance acts for one reader (one identity), like one browser. Every method is
 * async and rejects only with `ColloquyError`. Required: everything but `subscribe`, which is
 * present when `capabilities.live` is true. The rules below, and the ones the types promise, are
 * numbered in docs/adapters.md (R1…) and proved by `@colloquy/adapter-test-suite`.
 */
export interface StorageAdapter {
  readonly capabilities: AdapterCapabilities;

  /** The identity this adapter acts as, or null before the reader has one. */
  getIdentity(): Promise<Identity | null>;
  /**
   * Ensures the reader has an identity. With `name`, gives a nameless identity that screen
   * name (an identity that already has a name keeps it). Without a name the identity may
   * report but not post.
   */
  identify(name?: string): Promise<Identity>;

  /** A page of top-level comments with nested replies; keyset-paged by `cursor`. */
  listComments(query: ListQuery): Promise<Page>;
  /** Creates a comment or reply as the current identity. Idempotent on `idempotencyKey`. */
  createComment(input: CreateInput): Promise<Comment>;
  /** The author within the edit window, or a moderator. */
  editComment(id: string, body: string): Promise<Comment>;
  /** Soft delete: a comment with replies keeps its place with status `deleted`. */
  deleteComment(id: string): Promise<Comment>;
  /** One report per identity per comment; a second answers `already_reported`. */
  reportComment(id: string, report: ReportInput): Promise<void>;
  /**
   * Marks the comment helpful (`true`) or takes the reader's mark back (`false`), as the current
   * identity (a nameless one is made, as for reports); either is idempotent. One mark per identity
   * per comment; never on one's own comment (`forbidden`). Answers the marks after the change.
   */
  markHelpful(id: string, helpful: boolean): Promise<HelpfulMark>;
  /** Visible comment counts per thread key (0 for unknown threads). */
  countComments(threads: readonly string[]): Promise<Record<string, number>>;
  /**
   * Optional: the storage's own rendering of a body being written (HTML, sanitized again by the
   * widget), for the composer's preview when the storage renders bodies itself, as the
   * reference server does. Without it the widget previews with its own renderer.
   */
  previewHtml?(body: string): Promise<string>;
  /** Live events for one thread; present when `capabilities.live`. */
  subscribe?(thread: string, listener: (event: ThreadEvent) => void): Unsubscribe;
}
