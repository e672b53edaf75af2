import unhomoglyph from 'unhomoglyph';
import { ColloquyError } from '@colloquy/core';
import type { Store } from './store/index.js';

/*
 * Screen names that cannot pass for staff (docs/decisions/0021-link-hosts-and-reserved-names.md).
 * Names are compared by their confusable skeleton: Unicode's UTS #39 skeleton (NFD, the
 * confusables map, NFD) on the NFKC, lower-cased name, with marks, punctuation, spaces and
 * titles such as "Dr" taken out. "Dr. 0kafor", "DR OKAFOR" and "Dr Оkafor" with a Cyrillic "О"
 * all have the skeleton of "Dr Okafor". The map is Unicode's own table (confusables.txt) as
 * the `unhomoglyph` package ships it; it runs on the server only, never in embed.js.
 */

/** Words that claim a role here, in English and Spanish, with their plurals. */
const ROLE_WORDS = [
  'moderator', 'moderators', 'mod', 'mods', 'admin', 'admins', 'administrator', 'administrators', 'staff', 'team', 'official',
  'officials', 'colloquy', 'moderador', 'moderadora', 'moderadores', 'moderadoras', 'administrador', 'administradora',
  'administradores', 'administradoras', 'equipo', 'personal', 'oficial',
];

/** Titles that do not make one name differ from another ("Dr Okafor" is "Okafor" with a title). */
const TITLES = ['dr', 'dra', 'doctor', 'doctora', 'mr', 'mrs', 'ms', 'mx', 'miss', 'prof', 'professor', 'profesor', 'profesora', 'sr', 'sra', 'srta', 'sir', 'dame', 'don', 'dona'];

/** Scripts with letters that pass for each other's: "Оkafor" starts with a Cyrillic "О". */
const LOOKALIKE_SCRIPTS = [/\p{sc=Latin}/u, /\p{sc=Cyrillic}/u, /\p{sc=Greek}/u, /\p{sc=Armenian}/u, /\p{sc=Cherokee}/u];

/** Text folded for comparison: NFKC, the confusables map before and after lower-casing, no marks. */
export function confusableFold(text: string): string {
  const mapped = unhomoglyph(text.normalize('NFKC').normalize('NFD'));
  return unhomoglyph(mapped.toLowerCase().normalize('NFD'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/** The words of a name, split at spaces, punctuation, camel case and digit runs, then folded. */
function foldedWords(name: string): string[] {
  const split = name.normalize('NFKC').replace(/(\p{Ll})(\p{Lu})|(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_, a, b, c, d, e, f) => `${a ?? c ?? e} ${b ?? d ?? f}`);
  return confusableFold(split).split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

const FOLDED_ROLES = new Map(ROLE_WORDS.map((word) => [confusableFold(word), word]));
const FOLDED_TITLES = new Set(TITLES.map(confusableFold));

/** The name's confusable skeleton: folded words without titles, joined. Empty for a name of titles alone. */
export function nameSkeleton(name: string): string {
  return foldedWords(name)
    .filter((word) => !FOLDED_TITLES.has(word))
    .join('');
}

/** The role word a name claims ("Mia (moderator)" claims "moderator"), or null. */
export function claimedRole(name: string): string | null {
  for (const word of foldedWords(name)) {
    const role = FOLDED_ROLES.get(word);
    if (role) return role;
  }
  return null;
}

/** Whether one word of the name mixes letters of look-alike scripts (Latin with Cyrillic or Greek). */
export function mixesLookalikeScripts(name: string): boolean {
  return name
    .normalize('NFKC')
    .split(/[^\p{L}\p{M}]+/u)
    .some((word) => LOOKALIKE_SCRIPTS.filter((script) => script.test(word)).length > 1);
}

function refuse(message: string): ColloquyError {
  return new ColloquyError('name_not_allowed', message);
}

/** How long the badge holders' skeletons are kept before the store is asked again. */
export const BADGE_NAMES_TTL_MS = 30_000;

export interface ScreenNamePolicy {
  /**
   * Refuses (`name_not_allowed`) a name a reader picks when it claims a role, mixes look-alike
   * scripts in a word, or has the skeleton of a badge holder's name (unless `identityId` is that
   * badge holder). Readers only: a caller with a badge keeps the name the site gave it.
   */
  check(name: string, identityId: string | null): Promise<void>;
  /**
   * Tells the policy a badge holder was seen (a host-site token with a role): a holder or name
   * it does not know yet makes the next check read the store again instead of waiting out the cache.
   */
  noteBadgeHolder(identity: { id: string; name: string | null; role: string }): void;
}

export function createScreenNamePolicy(store: Pick<Store, 'listBadgeHolderNames'>, now: () => number = Date.now): ScreenNamePolicy {
  let cached: { at: number; skeletons: Promise<Map<string, string[]>> } | null = null;
  /** `id skeleton` of every holder in the last completed read. */
  let known = new Set<string>();

  function badgeSkeletons(): Promise<Map<string, string[]>> {
    if (cached && now() - cached.at < BADGE_NAMES_TTL_MS) return cached.skeletons;
    const skeletons = store.listBadgeHolderNames().then((holders) => {
      const byName = new Map<string, string[]>();
      const seen = new Set<string>();
      for (const { id, name } of holders) {
        const skeleton = nameSkeleton(name);
        seen.add(`${id} ${skeleton}`);
        if (skeleton === '') continue;
        byName.set(skeleton, [...(byName.get(skeleton) ?? []), id]);
      }
      known = seen;
      return byName;
    });
    cached = { at: now(), skeletons };
    // A failed read is not kept: the next check asks again.
    skeletons.catch(() => (cached = null));
    return skeletons;
  }

  return {
    async check(name, identityId) {
      const role = claimedRole(name);
      if (role) {
        throw refuse(`Screen names cannot contain "${role}" or other words for a role here (moderator, admin, staff, team, official); choose another name.`);
      }
      if (mixesLookalikeScripts(name)) {
        throw refuse('A word of the screen name mixes look-alike alphabets (such as Latin and Cyrillic letters); write each word in one alphabet.');
      }
      const holders = (await badgeSkeletons()).get(nameSkeleton(name));
      if (holders && !(identityId !== null && holders.includes(identityId))) {
        throw refuse('That screen name looks like the name of a moderator or member of staff here; choose another name.');
      }
    },
    noteBadgeHolder({ id, name, role }) {
      if (role === 'reader' || name === null) return;
      if (!known.has(`${id} ${nameSkeleton(name)}`)) cached = null;
    },
  };
}
