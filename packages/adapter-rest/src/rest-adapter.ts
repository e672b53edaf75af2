import {
  ColloquyError,
  DEFAULT_LIMITS,
  toColloquyError,
  validateListQuery,
  validateThreadKey,
} from '@colloquy/core';
import type {
  AdapterCapabilities,
  Comment,
  CreateInput,
  Identity,
  Limits,
  ListQuery,
  Page,
  ReportInput,
  StorageAdapter,
  ThreadEvent,
  Unsubscribe,
} from '@colloquy/core';
import { expectShape, isCommentAnswer, isCounts, isIdentityAnswer, isObject, isPage, normaliseComment } from './response-shape.js';
import type { WriteContext } from './writes.js';
import { createTransport } from './transport.js';
import type { RetryOptions } from './transport.js';
import type { ReconnectOptions } from './reconnect.js';
import type { LiveContext } from './live.js';

/** The part of `EventSource` the adapter uses, so a polyfill or a test double fits. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  /** 2 (CLOSED) after an error means the source will not reconnect by itself. */
  readonly readyState?: number;
}
export type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;

export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface RestAdapterOptions {
  /** Origin (and optional base path) of the server; the API lives under `/api/v1`. */
  endpoint: string;
  /**
   * A token for `Authorization: Bearer`, such as a JWT signed by the host site. A function is
   * asked before every request. When it answers null the pseudonymous token is used.
   */
  token?: string | (() => string | null);
  /** Where the pseudonymous token from `POST /identities` is kept (the widget passes localStorage). */
  tokenStorage?: TokenStorage;
  /** Key of the token in `tokenStorage`. Default `colloquy:token`. */
  tokenKey?: string;
  fetch?: typeof globalThis.fetch;
  /** The server's limits, when they differ from the defaults. */
  limits?: Partial<Limits>;
  retry?: RetryOptions;
  /** Milliseconds before a request gives up with `timeout`. Default 15 000. */
  timeoutMs?: number;
  /** For live events; defaults to the global `EventSource`. Without one the adapter is not live. */
  EventSource?: EventSourceConstructor;
  /**
   * Waits before a live stream the server refused (429 at its per-address limit, 503 at its
   * total or while restarting) is opened again: 3 s, doubling to 2 min while refusals go on.
   */
  liveReconnect?: ReconnectOptions;
  /**
   * Told of what the adapter had to drop without a caller to reject: a live event in a shape it
   * cannot read (`bad_response`). Such an event is skipped; the next load shows the truth.
   */
  onError?: (error: ColloquyError) => void;
}

/** The comment of a `{comment}` answer or live event, checked and with its replies filled in. */
function commentOf(payload: unknown): Comment {
  return normaliseComment(expectShape<{ comment: Comment }>(payload, isCommentAnswer).comment);
}

function identityOf(payload: unknown): Identity {
  return expectShape<{ identity: Identity }>(payload, isIdentityAnswer).identity;
}

/** A module fetched once, on the first call; a failed fetch is forgotten, so the next call fetches again. */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/** Runs an adapter method so it always rejects with a ColloquyError. */
async function settle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toColloquyError(error);
  }
}

