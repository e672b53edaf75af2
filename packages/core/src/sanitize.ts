import DOMPurify, { type Config, type DOMPurify as Purifier, type WindowLike } from 'dompurify';
import { ColloquyError } from './errors.js';
import { ALLOWED_TAGS, ALLOWED_URL, BIDI_CONTROLS, sanitizerFromPass, settleLinks, type Sanitizer } from './sanitize-rules.js';
import { describe } from './text.js';

export { ALLOWED_TAGS, BIDI_CONTROLS, LINK_REL, type Sanitizer } from './sanitize-rules.js';

/** The window a sanitizer parses in: the page's own, or a jsdom/linkedom window on a server. */
export type SanitizerWindow = WindowLike;

/**
 * The DOMPurify configuration of every sanitize call. Not part of the package's API: exported
 * for the test that checks embed.js's DOMPurify, which is specialised to exactly this.
 */
export const SANITIZE_CONFIG = {
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: ALLOWED_URL,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM_FRAGMENT: true,
} satisfies Config;

const sanitizers = new WeakMap<object, Sanitizer>();

/**
 * The sanitizer for one window, built once and cached per window. DOMPurify needs a real DOM:
 * without one it returns its input unchanged, so a window it cannot use is refused with
 * `unsupported` instead of passing HTML through. Hooks live on this window's DOMPurify
 * instance alone, so sanitizers for different windows never share state.
 */
export function createSanitizer(window: SanitizerWindow): Sanitizer {
  if (typeof window !== 'object' || window === null) {
    throw new ColloquyError(
      'unsupported',
      `createSanitizer needs the window to sanitize for (the page's window, or a jsdom or linkedom window on a server), got ${describe(window)}.`,
    );
  }
  const cached = sanitizers.get(window);
  if (cached) return cached;
  const purifier = DOMPurify(window);
  if (!purifier.isSupported) {
    throw new ColloquyError(
      'unsupported',
      'DOMPurify cannot work with this window (it needs a DOM with DOMParser and templates); refusing to pass HTML through unsanitized.',
    );
  }
  addHooks(purifier);
  const document = (window as unknown as { document: Document }).document;
  const sanitizer = sanitizerFromPass(document, (html) => {
    // DOMPurify answers null when the input parses to no body at all (a <frameset> document).
    const fragment = purifier.sanitize(html, SANITIZE_CONFIG) ?? document.createDocumentFragment();
    // After DOMPurify has walked the tree: moving nodes while its iterator runs would skip their children.
    settleLinks(fragment);
    return fragment;
  });
  sanitizers.set(window, sanitizer);
  return sanitizer;
}

function addHooks(purifier: Purifier): void {
  purifier.addHook('uponSanitizeElement', (node) => {
    if (node.nodeType === 3) {
      const text = node as Text;
      const cleaned = text.data.replace(BIDI_CONTROLS, '');
      if (cleaned !== text.data) text.data = cleaned;
    }
  });
}
