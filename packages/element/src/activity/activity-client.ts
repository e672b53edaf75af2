import { ColloquyError, isErrorCode } from '@colloquy/core';

/** One entry of the reader's activity (the server's `GET /identities/me/activity`). */
export interface ActivityEntry {
  id: string;
  reason: 'reply' | 'following';
  commentId: string;
  thread: string;
  threadTitle: string | null;
  url: string | null;
  authorName: string | null;
  excerpt: string;
  createdAt: string;
  read: boolean;
}

export interface UnreadCounts {
  total: number;
  reply: number;
  following: number;
}

export interface ActivityPage {
  items: ActivityEntry[];
  nextCursor: string | null;
  unread: UnreadCounts;
}

/** What `<colloquy-activity>` asks of the server; a test may give its own. */
export interface ActivityClient {
  list(cursor: string | null, limit: number): Promise<ActivityPage>;
  /** Marks the given items read, or all of them; resolves to the counts after. */
  markRead(ids: readonly string[] | null): Promise<UnreadCounts>;
}

/** The stored pseudonymous token (the widget keeps it under this key), or null. */
export function storedToken(): string | null {
  try {
    return window.localStorage.getItem('colloquy:token');
  } catch {
    return null;
  }
}

/** The activity routes over HTTP, as the identity `token()` names (null: not signed in). */
export function httpActivityClient(endpoint: string, token: () => string | null): ActivityClient {
  const base = `${endpoint.replace(/\/+$/, '')}/api/v1/identities/me/activity`;
  async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
    const bearer = token();
    if (!bearer) throw new ColloquyError('unauthenticated', 'Not signed in.');
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${bearer}` } });
    } catch {
      throw new ColloquyError('network_error', 'The server could not be reached.');
    }
    const payload = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!response.ok) {
      const code = payload?.error?.code;
      throw new ColloquyError(code && isErrorCode(code) ? code : 'server_error', payload?.error?.message ?? `HTTP ${response.status}`);
    }
    return payload as T;
  }
  return {
    list: (cursor, limit) => call<ActivityPage>(`${base}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    // keepalive: a click on an item marks it read as the browser follows the link away.
    markRead: async (ids) => (await call<{ unread: UnreadCounts }>(`${base}/read`, { method: 'POST', keepalive: true, body: JSON.stringify(ids ? { ids } : {}) })).unread,
  };
}
