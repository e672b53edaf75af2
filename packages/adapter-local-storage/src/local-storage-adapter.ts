import { ColloquyError, ROLES } from '@colloquy/core';
import type { Limits, Role } from '@colloquy/core';
import { createMemoryAdapter, createMemoryStore } from '@colloquy/adapter-memory';
import type { MemoryAdapter, MemoryStore, StorePersistence } from '@colloquy/adapter-memory';

export interface LocalStorageAdapterOptions {
  /** Where comments and the reader's identity live. Defaults to `globalThis.localStorage`. */
  storage?: Storage;
  /** Prefix of the keys used in `storage`, so several comment areas can share an origin. Default `colloquy`. */
  namespace?: string;
  /** Key that remembers which identity this browser acts as. Default `<namespace>:identity`. */
  identityKey?: string;
  /** Role of identities this adapter creates. */
  role?: Role;
  /** Limits, applied by the first adapter opened on a storage and namespace. */
  limits?: Partial<Limits>;
  now?: () => Date;
  /**
   * Where `storage` events of other tabs arrive, so subscribers hear their writes. Defaults to
   * `globalThis` when it can listen (a window).
   */
  eventTarget?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

export type LocalStorageAdapter = MemoryAdapter;

// Adapters on one storage and namespace in the same page share a store, so they hear each
// other's writes at once; other tabs are heard through `storage` events.
const stores = new WeakMap<Storage, Map<string, MemoryStore>>();

function persistenceFor(
  storage: Storage,
  dataKey: string,
  eventTarget: LocalStorageAdapterOptions['eventTarget'],
): StorePersistence {
  return {
    read: () => storage.getItem(dataKey),
    write(serialized) {
      try {
        storage.setItem(dataKey, serialized);
      } catch (cause) {
        throw new ColloquyError('too_large', 'The browser has no room left to keep comments on this site.', { cause });
      }
    },
    ...(eventTarget
      ? {
          watch(onChange: () => void) {
            const listener = (event: Event) => {
              const key = (event as StorageEvent).key;
              // A null key means the other tab cleared the whole storage.
              if (key === dataKey || key === null) onChange();
            };
            eventTarget.addEventListener('storage', listener);
            return () => eventTarget.removeEventListener('storage', listener);
          },
        }
      : {}),
  };
}

function defaultStorage(): Storage {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    if (storage) return storage;
  } catch (cause) {
    // Reading localStorage throws where the browser blocks site data.
    throw new ColloquyError('unsupported', 'This browser does not let the page keep data (localStorage is blocked).', { cause });
  }
  throw new ColloquyError('unsupported', 'No localStorage here; pass one as options.storage.');
}

/**
 * An adapter that keeps comments in the browser's localStorage: a page with no server. Data
 * survives reloads, and tabs of the same site see each other's comments (live, through
 * `storage` events).
 */
export function createLocalStorageAdapter(options: LocalStorageAdapterOptions = {}): LocalStorageAdapter {
  if (typeof options !== 'object' || options === null) {
    throw new ColloquyError('invalid_input', 'createLocalStorageAdapter takes an options object.');
  }
  const storage = options.storage ?? defaultStorage();
  if (typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function') {
    throw new ColloquyError('invalid_input', 'storage must be a Storage (getItem, setItem, removeItem).');
  }
  const namespace = options.namespace ?? 'colloquy';
  if (typeof namespace !== 'string' || namespace === '') {
    throw new ColloquyError('invalid_input', 'namespace must be a non-empty string.');
  }
  if (options.role !== undefined && !ROLES.includes(options.role)) {
    throw new ColloquyError('invalid_input', `role must be one of ${ROLES.join(', ')}.`);
  }
  const identityKey = options.identityKey ?? `${namespace}:identity`;
  const globalTarget = typeof globalThis.addEventListener === 'function' ? globalThis : null;
  const eventTarget = options.eventTarget === undefined ? globalTarget : options.eventTarget;

  let byNamespace = stores.get(storage);
  if (!byNamespace) {
    byNamespace = new Map();
    stores.set(storage, byNamespace);
  }
  let store = byNamespace.get(namespace);
  if (!store) {
    store = createMemoryStore({
      persistence: persistenceFor(storage, `${namespace}:data`, eventTarget),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    byNamespace.set(namespace, store);
  }

  return createMemoryAdapter({
    store,
    ...(options.role ? { role: options.role } : {}),
    identityHolder: {
      get: () => storage.getItem(identityKey),
      set: (id) => storage.setItem(identityKey, id),
    },
  });
}
