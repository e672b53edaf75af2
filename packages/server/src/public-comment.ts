import type { Comment } from '@colloquy/core';
import type { CommentRecord, CommentTree } from './store/index.js';

const PLACEHOLDER_AUTHOR = { id: '', name: '', role: 'reader' as const };

/**
 * Whom a reply placed under an ancestor (past the depth cap) answers: that comment's id, and its
 * author's name by the rules of that comment's own author (none once it is deleted, hidden,
 * held from this viewer, gone, or its author erased).
 */
function replyTo(record: CommentRecord, viewerId: string | null): Comment['replyTo'] {
  const to = record.replyTo;
  if (!to) return null;
  const readable = to.status === 'visible' || (to.status === 'held' && viewerId !== null && to.authorId === viewerId);
  return { id: to.id, name: readable && to.name ? to.name : null };
}

/** What a reader sees of a comment: text only while it is visible (or their own held one). */
export function publicComment(record: CommentRecord, viewerId: string | null): Omit<Comment, 'replies'> {
  const readable = record.status === 'visible' || (record.status === 'held' && viewerId !== null && record.author.id === viewerId);
  return {
    id: record.id,
    thread: record.thread,
    parentId: record.parentId,
    replyTo: replyTo(record, viewerId),
    author: readable ? record.author : PLACEHOLDER_AUTHOR,
    body: readable ? record.body : '',
    html: readable ? record.html : '',
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
    ...(readable && record.helpful ? { helpful: { ...record.helpful } } : {}),
    // A pin shows while the comment does (a hidden one lists as a placeholder, unmarked).
    pinnedAt: record.status === 'visible' ? record.pinnedAt : null,
  };
}

/** A page's comment with its replies, each as the viewer may see it. */
export function publicTree(node: CommentTree, viewerId: string | null): Comment {
  return { ...publicComment(node, viewerId), replies: node.replies.map((r) => publicTree(r, viewerId)) };
}
