// Build-time trim of DOMPurify for embed.js. See docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';

/**
 * DOMPurify's built-in element and attribute lists for its default profiles (HTML, SVG,
 * SVG filters, MathML, XML attributes). The widget always passes its own `ALLOWED_TAGS` and
 * `ALLOWED_ATTR` (the core's sanitizer config), so the default profiles are never the
 * allowlist; DOMPurify reads these lists only to build the defaults and, for the SVG and
 * MathML ones, to check that an element's namespace is one a parser could produce.
 */
const PROFILE_LISTS = ['html$1', 'svg$1', 'svgFilters', 'svgDisallowed', 'mathMl$1', 'mathMlDisallowed', 'html', 'svg', 'mathMl', 'xml'];

const escape = (name: string) => name.replace(/\$/g, '\\$');

/**
 * Empties DOMPurify's profile lists in the bundled `purify.es.mjs`. What this changes, with
 * the core's HTML-only allowlist:
 * - tags and attributes: nothing; the allowlist is the core's, checked as before;
 * - namespaces: an element in the SVG or MathML namespace below its root is no longer
 *   recognised as "an SVG or MathML element", so it is removed (it already was: no SVG or
 *   MathML name is on the allowlist); an HTML-namespace element is still removed when its
 *   parent is SVG or MathML content, which is the check mutation-XSS payloads meet;
 * - a DOMPurify call with no config would allow nothing at all (none is made).
 * The build fails if DOMPurify's layout changes, rather than silently shipping the full lists.
 */
export function trimDompurify(source: string): string {
  let output = source;
  for (const name of PROFILE_LISTS) {
    const list = new RegExp(`^const ${escape(name)} = freeze\\(\\[[^\\]]*\\]\\);$`, 'm');
    if (!list.test(output)) {
      throw new Error(`lean-dompurify: DOMPurify no longer declares its ${name} list as expected; review the trim before upgrading.`);
    }
    // Same line count, so the lines after it keep their source-map positions (here and below).
    output = output.replace(list, (match) => `const ${name} = freeze([${lineBreaks(match)}]);`);
  }
  // Two leftovers of DOMPurify's Babel build: an async-generator runtime nothing calls (kept
  // by bundlers because it patches a prototype at load time), and array-destructuring helpers
  // used once, on `Object.entries` pairs, which are arrays already.
  output = replaceOnce(output, /^function AsyncGenerator\(e\) \{\n[\s\S]*?^\}, AsyncGenerator\.prototype\.return = function\(e\) \{\n\treturn this\._invoke\("return", e\);\n\};$/m, lineBreaks);
  output = replaceOnce(output, /_slicedToArray\(_ref2, 2\)/, () => '_ref2');
  if (/\bAsyncGenerator\b|(?<!function )_slicedToArray\(/.test(output)) throw new Error('lean-dompurify: DOMPurify uses its Babel helpers in a new place; review the trim.');
  return output;
}

function lineBreaks(text: string): string {
  return '\n'.repeat(text.split('\n').length - 1);
}

function replaceOnce(source: string, pattern: RegExp, replacement: (match: string) => string): string {
  if (!pattern.test(source)) throw new Error(`lean-dompurify: ${pattern} no longer matches DOMPurify; review the trim before upgrading.`);
  return source.replace(pattern, replacement);
}

export function leanDompurify(): Plugin {
  return {
    name: 'colloquy:lean-dompurify',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]dompurify[\\/]dist[\\/]purify\.es\.mjs$/ },
      handler(code) {
        try {
          return { code: trimDompurify(code), map: null };
        } catch (error) {
          return this.error(error as Error);
        }
      },
    },
  };
}
