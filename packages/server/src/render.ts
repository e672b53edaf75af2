import { ColloquyError } from '@colloquy/core';
import { renderMarkdownHtml } from '@colloquy/core/markdown';

export interface BodyRenderer {
  /** Sanitized HTML for a comment body, stored beside it at write time. */
  render(body: string): Promise<string>;
  /** Proves the renderer escapes markup (a probe script and handler do not survive); the server refuses to start otherwise. */
  check(): Promise<void>;
  /** Releases what the renderer holds (nothing today; kept so callers need not change). */
  close(): Promise<void>;
}

/*
 * Most comments are plain sentences. For a body made only of characters that mean nothing to
 * the markdown subset (letters, digits, spaces, emoji and prose punctuation, with no line that
 * could open a list, heading or code block, no `.` that could join a domain name), the
 * rendering is known without parsing: paragraphs at blank lines, `<br>` at single newlines,
 * the text unchanged but for quotes. No other of these characters needs escaping, so the output
 * cannot carry markup. Anything else takes the full path (marked, with raw HTML escaped). A test checks that both
 * paths give identical HTML.
 */
const PLAIN_LINE =
  /^["'\p{L}](?:[\p{L}\p{M}\p{N}\p{Extended_Pictographic} ,;?!'"/()%$€£-]|\u200D|\uFE0F|[\u{1F3FB}-\u{1F3FF}]|\.(?= |$))*(?<! )$/u;

/** The HTML of a plain body, or null when the body needs the markdown renderer. */
export function renderPlainBody(body: string): string | null {
  const lines = body.replace(/^\n+|\n+$/g, '').split('\n');
  const paragraphs: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line === '') {
      if (current.length > 0) paragraphs.push(current);
      current = [];
      continue;
    }
    if (!PLAIN_LINE.test(line)) return null;
    current.push(line);
  }
  if (current.length > 0) paragraphs.push(current);
  if (paragraphs.length === 0) return null;
  // Quotes are escaped as the markdown renderer escapes them, so both paths give identical HTML.
  return paragraphs.map((p) => `<p>${p.join('<br>').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</p>`).join('\n');
}

export interface BodyRendererOptions {
  /** Skip the plain-text path, so every body goes through the markdown renderer (tests compare the two). */
  markdownOnly?: boolean;
}

/** A body made to break the renderer: a script or a handler surviving means it is not safe to start. */
const PROBE = '<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))';

/**
 * Renders bodies without a DOM (docs/decisions/0003): plain ones directly, the rest with
 * `renderMarkdownHtml`, whose output is built only from the markdown subset's own elements with
 * every raw-HTML token escaped. Every browser still sanitizes the HTML with DOMPurify before
 * inserting it.
 */
export function createBodyRenderer(options: BodyRendererOptions = {}): BodyRenderer {
  function render(body: string): string {
    if (!options.markdownOnly) {
      const plain = renderPlainBody(body);
      if (plain !== null) return plain;
    }
    try {
      return renderMarkdownHtml(body);
    } catch (error) {
      throw new ColloquyError('invalid_input', 'The comment could not be rendered.', { cause: error });
    }
  }
  return {
    async render(body) {
      return render(body);
    },
    async check() {
      const html = render(PROBE);
      const tags = html.match(/<[^>]*>/g) ?? [];
      if (tags.some((tag) => /^<\/?(?:script|img)\b|\son\w+=|javascript:/i.test(tag))) {
        throw new Error(`The body renderer let markup through: ${html}`);
      }
    },
    async close() {},
  };
}