/** An adapter speaking Colloquy's v1 HTTP protocol (docs/protocol.md). */
export function createRestAdapter(options: RestAdapterOptions): StorageAdapter {
  if (!isObject(options) || typeof options.endpoint !== 'string' || options.endpoint === '') {
    throw new ColloquyError('invalid_input', 'createRestAdapter needs an endpoint such as "https://comments.example.org".');
  }
  let base: string;
  try {
    base = new URL(options.endpoint, globalThis.location?.href).href.replace(/\/+$/, '');
  } catch (cause) {
    throw new ColloquyError('invalid_input', `endpoint "${options.endpoint}" is not a URL.`, { cause });
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') {
    throw new ColloquyError('unsupported', 'No fetch is available; pass one as options.fetch.');
  }
  const tokenKey = options.tokenKey ?? 'colloquy:token';
  const tokenStorage = options.tokenStorage;
  let sessionToken: string | null = null;
  let identity: Identity | null = null;
  // The token the cached identity belongs to: a host page that swaps its token (another user
  // signed in) gets the new identity, not the cached one.
  let identityToken: string | null = null;
  function cachedIdentity(): Identity | null {
    return identity !== null && identityToken === currentToken() ? identity : null;
  }
  function remember(next: Identity): Identity {
    identity = next;
    identityToken = currentToken();
    return { ...next };
  }

  function explicitToken(): string | null {
    const { token } = options;
    return typeof token === 'function' ? token() : (token ?? null);
  }
  function currentToken(): string | null {
    // With token storage, what it holds now is the truth: the widget's account part writes a
    // token there when the reader signs in with an e-mail link, and removes it on sign-out.
    return explicitToken() ?? (tokenStorage ? tokenStorage.getItem(tokenKey) : sessionToken);
  }
  function forgetPseudonymousToken(): void {
    sessionToken = null;
    tokenStorage?.removeItem(tokenKey);
  }

  const request = createTransport({
    baseUrl: `${base}/api/v1`,
    fetch: fetchImpl,
    getToken: currentToken,
    timeoutMs: options.timeoutMs ?? 15_000,
    retry: { retries: 2, baseDelayMs: 250, maxDelayMs: 10_000, ...options.retry },
  });

  /** The server's `Date` on each thread's latest first page (exposed to other origins by CORS). */
  const readAt = new Map<string, string | null>();

  const EventSourceImpl =
    options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  const capabilities: AdapterCapabilities = Object.freeze({
    live: typeof EventSourceImpl === 'function',
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }),
  });

  async function fetchIdentity(): Promise<Identity | null> {
    if (currentToken() === null) return null;
    try {
      return remember(identityOf(await request('GET', '/identities/me', { retryable: true })));
    } catch (error) {
      // A pseudonymous token the server no longer knows is dropped, so the reader starts afresh.
      if (error instanceof ColloquyError && error.status === 401 && explicitToken() === null) {
        forgetPseudonymousToken();
        identity = null;
        return null;
      }
      throw error;
    }
  }

  const context: WriteContext = {
    request,
    limits: capabilities.limits,
    currentToken,
    cachedIdentity,
    fetchIdentity,
    remember,
    identityOf,
    commentOf,
    keepToken(token) {
      sessionToken = token;
      tokenStorage?.setItem(tokenKey, token);
    },
  };
  type Writes = typeof import('./writes.js');
  const writes = onFirstUse<Writes>(() => import('./writes.js'));
  /** Runs a write, fetching the writes module on first use (again after a failed fetch). */
  function write<T>(run: (module: Writes) => Promise<T>): Promise<T> {
    return settle(async () => run(await writes()));
  }

  const adapter: StorageAdapter = {
    capabilities,

    getIdentity: () =>
      settle(async () => {
        const cached = cachedIdentity();
        return cached ? { ...cached } : fetchIdentity();
      }),

    identify: (name?: string) => write((w) => w.identify(context, name)),

    listComments: (query: ListQuery) =>
      settle(async (): Promise<Page> => {
        // Checked here too, so a malformed query fails fast and never reaches the server.
        const { thread, sort, cursor, limit } = validateListQuery(query, capabilities.limits);
        const params = new URLSearchParams({ thread, sort, limit: String(limit) });
        if (cursor !== null) params.set('cursor', cursor);
        const page = expectShape<Page>(
          await request('GET', `/comments?${params}`, {
            retryable: true,
            // When the first page was read: a live stream opened later starts from there.
            seen: (response) => cursor === null && readAt.set(thread, response.headers.get('date')),
          }),
          isPage,
        );
        return { comments: page.comments.map(normaliseComment), nextCursor: page.nextCursor, closed: page.closed, ...(page.pinned && { pinned: page.pinned.map(normaliseComment) }) };
      }),

    createComment: (input: CreateInput) => write((w) => w.createComment(context, input)),
    editComment: (id: string, body: string) => write((w) => w.editComment(context, id, body)),
    deleteComment: (id: string) => write((w) => w.deleteComment(context, id)),
    reportComment: (id: string, report: ReportInput) => write((w) => w.reportComment(context, id, report)),
    markHelpful: (id: string, helpful: boolean) => write((w) => w.markHelpful(context, id, helpful)),
    previewHtml: (body: string) => write((w) => w.previewHtml(context, body)),

    countComments: (threads: readonly string[]) =>
      settle(async () => {
        if (!Array.isArray(threads) || threads.length === 0 || threads.length > 100) {
          throw new ColloquyError('invalid_input', 'countComments takes a list of 1 to 100 thread keys.');
        }
        const params = new URLSearchParams();
        for (const thread of threads) params.append('thread', validateThreadKey(thread));
        return expectShape<{ counts: Record<string, number> }>(await request('GET', `/counts?${params}`, { retryable: true }), isCounts).counts;
      }),
  };

  if (EventSourceImpl) {
    const live: LiveContext = { base, EventSource: EventSourceImpl, readAt, commentOf, options };
    const liveModule = onFirstUse<typeof import('./live.js')>(() => import('./live.js'));
    adapter.subscribe = (key: string, listener: (event: ThreadEvent) => void): Unsubscribe => {
      const thread = validateThreadKey(key);
      if (typeof listener !== 'function') throw new ColloquyError('invalid_input', 'subscribe needs a listener function.');
      // The stream's code comes on first use (a thread opens its stream after the first paint,
      // decision 0028). A failed fetch is told to onError and tried again after the wait a
      // refused stream would have (3 s by default), while the subscription lasts.
      let stop: Unsubscribe | null | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const open = () => {
        liveModule().then(
          ({ openStream }) => {
            if (stop === undefined) stop = openStream(live, thread, listener);
          },
          (error: unknown) => {
            if (stop !== undefined) return;
            options.onError?.(toColloquyError(error, 'network_error'));
            timer = setTimeout(open, options.liveReconnect?.baseDelayMs ?? 3000);
          },
        );
      };
      open();
      return () => {
        clearTimeout(timer);
        stop?.();
        stop = null;
      };
    };
  }

  return adapter;
}
