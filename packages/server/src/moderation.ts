import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateCommentId, validateReport, type Comment, type ThreadEventType } from '@colloquy/core';
import type { ServerConfig } from './config.js';
import { hashToken, isModerator } from './identity.js';
import { findRange, parseCidr, type IpRange } from './ip-ranges.js';
import {
  createLocalModerationHub,
  createPostgresModerationHub,
  type ModerationEventType,
  type ModerationHub,
  type ModerationSignal,
} from './moderation-events.js';
import * as S from './schemas.js';
import { startEventStream } from './sse.js';
import type { SpamGuard } from './spam-guard.js';
import type { AuditEntry, CommentRecord, IdentityRecord, ModerationAction, QueueItem, QueueStatus, ReportRecord, Store } from './store/index.js';
import type { PostgresDatabase } from './store/postgres.js';
import { createWebhookSender, WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookSender } from './webhooks.js';

const API = '/api/v1';
/** How long a stream ticket opens the moderators' stream (reconnects included). */
export const STREAM_TICKET_SECONDS = 300;
/** How stale the list of banned ranges may be; another process's change shows within this. */
const BAN_CACHE_MS = 5_000;

/** Moderators see the text of every comment, whatever its status. */
export function moderatorView(record: CommentRecord): Comment {
  return {
    id: record.id,
    thread: record.thread,
    parentId: record.parentId,
    author: record.author,
    body: record.body,
    html: record.html,
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
    replies: [],
  };
}

function publicReport(report: ReportRecord) {
  return {
    id: report.id,
    reason: report.reason,
    details: report.details,
    weight: report.weight,
    createdAt: report.createdAt,
    reporter: report.reporter,
  };
}

function publicAudit(entry: AuditEntry) {
  return {
    id: entry.id,
    action: entry.action,
    reason: entry.reason,
    createdAt: entry.createdAt,
    moderator: entry.moderator,
    commentId: entry.commentId,
    authorId: entry.authorId,
    detail: entry.detail,
  };
}

function bannedIdentity(identity: IdentityRecord) {
  return { id: identity.id, name: identity.name, role: identity.role, banned: identity.banned, createdAt: identity.createdAt };
}

