// The single-file drop-in: registers the tags with the REST adapter wired in and the light
// body renderer (server-sent html, sanitized again here; see docs/decisions/0001).
// embed-early.ts comes first on purpose: its requests leave before the rest is evaluated.
import { adapterFor, ORIGIN } from './embed-early.js';
import { renderServerHtml } from './body/body-renderer.js';
import { defineElements } from './define-elements.js';

defineElements({
  renderer: renderServerHtml,
  createAdapter: adapterFor,
  endpoint: ORIGIN,
});
