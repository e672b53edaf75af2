// The browser's own HTML sanitizer (`Element.setHTML` with an allowlist), under the same rules
// as the DOMPurify one in `sanitize.ts`: the elements of `ALLOWED_TAGS`, `href` on links only,
// `LINK_REL` on every link, no bidi controls, and the fixed point. It carries no library, so
// embed.js renders bodies without DOMPurify wherever the browser has one (docs/decisions/0039).
import { ALLOWED_TAGS, BIDI_CONTROLS, sanitizerFromPass, settleLinks, type Sanitizer, type SanitizerWindow } from './sanitize-rules.js';

/**
 * Elements whose text stays when the element goes, as with DOMPurify's `KEEP_CONTENT`: a heading
 * or a table in a body becomes its words. Any other element goes with its content (script,
 * style, templates, SVG and MathML, text fields, media).
 */
const UNWRAPPED = (
  'abbr acronym address article aside b bdi bdo big button caption center cite data dd details dfn ' +
  'dialog div dl dt fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hgroup i ins ' +
  'kbd label legend main mark marquee menu nav nobr optgroup option output q s samp section select ' +
  'span strike sub summary sup table tbody td tfoot th time tr tt u var'
).split(' ');

interface PlatformElement {
  setHTML(html: string, options: { sanitizer: object }): void;
}

/** Per window: its sanitizer, or null when its browser has none (asked once, on every body's path). */
const sanitizers = new WeakMap<object, Sanitizer | null>();

/**
 * The platform sanitizer of `window`, or null when its browser has no `Element.setHTML` (then
 * use `createSanitizer`, which brings DOMPurify). Built once per window.
 */
export function createPlatformSanitizer(window: SanitizerWindow): Sanitizer | null {
  const cached = sanitizers.get(window);
  if (cached !== undefined) return cached;
  const document = (window as { document?: Document }).document;
  if (!document || typeof (document.createElement('div') as unknown as Partial<PlatformElement>).setHTML !== 'function') {
    sanitizers.set(window, null);
    return null;
  }
  const sanitizer = {
    elements: ALLOWED_TAGS,
    attributes: ['href'],
    replaceWithChildrenElements: UNWRAPPED,
    comments: false,
    dataAttributes: false,
  };
  const result = sanitizerFromPass(document, (html) => {
    const holder = document.createElement('div');
    (holder as unknown as PlatformElement).setHTML(html, { sanitizer });
    // `href` is allowed for links; on any other element it means nothing, and DOMPurify drops it.
    for (const element of Array.from(holder.querySelectorAll('[href]'))) {
      if (element.localName !== 'a') element.removeAttribute('href');
    }
    const text = document.createTreeWalker(holder, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = text.nextNode() as Text | null; node; node = text.nextNode() as Text | null) {
      const cleaned = node.data.replace(BIDI_CONTROLS, '');
      if (cleaned !== node.data) node.data = cleaned;
    }
    settleLinks(holder);
    const fragment = document.createDocumentFragment();
    fragment.append(...holder.childNodes);
    return fragment;
  });
  sanitizers.set(window, result);
  return result;
}
