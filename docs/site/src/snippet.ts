// The configurator's output: the two lines a site owner pastes. Pure, so it is tested in Node.

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
