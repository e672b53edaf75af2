import DOMPurify, { type Config, type DOMPurify as Purifier, type WindowLike } from 'dompurify';
import { ColloquyError } from './errors.js';
import { describe } from './text.js';

/** The window a sanitizer parses in: the page's own, or a jsdom/linkedom window on a server. */
export type SanitizerWindow = WindowLike;

export interface Sanitizer {
  /** Sanitized HTML as a string, for a producer that sends `html` (the server) or for `innerHTML`. */
  sanitize(html: string): string;
  /**
   * Sanitized nodes, ready to append. Preferred in the browser: the nodes are never turned
   * back into markup, so nothing can mutate between sanitizing and inserting.
   */
  sanitizeToFragment(html: string): DocumentFragment;
  /** Always true: `createSanitizer` refuses a window DOMPurify cannot work with. */
  readonly isSupported: boolean;
}

/**
 * What a comment body may contain once rendered: the markdown subset, nothing more. `small` holds
 * the real host the renderer shows beside a link whose label names another one.
 */
export const ALLOWED_TAGS: readonly string[] = ['p', 'br', 'em', 'strong', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'small'];
/** Every link a reader wrote: no ranking credit, no opener access, no new tab. */
export const LINK_REL = 'nofollow ugc noopener';
const ALLOWED_URL = /^(?:https?|mailto):/i;

/**
 * Bidi embeddings, overrides and isolates. Inside a body they can make "exe.png" read as
 * "gnp.exe"; they are stored as typed and removed here, at render time. The marks (LRM, RLM,
 * ALM) stay: they only nudge a neighbouring character and mixed-direction text needs them.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

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

/** Passes until the output no longer changes; a nested-context quirk settles within one or two. */
const MAX_PASSES = 4;

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
  const sanitizer = buildSanitizer(purifier, document);
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
  purifier.addHook('afterSanitizeAttributes', (node) => {
    // Every surviving link gets exactly this rel, whatever the source said; `target` cannot
    // survive the attribute allowlist, so links never open a new browsing context.
    if (node.nodeName === 'A' && node.hasAttribute('href')) node.setAttribute('rel', LINK_REL);
  });
}

function buildSanitizer(purifier: Purifier, document: Document): Sanitizer {
  function pass(html: string): DocumentFragment {
    // DOMPurify answers null when the input parses to no body at all (a <frameset> document).
    const fragment = purifier.sanitize(html, SANITIZE_CONFIG) ?? document.createDocumentFragment();
    unwrapBareLinks(fragment);
    return fragment;
  }

  function serialize(fragment: DocumentFragment): string {
    const holder = document.createElement('div');
    holder.appendChild(fragment);
    return holder.innerHTML;
  }

  function sanitize(html: string): string {
    requireHtml(html);
    let output = serialize(pass(html));
    // Sanitizing the output again must give the same output. Removing a disallowed element
    // can leave markup the parser nests differently on the next parse (mutation XSS works
    // this way), so run until the result is a fixed point.
    for (let i = 1; i < MAX_PASSES; i++) {
      const next = serialize(pass(output));
      if (next === output) break;
      output = next;
    }
    return output;
  }

  return {
    sanitize,
    sanitizeToFragment(html: string): DocumentFragment {
      requireHtml(html);
      return pass(sanitize(html));
    },
    isSupported: true,
  };
}

/**
 * A link whose href was refused (`javascript:`, `data:`, relative) becomes its plain text:
 * an `<a>` without a destination would still look and read as a link. Done after DOMPurify has
 * walked the tree, because moving nodes while its iterator runs would skip their children.
 */
function unwrapBareLinks(fragment: DocumentFragment): void {
  for (const link of Array.from(fragment.querySelectorAll('a'))) {
    const href = link.getAttribute('href');
    if (href !== null && ALLOWED_URL.test(href.trim())) continue;
    const parent = link.parentNode;
    if (!parent) continue;
    while (link.firstChild) parent.insertBefore(link.firstChild, link);
    parent.removeChild(link);
  }
}

function requireHtml(html: unknown): asserts html is string {
  if (typeof html !== 'string') {
    throw new ColloquyError('invalid_input', `Expected HTML as text, got ${describe(html)}.`);
  }
}
