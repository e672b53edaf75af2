import { ColloquyError, isErrorCode } from '@colloquy/core';
import type { Identity } from '@colloquy/core';

/**
 * The page's localStorage, or nothing where reading it throws (sandboxed frames, some privacy
 * modes). The same as `page-storage.ts`, which this chunk may not import: a chunk that imports a
 * module of embed-early.ts's graph makes the bundler split the core's errors into a file
 * embed.js then needs before it can render (measured with `pnpm size:check`).
 */
export function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The reader's account on the reference server: REST only, outside the adapter contract
 * (docs/decisions/0034). Answers in the protocol's error envelope become `ColloquyError`s.
 */

/** Where the pseudonymous token lives (the REST adapter's default key) and the pending sign-in's verifier. */
export const TOKEN_KEY = 'colloquy:token';
export const VERIFIER_KEY = 'colloquy:sign-in-verifier';
export const FRAGMENT = 'colloquy-sign-in=';

export type NotifyMode = 'immediate' | 'digest' | 'off';
/** A reader's address and mail settings (the protocol's `EmailState`). */
export interface EmailState {
  address: string;
  confirmed: boolean;
  notify: NotifyMode;
  language: string;
  mutedThreads: string[];
}

/** Whether the reader follows one thread, and whether posting follows a thread (from the protocol's `FollowingResponse`). */
export interface FollowingState {
  following: boolean;
  followOnPost: boolean;
}

export interface AccountApi {
  email(): Promise<EmailState | null>;
  setEmail(address: string, language: string): Promise<EmailState | null>;
  removeEmail(): Promise<void>;
  setNotify(notify: NotifyMode): Promise<EmailState | null>;
  rename(name: string): Promise<Identity>;
  following(thread: string): Promise<FollowingState>;
  /** Follows or stops following `thread`; the answer is the server's state after the change. */
  setFollowing(thread: string, following: boolean): Promise<FollowingState>;
  /** Whether posting follows a thread, as the server now has it. */
  setFollowOnPost(followOnPost: boolean): Promise<boolean>;
  requestSignIn(address: string, challenge: string, page: string, language: string): Promise<void>;
  redeem(code: string, verifier: string): Promise<{ token: string; identity: Identity }>;
  /** The reader's data as the server sends it (a JSON document). */
  exportData(): Promise<Blob>;
  erase(): Promise<void>;
  /** What erasure does to comments on this server (`remove` when it does not say). */
  erasureMode(): Promise<'remove' | 'anonymise'>;
}

export function accountApi(endpoint: string, token: () => string | null): AccountApi {
  const base = `${new URL(endpoint, location.href).href.replace(/\/+$/, '')}/api/v1`;
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (cause) {
      throw new ColloquyError('network_error', 'The comment server could not be reached.', { cause });
    }
    if (response.ok) return response;
    const error = ((await response.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ColloquyError(isErrorCode(error?.code) ? error.code : 'server_error', String(error?.message ?? response.statusText), { status: response.status });
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await call(method, path, body)).json() as Promise<T>;
  const email = async (method: string, path: string, body?: unknown) => (await json<{ email: EmailState | null }>(method, path, body)).email;
  type Following = { followOnPost: boolean; threads: Array<{ thread: string }> };
  const following = (method: string, body: unknown) => json<Following>(method, '/identities/me/following', body);
  return {
    email: () => email('GET', '/identities/me/email'),
    setEmail: (address, language) => email('PUT', '/identities/me/email', { address, language }),
    removeEmail: async () => void (await call('DELETE', '/identities/me/email')),
    setNotify: (notify) => email('PATCH', '/identities/me/notifications', { notify }),
    rename: async (name) => (await json<{ identity: Identity }>('PUT', '/identities/me/name', { name })).identity,
    following: async (thread) => {
      // Asked for this thread only: the whole list stops at the 200 most recently followed.
      const answer = await json<Following>('GET', `/identities/me/following?thread=${encodeURIComponent(thread)}`);
      return { followOnPost: answer.followOnPost, following: answer.threads.some((followed) => followed.thread === thread) };
    },
    // A 200 is the server saying the thread is now as asked (the list it sends may stop before it).
    setFollowing: async (thread, follow) => ({ followOnPost: (await following('PUT', { thread, following: follow })).followOnPost, following: follow }),
    setFollowOnPost: async (followOnPost) => (await following('PATCH', { followOnPost })).followOnPost,
    requestSignIn: async (address, challenge, page, language) => void (await call('POST', '/sign-in/email', { address, challenge, page, language })),
    redeem: (code, verifier) => json('POST', '/sign-in/redeem', { code, verifier }),
    exportData: async () => (await call('GET', '/me/export')).blob(),
    erase: async () => void (await call('DELETE', '/me')),
    erasureMode: async () => ((await json<{ erasure?: 'remove' | 'anonymise' }>('GET', '/config')).erasure ?? 'remove'),
  };
}

/** A random verifier (kept in this browser) and its SHA-256 (sent with the request), both base64url. */
export async function newVerifier(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
