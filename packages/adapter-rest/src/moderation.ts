// The client for the reference server's moderation endpoints (docs/protocol.md), on the same
// transport as the reader's adapter: the error envelope as `ColloquyError`s, a timeout, and
// retries for reads. Its own entry (`@colloquy/adapter-rest/moderation`) so the reader's
// embed.js never carries it.
import { ColloquyError, normalizeSearch } from '@colloquy/core';
import type {
  AuthorNote,
  AuditEntry,
  AuthorAction,
  AuthorHistory,
  BanList,
  BannedIdentity,
  BannedRange,
  Comment,
  ModerationSource,
  QueueChangeListener,
  QueueItem,
  QueueReport,
  QueueStatus,
} from '@colloquy/core';
import { createTransport } from './transport.js';
import type { Request, RetryOptions } from './transport.js';
import { createReconnectDelay, type ReconnectOptions } from './reconnect.js';

export interface ModerationClientOptions {
  /** The server's origin or base URL (`https://comments.example.org`). */
  endpoint: string;
  /** A host-site JWT whose role is `moderator` or `staff`. */
  token: string;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds before a request counts as failed. Default 15 s. */
  timeoutMs?: number;
  /** Retries of reads (never of decisions); the reader's adapter's defaults. */
  retry?: RetryOptions;
  /** The EventSource to use for the live stream; the browser's by default. */
  EventSource?: typeof globalThis.EventSource;
  /** Waits before the stream is opened again after a refusal: 3 s, doubling to 2 min. */
  liveReconnect?: ReconnectOptions;
  /** Seconds between "maybe changed" signals when the server has no live stream. Default 30. */
  fallbackPollSeconds?: number;
}

/** Which queue a live moderation event concerns; `moderated` may touch any. */
const EVENT_QUEUES: Record<string, QueueStatus | null> = { reported: 'reported', held: 'held', hidden: 'hidden', moderated: null };

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ColloquyError('server_error', 'The server answered with something that is not a JSON object.');
  }
  return value as Record<string, unknown>;
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
    bannedUntil: typeof source.bannedUntil === 'string' ? source.bannedUntil : null,
    notes: Array.isArray(source.notes) ? (source.notes as AuthorNote[]) : [],
  };
}

/** One item of the server's queue answer as the queue state reads it. */
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
    threadUrl: typeof raw.threadUrl === 'string' ? raw.threadUrl : null,
    ...(typeof raw.threadClosed === 'boolean' ? { threadClosed: raw.threadClosed } : {}),
  };
}

