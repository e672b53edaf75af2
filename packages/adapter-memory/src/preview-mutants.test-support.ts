// Rule R47 needs an adapter that renders bodies itself, which the memory adapter does not: the
// honest one here gives its comments `html` and a `previewHtml` from one renderer (the core's,
// as the server and the msw handlers use), and each mutant breaks one promise about previews.
import { ColloquyError, validateBody } from '@colloquy/core';
import type { Comment, Page, StorageAdapter } from '@colloquy/core';
import { renderMarkdownHtml, renderPlainHtml } from '@colloquy/core/markdown';
import type { MemoryAdapter } from './index.js';
import type { Mutant } from './suite-world.test-support.js';

type Render = (body: string) => string;

interface PreviewOptions {
  /** Renders what posting shows (default: the core's markdown renderer). */
  comments?: Render;
  /** Renders previews (default: as comments). */
  preview?: Render;
  /** Checks a body before it is previewed (default: `validateBody` with the adapter's limits). */
  check?: (body: string) => void;
}

/** The memory adapter with its comments rendered and a preview, one renderer for both unless a mutant says otherwise. */
export function previewing(a: MemoryAdapter, options: PreviewOptions = {}): StorageAdapter {
  const comments = options.comments ?? renderMarkdownHtml;
  const preview = options.preview ?? comments;
  const check = options.check ?? ((body: string) => void validateBody(body, a.capabilities.limits));
  const rendered = (c: Comment): Comment => ({ ...c, html: comments(c.body), replies: c.replies.map(rendered) });
  const page = (p: Page): Page => ({ ...p, comments: p.comments.map(rendered), ...(p.pinned ? { pinned: p.pinned.map(rendered) } : {}) });
  return {
    ...a,
    createComment: async (input) => rendered(await a.createComment(input)),
    editComment: async (id, body) => rendered(await a.editComment(id, body)),
    deleteComment: async (id) => rendered(await a.deleteComment(id)),
    listComments: async (query) => page(await a.listComments(query)),
    async previewHtml(body) {
      check(body);
      return preview(body);
    },
  };
}

/** The markdown renderer with markup the body holds let through, as a renderer that forgot to escape it would. */
const unescaped: Render = (body) => renderMarkdownHtml(body).replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export const PREVIEW_MUTANTS: Mutant[] = [
  {
    rule: 'R47',
    breaks: 'previews markdown rendered while its comments show the text as typed',
    adapter: (a) => previewing(a, { comments: renderPlainHtml, preview: renderMarkdownHtml }),
  },
  {
    rule: 'R47',
    breaks: 'renders comments and previews alike but ignores markdown',
    adapter: (a) => previewing(a, { comments: renderPlainHtml }),
  },
  {
    rule: 'R47',
    breaks: 'renders comments and previews alike but lets a typed <script> through',
    adapter: (a) => previewing(a, { comments: unescaped }),
  },
  {
    rule: 'R47',
    breaks: 'previews an empty body instead of refusing it',
    adapter: (a) => previewing(a, { check: () => undefined }),
  },
  {
    rule: 'R47',
    breaks: 'refuses a too-long preview as invalid_input where posting says body_too_long',
    adapter: (a) =>
      previewing(a, {
        check(body) {
          try {
            validateBody(body, a.capabilities.limits);
          } catch (error) {
            throw new ColloquyError('invalid_input', (error as Error).message);
          }
        },
      }),
  },
];
