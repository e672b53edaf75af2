import { createPlatformSanitizer, displayText, type Comment, type Sanitizer } from '@colloquy/core';

/**
 * Turns a comment into the DOM of its body. Whatever a renderer produces must already be
 * sanitized: the thread inserts the fragment as it is.
 */
export type BodyRenderer = (comment: Comment, window: RenderWindow) => DocumentFragment;

/** The window a body is rendered for, with its constructors (DOMPurify needs them). */
export type RenderWindow = Window & typeof globalThis;

/** DOMPurify's sanitizer, once its chunk is here (only browsers without their own ask for it). */
let fallback: ((window: RenderWindow) => Sanitizer) | undefined;
let loading: Promise<void> | undefined;

/**
 * Null when bodies can be sanitized now: with the browser's own sanitizer, or DOMPurify already
 * here. Else fetches DOMPurify and settles once it is here, or failed (a later call tries
 * again). Elements that show bodies wait for it before they render.
 */
export function whenSanitizerReady(window: RenderWindow): Promise<void> | null {
  if (fallback || createPlatformSanitizer(window)) return null;
  return (loading ??= import('./dompurify-sanitizer.js').then(
    (module) => void (fallback = module.createSanitizer),
    () => void (loading = undefined),
  ));
}

/**
 * The sanitizer for `window`: the browser's own (`Element.setHTML`) where it has one, else
 * DOMPurify once `whenSanitizerReady` brought it; null until then. The core caches both per window.
 */
export function sanitizerFor(window: RenderWindow): Sanitizer | null {
  return createPlatformSanitizer(window) ?? fallback?.(window) ?? null;
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
 * as plain text when no `html` came with it, or when no sanitizer is at hand (DOMPurify's
 * chunk failed to load): never markup unsanitized. Bundles no markdown library.
 */
export const renderServerHtml: BodyRenderer = (comment, window) => {
  const sanitizer = comment.html ? sanitizerFor(window) : null;
  return sanitizer ? sanitizer.sanitizeToFragment(comment.html!) : renderPlainText(comment.body, window);
};
