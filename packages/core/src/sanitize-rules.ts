// What every sanitizer of comment bodies allows, and the fixed-point loop they share. No
// sanitizing library here: `sanitize.ts` builds on DOMPurify, `sanitize-platform.ts` on the
// browser's own `Element.setHTML` (docs/decisions/0039).
import { ColloquyError } from './errors.js';
import { describe } from './text.js';

/** The window a sanitizer parses in: the page's own, or a jsdom/linkedom window on a server. */
export type SanitizerWindow = object;

export interface Sanitizer {
  /** Sanitized HTML as a string, for a producer that sends `html` (the server) or for `innerHTML`. */
  sanitize(html: string): string;
  /**
   * Sanitized nodes, ready to append. Preferred in the browser: the nodes are never turned
   * back into markup, so nothing can mutate between sanitizing and inserting.
   */
  sanitizeToFragment(html: string): DocumentFragment;
  /** Always true: a sanitizer is only built for a window it can work with. */
  readonly isSupported: boolean;
}

/**
 * What a comment body may contain once rendered: the markdown subset, nothing more. `small` holds
 * the real host the renderer shows beside a link whose label names another one.
 */
export const ALLOWED_TAGS: readonly string[] = ['p', 'br', 'em', 'strong', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'small'];
/** Every link a reader wrote: no ranking credit, no opener access, no new tab. */
export const LINK_REL = 'nofollow ugc noopener';
/** The only destinations a link keeps; any other link becomes its text. */
export const ALLOWED_URL = /^(?:https?|mailto):/i;

/**
 * Bidi embeddings, overrides and isolates. Inside a body they can make "exe.png" read as
 * "gnp.exe"; they are stored as typed and removed here, at render time. The marks (LRM, RLM,
 * ALM) stay: they only nudge a neighbouring character and mixed-direction text needs them.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Passes until the output no longer changes; a nested-context quirk settles within one or two. */
const MAX_PASSES = 4;

/**
 * A sanitizer from one pass (markup in, allowed nodes out). The string form runs the pass until
 * its output is a fixed point: removing a disallowed element can leave markup the parser nests
 * differently on the next parse (mutation XSS works this way).
 */
export function sanitizerFromPass(document: Document, pass: (html: string) => DocumentFragment): Sanitizer {
  function serialize(fragment: DocumentFragment): string {
    const holder = document.createElement('div');
    holder.appendChild(fragment);
    return holder.innerHTML;
  }

  function sanitize(html: string): string {
    requireHtml(html);
    let output = serialize(pass(html));
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
 * an `<a>` without a destination would still look and read as a link. Every link kept gets
 * exactly `LINK_REL`, whatever the source said.
 */
export function settleLinks(root: DocumentFragment | Element): void {
  for (const link of Array.from(root.querySelectorAll('a'))) {
    const href = link.getAttribute('href');
    if (href !== null && ALLOWED_URL.test(href.trim())) {
      link.setAttribute('rel', LINK_REL);
      continue;
    }
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
