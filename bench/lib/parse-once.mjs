// Reads one body on stdin, renders it with the core's markdown renderer, prints the milliseconds.
import { readFileSync } from 'node:fs';
import { renderMarkdownHtml } from '@colloquy/core/markdown';

const body = readFileSync(0, 'utf8');
renderMarkdownHtml('warm *up* [a](https://example.org)');
const started = performance.now();
renderMarkdownHtml(body);
console.log((performance.now() - started).toFixed(2));
