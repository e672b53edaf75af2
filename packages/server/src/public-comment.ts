import type { Comment } from '@colloquy/core';
import type { CommentRecord, CommentTree } from './store/index.js';

const PLACEHOLDER_AUTHOR = { id: '', name: '', role: 'reader' as const };

/** What a reader sees of a comment: text only while it is visible (or their own held one). */
export function publicComment(record: CommentRecord, viewerId: string | null): Omit<Comment, 'replies'> {
  const readable = record.status === 'visible' || (record.status === 'held' && viewerId !== null && record.author.id === viewerId);
  return {
    id: record.id,
    thread: record.thread,
    parentId: record.parentId,
    author: readable ? record.author : PLACEHOLDER_AUTHOR,
    body: readable ? record.body : '',
    html: readable ? record.html : '',
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
  };
}

/** A page's comment with its replies, each as the viewer may see it. */
export function publicTree(node: CommentTree, viewerId: string | null): Comment {
  return { ...publicComment(node, viewerId), replies: node.replies.map((r) => publicTree(r, viewerId)) };
}
