import { createSanitizer, displayText, type Comment } from '@colloquy/core';

/**
 * Turns a comment into the DOM of its body. Whatever a renderer produces must already be
 * sanitized: the thread inserts the fragment as it is.
 */
export type BodyRenderer = (comment: Comment, window: RenderWindow) => DocumentFragment;

/** The window a body is rendered for, with its constructors (DOMPurify needs them). */
export type RenderWindow = Window & typeof globalThis;

/** The sanitizer for `window`; the core builds one per window and caches it. */
export function sanitizerFor(window: RenderWindow) {
  return createSanitizer(window);
}

/**
 * The body as text: blank lines start paragraphs, single newlines become line breaks. Built
 * with text nodes, so nothing in the body can become markup.
 */
export function renderPlainText(body: string, window: RenderWindow): DocumentFragment {
  const doc = window.document;
  const fragment = doc.createDocumentFragment();
  for (const block of body.split(/\n{2,}/)) {
    if (!block.trim()) continue;
    const paragraph = doc.createElement('p');
    block.split('\n').forEach((line, index) => {
      if (index > 0) paragraph.append(doc.createElement('br'));
      paragraph.append(doc.createTextNode(displayText(line)));
    });
    fragment.append(paragraph);
  }
  return fragment;
}

/**
 * The light renderer `embed.js` uses: the server's `html`, sanitized again here, or the body
 * as plain text when no `html` came with it. Bundles no markdown library.
 */
export const renderServerHtml: BodyRenderer = (comment, window) =>
  comment.html ? sanitizerFor(window).sanitizeToFragment(comment.html) : renderPlainText(comment.body, window);
