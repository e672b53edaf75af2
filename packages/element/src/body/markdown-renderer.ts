import { createSanitizer } from '@colloquy/core';
import { renderMarkdown } from '@colloquy/core/markdown';
import type { BodyRenderer } from './body-renderer.js';

/**
 * The npm entry's renderer: the server's `html` when present, else the body rendered from its
 * markdown subset. Both go through DOMPurify here before they reach the page.
 */
export const renderMarkdownBody: BodyRenderer = (comment, window) => {
  const sanitizer = createSanitizer(window);
  const html = comment.html ?? renderMarkdown(comment.body, window);
  return sanitizer.sanitizeToFragment(html);
};
