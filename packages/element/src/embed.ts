// The single-file drop-in: registers the tags with the REST adapter wired in and the light
// body renderer (server-sent html, sanitized again here; see docs/decisions/0001).
import type { StorageAdapter } from '@colloquy/core';
import { createRestAdapter } from '@colloquy/adapter-rest';
import { renderServerHtml } from './body/body-renderer.js';
import type { AdapterRequest } from './config.js';
import { defineElements } from './define-elements.js';
import { pageStorage } from './page-storage.js';

const adapters = new Map<string, StorageAdapter>();

/** One adapter per endpoint and token, so every count on a page shares one batch. */
function adapterFor({ endpoint, authToken }: AdapterRequest): StorageAdapter {
  const key = `${endpoint}\n${authToken ?? ''}`;
  const adapter = adapters.get(key);
  if (!adapter) {
    const storage = pageStorage();
    const created: StorageAdapter = createRestAdapter({
      endpoint,
      ...(authToken ? { token: authToken } : {}),
      // A host JWT wins; the stored pseudonymous token is the fallback when there is none.
      ...(storage ? { tokenStorage: storage } : {}),
    });
    adapters.set(key, created);
    return created;
  }
  return adapter;
}

defineElements({
  renderer: renderServerHtml,
  createAdapter: adapterFor,
  // Served by the Colloquy server, so the script's own origin is the API's.
  endpoint: new URL(import.meta.url).origin,
});
