// The configurator's output: the two lines a site owner pastes, and the two hints for <head>
// that start loading the widget and its comments with the page. Pure, so it is tested in Node.
import { validateThreadKey } from '@colloquy/core';

export interface SnippetChoices {
  /** The comment server, as typed: `https://comments.example.org` (a path is allowed). */
  endpoint: string;
  /** Empty: the page's canonical path. */
  thread: string;
  /** Empty: the page's language. */
  lang: string;
  /** Empty: follow the reader's colour scheme. */
  theme: string;
  /** Empty: oldest first. */
  sort: string;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function attribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

/** The server's base URL without a trailing slash, or null when it is not an http(s) URL. */
export function normaliseEndpoint(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The snippet for these choices; attributes at their defaults are left out. */
export function buildSnippet(choices: SnippetChoices): string {
  const endpoint = normaliseEndpoint(choices.endpoint);
  if (!endpoint) throw new Error(`not an http(s) URL: ${choices.endpoint}`);
  // embed.js calls the origin it was loaded from; a server under a path needs saying so.
  const underPath = endpoint !== new URL(endpoint).origin;
  const attributes: [string, string][] = [
    ['thread', choices.thread.trim()],
    ['endpoint', underPath ? endpoint : ''],
    ['lang', choices.lang],
    ['theme', choices.theme],
    ['sort', choices.sort],
  ];
  const written = attributes
    .filter(([, value]) => value !== '')
    .map(([name, value]) => ` ${name}="${attribute(value)}"`)
    .join('');
  return `<script type="module" src="${attribute(endpoint)}/embed.js"></script>\n<colloquy-thread${written}></colloquy-thread>`;
}

/**
 * The first page's URL exactly as the widget asks for it (docs/protocol.md): the same order and
 * encoding of parameters, the page size the element uses by default (20). A preload whose URL
 * differs by a byte is fetched for nothing.
 */
export function firstPageUrl(endpoint: string, thread: string, sort: string): string {
  const params = new URLSearchParams({ thread: validateThreadKey(thread), sort: sort || 'oldest', limit: '20' });
  return `${endpoint}/api/v1/comments?${params}`;
}

/**
 * Lines for the page's `<head>`: `modulepreload` fetches embed.js while the page is parsed, and
 * with a thread key a `preload as="fetch" crossorigin` of its first page, which the widget's own
 * request then reuses (`crossorigin` gives it the same CORS mode and credentials). Without a
 * thread key the page's path is only known to the page, so the comments line is left out.
 */
export function buildHints(choices: SnippetChoices): string {
  const endpoint = normaliseEndpoint(choices.endpoint);
  if (!endpoint) throw new Error(`not an http(s) URL: ${choices.endpoint}`);
  const lines = [`<link rel="modulepreload" href="${attribute(endpoint)}/embed.js">`];
  const thread = choices.thread.trim();
  if (thread) {
    let url: string;
    try {
      url = firstPageUrl(endpoint, thread, choices.sort);
    } catch {
      return lines[0]!;
    }
    lines.push(`<link rel="preload" as="fetch" crossorigin href="${attribute(url)}">`);
  }
  return lines.join('\n');
}
