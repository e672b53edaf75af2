// Leaves the core's and the REST adapter's English developer messages out of embed.js. See
// docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';
import { applyEdits, lineBreaks, walk, type Edit, type Node } from './source-edits.js';

type Positioned = Node & { start: number; end: number };

/**
 * `new ColloquyError(code, 'written message', …)` keeps its code and options and loses the
 * message when it is written in the source (a string or template literal): an empty one where
 * options follow, none where it is the last argument. A message passed on, such as the
 * server's own, stays. Readers never saw these messages: the widget words
 * every error by its code, and it gives a `colloquy-error` event without a message the
 * reader's wording instead (`ColloquyErrorEvent`).
 */
function collectEdits(program: Node, code: string): Edit[] {
  const edits: Edit[] = [];
  walk(program, (current) => {
    if (current.type !== 'NewExpression') return;
    const callee = current.callee as Node;
    const [errorCode, message, options] = current.arguments as Positioned[];
    const written = message && ((message.type === 'Literal' && typeof message.value === 'string') || message.type === 'TemplateLiteral');
    if (callee.type === 'Identifier' && callee.name === 'ColloquyError' && written) {
      // Without options, the message argument goes with its comma: `super(undefined)` leaves
      // an error's message empty, as `super('')` does.
      const start = options ? message.start : errorCode!.end;
      edits.push({ start, end: message.end, text: `${options ? "''" : ''}${lineBreaks(code.slice(start, message.end))}` });
    }
  });
  return edits;
}

export function stripErrorMessages(options: { include: RegExp }): Plugin {
  return {
    name: 'colloquy:strip-error-messages',
    transform: {
      filter: { id: options.include },
      handler(code) {
        if (!code.includes('new ColloquyError(')) return null;
        return { code: applyEdits(code, collectEdits(this.parse(code) as unknown as Node, code)), map: null };
      },
    },
  };
}
