// The first thing embed.js runs, before Lit and the elements are even evaluated: the REST
// adapters the elements share, and the first page of every `<colloquy-thread>` already in the
// document, asked for at once. Module scripts run after the document is parsed, so threads
// above the script tag (the usual place) are there. A thread adopts the answer instead of
// asking again (docs/decisions/0028).
import { SORT_ORDERS, validateThreadKey, type ListQuery, type SortOrder, type StorageAdapter } from '@colloquy/core';
import { createRestAdapter } from '@colloquy/adapter-rest';
import { defaultThreadKey, type AdapterRequest } from './config.js';
import { pageStorage } from './page-storage.js';

/** Served by the Colloquy server, so the script's own origin is the API's. */
export const ORIGIN = new URL(import.meta.url).origin;

const adapters = new Map<string, StorageAdapter>();
/** Answers asked for before an element wanted them; each is handed out once, then forgotten. */
const early = new Map<string, Promise<unknown>>();

function once<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const kept = early.get(key) as Promise<T> | undefined;
  early.delete(key);
  return kept ?? ask();
}

const pageKey = (adapterKey: string, query: ListQuery) => `${adapterKey}\n${query.thread}\n${query.sort}\n${query.limit}`;

/** One adapter per endpoint and token, so every count on a page shares one batch. */
export function adapterFor({ endpoint, authToken }: AdapterRequest): StorageAdapter {
  const key = `${endpoint}\n${authToken ?? ''}`;
  let adapter = adapters.get(key);
  if (!adapter) {
    const storage = pageStorage();
    const rest = createRestAdapter({
      endpoint,
      ...(authToken ? { token: authToken } : {}),
      // A host JWT wins; the stored pseudonymous token is the fallback when there is none.
      ...(storage ? { tokenStorage: storage } : {}),
    });
    adapter = {
      ...rest,
      listComments: (query) => (query.cursor ? rest.listComments(query) : once(pageKey(key, query), () => rest.listComments(query))),
      getIdentity: () => once(key, rest.getIdentity),
    };
    adapters.set(key, adapter);
  }
  return adapter;
}

/**
 * Asks for what each thread in the document will load first, with the values its attributes
 * give (the same the element computes), unless the page set its own adapter.
 */
function prefetch(): void {
  for (const element of document.querySelectorAll('colloquy-thread')) {
    // Set by the page before the upgrade, or the element is already one (Colloquy loaded twice).
    if (Object.hasOwn(element, 'adapter')) continue;
    const attribute = (name: string) => element.getAttribute(name);
    const authToken = attribute('auth-token');
    const key = `${attribute('endpoint') || ORIGIN}\n${authToken ?? ''}`;
    const adapter = adapterFor({ endpoint: attribute('endpoint') || ORIGIN, authToken });
    const sort = attribute('sort') as SortOrder;
    try {
      const query: ListQuery = {
        thread: validateThreadKey(attribute('thread') || defaultThreadKey(document)),
        sort: SORT_ORDERS.includes(sort) ? sort : 'oldest',
        limit: Number(attribute('page-size') ?? 20),
        cursor: null,
      };
      const page = adapter.listComments(query);
      const identity = adapter.getIdentity();
      // An answer nobody adopts (the attributes changed before the element upgraded) is dropped.
      for (const answer of [page, identity]) answer.catch(() => undefined);
      early.set(pageKey(key, query), page);
      early.set(key, identity);
    } catch {
      // A thread key the element will refuse itself, with a message.
    }
  }
  setTimeout(() => early.clear(), 5000);
}

prefetch();
