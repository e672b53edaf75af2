// Mutants for the conformance suite's helpful-mark and `best` rules (R38–R41): the memory adapter
// with exactly one of those rules broken. suite-catches.test.ts runs them with the others.
import { ColloquyError } from '@colloquy/core';
import type { Comment, Page, StorageAdapter } from '@colloquy/core';
import type { MemoryAdapter } from './index.js';

export interface HelpfulMutant {
  rule: string;
  breaks: string;
  adapter: (adapter: MemoryAdapter) => StorageAdapter;
}

/** A page's comments, each (replies included) passed through `change`. */
export function mapTree(comments: Comment[], change: (comment: Comment) => Comment): Comment[] {
  return comments.map((comment) => change({ ...comment, replies: mapTree(comment.replies, change) }));
}

export const HELPFUL_MUTANTS: HelpfulMutant[] = [
  {
    rule: 'R38',
    breaks: 'never tells a reader which comments they marked',
    adapter: (a) => ({
      ...a,
      listComments: async (q) => {
        const page = await a.listComments(q);
        return { ...page, comments: mapTree(page.comments, (c) => (c.helpful ? { ...c, helpful: { ...c.helpful, mine: false } } : c)) };
      },
    }),
  },
  {
    rule: 'R38',
    breaks: 'ignores taking a mark back',
    adapter: (a) => ({ ...a, markHelpful: (id, helpful) => (helpful === false ? a.markHelpful(id, true).catch(() => a.markHelpful(id, false)) : a.markHelpful(id, helpful)) }),
  },
  {
    rule: 'R39',
    breaks: 'lets an author mark their own comment',
    adapter: (a) => ({
      ...a,
      markHelpful: (id, helpful) =>
        a.markHelpful(id, helpful).catch((error: unknown) => {
          if (error instanceof ColloquyError && error.code === 'forbidden') return { commentId: id, count: 1, mine: true };
          throw error;
        }),
    }),
  },
  {
    rule: 'R40',
    breaks: 'lists `best` as `newest`',
    adapter: (a) => ({ ...a, listComments: (q) => a.listComments(q && q.sort === 'best' ? { ...q, sort: 'newest' } : q) }),
  },
  {
    rule: 'R41',
    breaks: 'pages `best` by offset, ranking each page by the marks of the moment',
    adapter: (a) => ({
      ...a,
      async listComments(q): Promise<Page> {
        if (!q || q.sort !== 'best') return a.listComments(q);
        const all = await a.listComments({ ...q, cursor: null, limit: a.capabilities.limits.maxPageSize });
        const offset = typeof q.cursor === 'string' && q.cursor.startsWith('offset:') ? Number(q.cursor.slice(7)) : 0;
        const limit = q.limit ?? 20;
        const end = offset + limit;
        return { ...all, comments: all.comments.slice(offset, end), nextCursor: end < all.comments.length ? `offset:${end}` : null };
      },
    }),
  },
];
