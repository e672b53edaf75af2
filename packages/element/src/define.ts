// Registers the Colloquy tags for npm users, with bodies rendered from markdown when the
// adapter sends no server-rendered `html`. Importing this module is the side effect.
import { renderMarkdownBody } from './body/markdown-renderer.js';
import { defineElements } from './define-elements.js';

defineElements({ renderer: renderMarkdownBody });
