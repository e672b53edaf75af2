import { ColloquyError } from './errors.js';
import type { CommentNode } from './state-types.js';
import { describe } from './text.js';
import type { Comment } from './types.js';

export interface BuildTreeOptions {
  /** Deepest level shown (0 is top level). Deeper replies attach at this level. */
  maxDepth: number;
  /** Whether this reader has reported a comment; false for all when omitted. */
  isReported?: (id: string) => boolean;
  /** Extra state for a node (the thread state marks pending posts this way). */
  localOf?: (id: string) => CommentNode['local'] | undefined;
}

/**
 * Places comments in a tree of `CommentNode`s. The input may be pages as the adapter returns
 * them (top-level comments with nested `replies`), a flat list linked by `parentId`, or a mix.
 *
 * - Top-level comments keep their input order (the page's sort); replies are ordered oldest
 *   first under their parent, whatever order they came in.
 * - A comment's parent is its `parentId` when that comment is present, otherwise the comment
 *   it was nested under. A reply whose parent is nowhere in the input (an orphan: its parent
 *   was removed, or is on a page not loaded yet) is left out, since there is nowhere honest to
 *   show it; the order of the input does not matter, so a parent listed after its reply is found.
 * - A reply deeper than `maxDepth` attaches at `maxDepth`, as a sibling of its parent (under the
 *   deepest ancestor that may have children), like the server stores it. With `maxDepth` 0 the
 *   replies follow their top-level comment as top-level entries.
 * - The same id twice (a comment on two pages, or an updated copy) is one node: the last copy's
 *   fields win and the replies of both are kept. Its place is where it first appeared.
 *
 * The nodes' `comment` objects are copies with `replies` emptied: the tree is in `children`.
 * Nodes are frozen, so a snapshot can be handed to any view.
 */
export function buildTree(comments: readonly Comment[], options: BuildTreeOptions): CommentNode[] {
  if (!Array.isArray(comments)) {
    throw new ColloquyError('invalid_input', `buildTree needs an array of comments, got ${describe(comments)}.`);
  }
  const maxDepth = options?.maxDepth;
  if (typeof maxDepth !== 'number' || !Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new ColloquyError('invalid_input', 'buildTree needs maxDepth, a whole number of 0 or more.');
  }

  // Flatten, remembering for each comment where it was nested and where it first appeared.
  const byId = new Map<string, Comment>();
  const nestedUnder = new Map<string, string>();
  const order: string[] = [];
  const visit = (comment: Comment, container: string | null): void => {
    if (typeof comment !== 'object' || comment === null || typeof comment.id !== 'string') {
      throw new ColloquyError('invalid_input', `buildTree found something that is not a comment: ${describe(comment)}.`);
    }
    if (!byId.has(comment.id)) order.push(comment.id);
    byId.set(comment.id, comment);
    if (container !== null && !nestedUnder.has(comment.id)) nestedUnder.set(comment.id, container);
    for (const reply of Array.isArray(comment.replies) ? comment.replies : []) visit(reply, comment.id);
  };
  for (const comment of comments) visit(comment, null);

  const parentOf = (id: string): string | null | undefined => {
    const comment = byId.get(id)!;
    if (comment.parentId === null || comment.parentId === undefined) {
      return nestedUnder.get(id) ?? null;
    }
    if (byId.has(comment.parentId) && comment.parentId !== id) return comment.parentId;
    const container = nestedUnder.get(id);
    return container !== undefined ? container : undefined;
  };

  // Children by parent, replies oldest first.
  const childrenOf = new Map<string, string[]>();
  const topLevel: string[] = [];
  for (const id of order) {
    const parent = parentOf(id);
    if (parent === undefined) continue;
    if (parent === null) topLevel.push(id);
    else {
      const siblings = childrenOf.get(parent);
      if (siblings) siblings.push(id);
      else childrenOf.set(parent, [id]);
    }
  }
  const byAge = (a: string, b: string): number => {
    const ca = byId.get(a)!.createdAt;
    const cb = byId.get(b)!.createdAt;
    if (ca !== cb) return ca < cb ? -1 : 1;
    return 0;
  };
  for (const siblings of childrenOf.values()) siblings.sort(byAge);

  const isReported = options.isReported ?? (() => false);
  const placed = new Set<string>();

  /** Nodes for `id` and, where they must attach at this same level, its too-deep descendants. */
  const place = (id: string, depth: number): CommentNode[] => {
    if (placed.has(id)) return []; // a parent cycle in bad input
    placed.add(id);
    const children: CommentNode[] = [];
    const overflow: CommentNode[] = [];
    for (const child of childrenOf.get(id) ?? []) {
      if (depth < maxDepth) children.push(...place(child, depth + 1));
      else overflow.push(...place(child, depth));
    }
    if (depth < maxDepth) children.sort((a, b) => byAge(a.comment.id, b.comment.id));
    const comment = byId.get(id)!;
    const local = options.localOf?.(id);
    const node: CommentNode = {
      comment: Object.freeze({ ...comment, replies: [] }),
      depth,
      children: Object.freeze(children) as CommentNode[],
      reported: isReported(id),
      ...(local ? { local: Object.freeze({ ...local }) } : {}),
    };
    return [Object.freeze(node), ...overflow];
  };

  const roots: CommentNode[] = [];
  for (const id of topLevel) roots.push(...place(id, 0));
  return roots;
}

/** Number of nodes in a tree, replies included. */
export function countNodes(nodes: readonly CommentNode[]): number {
  let count = 0;
  for (const node of nodes) count += 1 + countNodes(node.children);
  return count;
}

/** The node with `id`, searching depth first, or undefined. */
export function findNode(nodes: readonly CommentNode[], id: string): CommentNode | undefined {
  for (const node of nodes) {
    if (node.comment.id === id) return node;
    const found = findNode(node.children, id);
    if (found) return found;
  }
  return undefined;
}
