import { parseDocument } from 'htmlparser2';
import { ColloquyError } from '@colloquy/core';
import type { ChildNode, Element } from 'domhandler';

export interface HtmlToMarkdownOptions {
  /**
   * `collapse` (Disqus): newlines in text are ordinary HTML whitespace. `keep` (WordPress):
   * WordPress turns a blank line into a paragraph and a newline into a line break when it
   * displays a comment, so both are kept as they are, which the markdown subset reads the same way.
   */
  newlines?: 'collapse' | 'keep';
}

interface Context {
  keepNewlines: boolean;
  inCode: boolean;
}

const BLOCKS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'table', 'tr', 'dl', 'dd', 'dt', 'hr']);
const DROPPED = new Set(['script', 'style', 'template', 'head', 'iframe', 'object', 'noscript']);
const SAFE_HREF = /^(https?:|mailto:)/i;

/**
 * Converts an exported comment's HTML to Colloquy's markdown-subset source: paragraphs,
 * line breaks, links, emphasis, strong, code, quotes and lists survive; other tags keep only
 * their text. HTML entities are decoded exactly once (by the HTML parser), and characters
 * that markdown would read as markup are escaped, so text shows as it did on the old site.
 */
export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): string {
  if (typeof html !== 'string') throw new ColloquyError('invalid_input', 'htmlToMarkdown needs the HTML as a string.');
  if (!html.trim()) return '';
  const context: Context = { keepNewlines: options.newlines === 'keep', inCode: false };
  // Plain text (many old comments) has nothing for an HTML parser to do.
  const out = /[<&]/.test(html) ? renderNodes(parseDocument(html, { decodeEntities: true }).children, context) : renderText(html, context);
  return tidyLines(out)
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * Drops whitespace at both ends of every line outside code fences: in HTML it never showed,
 * and in markdown four leading spaces would turn a line into code. List items rely on lazy
 * continuation instead of indentation for the same reason.
 */
function tidyLines(text: string): string {
  let fence: string | null = null;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^(`{3,})\s*$/.exec(line)?.[1];
      if (fence) {
        if (marker && marker.length >= fence.length) fence = null;
        return line.replace(/\s+$/, '');
      }
      if (marker) fence = marker;
      return line.replace(/^[ \t\u00a0]+|[ \t\u00a0]+$/g, '');
    })
    .join('\n');
}

function renderNodes(nodes: readonly ChildNode[], context: Context): string {
  let out = '';
  for (const node of nodes) out += renderNode(node, context);
  return out;
}

function renderNode(node: ChildNode, context: Context): string {
  if (node.type === 'text') return renderText(node.data, context);
  if (node.type === 'cdata') return renderNodes(node.children, context);
  if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return '';
  const element = node as Element;
  const name = element.name.toLowerCase();
  if (DROPPED.has(name)) return '';
  const inner = (ctx: Context = context): string => renderNodes(element.children, ctx);

  switch (name) {
    case 'br':
      return '\n';
    case 'em':
    case 'i':
    case 'cite':
      return context.inCode ? inner() : wrapInline(inner(), '*');
    case 'strong':
    case 'b':
      return context.inCode ? inner() : wrapInline(inner(), '**');
    case 'code':
    case 'kbd':
    case 'tt':
      return context.inCode ? inner() : codeSpan(textContent(element));
    case 'pre':
      return codeBlock(textContent(element));
    case 'a':
      return link(element, inner());
    case 'blockquote': {
      const body = inner().trim().replace(/\n{3,}/g, '\n\n');
      if (!body) return '';
      return `\n\n${body.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n')}\n\n`;
    }
    case 'ul':
    case 'ol':
      return list(element, name === 'ol', context);
    case 'li':
      return `\n\n${inner()}\n\n`;
    case 'img': {
      const alt = element.attribs.alt?.trim();
      return alt ? escapeText(alt) : '';
    }
    default:
      return BLOCKS.has(name) ? `\n\n${inner()}\n\n` : inner();
  }
}

function renderText(data: string, context: Context): string {
  const text = context.keepNewlines
    ? data.replace(/\r\n?/g, '\n').replace(/[ \t\f]+/g, ' ')
    : data.replace(/[ \t\f\r\n]+/g, ' ');
  return context.inCode ? text : escapeText(text);
}

/** Backslash-escapes what markdown would otherwise read as markup; leaves ordinary prose alone. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*<]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/\[(?=[^\]]*\]\s*[([:])/g, '\\[')
    .replace(/_/g, (match, offset: number, whole: string) =>
      /[\p{L}\p{N}]/u.test(whole[offset - 1] ?? '') && /[\p{L}\p{N}]/u.test(whole[offset + 1] ?? '') ? match : '\\_',
    )
    .replace(/(^|\n)( ?)([#>+-]|\d+[.)])(?= |$)/g, '$1$2\\$3');
}

function wrapInline(inner: string, mark: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (!match || !match[2]) return inner;
  return `${match[1]}${mark}${match[2]}${mark}${match[3]}`;
}

function textContent(node: ChildNode): string {
  if (node.type === 'text') return node.data;
  if ('children' in node) {
    if (node.type === 'tag' && node.name.toLowerCase() === 'br') return '\n';
    return node.children.map(textContent).join('');
  }
  return '';
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  for (const run of text.match(new RegExp(`${char === '`' ? '`' : '~'}+`, 'g')) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

function codeSpan(text: string): string {
  const code = text.replace(/\s+/g, ' ');
  if (!code.trim()) return '';
  const fence = '`'.repeat(longestRun(code, '`') + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

function codeBlock(text: string): string {
  const code = text.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
  if (!code) return '';
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  return `\n\n${fence}\n${code}\n${fence}\n\n`;
}

function link(element: Element, inner: string): string {
  const href = (element.attribs.href ?? '').trim();
  const text = inner.trim();
  if (!SAFE_HREF.test(href)) return inner;
  const destination = href.replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (!text || text === href || text === escapeText(href)) return `<${destination}>`;
  return `[${text.replace(/\n+/g, ' ')}](${destination})`;
}

function list(element: Element, ordered: boolean, context: Context): string {
  const items = element.children.filter((child): child is Element => child.type === 'tag' && child.name.toLowerCase() === 'li');
  const lines = items.map((item, index) => {
    const marker = ordered ? `${index + 1}. ` : '- ';
    const body = renderNodes(item.children, context).trim().replace(/\n{3,}/g, '\n\n');
    return `${marker}${body}`;
  });
  return lines.length ? `\n\n${lines.join('\n')}\n\n` : '';
}
