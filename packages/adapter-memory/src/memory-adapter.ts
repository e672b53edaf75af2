import { ColloquyError, ROLES, toColloquyError } from '@colloquy/core';
import type {
  AdapterCapabilities,
  Comment,
  CreateInput,
  HelpfulMark,
  Identity,
  Limits,
  ListQuery,
  Page,
  ReportInput,
  Role,
  StorageAdapter,
  ThreadEvent,
  Unsubscribe,
} from '@colloquy/core';
import { createMemoryStore } from './store.js';
import type { MemoryStore, MemoryStoreRaw } from './store.js';

export interface MemoryAdapterOptions {
  /** The backing store; share one between adapters to have several readers on one thread. */
  store?: MemoryStore;
  /**
   * Who this adapter starts as: an existing identity's id in the store, or a screen name for a
   * new identity. Without it the reader has no identity until `identify`.
   */
  identity?: string | { id: string } | { name: string };
  /** The role of identities this adapter creates (moderators may edit and delete any comment). */
  role?: Role;
  /** Limits of the store this adapter creates when none is passed. */
  limits?: Partial<Limits>;
  /** Clock of the store this adapter creates when none is passed. */
  now?: () => Date;
  /**
   * Where the adapter remembers which identity it acts as. Defaults to the adapter itself;
   * the local-storage adapter keeps it in storage so a reload keeps the reader.
   */
  identityHolder?: IdentityHolder;
}

/** Remembers the id of the identity an adapter acts as. */
export interface IdentityHolder {
  get(): string | null;
  set(identityId: string): void;
}

export interface MemoryAdapter extends StorageAdapter {
  readonly store: MemoryStore;
  /** What really reached the store, for tests. */
  readonly raw: MemoryStoreRaw;
  subscribe(thread: string, listener: (event: ThreadEvent) => void): Unsubscribe;
}

/** Runs a store call as an adapter method: always async, always rejecting with ColloquyError. */
async function settle<T>(work: () => T): Promise<T> {
  try {
    return structuredClone(work());
  } catch (error) {
    throw toColloquyError(error);
  }
}

/**
 * An adapter over a memory store. Each adapter acts as one reader; adapters sharing a store see
 * each other's comments and live events, like browsers on one server.
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  if (typeof options !== 'object' || options === null) {
    throw new ColloquyError('invalid_input', 'createMemoryAdapter takes an options object.');
  }
  if (options.role !== undefined && !ROLES.includes(options.role)) {
    throw new ColloquyError('invalid_input', `role must be one of ${ROLES.join(', ')}.`);
  }
  if (options.store && (options.limits !== undefined || options.now !== undefined)) {
    // A shared store has one set of rules; silently ignoring these would hide the mistake.
    throw new ColloquyError('invalid_input', 'Pass limits and now to createMemoryStore when you pass a store.');
  }
  const store =
    options.store ??
    createMemoryStore({
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  const role = options.role ?? 'reader';
  let remembered: string | null = null;
  const holder: IdentityHolder = options.identityHolder ?? {
    get: () => remembered,
    set: (id) => {
      remembered = id;
    },
  };
  /** The current identity's id; one the store no longer knows (cleared storage) counts as none. */
  function currentId(): string | null {
    const id = holder.get();
    return id !== null && store.getIdentity(id) ? id : null;
  }

  const initial = options.identity;
  if (typeof initial === 'string' || (typeof initial === 'object' && initial !== null && 'id' in initial)) {
    const id = typeof initial === 'string' ? initial : initial.id;
    if (!store.getIdentity(id)) throw new ColloquyError('not_found', `No identity ${id} in this store.`);
    holder.set(id);
  } else if (typeof initial === 'object' && initial !== null && 'name' in initial) {
    holder.set(store.createIdentity({ name: initial.name, role }).id);
  } else if (initial !== undefined) {
    throw new ColloquyError('invalid_input', 'identity must be an identity id or {name}.');
  }

  const capabilities: AdapterCapabilities = Object.freeze({ live: true, limits: store.limits });

  function ensureIdentity(): string {
    const id = currentId();
    if (id !== null) return id;
    const created = store.createIdentity({ role }).id;
    holder.set(created);
    return created;
  }

  return {
    capabilities,
    store,
    raw: store.raw,

    getIdentity(): Promise<Identity | null> {
      return settle(() => {
        const id = currentId();
        return id === null ? null : store.getIdentity(id);
      });
    },

    identify(name?: string): Promise<Identity> {
      return settle(() => {
        const id = currentId();
        if (id === null) {
          const created = store.createIdentity({ name: name ?? null, role });
          holder.set(created.id);
          return created;
        }
        const current = store.getIdentity(id)!;
        if (name === undefined || current.name !== null) return current;
        return store.nameIdentity(id, name);
      });
    },

    listComments(query: ListQuery): Promise<Page> {
      return settle(() => store.list(currentId(), query));
    },

    createComment(input: CreateInput): Promise<Comment> {
      return settle(() => {
        const id = currentId();
        if (id === null) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
        return store.create(id, input).comment;
      });
    },

    editComment(id: string, body: string): Promise<Comment> {
      return settle(() => store.edit(currentId(), id, body));
    },

    deleteComment(id: string): Promise<Comment> {
      return settle(() => store.remove(currentId(), id));
    },

    reportComment(id: string, report: ReportInput): Promise<void> {
      // Reading needs no identity and neither should reporting abuse: a nameless one is made.
      return settle(() => {
        store.report(ensureIdentity(), id, report);
      });
    },

    markHelpful(id: string, helpful: boolean): Promise<HelpfulMark> {
      // As with reports, a reader without an identity gets a nameless one.
      return settle(() => store.mark(ensureIdentity(), id, helpful));
    },

    countComments(threads: readonly string[]): Promise<Record<string, number>> {
      return settle(() => store.counts(threads));
    },

    subscribe(thread: string, listener: (event: ThreadEvent) => void): Unsubscribe {
      return store.subscribe(thread, listener);
    },
  };
}