/** Banned ranges from the configuration and the store, re-read at most every few seconds. */
class BannedRanges {
  private stored: IpRange[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  /** Bumped by each change, so a read that started before it cannot pass for fresh. */
  private generation = 0;
  private readonly configured: IpRange[];

  constructor(
    private readonly store: Store,
    configured: readonly string[],
  ) {
    this.configured = configured.map((cidr) => parseCidr(cidr));
  }

  invalidate(): void {
    this.generation++;
    this.loadedAt = -Infinity;
  }

  async find(address: string): Promise<IpRange | undefined> {
    while (Date.now() - this.loadedAt > BAN_CACHE_MS) {
      const generation = this.generation;
      this.loading ??= this.store
        .listIpBans()
        .then((bans) => {
          this.stored = bans.map((b) => parseCidr(b.cidr));
          if (generation === this.generation) this.loadedAt = Date.now();
        })
        .finally(() => {
          this.loading = null;
        });
      await this.loading;
    }
    return findRange(this.configured, address) ?? findRange(this.stored, address);
  }
}

export interface Moderation {
  readonly hub: ModerationHub;
  readonly webhooks: WebhookSender | null;
  /** `banned` (403) for a banned identity or a writer from a banned range. */
  assertMayWrite(identity: IdentityRecord | null, address: string, what: string): Promise<void>;
  /** Tells moderators' streams (every process) and, for `reported`, `held` and `hidden`, the webhook. */
  notify(type: ModerationEventType, comment: CommentRecord, facts?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function createModeration(
  store: Store,
  config: ServerConfig,
  log: (level: 'warn' | 'error', message: string, details: Record<string, unknown>) => void,
): Promise<Moderation & { bans: BannedRanges }> {
  const hub = store.dialect === 'postgres' ? await createPostgresModerationHub(store.db as PostgresDatabase) : createLocalModerationHub();
  const webhooks = config.webhook ? createWebhookSender(config.webhook, { now: config.now, log }) : null;
  const bans = new BannedRanges(store, config.bannedIpRanges);
  let publishing: Promise<void> = Promise.resolve();

  return {
    hub,
    webhooks,
    bans,
    async assertMayWrite(identity, address, what) {
      if (identity?.banned) throw new ColloquyError('banned', `This account has been banned by the moderators and can no longer ${what} here.`);
      if (await bans.find(address)) {
        throw new ColloquyError('banned', `Your network address is in a range the moderators have banned; you cannot ${what} here.`);
      }
    },
    notify(type, comment, facts = {}) {
      // One after another, so moderators hear a report before the hide it caused.
      publishing = publishing
        .then(() => hub.publish({ type, commentId: comment.id, facts }))
        .catch((error) => log('error', 'publishing a moderation event failed', { err: error }));
      if (webhooks && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
        const { html: _html, replies: _replies, ...text } = moderatorView(comment);
        webhooks.send(type as WebhookEventType, { comment: text, ...facts });
      }
    },
    async close() {
      webhooks?.close();
      await hub.close();
    },
  };
}

export interface ModerationRouteHelpers {
  requireModerator(request: FastifyRequest): Promise<IdentityRecord>;
  /** Publishes a thread event (and refreshes cached pages) for a comment a moderator changed. */
  publishThread(type: ThreadEventType | null, record: CommentRecord): void;
  spam: SpamGuard | null;
  /** Enders of open streams; the app ends them all on close. */
  streams: Set<() => void>;
  doc(summary: string, responses: Record<number, unknown>, extra?: Record<string, unknown>): { openapi: Record<string, unknown> };
}

function moderationReason(input: string | null | undefined, config: ServerConfig): string | null {
  if (input === undefined || input === null) return null;
  return validateReport({ reason: 'other', details: input }, config.limits).details ?? null;
}

/** The moderators' routes: queue, actions, audit log, bans, the live stream. */
export function registerModerationRoutes(app: FastifyInstance, store: Store, config: ServerConfig, moderation: Moderation & { bans: BannedRanges }, helpers: ModerationRouteHelpers): void {
  const { requireModerator, publishThread, spam, streams, doc } = helpers;

  async function findComment(id: string): Promise<CommentRecord> {
    const comment = await store.getComment(validateCommentId(id));
    if (!comment) throw new ColloquyError('not_found', 'No comment has that id.');
    return comment;
  }

  async function withContext(items: QueueItem[]) {
    const histories = new Map<string, Awaited<ReturnType<Store['authorHistory']>>>();
    for (const item of items) {
      const authorId = item.comment.author.id;
      if (!histories.has(authorId)) histories.set(authorId, await store.authorHistory(authorId, { comments: 5, actions: 10 }));
    }
    const results = [];
    for (const item of items) {
      const history = histories.get(item.comment.author.id)!;
      const groups = new Map<string, { reason: string; count: number; weight: number; reports: ReturnType<typeof publicReport>[] }>();
      for (const report of item.reports) {
        let group = groups.get(report.reason);
        if (!group) groups.set(report.reason, (group = { reason: report.reason, count: 0, weight: 0, reports: [] }));
        group.count++;
        group.weight += report.weight;
        group.reports.push(publicReport(report));
      }
      results.push({
        comment: moderatorView(item.comment),
        thread: item.comment.thread,
        parent: item.parent ? moderatorView(item.parent) : null,
        reports: item.reports.map((r) => ({ ...publicReport(r), commentId: r.commentId })),
        reportGroups: [...groups.values()].sort((a, b) => b.weight - a.weight || b.count - a.count),
        reportWeight: item.reportWeight,
        threshold: config.reportThreshold,
        heldReasons: item.comment.heldReasons,
        hiddenBy: item.comment.hiddenBy,
        actions: (await store.auditLog(item.comment.id)).map(publicAudit),
        author: {
          id: item.comment.author.id,
          name: item.comment.author.name,
          role: item.comment.author.role,
          banned: history.identity?.banned ?? false,
          since: history.identity?.createdAt ?? null,
          counts: history.counts,
          recent: history.recent.map(moderatorView),
          actions: history.actions.map(publicAudit),
        },
      });
    }
    return results;
  }

  app.get<{ Querystring: Static<typeof S.QueueQuery> }>(
    `${API}/moderation/queue`,
    { schema: { querystring: S.QueueQuery }, config: doc('A page of comments awaiting a decision, with their context and the queue’s total', { 200: S.QueueResponse }, { auth: true }) },
    async (request) => {
      await requireModerator(request);
      const { status = 'reported', cursor, limit } = request.query;
      const page = await store.moderationQueue(status as QueueStatus, { cursor, limit });
      return { items: await withContext(page.items), nextCursor: page.nextCursor, total: page.total };
    },
  );

  app.post<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.ModerateBody> }>(
    `${API}/moderation/comments/:id`,
    {
      schema: { params: S.IdParams, body: S.ModerateBody },
      config: doc('Act on a comment: approve, hide, spam, restore, ban-author, unban-author', { 200: S.CommentResponse }, { auth: true }),
    },
    async (request) => {
      const moderator = await requireModerator(request);
      const reason = moderationReason(request.body.reason, config);
      const before = await findComment(request.params.id);
      const action = request.body.action as ModerationAction;
      const { comment, event } = await store.moderate({ commentId: before.id, moderatorId: moderator.id, action, reason });
      publishThread(event, comment);
      moderation.notify('moderated', comment, {
        action,
        reason,
        moderator: { id: moderator.id, name: moderator.name, role: moderator.role },
        previousStatus: before.status,
      });
      if (comment.status === 'hidden' && before.status !== 'hidden') moderation.notify('hidden', comment, { by: 'moderator', action, reason });
      // Moderators' decisions teach the filter: `spam` is spam; approving a held or reported comment is not.
      if (spam && action === 'spam') void spam.learn(comment.body, comment.author.name || null, 'spam');
      if (spam && action === 'approve' && before.status !== 'visible') void spam.learn(comment.body, comment.author.name || null, 'ham');
      return { comment: moderatorView(comment) };
    },
  );

  // ---- audit log -----------------------------------------------------------------------------

  app.get<{ Querystring: Static<typeof S.AuditQuery> }>(
    `${API}/moderation/audit`,
    { schema: { querystring: S.AuditQuery }, config: doc('The audit log, newest first', { 200: S.AuditPage }, { auth: true }) },
    async (request) => {
      await requireModerator(request);
      const { commentId, authorId, moderatorId, cursor, limit } = request.query;
      const page = await store.auditEntries({ commentId, authorId, moderatorId, cursor, limit: limit ?? 50 });
      return { entries: page.entries.map(publicAudit), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: Static<typeof S.AuditExportQuery> }>(
    `${API}/moderation/audit/export`,
    {
      schema: { querystring: S.AuditExportQuery },
      config: doc('The whole audit log (or its filtered part) as a JSON file', { 200: S.AuditExport }, { auth: true }),
    },
    async (request, reply) => {
      await requireModerator(request);
      const { commentId, authorId, moderatorId } = request.query;
      const exportedAt = new Date(config.now()).toISOString();
      // The first page is read before answering, so a broken filter is still a clean error.
      const first = await store.auditEntries({ commentId, authorId, moderatorId, limit: 500 });
      const filters = { commentId: commentId ?? null, authorId: authorId ?? null, moderatorId: moderatorId ?? null };
      async function* chunks() {
        yield `{"format":"colloquy-audit-log","version":1,"exportedAt":${JSON.stringify(exportedAt)},"filters":${JSON.stringify(filters)},"entries":[`;
        let page = first;
        let firstEntry = true;
        for (;;) {
          for (const entry of page.entries) {
            yield `${firstEntry ? '' : ','}\n${JSON.stringify(publicAudit(entry))}`;
            firstEntry = false;
          }
          if (!page.nextCursor) break;
          page = await store.auditEntries({ commentId, authorId, moderatorId, cursor: page.nextCursor, limit: 500 });
        }
        yield '\n]}\n';
      }
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="colloquy-audit-${exportedAt.slice(0, 10)}.json"`);
      return reply.send(Readable.from(chunks()));
    },
  );

  // ---- bans ----------------------------------------------------------------------------------

  app.get(`${API}/moderation/bans`, { config: doc('Banned IP ranges', { 200: S.BansResponse }, { auth: true }) }, async (request) => {
    await requireModerator(request);
    return { ranges: await store.listIpBans(), configured: config.bannedIpRanges, identities: (await store.listBannedIdentities()).map(bannedIdentity) };
  });

  app.post<{ Body: Static<typeof S.BanBody> }>(
    `${API}/moderation/bans`,
    { schema: { body: S.BanBody }, config: doc('Ban an IP range (CIDR, IPv4 or IPv6)', { 201: S.BanResponse }, { auth: true }) },
    async (request, reply) => {
      const moderator = await requireModerator(request);
      const range = parseCidr(request.body.cidr);
      const ban = await store.addIpBan({ cidr: range.cidr, reason: moderationReason(request.body.reason, config), moderatorId: moderator.id });
      moderation.bans.invalidate();
      reply.code(201);
      return { ban };
    },
  );

  app.delete<{ Params: Static<typeof S.BanParams>; Querystring: Static<typeof S.UnbanQuery> }>(
    `${API}/moderation/bans/:id`,
    { schema: { params: S.BanParams, querystring: S.UnbanQuery }, config: doc('Lift a banned IP range', { 200: S.BanResponse }, { auth: true }) },
    async (request) => {
      const moderator = await requireModerator(request);
      const ban = await store.removeIpBan({ id: request.params.id, reason: moderationReason(request.query.reason, config), moderatorId: moderator.id });
      moderation.bans.invalidate();
      return { ban };
    },
  );

  app.post<{ Params: Static<typeof S.BanParams>; Body: Static<typeof S.IdentityBanBody> }>(
    `${API}/moderation/identities/:id`,
    {
      schema: { params: S.BanParams, body: S.IdentityBanBody },
      config: doc('Ban or unban an identity directly', { 200: S.IdentityBanResponse }, { auth: true }),
    },
    async (request) => {
      const moderator = await requireModerator(request);
      const identity = await store.setIdentityBan({
        identityId: request.params.id,
        banned: request.body.action === 'ban',
        moderatorId: moderator.id,
        reason: moderationReason(request.body.reason, config),
      });
      return { identity: bannedIdentity(identity) };
    },
  );

  // ---- live events ---------------------------------------------------------------------------

  app.post(
    `${API}/moderation/events/tickets`,
    { config: doc('A short-lived ticket that opens the moderators’ event stream from an EventSource', { 201: S.TicketResponse }, { auth: true }) },
    async (request, reply) => {
      const moderator = await requireModerator(request);
      const ticket = `cqs_${randomBytes(24).toString('base64url')}`;
      const expiresAt = config.now() + STREAM_TICKET_SECONDS * 1000;
      await store.createStreamTicket(hashToken(ticket), moderator.id, expiresAt);
      reply.code(201);
      return { ticket, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  // One subscription to the hub per process; each event's comment is read once and sent to every stream.
  const streamListeners = new Set<(type: ModerationEventType, data: string) => void>();
  let unsubscribeHub: (() => void) | null = null;
  let delivering: Promise<void> = Promise.resolve();
  async function deliver(signal: ModerationSignal): Promise<void> {
    if (streamListeners.size === 0) return;
    const comment = await store.getComment(signal.commentId).catch(() => null);
    if (!comment) return;
    const data = JSON.stringify({ comment: moderatorView(comment), ...signal.facts });
    for (const listener of [...streamListeners]) listener(signal.type, data);
  }

  app.get<{ Querystring: Static<typeof S.ModerationEventsQuery> }>(
    `${API}/moderation/events`,
    {
      schema: { querystring: S.ModerationEventsQuery },
      config: doc('Live moderation events (Server-Sent Events)', { 200: { type: 'string', description: 'text/event-stream' } }, { sse: 'moderation', auth: true }),
    },
    async (request, reply) => {
      // A ticket stands in for the Authorization header an EventSource cannot send.
      if (request.query.ticket !== undefined) {
        const identity = await store.identityByStreamTicket(hashToken(request.query.ticket));
        if (!identity) throw new ColloquyError('invalid_token', 'The stream ticket is unknown or has expired; ask for a new one.');
        if (!isModerator(identity)) throw new ColloquyError('forbidden', 'Only moderators and staff can do this.');
      } else {
        await requireModerator(request);
      }
      const stream = startEventStream(request, reply, streams);
      const listener = (type: ModerationEventType, data: string) => stream.send(type, data);
      streamListeners.add(listener);
      // Each event's comment is read in turn, so streams keep the order events were published in.
      unsubscribeHub ??= moderation.hub.subscribe((signal) => {
        delivering = delivering.then(() => deliver(signal)).catch(() => undefined);
      });
      stream.onEnd(() => {
        streamListeners.delete(listener);
        if (streamListeners.size === 0 && unsubscribeHub) {
          unsubscribeHub();
          unsubscribeHub = null;
        }
      });
    },
  );
}
