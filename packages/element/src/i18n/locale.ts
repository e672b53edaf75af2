import type { ColloquyError, ErrorCode } from '@colloquy/core';
import { en, type Messages, type PluralForms } from './messages.js';

/**
 * The other languages' tables, fetched on first use (chunks of their own in embed.js, so a
 * reader carries only the words of the language they read; docs/decisions/0038).
 */
const LOADERS: Record<string, () => Promise<Messages>> = {
  es: () => import('./es.js').then((module) => module.es),
};

/** The tables at hand: English always, the others once loaded. */
const TABLES: Record<string, Messages> = { en };

/**
 * Fetches the table of `lang` (a supported language) unless it is at hand: null when it is,
 * else a promise that settles once it is, or once it failed (English stands in; a later call
 * tries again). Elements wait for it before they render (`whenLanguageReady`).
 */
export function loadLanguage(lang: string): Promise<void> | null {
  const loader = LOADERS[lang];
  // The module loader fetches a module once, however many times it is imported.
  return TABLES[lang] || !loader
    ? null
    : loader().then(
        (table) => void (TABLES[lang] = table),
        () => undefined,
      );
}

/**
 * For an element's `scheduleUpdate`: null when the table of the language it speaks is at hand
 * (it renders now, as before), else the fetch to wait for, so the first paint is in the
 * reader's language rather than English first.
 */
export function whenLanguageReady(element: Element): Promise<void> | null {
  return loadLanguage(languageFor(element));
}

/**
 * What the reader is told about one error: fixed words, or words made from the error (a
 * suspension's end; each language's table formats it in its own locale).
 */
export type ErrorWords = string | ((error: ColloquyError) => string);

/** Error words that travel in an on-demand part (i18n/write-messages.ts), added when it loads. */
const laterErrors: Record<string, Partial<Record<ErrorCode, ErrorWords>>> = {};

/** Adds error words by language (the posting part's `writeErrors`); the thread's table wins. */
export function addErrors(tables: Record<string, Partial<Record<ErrorCode, ErrorWords>>>): void {
  for (const [lang, table] of Object.entries(tables)) laterErrors[lang] = { ...laterErrors[lang], ...table };
}

/** Languages with a complete message table (at hand or fetched on first use). */
export const SUPPORTED_LANGUAGES = ['en', ...Object.keys(LOADERS)];

/**
 * Picks the first of `candidates` (BCP 47 tags, most specific wish first) that has a table,
 * matching on the primary subtag; English when none does.
 */
export function resolveLanguage(candidates: readonly (string | null | undefined)[]): string {
  for (const tag of candidates) {
    if (!tag) continue;
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if (SUPPORTED_LANGUAGES.includes(primary)) return primary;
  }
  return 'en';
}

const cache = new Map<string, Localizer>();

/** The shared localizer of a language; its `Intl` formatters are costly to build per render. */
export function localizerFor(lang: string): Localizer {
  let localizer = cache.get(lang);
  if (!localizer) {
    localizer = new Localizer(lang);
    // One standing in for a table not fetched yet is not kept.
    if (localizer.lang === resolveLanguage([lang])) cache.set(lang, localizer);
  }
  return localizer;
}

/** Everything the views need to speak one language: messages, plurals, numbers and dates. */
export class Localizer {
  readonly lang: string;
  readonly messages: Messages;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly relative: Intl.RelativeTimeFormat;
  private readonly exact: Intl.DateTimeFormat;

  /** English while the table of `lang` is not at hand (`loadLanguage`). */
  constructor(lang: string) {
    const resolved = resolveLanguage([lang]);
    this.lang = TABLES[resolved] ? resolved : 'en';
    this.messages = TABLES[this.lang] ?? en;
    this.plurals = new Intl.PluralRules(this.lang);
    this.numbers = new Intl.NumberFormat(this.lang);
    this.relative = new Intl.RelativeTimeFormat(this.lang, { numeric: 'auto' });
    this.exact = new Intl.DateTimeFormat(this.lang, { dateStyle: 'long', timeStyle: 'short' });
  }

  /** The plural form for `n`, with `{n}` filled in. */
  plural(forms: PluralForms, n: number): string {
    const form = forms[this.plurals.select(n)] ?? forms.other;
    return form.replace('{n}', this.numbers.format(n));
  }

  /** What the reader is told about an error, by its code. */
  error(error: ColloquyError): string {
    const words = this.messages.errors[error.code] ?? laterErrors[this.lang]?.[error.code] ?? this.messages.errors.fallback;
    return typeof words == 'string' ? words : words(error);
  }

  /** `message` with `{key}` placeholders filled from `values`. */
  format(message: string, values: Record<string, string>): string {
    return message.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  }

  /** "3 minutes ago", "yesterday"… relative to `now`. */
  relativeTime(date: Date, now: Date): string {
    const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return this.relative.format(0, 'second');
    if (abs < 45 * 60) return this.relative.format(Math.round(seconds / 60), 'minute');
    if (abs < 22 * 3600) return this.relative.format(Math.round(seconds / 3600), 'hour');
    if (abs < 26 * 86400) return this.relative.format(Math.round(seconds / 86400), 'day');
    if (abs < 320 * 86400) return this.relative.format(Math.round(seconds / (30 * 86400)), 'month');
    return this.relative.format(Math.round(seconds / (365 * 86400)), 'year');
  }

  private readonly exactCache = new Map<number, string>();

  /** The full date and time, for the `title` of a `<time>` (memoized: it never changes). */
  exactTime(date: Date): string {
    const time = date.getTime();
    let text = this.exactCache.get(time);
    if (text === undefined) {
      if (this.exactCache.size > 5000) this.exactCache.clear();
      text = this.exact.format(date);
      this.exactCache.set(time, text);
    }
    return text;
  }
}

/**
 * The language an element speaks: its own `lang`, then the nearest ancestor's, then the page's
 * `<html lang>`, then the browser's preferences. Unsupported tags are skipped, not fatal.
 */
export function languageFor(element: Element): string {
  const own = element.getAttribute('lang');
  const inherited = element.parentElement?.closest('[lang]')?.getAttribute('lang');
  const page = element.ownerDocument.documentElement.getAttribute('lang');
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return resolveLanguage([own, inherited, page, ...browser]);
}
