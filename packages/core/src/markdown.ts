import { Marked, type Tokens } from 'marked';
import { ColloquyError } from './errors.js';
import { misleadingHost } from './link-host.js';
import { BIDI_CONTROLS, createSanitizer, type SanitizerWindow } from './sanitize.js';
import { describe, safeUrl } from './text.js';

/*
 * The markdown subset of comment bodies, a separate entry point (`@colloquy/core/markdown`)
 * so a bundle that only sanitizes server-rendered HTML never pulls in the parser.
 *
 * Kept: paragraphs, line breaks (a single newline is a break, as readers expect from a text
 * box), emphasis, strong, strikethrough, links and bare-URL autolinks, lists, quotes, inline
 * code and fenced code. Everything else degrades to text a reader can still read: headings
 * become paragraphs, an image becomes a link to it labelled with its alt text, a table or a
 * rule stays as typed, task-list boxes become "[ ]" / "[x]", and raw HTML is shown as the
 * characters that were typed. A link whose label names another host than its destination shows
 * the real host beside the label. The sanitizer runs on the result in every case.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Typed text shown as typed, with its line breaks kept. */
function asText(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

const LINK_REL = 'nofollow ugc noopener';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * A link to `url` labelled with `label` (HTML). A label that names another place than the link
 * goes to ("https://bank.example" to evil.example) gets the real host beside it, inside the link
 * so it is part of the link's accessible name: `<small>(evil.example)</small>` (link-host.ts).
 */
function link(url: string, label: string): string {
  const text = label.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
  const host = misleadingHost(text, url);
  const shown = host ? `${label} <small>(${escapeHtml(host)})</small>` : label;
  return `<a href="${escapeHtml(url)}" rel="${LINK_REL}">${shown}</a>`;
}

const parser = new Marked({
  async: false,
  gfm: true,
  breaks: true,
  tokenizer: {
    // Returning undefined (not false) skips marked's own table rule: the rows stay text.
    table: () => undefined,
  },
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p>${asText(text.trim())}</p>\n` : escapeHtml(text);
    },
    code({ text }: Tokens.Code): string {
      // No `class="language-…"`: the info string is not ours to style, and no attribute is allowed.
      return `<pre><code>${escapeHtml(text)}\n</code></pre>\n`;
    },
    heading({ tokens }: Tokens.Heading): string {
      return `<p>${this.parser.parseInline(tokens)}</p>\n`;
    },
    hr({ raw }: Tokens.Hr): string {
      return `<p>${escapeHtml(raw.trim())}</p>\n`;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '[x]' : '[ ]';
    },
    link({ href, tokens }: Tokens.Link): string {
      const label = this.parser.parseInline(tokens);
      const url = safeUrl(href ?? '');
      return url ? link(url, label) : label;
    },
    image({ href, text }: Tokens.Image): string {
      // An image becomes a link to it labelled with its alt text; a refused URL leaves the text.
      const url = safeUrl(href ?? '');
      const label = escapeHtml(text || href || '');
      return url ? link(url, label) : label;
    },
  },
});

/**
 * Renders a comment body (the markdown subset) to sanitized HTML for `window`. Safe to insert
 * as is; a view that can should still prefer `createSanitizer(window).sanitizeToFragment(html)`.
 * If the parser gives up on a pathological input (deep nesting can exhaust the stack), the
 * body is shown as plain text rather than failing the whole thread.
 */
export function renderMarkdown(source: string, window: SanitizerWindow): string {
  const sanitizer = createSanitizer(window);
  return sanitizer.sanitize(renderMarkdownHtml(source));
}

/**
 * Renders a comment body to HTML without a DOM, for producers such as the server. Raw HTML is
 * escaped and only http(s)/mailto links are emitted, so the output is made of the subset's own
 * elements; it is still not sanitized, and whoever inserts it into a page must pass it through
 * `createSanitizer(window)` first (the widget does, on every render).
 */
export function renderMarkdownHtml(source: string): string {
  if (typeof source !== 'string') {
    throw new ColloquyError('invalid_input', `Expected the comment body as text, got ${describe(source)}.`);
  }
  // Bidi controls would let "exe.png" read as "png.exe"; the sanitizer drops them too.
  const text = source.replace(BIDI_CONTROLS, '');
  let html: string;
  try {
    html = parser.parse(text, { async: false });
  } catch {
    return renderPlainHtml(text);
  }
  return html.trim();
}

/**
 * A body shown exactly as typed, without parsing: escaped, paragraphs at blank lines, `<br>` at
 * single newlines. Linear in the input, so it is what a renderer falls back to when the markdown
 * parser gives up or runs out of time.
 */
export function renderPlainHtml(source: string): string {
  const text = source.replace(BIDI_CONTROLS, '').replace(/\r\n?/g, '\n').trim();
  if (text === '') return '';
  return text
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => `<p>${asText(paragraph)}</p>`)
    .join('\n');
}
