// DOMPurify, for browsers without their own HTML sanitizer: a chunk of its own in embed.js,
// fetched only by such a browser (docs/decisions/0039).
export { createSanitizer } from '@colloquy/core';