/** A `ModerationSource` over the reference server's HTTP protocol. */
export function createModerationClient(options: ModerationClientOptions): ModerationSource {
  const request = createTransport({
    baseUrl: `${options.endpoint.replace(/\/+$/, '')}/api/v1/moderation`,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: options.timeoutMs ?? 15_000,
    retry: { retries: 2, baseDelayMs: 250, maxDelayMs: 10_000, ...options.retry },
    getToken: () => options.token,
  });
  const read = async (path: string) => record(await request('GET', path, { retryable: true }));
  // Decisions are not repeated: a lost answer could otherwise apply one twice (a ban, say).
  const write = async (method: string, path: string, body?: unknown) =>
    record(await request(method, path, { retryable: false, ...(body === undefined ? {} : { body }) }));

  return {
    async queue(status, cursor = null, search = null) {
      const query = new URLSearchParams({ status });
      if (cursor) query.set('cursor', cursor);
      for (const [key, value] of Object.entries(normalizeSearch(search) ?? {})) query.set(key, value);
      const answer = await read(`/queue?${query.toString()}`);
      const items = (Array.isArray(answer.items) ? (answer.items as Record<string, unknown>[]) : []).map(toQueueItem);
      // A server from before paging sends neither: its answer is the queue as far as it lists it.
      return {
        items,
        nextCursor: typeof answer.nextCursor === 'string' ? answer.nextCursor : null,
        total: typeof answer.total === 'number' ? answer.total : items.length,
      };
    },
    async addAuthorNote(authorId, body) {
      const answer = await write('POST', `/authors/${encodeURIComponent(authorId)}/notes`, { body });
      return answer.note as AuthorNote;
    },
    async act(commentId, action, reason = null, options = {}) {
      const body = { action, ...(reason ? { reason } : {}), ...(options.duration ? { duration: options.duration } : {}) };
      const answer = await write('POST', `/comments/${encodeURIComponent(commentId)}`, body);
      return answer.comment as Comment;
    },
    subscribe(listener) {
      return openLiveStream(request, listener, options);
    },
    async auditLog(cursor) {
      const answer = await read(`/audit?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      return {
        entries: Array.isArray(answer.entries) ? (answer.entries as AuditEntry[]) : [],
        nextCursor: typeof answer.nextCursor === 'string' ? answer.nextCursor : null,
      };
    },
    async exportAuditLog() {
      // The export is one JSON document; saved as read, with the server's fields in its order.
      const answer = await read('/audit/export');
      return new Blob([JSON.stringify(answer)], { type: 'application/json' });
    },
    async bans(): Promise<BanList> {
      const answer = await read('/bans');
      return {
        identities: Array.isArray(answer.identities) ? (answer.identities as BannedIdentity[]) : [],
        ranges: Array.isArray(answer.ranges) ? (answer.ranges as BannedRange[]) : [],
        configured: Array.isArray(answer.configured) ? (answer.configured as string[]) : [],
      };
    },
    async unbanIdentity(identityId, reason) {
      await write('POST', `/identities/${encodeURIComponent(identityId)}`, reason ? { action: 'unban', reason } : { action: 'unban' });
    },
    async banRange(cidr, reason) {
      const answer = await write('POST', '/bans', reason ? { cidr, reason } : { cidr });
      return answer.ban as BannedRange;
    },
    async setThreadClosed(thread, closed, reason = null) {
      await write('POST', '/threads', { thread, action: closed ? 'close' : 'reopen', ...(reason ? { reason } : {}) });
    },
    async setPinned(commentId, pinned, reason = null) {
      const answer = await write('POST', `/comments/${encodeURIComponent(commentId)}/pin`, { pinned, ...(reason ? { reason } : {}) });
      return answer.comment as Comment;
    },
    async liftRange(rangeId, reason) {
      await write('DELETE', `/bans/${encodeURIComponent(rangeId)}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`);
    },
  };
}

/**
 * The moderators' event stream. An EventSource cannot send an Authorization header, so each
 * connection starts with a short-lived ticket (`POST /moderation/events/tickets`); when the
 * stream closes (the ticket expired, the server restarted) a new ticket opens a new one, and
 * the listener hears `null` so the queue catches up on what it missed. A server without the
 * stream (404) gets a "maybe changed" signal on a timer instead.
 */
function openLiveStream(request: Request, listener: QueueChangeListener, options: ModerationClientOptions): () => void {
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const url = `${options.endpoint.replace(/\/+$/, '')}/api/v1/moderation/events`;
  let closed = false;
  let stream: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let opened = false;
  const delay = createReconnectDelay(options.liveReconnect);
  const poll = () => {
    timer = setInterval(() => listener(null), (options.fallbackPollSeconds ?? 30) * 1000);
  };
  const open = async (): Promise<void> => {
    let ticket: string;
    try {
      ticket = String(record(await request('POST', '/events/tickets', { retryable: false })).ticket);
    } catch (error) {
      if (closed) return;
      if (error instanceof ColloquyError && error.code === 'not_found') return poll();
      // A refused sign-in will not get better by asking again; the queue shows it on its next load.
      if (error instanceof ColloquyError && error.status >= 401 && error.status <= 403) return;
      timer = setTimeout(() => void open(), 10_000);
      return;
    }
    if (closed) return;
    if (!EventSourceImpl) return poll();
    const source = new EventSourceImpl(`${url}?ticket=${encodeURIComponent(ticket)}`);
    stream = source;
    source.addEventListener('open', () => {
      delay.opened();
      if (opened) listener(null);
      opened = true;
    });
    for (const [type, queue] of Object.entries(EVENT_QUEUES)) source.addEventListener(type, () => listener(queue));
    source.addEventListener('error', () => {
      if (closed || source.readyState !== EventSourceImpl.CLOSED) return;
      stream = null;
      // Refused (429 or 503 at the server's stream limits) or closed: waits grow while it goes on.
      timer = setTimeout(() => void open(), delay.next());
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
