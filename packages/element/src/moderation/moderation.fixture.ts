// An in-memory ModerationSource for the element's browser tests: the queue semantics of
// docs/protocol.md (every decision closes the reports; approve/restore show, the rest hide;
// the published queue newest first),
// with a record of the calls and a way to make the next call fail.
import { fixture, html, waitUntil } from '@open-wc/testing';
import { ColloquyError, type Comment, type CommentStatus, type ReportReason, type Role } from '@colloquy/core';
import type { ColloquyModeration } from './moderation.js';
import { compareQueued, type AuditEntry, type BanList, type ModerationAction, type ModerationSource, type QueueChangeListener, type QueueItem, type QueueSearch, type QueueStatus } from '@colloquy/core';
import './../define-moderation.js';

let sequence = 0;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function makeComment(fields: Partial<Comment> & { name?: string; role?: Role } = {}): Comment {
  const id = fields.id ?? `c${++sequence}`;
  const body = fields.body ?? `Body of ${id}`;
  return {
    id,
    thread: fields.thread ?? '/articles/walks',
    parentId: fields.parentId ?? null,
    author: fields.author ?? { id: `a-${fields.name ?? id}`, name: fields.name ?? `Author ${id}`, role: fields.role ?? 'reader' },
    body,
    html: fields.html ?? `<p>${body}</p>`,
    createdAt: fields.createdAt ?? minutesAgo(30),
    editedAt: null,
    status: fields.status ?? 'visible',
    replies: [],
  };
}

export function report(reason: ReportReason, name: string, details: string | null = null, role: Role = 'reader') {
  return { reason, details, weight: role === 'reader' ? 1 : 2, createdAt: minutesAgo(5), reporter: { id: `r-${name}`, name, role } };
}

export function makeItem(comment: Comment, extra: Partial<QueueItem> = {}): QueueItem {
  const reports = extra.reports ?? [];
  return {
    comment,
    parent: extra.parent ?? null,
    reports,
    reportWeight: extra.reportWeight ?? reports.reduce((sum, r) => sum + r.weight, 0),
    heldReasons: extra.heldReasons ?? [],
    authorHistory: extra.authorHistory ?? null,
    hiddenBy: extra.hiddenBy ?? (comment.status === 'hidden' ? 'moderator' : null),
    threshold: extra.threshold ?? 3,
    commentActions: extra.commentActions ?? [],
  };
}

export interface FakeSource extends ModerationSource {
  calls: Array<{ id: string; action: ModerationAction; reason: string | null; duration?: number }>;
  queues: Record<QueueStatus, QueueItem[]>;
  /** The next `act` or `queue` call throws this. */
  failNext: ColloquyError | null;
  /** Puts an item in a queue, as a reader's report or another process would. */
  add(status: QueueStatus, item: QueueItem): void;
  /** Decides on an item as another moderator would (no call recorded). */
  decideElsewhere(id: string): void;
  /** The audit log, newest first; decisions add to it. Served two entries a page. */
  log: AuditEntry[];
  exports: number;
  banList: BanList;
  /** Threads closed or reopened, in order. */
  threadCalls: Array<{ thread: string; closed: boolean }>;
  /** Comments pinned or unpinned, in order; one pin per thread at most (then `pin_limit`). */
  pinCalls: Array<{ id: string; pinned: boolean }>;
  /** The cursors `queue` was asked with, in order (null for a first page). */
  queueCalls: Array<{ status: QueueStatus; cursor: string | null; search?: QueueSearch }>;
}

const MIA = { id: 'm-mia', name: 'Mia', role: 'moderator' as const };
const QUEUES = ['reported', 'held', 'hidden', 'visible'] as const;

/**
 * With `pageSize`, queues are paged as the server pages them: oldest first by (createdAt, id)
 * (the published queue newest first),
 * keyset cursors, and the queue's total on every page. Without it, `queue` answers the whole
 * queue as a plain array, as a source that does not page may.
 */
