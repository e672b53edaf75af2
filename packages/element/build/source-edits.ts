// What the element's build-time source transforms share: a walk over the parser's tree and
// in-place text edits that keep line breaks, so source maps stay line-true.

export interface Node {
  type: string;
  [key: string]: unknown;
}

/** Text replaced in place, from `start` to `end` of the source. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** As many line breaks as `text` holds: what a removed piece of source leaves behind. */
export const lineBreaks = (text: string) => '\n'.repeat(text.split('\n').length - 1);

/** Calls `onNode` for every node of the tree, parents before children. */
export function walk(program: Node, onNode: (node: Node) => void): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const current = node as Node;
    onNode(current);
    for (const [key, value] of Object.entries(current)) {
      if (key !== 'type' && value && typeof value === 'object') visit(value);
    }
  };
  visit(program);
}

/** Applies non-overlapping edits, last first so earlier positions stay valid. */
export function applyEdits(code: string, edits: Edit[]): string {
  let output = code;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  return output;
}
