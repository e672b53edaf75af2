import { linkHost, toPlainText } from './text.js';

/** Settings of the rules; every field has a default (see `DEFAULT_HEURISTICS`). */
export interface HeuristicsOptions {
  /** Words or phrases that hold a comment wherever they appear in its text (whole words, any case). */
  bannedWords: string[];
  /** Words or phrases that hold a comment when its author's display name contains them. */
  bannedNames: string[];
  /** More links than this (not counting links to the thread's own page) hold a comment. */
  maxLinks: number;
  /** An identity younger than this many seconds, or with fewer than `newIdentityComments` comments, is new. */
  newIdentitySeconds: number;
  newIdentityComments: number;
  /** `burstCount` or more comments (this one included) within `burstSeconds` is a burst. */
  burstCount: number;
  burstSeconds: number;
  /** Hosts whose links never count as spam evidence, such as the site's own domain. */
  trustedHosts: string[];
}

export const DEFAULT_HEURISTICS: Readonly<HeuristicsOptions> = Object.freeze({
  bannedWords: [],
  bannedNames: [],
  maxLinks: 2,
  newIdentitySeconds: 24 * 60 * 60,
  newIdentityComments: 3,
  burstCount: 5,
  burstSeconds: 60,
  trustedHosts: [],
});

/** What the caller knows about a comment about to be posted. Only `body` is required. */
export interface SpamInput {
  body: string;
  authorName?: string;
  /** Seconds since the author's identity was created. */
  identityAgeSeconds?: number;
  /** Comments the identity had posted before this one. */
  identityCommentCount?: number;
  /** Bodies the same identity posted recently on other threads. */
  recentBodies?: string[];
  /** Times (ms since the epoch) of the identity's recent comments, not counting this one. */
  recentPostTimes?: number[];
  /** The thread the comment goes to: links to its own page are not promotion. */
  thread?: { key?: string; url?: string };
  /** The time of this comment in ms since the epoch; defaults to now. */
  now?: number;
}

/**
 * A rule that fired. `hold` rules decide alone (a site's own policy, or behaviour no reader
 * shows); the others add `weight` to the learned score, in the same units.
 */
export interface RuleHit {
  rule: string;
  reason: string;
  weight: number;
  hold: boolean;
}

// Public URL shorteners and paid-redirect services hide where a link goes; ordinary readers
// rarely need them in a comment, spammers use them to dodge host blocklists.
const SHORTENERS = new Set([
  'bit.ly',
  'goo.gl',
  'tinyurl.com',
  'ow.ly',
  't.co',
  'is.gd',
  'buff.ly',
  'adf.ly',
  'bc.vc',
  'adfoc.us',
  'sh.st',
  'shorte.st',
  'linkbucks.com',
  'cutt.ly',
  'rebrand.ly',
  'tiny.cc',
]);

// Asking readers to go elsewhere or to follow the author: the classic shape of comment
// self-promotion on any site, independent of topic.
const SELF_PROMOTION = [
  /\b(?:check|look)(?:ing)? (?:out )?(?:my|our) (?:new )?(?:channel|video|videos|music|song|songs|page|blog|site|website|profile|account|cover|mixtape|track)s?\b/i,
  /\bsubscribe (?:to )?(?:me|my|our)\b/i,
  /\b(?:sub|subscribe) (?:4|for|to) (?:sub|subs)\b/i,
  /\b(?:visit|follow) (?:me|my|our)\b/i,
  /\bplease (?:subscribe|sub)\b/i,
];

/** Weight of the soft rules, in units of the learned filter's score. */
export const RULE_WEIGHTS = Object.freeze({
  link: 1,
  linkShortener: 3,
  selfPromotion: 2,
});

export function resolveHeuristics(options: Partial<HeuristicsOptions> = {}): HeuristicsOptions {
  return { ...DEFAULT_HEURISTICS, ...options };
}