export function fakeSource(initial: Partial<Record<QueueStatus, QueueItem[]>>, options: { live?: boolean; pageSize?: number } = {}): FakeSource {
  const listeners = new Set<QueueChangeListener>();
  /** Every queued item; a comment listed in two queues (reported and published) appears twice. */
  const everything = () => QUEUES.flatMap((status) => source.queues[status]);
  const source: FakeSource = {
    calls: [],
    failNext: null,
    exports: 0,
    banList: {
      identities: [{ id: 'a-Spammer', name: 'Spammer', role: 'reader', createdAt: minutesAgo(300) }],
      ranges: [{ id: 'b1', cidr: '203.0.113.0/24', reason: 'Spam wave', createdAt: minutesAgo(50) }],
      configured: ['198.51.100.0/24'],
    },
    async bans() {
      await Promise.resolve();
      return structuredClone(source.banList);
    },
    async unbanIdentity(identityId) {
      await Promise.resolve();
      source.calls.push({ id: identityId, action: 'unban-author', reason: null });
      source.banList.identities = source.banList.identities.filter((identity) => identity.id !== identityId);
      for (const item of everything()) {
        if (item.comment.author.id === identityId && item.authorHistory) item.authorHistory.banned = false;
      }
    },
    async banRange(cidr, reason) {
      await Promise.resolve();
      if (!/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(cidr)) throw new ColloquyError('invalid_input', 'Not a range.');
      const canonical = cidr.includes('/') ? cidr : `${cidr}/32`;
      if (source.banList.ranges.some((range) => range.cidr === canonical)) throw new ColloquyError('conflict', 'Already banned.');
      const range = { id: `b${source.banList.ranges.length + 1}`, cidr: canonical, reason, createdAt: new Date().toISOString() };
      source.banList.ranges.push(range);
      return range;
    },
    threadCalls: [],
    pinCalls: [],
    async setPinned(id, pinned) {
      await Promise.resolve();
      const all = everything().map((item) => item.comment);
      const comment = all.find((c) => c.id === id)!;
      if (pinned && all.some((c) => c.thread === comment.thread && c.pinnedAt && c.id !== id)) {
        throw new ColloquyError('pin_limit', 'This thread already has 1 pinned comments: unpin one first.');
      }
      source.pinCalls.push({ id, pinned });
      const pinnedAt = pinned ? new Date().toISOString() : null;
      for (const same of all) if (same.id === id) same.pinnedAt = pinnedAt;
      return { ...comment };
    },
    async setThreadClosed(thread, closed) {
      await Promise.resolve();
      if (source.failNext) {
        const error = source.failNext;
        source.failNext = null;
        throw error;
      }
      source.threadCalls.push({ thread, closed });
    },
    async liftRange(rangeId) {
      await Promise.resolve();
      source.banList.ranges = source.banList.ranges.filter((range) => range.id !== rangeId);
    },
    async addAuthorNote(authorId, body) {
      await Promise.resolve();
      if (source.failNext) {
        const error = source.failNext;
        source.failNext = null;
        throw error;
      }
      const note = { id: `n${Math.random()}`, body, createdAt: new Date().toISOString(), moderator: MIA };
      for (const item of everything()) {
        if (item.comment.author.id === authorId && item.authorHistory) item.authorHistory.notes = [note, ...(item.authorHistory.notes ?? [])];
      }
      return note;
    },
    log: [
      { id: 'l2', action: 'ban-range', reason: 'Spam wave', createdAt: minutesAgo(50), moderator: MIA, commentId: null, authorId: null, detail: { cidr: '203.0.113.0/24' } },
      { id: 'l1', action: 'auto-hide', reason: 'Report weight 3 reached the threshold of 3.', createdAt: minutesAgo(60), moderator: null, commentId: 'r1', authorId: 'a-Troll', detail: null },
      { id: 'l0', action: 'hide', reason: 'rule 2', createdAt: minutesAgo(600), moderator: MIA, commentId: 'old1', authorId: 'a-Troll', detail: null },
    ],
    async auditLog(cursor) {
      await Promise.resolve();
      const start = cursor ? Number(cursor) : 0;
      const entries = source.log.slice(start, start + 2);
      return { entries, nextCursor: start + 2 < source.log.length ? String(start + 2) : null };
    },
    async exportAuditLog() {
      source.exports++;
      return new Blob([JSON.stringify({ format: 'colloquy-audit-log', version: 1, entries: source.log })], { type: 'application/json' });
    },
    queues: { reported: [...(initial.reported ?? [])], held: [...(initial.held ?? [])], hidden: [...(initial.hidden ?? [])], visible: [...(initial.visible ?? [])] },
    queueCalls: [],
    async queue(status, cursor = null, search = null) {
      await Promise.resolve();
      source.queueCalls.push({ status, cursor, ...(search ? { search } : {}) });
      if (source.failNext) {
        const error = source.failNext;
        source.failNext = null;
        throw error;
      }
      const matches = (entry: QueueItem) => !search?.q || `${entry.comment.body} ${entry.comment.author.name}`.toLowerCase().includes(search.q.toLowerCase());
      const all = source.queues[status].filter(matches).map((item) => ({ ...structuredClone(item), reportWeight: item.reports.reduce((sum, r) => sum + r.weight, 0) }));
      const size = options.pageSize;
      if (!size) return all;
      all.sort((a, b) => compareQueued(a, b, status));
      const after = cursor ? (JSON.parse(cursor) as { createdAt: string; id: string }) : null;
      const rest = after ? all.filter((item) => compareQueued(item, makeItem(makeComment(after)), status) > 0) : all;
      const items = rest.slice(0, size);
      const last = items[items.length - 1];
      const nextCursor = rest.length > size && last ? JSON.stringify({ createdAt: last.comment.createdAt, id: last.comment.id }) : null;
      return { items, nextCursor, total: all.length };
    },
    async act(id, action, reason = null, extra = {}) {
      await Promise.resolve();
      if (source.failNext) {
        const error = source.failNext;
        source.failNext = null;
        throw error;
      }
      source.calls.push({ id, action, reason, ...(extra.duration ? { duration: extra.duration } : {}) });
      source.log.unshift({ id: `l${source.log.length}`, action, reason, createdAt: new Date().toISOString(), moderator: MIA, commentId: id, authorId: null, detail: null });
      const item = everything().find((entry) => entry.comment.id === id);
      if (!item) throw new ColloquyError('not_found', 'No comment has that id.');
      if (action === 'unban-author') {
        if (item.authorHistory) item.authorHistory.banned = false;
        return item.comment;
      }
      const status: CommentStatus = action === 'approve' || action === 'restore' ? 'visible' : 'hidden';
      const comment = { ...item.comment, status };
      for (const queue of QUEUES) source.queues[queue] = source.queues[queue].filter((entry) => entry.comment.id !== id);
      source.queues[status === 'hidden' ? 'hidden' : 'visible'].push(makeItem(comment));
      return comment;
    },
    add(status, item) {
      source.queues[status].push(item);
      for (const listener of listeners) listener(status);
    },
    decideElsewhere(id) {
      for (const status of QUEUES) {
        source.queues[status] = source.queues[status].filter((entry) => entry.comment.id !== id);
      }
      for (const listener of listeners) listener(null);
    },
  };
  if (options.live) {
    source.subscribe = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
  }
  return source;
}

