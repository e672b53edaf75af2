// Leaves the core's and the REST adapter's English developer messages out of embed.js. See
// docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Text is replaced in place; line breaks are kept so source maps stay line-true. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

const lineBreaks = (text: string) => '\n'.repeat(text.split('\n').length - 1);

/**
 * `new ColloquyError(code, 'written message', …)` keeps its code and options and loses the
 * message when it is written in the source (a string or template literal); a message passed
 * on, such as the server's own, stays. Readers never saw these messages: the widget words
 * every error by its code, and it gives a `colloquy-error` event without a message the
 * reader's wording instead (`ColloquyErrorEvent`).
 */
function collectEdits(program: Node, code: string): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const current = node as Node;
    if (current.type === 'NewExpression') {
      const callee = current.callee as Node;
      const message = (current.arguments as Node[])[1];
      const written = message && ((message.type === 'Literal' && typeof message.value === 'string') || message.type === 'TemplateLiteral');
      if (callee.type === 'Identifier' && callee.name === 'ColloquyError' && written) {
        edits.push({ start: message.start, end: message.end, text: `''${lineBreaks(code.slice(message.start, message.end))}` });
      }
    }
    for (const [key, value] of Object.entries(current)) {
      if (key !== 'type' && value && typeof value === 'object') visit(value);
    }
  };
  visit(program);
  return edits;
}

export function stripErrorMessages(options: { include: RegExp }): Plugin {
  return {
    name: 'colloquy:strip-error-messages',
    transform: {
      filter: { id: options.include },
      handler(code) {
        if (!code.includes('new ColloquyError(')) return null;
        const edits = collectEdits(this.parse(code) as unknown as Node, code).sort((a, b) => b.start - a.start);
        let output = code;
        for (const edit of edits) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
        return { code: output, map: null };
      },
    },
  };
}
