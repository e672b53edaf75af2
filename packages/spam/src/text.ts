/**
 * Turns a comment body as it arrives (a reader's source text, or HTML from an import such as
 * YouTube's API) into plain text plus the links it carries, so rules and the learned filter
 * see the words a reader sees and every link however it was written.
 */

export interface PlainText {
  /** The text with tags removed, entities decoded, invisible characters dropped, spaces collapsed. */
  text: string;
  /** Every link found: `href`s of anchors and URLs or bare domains written in the text. */
  links: string[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// Zero-width and byte-order characters hide inside words to split them past filters
// (and YouTube appends U+FEFF to most bodies); they never carry meaning for a reader.
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]/g;

// Top-level domains common in links. A bare `name.tld` only counts as a link for these, and
// only when the name has a letter, so a missing space after a full stop ("2.it is", "me.So")
// is not a link; top-level domains that are also English words are left out for that reason.
const TLDS = 'com|net|org|info|biz|io|tv|ly|gl|uk|ru|br|pl|tk|xyz|online|club';

// Links are found token by token with anchored patterns: an unanchored search over the whole
// body backtracks quadratically or worse on long runs of letters or dots.
const SCHEME_OR_WWW = /^(?:https?:\/\/|www\.)\S/i;
const BARE_DOMAIN = new RegExp(`^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLDS})(?:[/?#].*)?$`, 'i');
// YouTube-style paths pasted without a host.
const VIDEO_PATH = /^\/?watch\?v=[\w-]+/i;

function findLinks(text: string): string[] {
  const found: string[] = [];
  for (const raw of text.split(/[\s<>"']+/)) {
    // Punctuation around a link in running text is not part of it.
    const token = raw.replace(/^[([{]+/, '').replace(/[.,;:!?)\]}]+$/, '');
    if (!token) continue;
    const host = token.split(/[/?#]/, 1)[0] ?? '';
    if (SCHEME_OR_WWW.test(token) || VIDEO_PATH.test(token) || (/[a-z]/i.test(host.split('.')[0] ?? '') && BARE_DOMAIN.test(token))) {
      found.push(token);
    }
  }
  return found;
}

export function toPlainText(body: string): PlainText {
  const links: string[] = [];
  const withoutTags = body
    .replace(/<a\b[^<>]*>/gi, (tag) => {
      const href = /\bhref\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1];
      if (href) links.push(decodeEntities(href));
      return ' ';
    })
    .replace(/<br\s*\/?>/gi, '\n')
    // Inline formatting sits inside words ("<b>free</b>dom"); other tags separate text.
    .replace(/<\/?(?:a|b|i|u|s|em|strong|span|small|mark|code)\b[^<>]*>/gi, '')
    .replace(/<\/?[a-z][^<>]*>/gi, ' ');
  const text = decodeEntities(withoutTags).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  const anchors = [...links];
  for (const url of findLinks(text)) {
    // An anchor's visible text often repeats its href; count that link once.
    if (!anchors.some((href) => href.includes(url) || url.includes(href))) links.push(url);
  }
  return { text, links };
}

/** The host of a link, lower case and without `www.`, or '' when it has none (a bare path). */
export function linkHost(link: string): string {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:\s]+)/i.exec(link) ?? /^([a-z0-9.-]+\.[a-z]{2,})(?:[/?#]|$)/i.exec(link);
  return match?.[1] ? match[1].toLowerCase().replace(/^www\./, '') : '';
}
