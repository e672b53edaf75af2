import { readFile } from 'node:fs/promises';
import { canonicalThreadKey, ColloquyError } from '@colloquy/core';

/**
 * How an old page URL becomes a Colloquy thread key. The default keeps the URL's path, drops
 * origin, fragment and query, except the WordPress id parameters `p` and `page_id` (so
 * `http://blog.example/?p=4` becomes `/?p=4`). Every key, mapped ones included, is then put in
 * the one canonical form the widget and the server use (`canonicalThreadKey` from the core: no
 * trailing slash on a path, the root stays `/`), so `/post/` imported is `/post/` shown.
 */
export interface ThreadKeyRule {
  /**
   * Query parameters kept in the key: `true` keeps the whole query (sorted by name so the
   * same page always gives the same key), `false` none, a list keeps those names.
   * Default `['p', 'page_id']`.
   */
  keepQuery?: boolean | readonly string[];
  /** A path prefix removed from the start of the key, e.g. `/blog` when the site moved up a level. */
  stripPrefix?: string;
  /**
   * Overrides, checked first: a map from old URL (exact, as in the export) or from the
   * default key to the wanted key, or a function given the URL and the default key that
   * returns the key, or null to keep the default.
   */
  map?: Readonly<Record<string, string>> | ((url: string, defaultKey: string) => string | null | undefined);
}

export const DEFAULT_WORDPRESS_ID_PARAMS: readonly string[] = ['p', 'page_id'];

/** Refuses a malformed rule up front, so a typo in configuration fails before the import starts. */
export function checkThreadKeyRule(rule: ThreadKeyRule): void {
  const bad = (message: string): never => {
    throw new ColloquyError('invalid_input', `Invalid thread-key rule: ${message}`);
  };
  if (typeof rule !== 'object' || rule === null) bad('it must be an object.');
  const { keepQuery, stripPrefix, map } = rule;
  if (keepQuery !== undefined && typeof keepQuery !== 'boolean' && !(Array.isArray(keepQuery) && keepQuery.every((n) => typeof n === 'string'))) {
    bad('keepQuery must be true, false or a list of parameter names.');
  }
  if (stripPrefix !== undefined && (typeof stripPrefix !== 'string' || !stripPrefix.startsWith('/'))) bad('stripPrefix must be a path starting with "/".');
  if ('trailingSlash' in rule) bad('trailingSlash is gone: thread keys are always canonical, without a trailing slash, as the widget and the server use them.');
  if (map !== undefined && typeof map !== 'function' && (typeof map !== 'object' || map === null || Array.isArray(map))) {
    bad('map must be an object of "old URL": "thread key" or a function.');
  }
}

export function threadKeyFromUrl(url: string, rule: ThreadKeyRule = {}): string {
  checkThreadKeyRule(rule);
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ColloquyError('invalid_input', 'A thread URL is required to derive a thread key.');
  }
  const raw = url.trim();
  let parsed: URL;
  try {
    // A bare path (some exports store `/2011/03/post/`) is read against a placeholder origin.
    parsed = new URL(raw, 'http://thread-key.invalid');
  } catch {
    throw new ColloquyError('invalid_input', `Cannot derive a thread key from "${raw}": not a URL or path.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ColloquyError('invalid_input', `Cannot derive a thread key from "${raw}": only http and https URLs are pages.`);
  }

  let path = parsed.pathname || '/';
  const prefix = rule.stripPrefix?.replace(/\/+$/, '');
  if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) path = path.slice(prefix.length) || '/';
  path = canonicalThreadKey(path);

  const keep = rule.keepQuery ?? DEFAULT_WORDPRESS_ID_PARAMS;
  const kept = [...parsed.searchParams].filter(([name]) => (keep === true ? true : keep === false ? false : keep.includes(name)));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  const defaultKey = `${path}${query}`;

  const { map } = rule;
  if (typeof map === 'function') {
    const mapped = map(raw, defaultKey);
    if (mapped !== null && mapped !== undefined) return checkedKey(mapped, raw);
  } else if (map) {
    const mapped = Object.prototype.hasOwnProperty.call(map, raw)
      ? map[raw]
      : Object.prototype.hasOwnProperty.call(map, defaultKey)
        ? map[defaultKey]
        : undefined;
    if (mapped !== undefined) return checkedKey(mapped, raw);
  }
  return defaultKey;
}

function checkedKey(key: unknown, url: string): string {
  if (typeof key !== 'string' || key.trim() === '') {
    throw new ColloquyError('invalid_input', `The thread-key map gave an empty or non-string key for "${url}".`);
  }
  return canonicalThreadKey(key.trim());
}

/**
 * Reads a JSON thread-key map: one object whose keys are old URLs (or default keys) and whose
 * values are the thread keys to use. Pass the result as `ThreadKeyRule.map`.
 */
export async function readThreadKeyMap(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ColloquyError('invalid_input', `Cannot read the thread-key map ${path}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ColloquyError('invalid_input', `The thread-key map ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ColloquyError('invalid_input', `The thread-key map ${path} must be one JSON object of "old URL": "thread key".`);
  }
  const map: Record<string, string> = {};
  for (const [from, to] of Object.entries(value)) {
    if (typeof to !== 'string' || to.trim() === '') {
      throw new ColloquyError('invalid_input', `The thread-key map ${path} gives "${from}" a value that is not a non-empty string.`);
    }
    map[from] = to.trim();
  }
  return map;
}