function containsPhrase(text: string, phrase: string): boolean {
  const trimmed = phrase.trim().toLowerCase();
  if (!trimmed) return false;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True when two texts are the same apart from case, punctuation and a few words. */
function nearDuplicate(a: string[], b: string[]): boolean {
  if (a.join(' ') === b.join(' ')) return true;
  if (a.length < 5 || b.length < 5) return false;
  const shingles = (list: string[]) => new Set(list.slice(1).map((w, i) => `${list[i]} ${w}`));
  const sa = shingles(a);
  const sb = shingles(b);
  let shared = 0;
  for (const s of sa) if (sb.has(s)) shared += 1;
  return shared / (sa.size + sb.size - shared) >= 0.7;
}

function pointsAtThread(link: string, thread: SpamInput['thread']): boolean {
  if (!thread) return false;
  if (thread.url && link.includes(thread.url.replace(/^https?:\/\//, ''))) return true;
  // A key is an opaque identifier; require a distinctive one so that "1" matches nothing.
  return !!thread.key && thread.key.length >= 6 && link.includes(thread.key);
}

/** Runs every rule on one comment and returns those that fired, in a stable order. */
export function runHeuristics(input: SpamInput, options: HeuristicsOptions): RuleHit[] {
  const hits: RuleHit[] = [];
  const { text, links } = toPlainText(input.body);
  const author = input.authorName ? toPlainText(input.authorName).text : '';

  for (const word of options.bannedWords) {
    if (containsPhrase(text, word)) {
      hits.push({ rule: 'banned-word', reason: `contains the banned word "${word}"`, weight: 0, hold: true });
      break;
    }
  }
  for (const name of options.bannedNames) {
    if (author && containsPhrase(author, name)) {
      hits.push({ rule: 'banned-name', reason: `author name matches the banned name "${name}"`, weight: 0, hold: true });
      break;
    }
  }

  const trusted = new Set(options.trustedHosts.map((h) => h.toLowerCase().replace(/^www\./, '')));
  const outside = links.filter((link) => !pointsAtThread(link, input.thread) && !trusted.has(linkHost(link)));
  if (outside.length > options.maxLinks) {
    hits.push({
      rule: 'too-many-links',
      reason: `${outside.length} links, more than the ${options.maxLinks} allowed`,
      weight: 0,
      hold: true,
    });
  }
  if (outside.length > 0) {
    const isNew =
      (input.identityAgeSeconds !== undefined && input.identityAgeSeconds < options.newIdentitySeconds) ||
      (input.identityCommentCount !== undefined && input.identityCommentCount < options.newIdentityComments);
    if (isNew) {
      hits.push({ rule: 'new-identity-link', reason: 'a new identity posting a link', weight: 0, hold: true });
    }
    hits.push({ rule: 'link', reason: `links outside the thread (${outside.length})`, weight: RULE_WEIGHTS.link, hold: false });
    const shortened = outside.find((link) => SHORTENERS.has(linkHost(link)));
    if (shortened) {
      hits.push({
        rule: 'link-shortener',
        reason: `a shortened link hides its target (${linkHost(shortened)})`,
        weight: RULE_WEIGHTS.linkShortener,
        hold: false,
      });
    }
  }

  if (SELF_PROMOTION.some((pattern) => pattern.test(text))) {
    hits.push({ rule: 'self-promotion', reason: 'asks readers to visit or follow the author', weight: RULE_WEIGHTS.selfPromotion, hold: false });
  }

  if (input.recentBodies?.length) {
    const own = words(text);
    // Short stock phrases ("great song") are repeated innocently; only a substantial text counts.
    if (own.join(' ').length >= 20 || outside.length > 0) {
      const repeated = input.recentBodies.some((other) => nearDuplicate(own, words(toPlainText(other).text)));
      if (repeated) {
        hits.push({ rule: 'repeated-text', reason: 'the same text was posted on other threads', weight: 0, hold: true });
      }
    }
  }

  if (input.recentPostTimes?.length) {
    const now = input.now ?? Date.now();
    const windowStart = now - options.burstSeconds * 1000;
    const inWindow = input.recentPostTimes.filter((t) => t >= windowStart && t <= now).length + 1;
    if (inWindow >= options.burstCount) {
      hits.push({
        rule: 'posting-burst',
        reason: `${inWindow} comments within ${options.burstSeconds} seconds`,
        weight: 0,
        hold: true,
      });
    }
  }
  return hits;
}
