import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError } from './errors.js';
import type { CommentNode } from './state-types.js';
import { buildTree, countNodes, findNode } from './tree.js';
import type { Comment } from './types.js';

let clock = 0;
function comment(id: string, parentId: string | null = null, replies: Comment[] = [], body = id): Comment {
  clock += 1;
  return {
    id,
    thread: '/t',
    parentId,
    author: { id: 'a', name: 'Ada', role: 'reader' },
    body,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
    editedAt: null,
    status: 'visible',
    replies,
  };
}

/** The tree as `id(child child)` text, which reads better in a failing assertion than objects. */
function shape(nodes: readonly CommentNode[]): string {
  return nodes.map((n) => `${n.comment.id}@${n.depth}${n.children.length ? `(${shape(n.children)})` : ''}`).join(' ');
}

test('nests pages of comments with their replies, keeping top-level order', () => {
  const b1 = comment('b1', 'b');
  const page = [comment('b', null, [b1, comment('b2', 'b')]), comment('a', null, [])];
  const tree = buildTree(page, { maxDepth: 5 });
  assert.equal(shape(tree), 'b@0(b1@1 b2@1) a@0');
  assert.deepEqual(tree[0]!.comment.replies, []);
  assert.equal(countNodes(tree), 4);
  assert.equal(findNode(tree, 'b2')?.depth, 1);
});

test('builds the same tree from a flat list in any order, replies oldest first', () => {
  clock = 0;
  const a = comment('a');
  const a1 = comment('a1', 'a');
  const a2 = comment('a2', 'a');
  const a1x = comment('a1x', 'a1');
  assert.equal(shape(buildTree([a1x, a2, a1, a], { maxDepth: 5 })), 'a@0(a1@1(a1x@2) a2@1)');
});

test('replies beyond maxDepth attach at the deepest level, in time order', () => {
  clock = 0;
  const flat = [comment('r'), comment('d1', 'r'), comment('d2', 'd1'), comment('d3', 'd2'), comment('late', 'd1'), comment('d4', 'd3')];
  assert.equal(shape(buildTree(flat, { maxDepth: 2 })), 'r@0(d1@1(d2@2 d3@2 late@2 d4@2))');
  assert.equal(shape(buildTree(flat, { maxDepth: 1 })), 'r@0(d1@1 d2@1 d3@1 late@1 d4@1)');
  assert.equal(shape(buildTree(flat, { maxDepth: 0 })), 'r@0 d1@0 d2@0 d3@0 d4@0 late@0');
});

test('duplicates merge: last copy wins, first place kept, replies of both kept', () => {
  clock = 0;
  const first = comment('x', null, [comment('x1', 'x')], 'old');
  const other = comment('y');
  const again = comment('x', null, [comment('x2', 'x')], 'new');
  const tree = buildTree([first, other, again], { maxDepth: 5 });
  assert.equal(shape(tree), 'x@0(x1@1 x2@1) y@0');
  assert.equal(tree[0]!.comment.body, 'new');
});

test('orphans are left out unless their parent is somewhere in the input', () => {
  clock = 0;
  const tree = buildTree([comment('top'), comment('orphan', 'missing'), comment('child', 'later'), comment('later')], { maxDepth: 5 });
  assert.equal(shape(tree), 'top@0 later@0(child@1)');
  // A nested reply whose parentId is unknown stays where it was nested.
  assert.equal(shape(buildTree([comment('p', null, [comment('q', 'gone')])], { maxDepth: 5 })), 'p@0(q@1)');
});

test('marks reported and local nodes and freezes the result', () => {
  clock = 0;
  const tree = buildTree([comment('a', null, [comment('b', 'a')])], {
    maxDepth: 5,
    isReported: (id) => id === 'b',
    localOf: (id) => (id === 'a' ? { state: 'pending', localId: 'a' } : undefined),
  });
  assert.equal(tree[0]!.reported, false);
  assert.equal(tree[0]!.children[0]!.reported, true);
  assert.deepEqual(tree[0]!.local, { state: 'pending', localId: 'a' });
  assert.equal(tree[0]!.children[0]!.local, undefined);
  assert.ok(Object.isFrozen(tree[0]) && Object.isFrozen(tree[0]!.children) && Object.isFrozen(tree[0]!.comment));
});

test('refuses input that is not a list of comments', () => {
  const invalid = (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input';
  assert.throws(() => buildTree(null as unknown as Comment[], { maxDepth: 1 }), invalid);
  assert.throws(() => buildTree([42 as unknown as Comment], { maxDepth: 1 }), invalid);
  assert.throws(() => buildTree([], { maxDepth: -1 }), invalid);
  assert.throws(() => buildTree([], undefined as unknown as { maxDepth: number }), invalid);
});
