import { ColloquyError } from './errors.js';

/**
 * Characters that change how neighbouring text is ordered or that render as nothing at all:
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the directional
 * marks (U+200E, U+200F, U+061C), zero-width and other invisible format characters, soft
 * hyphens, Hangul fillers, interlinear annotation controls and tag characters. In a name they
 * only serve to spoof ("Alice (Moderator)" built with an RTL override) or to look empty.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- the class lists lone format characters on purpose
  /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDCFF]|\uD834[\uDD73-\uDD7A]/g;
/** A UTF-16 surrogate without its partner: not a character, and not valid in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Whitespace as a person sees it, including line and paragraph separators and NEL. */
const WHITESPACE = /[\s\u0085]+/g;
/** C0 and C1 controls and DEL; the whitespace ones have become spaces before this runs. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
/**
 * Variation selectors choose an emoji's form ("✔️") and stay after a character; at the start
 * or after a space they modify nothing and only make a name look non-empty.
 */
const STRAY_VARIATION_SELECTORS = /(^|\s)[\uFE00-\uFE0F]+/g;

/**
 * Makes a single-line string safe to show as text: a screen name, a thread title, a link's
 * visible URL. It removes bidi controls, zero-width and other invisible characters, C0/C1
 * controls and lone surrogates, collapses runs of whitespace to one space and trims. When
 * nothing visible is left (a name made only of zero-width joiners or non-breaking spaces), it
 * returns `fallback`, so a reader never sees an author who looks like nobody.
 *
 * This is one half of the defence against spoofing: the view must also insert the result as
 * a text node (never as HTML) and wrap every name in `<bdi>`, so that right-to-left names still
 * cannot reorder the text around them (the badge, the date, the "Reply" label).
 *
 * Variation selectors stay when they follow a visible character (they choose an emoji's
 * colour form, as in "✔️"); letters, marks and homoglyphs are kept as typed.
 */
export function displayText(value: string, fallback = ''): string {
  if (typeof value !== 'string') {
    throw new ColloquyError('invalid_input', `Expected text to display, got ${describe(value)}.`);
  }
  if (typeof fallback !== 'string') {
    throw new ColloquyError('invalid_input', `The fallback text must be a string, got ${describe(fallback)}.`);
  }
  const cleaned = value
    .replace(LONE_SURROGATE, '')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .replace(CONTROLS, '')
    .replace(STRAY_VARIATION_SELECTORS, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
  return cleaned === '' ? fallback : cleaned;
}

/** True when `value` has at least one character a reader would see. */
export function hasVisibleText(value: string): boolean {
  return displayText(value) !== '';
}

const SAFE_URL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** What the WHATWG URL parser strips anyway; removing it first makes the check see the same URL. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const URL_STRIPPED = /[\u0000-\u0020]+$|^[\u0000-\u0020]+|[\t\n\r]/g;

/**
 * The normalised form of a web address a reader gave (a commenter's website, say), or null
 * unless it is an absolute `http:`, `https:` or `mailto:` URL. Relative, protocol-relative and
 * backslash URLs, `javascript:`, `data:`, `vbscript:`, `file:`, URLs with a user name or
 * password (`https://bank.example@evil.example/`) and anything that does not parse are
 * refused. Entities and percent-escapes are not decoded first: `&#106;avascript:` is not a URL
 * at all, so it is refused. Show a refused value as text instead of a link.
 */
export function safeUrl(value: string): string | null {
  if (typeof value !== 'string') {
    throw new ColloquyError('invalid_input', `Expected a URL as text, got ${describe(value)}.`);
  }
  const candidate = value.replace(URL_STRIPPED, '');
  if (candidate === '' || !/^(?:https?|mailto):/i.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!SAFE_URL_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  // "https://bank.example@evil.example/" reads as the bank but goes to evil.example.
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** A short description of an unexpected value for error messages, never the value itself. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
