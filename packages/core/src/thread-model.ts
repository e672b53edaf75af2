// The pieces of the thread state that need none of its closure: reading its options, and the
// order its flat model is handed to `buildTree` in (thread-state.ts).
import { ColloquyError } from './errors.js';
import { randomLocalId } from './local-ids.js';
import type { ThreadStateOptions } from './state-types.js';
import { describe } from './text.js';
import { DEFAULT_PAGE_SIZE, type Comment } from './types.js';
import { validateLimit, validateThreadKey } from './validate.js';

/** The options of `createThreadState`, checked, with their defaults filled in. */
export function readOptions(options: ThreadStateOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new ColloquyError('invalid_input', `createThreadState needs options, got ${describe(options)}.`);
  }
  const { adapter } = options;
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.listComments !== 'function') {
    throw new ColloquyError('invalid_input', 'createThreadState needs an adapter that meets the StorageAdapter contract.');
  }
  const limits = adapter.capabilities?.limits;
  const maxDepth = options.maxDepth ?? limits?.maxDepth ?? 5;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new ColloquyError('invalid_input', 'maxDepth must be a whole number of 0 or more.');
  }
  return {
    adapter,
    thread: validateThreadKey(options.thread),
    limits,
    pageSize: validateLimit(options.pageSize ?? Math.min(DEFAULT_PAGE_SIZE, limits?.maxPageSize ?? DEFAULT_PAGE_SIZE), limits),
    maxDepth,
    createId: options.createId ?? randomLocalId,
    now: options.now ?? ((): Date => new Date()),
    storage: options.storage,
  };
}

/**
 * The flat model in the order `buildTree` keeps: pinned comments first in every sort, the
 * latest pin first (as a first page lists them, also for a pin that arrived live), then the
 * other top-level comments in display order, then every reply.
 */
export function inTreeOrder(topOrder: readonly string[], comments: ReadonlyMap<string, Comment>): Comment[] {
  const ordered: Comment[] = [];
  const unpinned: Comment[] = [];
  for (const id of topOrder) {
    const comment = comments.get(id);
    if (comment) (comment.pinnedAt ? ordered : unpinned).push(comment);
  }
  ordered.sort((a, b) => Date.parse(b.pinnedAt!) - Date.parse(a.pinnedAt!));
  ordered.push(...unpinned);
  for (const comment of comments.values()) if (comment.parentId !== null) ordered.push(comment);
  return ordered;
}