/** A reported reply with three reports, a parent, and its author's history; a held and a hidden one. */
export function sampleQueues() {
  const parent = makeComment({ id: 'p1', name: 'Nadia', body: 'Walking after lunch helps me.' });
  const reported = makeComment({
    id: 'r1',
    name: 'Troll',
    parentId: 'p1',
    status: 'hidden',
    body: 'Buy pills now',
    html: '<p>Buy <em>pills</em> now<img src="x" onerror="window.__pwned = true"><script>window.__pwned = true</script></p>',
  });
  const second = makeComment({ id: 'r2', name: 'Grumpy', body: 'This is all nonsense.' });
  const third = makeComment({ id: 'r3', name: 'Loud', body: 'WALKING IS A SCAM' });
  const held = makeComment({ id: 'h1', name: 'Newbie', status: 'held', body: 'Visit my site http://spam.example' });
  const hidden = makeComment({ id: 'x1', name: 'Rude', status: 'hidden', body: 'Something rude' });
  return {
    reported: [
      makeItem(reported, {
        parent,
        reports: [report('spam', 'Ana', 'Selling pills'), report('spam', 'Ben'), report('harassment', 'Cleo', 'Mocks people', 'mentor')],
        authorHistory: {
          counts: { visible: 2, hidden: 1, spam: 1 },
          recent: [makeComment({ id: 'old1', name: 'Troll', body: 'An earlier comment of theirs' })],
          actions: [{ action: 'hide', reason: 'rule 2', createdAt: minutesAgo(600) }],
          banned: false,
          since: minutesAgo(60 * 24 * 40),
        },
        hiddenBy: 'reports',
      }),
      makeItem(second, { reports: [report('misinformation', 'Dan', 'Wrong about glucose')] }),
      makeItem(third, { reports: [report('off-topic', 'Eve')] }),
    ],
    held: [makeItem(held, { heldReasons: ['A new identity posting a link'] })],
    hidden: [makeItem(hidden)],
  };
}

export async function mountModeration(source: ModerationSource, attributes: { lang?: string; theme?: string; refresh?: number } = {}) {
  const el = await fixture<ColloquyModeration>(
    html`<colloquy-moderation
      lang=${attributes.lang ?? 'en'}
      theme=${attributes.theme ?? 'auto'}
      refresh-seconds=${attributes.refresh ?? 0}
      .source=${source}
    ></colloquy-moderation>`,
  );
  await waitUntil(() => el.shadowRoot?.querySelector('[part~="list"], #queue-status:not([role="status"])'), 'the queue never loaded');
  await el.updateComplete;
  return el;
}

export function item(el: ColloquyModeration, id: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(`article[data-item="${id}"]`);
  if (!found) throw new Error(`no queue item ${id}`);
  return found;
}

export function items(el: ColloquyModeration): string[] {
  return [...(el.shadowRoot?.querySelectorAll<HTMLElement>('article[data-item]') ?? [])].map((node) => node.dataset.item!);
}

/** What an element last said in its polite live region (the queue, the audit log, the ban list). */
export function announcement(el: Element): string {
  return (el.shadowRoot?.querySelector('[aria-live="polite"]')?.textContent ?? '').trim();
}

/** A part of the queue that is its own element (`colloquy-audit-log`, `colloquy-ban-list`, `colloquy-reason-dialog`), once rendered. */
export function part<K extends 'colloquy-audit-log' | 'colloquy-ban-list' | 'colloquy-reason-dialog'>(el: ColloquyModeration, tag: K): HTMLElementTagNameMap[K] {
  const found = el.shadowRoot?.querySelector(tag);
  if (!found) throw new Error(`no ${tag} in the queue`);
  return found;
}

/** The native dialog inside the queue's ban reason dialog. */
export function banDialog(el: ColloquyModeration): HTMLDialogElement {
  return part(el, 'colloquy-reason-dialog').shadowRoot!.querySelector('dialog')!;
}
