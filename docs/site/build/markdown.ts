// Markdown from docs/ to site HTML. The source files are the project's own (trusted), so raw
// HTML in them is kept; links between docs become links between pages, and links to files
// that are not pages name the file in the repository instead of pointing nowhere.
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './layout.js';

/** docs/*.md files that are pages of the site, by the name links use. */
export const PAGE_FOR_DOC: Readonly<Record<string, string>> = {
  'getting-started.md': 'index.html',
  'theming.md': 'theming.html',
  'element.md': 'components.html',
  'protocol.md': 'protocol-guide.html',
  'self-hosting.md': 'self-hosting.html',
  'adapters.md': 'adapters.html',
  'examples.md': 'examples.html',
  'import.md': 'import.html',
  'data-rights.md': 'data-rights.html',
};

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z#0-9]+;/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function rewriteHref(href: string): string | null {
  if (/^(https?:|mailto:|#)/.test(href)) return href;
  const [path = '', hash] = href.split('#');
  const name = path.replace(/^(\.\/)+/, '');
  const page = PAGE_FOR_DOC[name];
  if (page) return hash ? `${page}#${hash}` : page;
  if (/^[a-z-]+\.html$/.test(name)) return href;
  return null;
}

/** Renders one docs file; `repoPath` is where the file sits, to name linked files by their repository path. */
export function renderMarkdown(source: string, repoDir = 'docs'): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens);
        const id = slugify(inner);
        return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`;
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        const target = rewriteHref(token.href);
        if (target) return `<a href="${escapeHtml(target)}">${inner}</a>`;
        const file = new URL(token.href, `file:///repo/${repoDir}/`).pathname.replace(/^\/repo\//, '');
        return `${inner} <span class="repo-path">(<code>${escapeHtml(file)}</code> in the repository)</span>`;
      },
    },
  });
  return marked.parse(source, { async: false });
}
