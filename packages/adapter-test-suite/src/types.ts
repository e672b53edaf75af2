import type { CommentStatus, Role, StorageAdapter } from '@colloquy/core';

/** A comment as it really sits in storage, read past the adapter. */
export interface RawComment {
  id: string;
  thread: string;
  parentId: string | null;
  body: string;
  status: CommentStatus;
}

/** A backdoor into the backing storage, so the suite checks what was stored, not only what is read back. */
export interface RawAccess {
  getComment(id: string): RawComment | null | Promise<RawComment | null>;
  /** Every stored comment of a thread, deleted and hidden ones included. */
  countStored(thread: string): number | Promise<number>;
}

export interface ConnectOptions {
  /** The role the new client's identity should hold; adapters without roles ignore it. */
  role?: Role;
}

/** One test's world: fresh storage and a way to open clients on it. */
export interface SuiteContext {
  /**
   * A new client acting as a new identity over the same storage, like another browser. It has
   * no identity until `identify`.
   */
  connect(options?: ConnectOptions): StorageAdapter | Promise<StorageAdapter>;
  raw?: RawAccess;
  /**
   * Moves the storage's clock forward, so the suite can close the edit window without waiting.
   * Storage whose clock cannot be moved (a live server) leaves it out; the edit-window test then
   * checks only that edits inside the window succeed, and says so in its assertion messages.
   */
  advanceTime?(seconds: number): void | Promise<void>;
  /**
   * Closes or reopens a thread as a moderator would (on a server, `POST /moderation/threads`).
   * Storage that cannot close threads leaves it out; the closed-thread tests then check only
   * that its listings say `closed: false`.
   */
  setThreadClosed?(thread: string, closed: boolean): void | Promise<void>;
  /**
   * Pins or unpins a comment as a moderator would (on a server, `PUT`/`DELETE
   * /moderation/comments/:id/pin`), rejecting as the storage refuses (`pin_limit`, `conflict`).
   * Storage that cannot pin leaves it out; the pin tests then check that listings carry no pins.
   */
  setPinned?(commentId: string, pinned: boolean): unknown;
  /** The storage's pins per thread, when not the default 3. */
  maxPins?: number;
  teardown?(): void | Promise<void>;
}

type Hook = () => void | Promise<void>;

export interface AdapterSuiteOptions {
  /** Shown as the outer group's title. */
  name: string;
  /** The runner's functions: `node:test` and Mocha both fit. */
  describe: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>) => unknown;
  beforeEach: (hook: Hook) => unknown;
  afterEach: (hook: Hook) => unknown;
  /** Called before every test for fresh storage. */
  setup(): Promise<SuiteContext>;
}
