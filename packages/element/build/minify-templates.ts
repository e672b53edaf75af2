// Minifies the element's Lit `css` and `html` templates in embed.js. The JavaScript minifier
// leaves template text alone, and the indentation and stylesheet text are a large share of
// the file. See docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';
import { applyEdits, lineBreaks, walk, type Edit, type Node } from './source-edits.js';

interface Quasi {
  start: number;
  end: number;
  value: { raw: string; cooked: string | null };
}

/**
 * `html` templates: indentation goes, line breaks stay (one byte each, like the space HTML
 * would collapse them to). Whitespace without a line break is left exactly as written, so
 * the text between inline elements keeps its spaces. No template of the element uses
 * `<pre>` or text inside `<textarea>`, where whitespace would be content.
 */
function minifyHtml(raw: string): string {
  return raw.replace(/[ \t]*\n[\s]*/g, (run) => lineBreaks(run));
}

/**
 * `css` templates: comments and the whitespace CSS ignores go; nothing else changes. Kept to
 * rules that hold in selectors and values alike: a space is dropped only beside `{ } ; , >`
 * and after `:` (never before `:`, where it is a descendant combinator, and never beside `+`
 * or `-`, which `calc()` needs spaced).
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .trim();
}

function collectEdits(program: Node, code: string, id: string): Edit[] {
  const edits: Edit[] = [];
  walk(program, (current) => {
    if (current.type !== 'TaggedTemplateExpression') return;
    const tag = current.tag as Node;
    const quasis = (current.quasi as { quasis: Quasi[] }).quasis;
    const kind = tag.type === 'Identifier' ? (tag.name as string) : '';
    if (kind !== 'html' && kind !== 'css') return;
    for (const quasi of quasis) {
      if (code.slice(quasi.start, quasi.end) !== quasi.value.raw) {
        throw new Error(`minify-templates: template positions in ${id} do not match its text`);
      }
      // A backslash could start an escape that removed whitespace would change.
      if (quasi.value.raw.includes('\\')) continue;
      if (kind === 'css' && quasis.length > 1) break; // only static stylesheets
      const text = kind === 'css' ? minifyCss(quasi.value.raw) + lineBreaks(quasi.value.raw) : minifyHtml(quasi.value.raw);
      if (text !== quasi.value.raw) edits.push({ start: quasi.start, end: quasi.end, text });
    }
  });
  return edits;
}

export function minifyTemplates(options: { include: RegExp }): Plugin {
  return {
    name: 'colloquy:minify-templates',
    transform: {
      filter: { id: options.include },
      handler(code, id) {
        if (!/\b(?:html|css)`/.test(code)) return null;
        const edits = collectEdits(this.parse(code) as unknown as Node, code, id);
        if (edits.length === 0) return null;
        return { code: applyEdits(code, edits), map: null };
      },
    },
  };
}
