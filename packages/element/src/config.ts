import type { StorageAdapter } from '@colloquy/core';
import { renderServerHtml, type BodyRenderer } from './body/body-renderer.js';

/** What an element knows when it needs an adapter it was not given. */
export interface AdapterRequest {
  /** The server's origin (or base URL); the element's `endpoint` or the configured default. */
  endpoint: string;
  /** A host-site token from the `auth-token` attribute, or null. */
  authToken: string | null;
}

/** How elements find an adapter and render bodies when the page sets neither. */
export interface ElementDefaults {
  renderer: BodyRenderer;
  createAdapter: ((request: AdapterRequest) => StorageAdapter) | null;
  endpoint: string;
}

/**
 * Shared by every element of one bundle. `define.ts` and `embed.ts` fill it in before they
 * register the tags; an element's own `adapter` / `renderer` properties always win.
 */
export const elementDefaults: ElementDefaults = {
  renderer: renderServerHtml,
  createAdapter: null,
  endpoint: '',
};

export function configureElements(options: Partial<ElementDefaults>): void {
  Object.assign(elementDefaults, options);
}

/**
 * The thread key of a page with no `thread` attribute: the path of its canonical URL when it
 * declares one, so `?utm=…` variants share a thread, else its own path.
 */
export function defaultThreadKey(doc: Document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]');
  if (canonical) {
    try {
      return new URL(canonical.href, doc.baseURI).pathname;
    } catch {
      // An unparsable canonical link falls back to the page's own path.
    }
  }
  return doc.location?.pathname ?? '/';
}
