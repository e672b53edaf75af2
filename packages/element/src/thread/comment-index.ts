import type { CommentNode, ThreadSnapshot } from '@colloquy/core';

const indexes = new WeakMap<ThreadSnapshot, Map<string, CommentNode>>();

/** Every node of a snapshot by comment id, replies included; built once per snapshot. */
export function nodesOf(snapshot: ThreadSnapshot): Map<string, CommentNode> {
  let nodes = indexes.get(snapshot);
  if (!nodes) {
    nodes = new Map();
    const walk = (list: CommentNode[]) => {
      for (const node of list) {
        nodes!.set(node.comment.id, node);
        walk(node.children);
      }
    };
    walk(snapshot.comments);
    indexes.set(snapshot, nodes);
  }
  return nodes;
}

/**
 * The comments a reader sees, as the server's `/counts` counts them: visible ones, replies
 * included; not deleted or removed placeholders, not the reader's own held or failed posts.
 */
export function countShown(nodes: readonly CommentNode[]): number {
  let count = 0;
  for (const node of nodes) {
    if (node.comment.status === 'visible' && node.local?.state !== 'failed') count++;
    count += countShown(node.children);
  }
  return count;
}
