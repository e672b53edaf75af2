// What `<colloquy-moderation>` needs from a server, and the client for the reference server's
// moderation endpoints (docs/protocol.md). Kept beside the element: only the moderator's queue
// uses it, and it must not grow the reader's embed.js.
import { ColloquyError, isErrorCode, type Comment, type CommentStatus, type ReportReason, type Role } from '@colloquy/core';

export type QueueStatus = 'reported' | 'held' | 'hidden';
export const QUEUE_STATUSES: readonly QueueStatus[] = ['reported', 'held', 'hidden'];

export type ModerationAction = 'approve' | 'hide' | 'spam' | 'restore' | 'ban-author' | 'unban-author';
export const MODERATION_ACTIONS: readonly ModerationAction[] = ['approve', 'hide', 'spam', 'restore', 'ban-author', 'unban-author'];

/** One open report on a queued comment. */
export interface QueueReport {
  reason: ReportReason;
  details: string | null;
  weight: number;
  createdAt: string;
  reporter: { id: string; name: string | null; role: Role };
}

/** One past moderation decision (an audit log entry). */
export interface AuthorAction {
  action: string;
  reason: string | null;
  createdAt: string;
  /** Who decided; null when the report threshold hid the comment. */
  moderator?: { id: string; name: string | null; role: Role } | null;
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
  /** When the author's identity was first seen, if the server says. */
  since: string | null;
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
  /** Who hid it: the report threshold or a moderator; null when not hidden or not said. */
  hiddenBy: 'reports' | 'moderator' | null;
  /** The report weight that hides a comment, when the server says. */
  threshold: number | null;
  /** Earlier decisions on this comment, oldest first. */
  commentActions: AuthorAction[];
}

/** One page of a queue, oldest first. */
export interface QueuePage {
  items: QueueItem[];
  /** Pass back to `queue` for the next page; null on the last page. */
  nextCursor: string | null;
  /** How many items the whole queue holds now, loaded or not. */
  total: number;
}

