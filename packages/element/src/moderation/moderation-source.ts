// What `<colloquy-moderation>` needs from a server, and the client for the reference server's
// moderation endpoints (docs/protocol.md). Kept beside the element: only the moderator's queue
// uses it, and it must not grow the reader's embed.js.
import { ColloquyError, isErrorCode, type Comment, type CommentStatus, type ReportReason, type Role } from '@colloquy/core';

export type QueueStatus = 'reported' | 'held' | 'hidden';
export const QUEUE_STATUSES: readonly QueueStatus[] = ['reported', 'held', 'hidden'];

export type ModerationAction = 'approve' | 'hide' | 'spam' | 'restore' | 'ban-author';
export const MODERATION_ACTIONS: readonly ModerationAction[] = ['approve', 'hide', 'spam', 'restore', 'ban-author'];

/** One open report on a queued comment. */
export interface QueueReport {
  reason: ReportReason;
  details: string | null;
  weight: number;
  createdAt: string;
  reporter: { id: string; name: string | null; role: Role };
}

/** One past moderation decision about an author. */
export interface AuthorAction {
  action: string;
  reason: string | null;
  createdAt: string;
}

/** What the server tells moderators about an author, when it does. */
export interface AuthorHistory {
  /** Comments by status, all time. */
  counts: Partial<Record<CommentStatus | 'spam', number>>;
  /** Their latest comments, newest first. */
  recent: Comment[];
  /** Moderation decisions about them, newest first. */
  actions: AuthorAction[];
  banned: boolean;
}

export interface QueueItem {
  comment: Comment;
  /** The comment it replies to, for context; null for a top-level comment. */
  parent: Comment | null;
  /** Open reports, oldest first. */
  reports: QueueReport[];
  /** Sum of the open reports' weights. */
  reportWeight: number;
  /** Why the spam filter held it; empty otherwise. */
  heldReasons: string[];
  /** Null when the server sends no history. */
  authorHistory: AuthorHistory | null;
}

/** Called when the queue may have changed (a live report, another moderator's decision). */
export type QueueChangeListener = (status: QueueStatus | null) => void;

/**
 * The moderation side of a server. `subscribe` is optional: without it the element refreshes
 * on a timer instead.
 */
export interface ModerationSource {
  queue(status: QueueStatus): Promise<QueueItem[]>;
  act(commentId: string, action: ModerationAction, reason?: string | null): Promise<Comment>;
  subscribe?(listener: QueueChangeListener): () => void;
}

export interface ModerationClientOptions {
  /** The server's origin or base URL (`https://comments.example.org`). */
  endpoint: string;
  /** A host-site JWT whose role is `moderator` or `staff`. */
  token: string;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds before a request counts as failed. Default 15 s. */
  timeoutMs?: number;
}

const STATUS_CODES: Record<number, ColloquyError['code']> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Tolerant reading of the server's answer: fields added to the protocol later are optional here. */
function toHistory(raw: unknown): AuthorHistory | null {
  if (!raw || typeof raw !== 'object') return null;
  const source = raw as Record<string, unknown>;
  const identity = (source.identity ?? null) as { banned?: unknown } | null;
  return {
    counts: (source.counts as AuthorHistory['counts'] | undefined) ?? {},
    recent: Array.isArray(source.recent) ? (source.recent as Comment[]) : [],
    actions: Array.isArray(source.actions) ? (source.actions as AuthorAction[]) : [],
    banned: source.banned === true || identity?.banned === true,
  };
}

export function toQueueItem(raw: Record<string, unknown>): QueueItem {
  const reports = (Array.isArray(raw.reports) ? raw.reports : []) as QueueReport[];
  return {
    comment: raw.comment as Comment,
    parent: (raw.parent as Comment | null | undefined) ?? null,
    reports,
    reportWeight: typeof raw.reportWeight === 'number' ? raw.reportWeight : reports.reduce((sum, report) => sum + (report.weight ?? 1), 0),
    heldReasons: Array.isArray(raw.heldReasons) ? (raw.heldReasons as string[]) : [],
    authorHistory: toHistory(raw.authorHistory ?? raw.history ?? null),
  };
}

/** A `ModerationSource` over the reference server's HTTP protocol. */
export function createModerationClient(options: ModerationClientOptions): ModerationSource {
  const base = `${options.endpoint.replace(/\/+$/, '')}/api/v1/moderation`;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${options.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        signal: controller.signal,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      if (controller.signal.aborted) throw new ColloquyError('timeout', `The server did not answer within ${timeoutMs} ms.`, { cause });
      throw new ColloquyError('network_error', 'Could not reach the comment server.', { cause });
    } finally {
      clearTimeout(timer);
    }
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) {
      const error = (answer?.error ?? null) as { code?: unknown; message?: unknown } | null;
      const code = isErrorCode(error?.code) ? error.code : (STATUS_CODES[response.status] ?? 'server_error');
      const message = typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`;
      throw new ColloquyError(code, message, { status: response.status });
    }
    if (!answer) throw new ColloquyError('server_error', 'The server answered with something that is not JSON.');
    return answer;
  }

  return {
    async queue(status) {
      const answer = await request('GET', `/queue?status=${encodeURIComponent(status)}`);
      const items = Array.isArray(answer.items) ? (answer.items as Record<string, unknown>[]) : [];
      return items.map(toQueueItem);
    },
    async act(commentId, action, reason = null) {
      const answer = await request('POST', `/comments/${encodeURIComponent(commentId)}`, reason ? { action, reason } : { action });
      return answer.comment as Comment;
    },
  };
}
