// The moderator's queue as its own single-file bundle (dist/moderation.js), so the reader's
// embed.js never carries it. Bodies are the server's html, sanitized again here, or plain text.
import { renderServerHtml } from './body/body-renderer.js';
import { configureElements } from './config.js';
import './define-moderation.js';

configureElements({
  renderer: renderServerHtml,
  // Served by the Colloquy server, so the script's own origin is the API's.
  endpoint: new URL(import.meta.url).origin,
});