/** One entry of the audit log: who did what to which comment (or address range), when and why. */
export interface AuditEntry {
  id: string;
  action: string;
  reason: string | null;
  createdAt: string;
  /** Null when the report threshold acted, not a person. */
  moderator: { id: string; name: string | null; role: Role } | null;
  commentId: string | null;
  authorId: string | null;
  /** `{cidr}` for address-range bans, `{reportWeight, threshold}` for automatic hides. */
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** A banned identity, as the ban list shows it. */
export interface BannedIdentity {
  id: string;
  name: string | null;
  role: Role;
  createdAt: string;
}

/** A banned address range; `configured` ones come from the server's settings and cannot be lifted here. */
export interface BannedRange {
  id: string;
  cidr: string;
  reason: string | null;
  createdAt: string;
}

export interface BanList {
  identities: BannedIdentity[];
  ranges: BannedRange[];
  /** Ranges from the server's configuration (`COLLOQUY_BANNED_IPS`). */
  configured: string[];
}

/** Called when the queue may have changed (a live report, another moderator's decision). */
export type QueueChangeListener = (status: QueueStatus | null) => void;

/**
 * The moderation side of a server. `subscribe` is optional: without it the element refreshes
 * on a timer instead.
 */
export interface ModerationSource {
  /**
   * A page of a queue, oldest first by (`createdAt`, `id`); `cursor` is the previous page's
   * `nextCursor` (null for the first page). A source that does not page may answer the whole
   * queue as a plain array.
   */
  queue(status: QueueStatus, cursor?: string | null): Promise<QueuePage | QueueItem[]>;
  act(commentId: string, action: ModerationAction, reason?: string | null): Promise<Comment>;
  subscribe?(listener: QueueChangeListener): () => void;
  /** The audit log, newest first; without it the element offers no log. */
  auditLog?(cursor: string | null): Promise<AuditPage>;
  /** The whole audit log as the server's JSON export file. */
  exportAuditLog?(): Promise<Blob>;
  /** Banned identities and address ranges; without it the element offers no ban list. */
  bans?(): Promise<BanList>;
  /** Lifts an identity's ban (from the ban list, where no comment of theirs is at hand). */
  unbanIdentity?(identityId: string, reason: string | null): Promise<void>;
  banRange?(cidr: string, reason: string | null): Promise<BannedRange>;
  liftRange?(rangeId: string, reason: string | null): Promise<void>;
}

export interface ModerationClientOptions {
  /** The server's origin or base URL (`https://comments.example.org`). */
  endpoint: string;
  /** A host-site JWT whose role is `moderator` or `staff`. */
  token: string;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds before a request counts as failed. Default 15 s. */
  timeoutMs?: number;
  /** The EventSource to use for the live stream; the browser's by default. */
  EventSource?: typeof globalThis.EventSource;
  /** Seconds between "maybe changed" signals when the server has no live stream. Default 30. */
  fallbackPollSeconds?: number;
}

/** Which queue a live moderation event concerns; `moderated` may touch any. */
const EVENT_QUEUES: Record<string, QueueStatus | null> = { reported: 'reported', held: 'held', hidden: 'hidden', moderated: null };

const STATUS_CODES: Record<number, ColloquyError['code']> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The order queues are paged in (docs/protocol.md): oldest first, then by id. */
export function compareQueued(a: QueueItem, b: QueueItem): number {
  const at = Date.parse(a.comment.createdAt) - Date.parse(b.comment.createdAt);
  if (at !== 0) return at;
  return a.comment.id < b.comment.id ? -1 : a.comment.id > b.comment.id ? 1 : 0;
}

/** A source's answer as a page; a plain array is a whole queue. */
export function toQueuePage(answer: QueuePage | QueueItem[]): QueuePage {
  return Array.isArray(answer) ? { items: answer, nextCursor: null, total: answer.length } : answer;
}

/** Tolerant reading of the server's answer: fields added to the protocol later are optional here. */
function toHistory(raw: unknown): AuthorHistory | null {
  if (!raw || typeof raw !== 'object') return null;
  const source = raw as Record<string, unknown>;
  if (!source.counts && !source.recent && !source.actions) return null;
  const identity = (source.identity ?? null) as { banned?: unknown } | null;
  return {
    counts: (source.counts as AuthorHistory['counts'] | undefined) ?? {},
    recent: Array.isArray(source.recent) ? (source.recent as Comment[]) : [],
    actions: Array.isArray(source.actions) ? (source.actions as AuthorAction[]) : [],
    banned: source.banned === true || identity?.banned === true,
    since: typeof source.since === 'string' ? source.since : null,
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
    // The reference server sends the history as `author` beside the comment.
    authorHistory: toHistory(raw.author ?? raw.authorHistory ?? null),
    hiddenBy: raw.hiddenBy === 'reports' || raw.hiddenBy === 'moderator' ? raw.hiddenBy : null,
    threshold: typeof raw.threshold === 'number' ? raw.threshold : null,
    commentActions: Array.isArray(raw.actions) ? (raw.actions as AuthorAction[]) : [],
  };
}

/** A `ModerationSource` over the reference server's HTTP protocol. */
export function createModerationClient(options: ModerationClientOptions): ModerationSource {
  const base = `${options.endpoint.replace(/\/+$/, '')}/api/v1/moderation`;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await send(method, path, body);
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!answer) throw new ColloquyError('server_error', 'The server answered with something that is not JSON.');
    return answer;
  }

  /** The response of a successful request; failures become `ColloquyError`s with the server's code. */
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
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
    if (!response.ok) {
      const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      const error = (answer?.error ?? null) as { code?: unknown; message?: unknown } | null;
      const code = isErrorCode(error?.code) ? error.code : (STATUS_CODES[response.status] ?? 'server_error');
      const message = typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`;
      throw new ColloquyError(code, message, { status: response.status });
    }
    return response;
  }

  return {
    async queue(status, cursor = null) {
      const answer = await request('GET', `/queue?status=${encodeURIComponent(status)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const items = (Array.isArray(answer.items) ? (answer.items as Record<string, unknown>[]) : []).map(toQueueItem);
      // A server from before paging sends neither: its answer is the queue as far as it lists it.
      return {
        items,
        nextCursor: typeof answer.nextCursor === 'string' ? answer.nextCursor : null,
        total: typeof answer.total === 'number' ? answer.total : items.length,
      };
    },
    async act(commentId, action, reason = null) {
      const answer = await request('POST', `/comments/${encodeURIComponent(commentId)}`, reason ? { action, reason } : { action });
      return answer.comment as Comment;
    },
    subscribe(listener) {
      return openLiveStream(request, `${base}/events`, listener, options);
    },
    async auditLog(cursor) {
      const answer = await request('GET', `/audit?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      return {
        entries: Array.isArray(answer.entries) ? (answer.entries as AuditEntry[]) : [],
        nextCursor: typeof answer.nextCursor === 'string' ? answer.nextCursor : null,
      };
    },
    async exportAuditLog() {
      return (await send('GET', '/audit/export')).blob();
    },
    async bans() {
      const answer = await request('GET', '/bans');
      return {
        identities: Array.isArray(answer.identities) ? (answer.identities as BannedIdentity[]) : [],
        ranges: Array.isArray(answer.ranges) ? (answer.ranges as BannedRange[]) : [],
        configured: Array.isArray(answer.configured) ? (answer.configured as string[]) : [],
      };
    },
    async unbanIdentity(identityId, reason) {
      await request('POST', `/identities/${encodeURIComponent(identityId)}`, reason ? { action: 'unban', reason } : { action: 'unban' });
    },
    async banRange(cidr, reason) {
      const answer = await request('POST', '/bans', reason ? { cidr, reason } : { cidr });
      return answer.ban as BannedRange;
    },
    async liftRange(rangeId, reason) {
      await request('DELETE', `/bans/${encodeURIComponent(rangeId)}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`);
    },
  };
}

type Request = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

/**
 * The moderators' event stream. An EventSource cannot send an Authorization header, so each
 * connection starts with a short-lived ticket (`POST /moderation/events/tickets`); when the
 * stream closes (the ticket expired, the server restarted) a new ticket opens a new one, and
 * the listener hears `null` so the queue catches up on what it missed. A server without the
 * stream (404) gets a "maybe changed" signal on a timer instead.
 */
function openLiveStream(request: Request, url: string, listener: QueueChangeListener, options: ModerationClientOptions): () => void {
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  let closed = false;
  let stream: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let opened = false;
  const poll = () => {
    timer = setInterval(() => listener(null), (options.fallbackPollSeconds ?? 30) * 1000);
  };
  const open = async (): Promise<void> => {
    let ticket: string;
    try {
      ticket = String((await request('POST', '/events/tickets')).ticket);
    } catch (error) {
      if (closed) return;
      if (error instanceof ColloquyError && error.code === 'not_found') return poll();
      // A refused sign-in will not get better by asking again; the element shows it on its next load.
      if (error instanceof ColloquyError && error.status >= 401 && error.status <= 403) return;
      timer = setTimeout(() => void open(), 10_000);
      return;
    }
    if (closed) return;
    if (!EventSourceImpl) return poll();
    const source = new EventSourceImpl(`${url}?ticket=${encodeURIComponent(ticket)}`);
    stream = source;
    source.addEventListener('open', () => {
      if (opened) listener(null);
      opened = true;
    });
    for (const [type, queue] of Object.entries(EVENT_QUEUES)) source.addEventListener(type, () => listener(queue));
    source.addEventListener('error', () => {
      if (closed || source.readyState !== EventSourceImpl.CLOSED) return;
      stream = null;
      timer = setTimeout(() => void open(), 3000);
    });
  };
  void open();
  return () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(timer);
    stream?.close();
  };
}
