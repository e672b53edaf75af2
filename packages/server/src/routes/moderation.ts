import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateReport, validateThreadKey } from '@colloquy/core';
import type { ServerConfig } from '../config.js';
import { hashToken, isModerator } from '../identity.js';
import { parseCidr } from '../ip-ranges.js';
import { moderatorView, STREAM_TICKET_SECONDS } from '../moderation.js';
import type { ModerationEventType, ModerationSignal } from '../moderation-events.js';
import { caller, notAModerator } from '../request-identity.js';
import * as S from '../schemas.js';
import { startEventStream } from '../sse.js';
import type { AuditEntry, IdentityRecord, ModerationAction, QueueItem, QueueStatus, ReportRecord } from '../store/index.js';
import { findComment } from './comment-access.js';
import type { RouteContext } from './context.js';
import { EventStreamSchema, responses } from './responses.js';

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
  return { id: identity.id, name: identity.name, role: identity.role, banned: identity.banned, bannedUntil: identity.bannedUntil, createdAt: identity.createdAt };
}

function moderationReason(input: string | null | undefined, config: ServerConfig): string | null {
  if (input === undefined || input === null) return null;
  return validateReport({ reason: 'other', details: input }, config.limits).details ?? null;
}

/** The moderators' routes: queue, actions, audit log, bans, the live stream. */
export const moderationRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, config, moderation, spam, pages, publishThreadEvent, openStreams, streamLimiter } = ctx;

  // A banned moderator is suspended: every route here answers 403 `banned`, writes from a banned range too.
  const mayModerate: preHandlerAsyncHookHandler = async (request) => {
    await moderation.assertMayModerate(caller(request), request.ip, request.method !== 'GET' && request.method !== 'HEAD');
  };
  app.addHook('onRoute', (route) => {
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    if (!own.includes(mayModerate)) route.preHandler = [...own, mayModerate];
  });

  /** When a suspension of `duration` seconds from now ends; null bans for good. Only a ban takes a duration. */
  function suspensionEnd(duration: number | undefined, banning: boolean): number | null {
    if (duration === undefined) return null;
    if (!banning) throw new ColloquyError('invalid_input', 'Only a ban takes a duration.');
    return config.now() + duration * 1000;
  }

  /** Queue items with what a moderator needs to decide: grouped reports, earlier actions, the author's history. */
  async function withDecisionContext(items: QueueItem[]) {
    // A fixed number of queries for the whole page, however many items and authors it shows.
    const histories = await store.authorHistories(
      items.map((item) => item.comment.author.id),
      { comments: 5, actions: 10 },
    );
    const logs = await store.auditLogs(items.map((item) => item.comment.id));
    const threads = await store.getThreads(items.map((item) => item.comment.thread));
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
        threadUrl: threads.get(item.comment.thread)?.url ?? null,
        threadClosed: threads.get(item.comment.thread)?.closed ?? false,
        parent: item.parent ? moderatorView(item.parent) : null,
        reports: item.reports.map((r) => ({ ...publicReport(r), commentId: r.commentId })),
        reportGroups: [...groups.values()].sort((a, b) => b.weight - a.weight || b.count - a.count),
        reportWeight: item.reportWeight,
        threshold: config.reportThreshold,
        heldReasons: item.comment.heldReasons,
        hiddenBy: item.comment.hiddenBy,
        actions: (logs.get(item.comment.id) ?? []).map(publicAudit),
        author: {
          id: item.comment.author.id,
          name: item.comment.author.name,
          role: item.comment.author.role,
          banned: history.identity?.banned ?? false,
          bannedUntil: history.identity?.bannedUntil ?? null,
          since: history.identity?.createdAt ?? null,
          counts: history.counts,
          recent: history.recent.map(moderatorView),
          actions: history.actions.map(publicAudit),
          notes: history.notes,
        },
      });
    }
    return results;
  }

  app.get<{ Querystring: Static<typeof S.QueueQuery> }>(
    '/moderation/queue',
    {
      schema: { querystring: S.QueueQuery, response: responses({ 200: S.QueueResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'A page of a queue (comments awaiting a decision, or the published ones), with their context and the queue’s total' } },
    },
    async (request) => {
      const { status = 'reported', cursor, limit, q, thread, authorId } = request.query;
      const search = { text: q ?? null, thread: thread === undefined ? null : validateThreadKey(thread), authorId: authorId ?? null };
      const page = await store.moderationQueue(status as QueueStatus, { cursor, limit, search });
      return { items: await withDecisionContext(page.items), nextCursor: page.nextCursor, total: page.total };
    },
  );

  app.post<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.ModerateBody> }>(
    '/moderation/comments/:id',
    {
      schema: { params: S.IdParams, body: S.ModerateBody, response: responses({ 200: S.CommentResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Act on a comment: approve, hide, spam, restore, ban-author, unban-author' } },
    },
    async (request) => {
      const moderator = caller(request);
      const reason = moderationReason(request.body.reason, config);
      const before = await findComment(store, request.params.id);
      const action = request.body.action as ModerationAction;
      const banUntil = suspensionEnd(request.body.duration, action === 'ban-author');
      const { comment, event, alsoHidden } = await store.moderate({ commentId: before.id, moderatorId: moderator.id, action, reason, banUntil });
      publishThreadEvent(event, comment);
      for (const held of alsoHidden) await moderation.notify('hidden', held, { by: 'moderator', action, reason });
      await moderation.notify('moderated', comment, {
        action,
        reason,
        moderator: { id: moderator.id, name: moderator.name, role: moderator.role },
        previousStatus: before.status,
      });
      if (comment.status === 'hidden' && before.status !== 'hidden') await moderation.notify('hidden', comment, { by: 'moderator', action, reason });
      // Moderators' decisions teach the filter: `spam` is spam; approving a held or reported comment is not.
      if (spam && action === 'spam') void spam.learn(comment.body, comment.author.name || null, 'spam');
      if (spam && action === 'approve' && before.status !== 'visible') void spam.learn(comment.body, comment.author.name || null, 'ham');
      return { comment: moderatorView(comment) };
    },
  );

  app.post<{ Body: Static<typeof S.ThreadActionBody> }>(
    '/moderation/threads',
    {
      schema: { body: S.ThreadActionBody, response: responses({ 200: S.ThreadActionResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Close a thread to new comments, or reopen it' } },
    },
    async (request) => {
      const moderator = caller(request);
      const thread = validateThreadKey(request.body.thread);
      const reason = moderationReason(request.body.reason, config);
      const record = await store.setThreadClosed({ thread, closed: request.body.action === 'close', moderatorId: moderator.id, reason });
      // Readers loading the thread from now on are told; other processes' cached pages expire within seconds.
      pages.invalidate(thread);
      return { thread: record };
    },
  );

  app.post<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.PinBody> }>(
    '/moderation/comments/:id/pin',
    {
      schema: { params: S.IdParams, body: S.PinBody, response: responses({ 200: S.CommentResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Pin a top-level comment (shown first in its thread, in every sort), or unpin it' } },
    },
    async (request) => {
      const moderator = caller(request);
      const reason = moderationReason(request.body.reason, config);
      const found = await findComment(store, request.params.id);
      const comment = await store.setPinned({ commentId: found.id, pinned: request.body.pinned, moderatorId: moderator.id, reason, maxPins: config.pinsPerThread });
      // Open threads move the comment to or from their pins (its helpful count with it, for a
      // reader who had not loaded it); a pin on a hidden comment was never shown, so nothing is sent.
      if (comment.pinnedAt !== found.pinnedAt && found.status === 'visible') {
        const helpful = (await store.helpfulOf([comment.id], null)).get(comment.id) ?? { count: 0, mine: false };
        publishThreadEvent(comment.pinnedAt ? 'pinned' : 'unpinned', { ...comment, helpful });
      }
      // Other processes' cached pages expire within seconds.
      pages.invalidate(comment.thread);
      return { comment: moderatorView(comment) };
    },
  );

  // ---- audit log -----------------------------------------------------------------------------

  /** The audit log's filters from a query, every one null when not given. */
  function auditFilters(query: Static<typeof S.AuditExportQuery>) {
    return {
      commentId: query.commentId ?? null,
      authorId: query.authorId ?? null,
      moderatorId: query.moderatorId ?? null,
      text: query.q ?? null,
      thread: query.thread === undefined ? null : validateThreadKey(query.thread),
    };
  }

  app.get<{ Querystring: Static<typeof S.AuditQuery> }>(
    '/moderation/audit',
    {
      schema: { querystring: S.AuditQuery, response: responses({ 200: S.AuditPage }) },
      config: { auth: 'moderator', openapi: { summary: 'The audit log, newest first' } },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const page = await store.auditEntries({ ...auditFilters(request.query), cursor, limit: limit ?? 50 });
      return { entries: page.entries.map(publicAudit), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: Static<typeof S.AuditExportQuery> }>(
    '/moderation/audit/export',
    {
      // The answer is streamed, so its schema documents it; each entry goes out through publicAudit.
      schema: { querystring: S.AuditExportQuery, response: responses({ 200: S.AuditExport }) },
      config: { auth: 'moderator', openapi: { summary: 'The whole audit log (or its filtered part) as a JSON file' } },
    },
    async (request, reply) => {
      const filters = auditFilters(request.query);
      const exportedAt = new Date(config.now()).toISOString();
      // The first page is read before answering, so a broken filter is still a clean error.
      const first = await store.auditEntries({ ...filters, limit: 500 });
      async function* chunks() {
        const named = { commentId: filters.commentId, authorId: filters.authorId, moderatorId: filters.moderatorId, q: filters.text, thread: filters.thread };
        yield `{"format":"colloquy-audit-log","version":1,"exportedAt":${JSON.stringify(exportedAt)},"filters":${JSON.stringify(named)},"entries":[`;
        let page = first;
        let firstEntry = true;
        for (;;) {
          for (const entry of page.entries) {
            yield `${firstEntry ? '' : ','}\n${JSON.stringify(publicAudit(entry))}`;
            firstEntry = false;
          }
          if (!page.nextCursor) break;
          page = await store.auditEntries({ ...filters, cursor: page.nextCursor, limit: 500 });
        }
        yield '\n]}\n';
      }
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="colloquy-audit-${exportedAt.slice(0, 10)}.json"`);
      return reply.send(Readable.from(chunks()));
    },
  );

  // ---- notes on authors ----------------------------------------------------------------------

  app.get<{ Params: Static<typeof S.AuthorParams> }>(
    '/moderation/authors/:id/notes',
    {
      schema: { params: S.AuthorParams, response: responses({ 200: S.NotesResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Moderators’ notes on an author, newest first' } },
    },
    async (request) => {
      const history = await store.authorHistory(request.params.id, { comments: 0, actions: 0, notes: 1000 });
      if (!history.identity) throw new ColloquyError('not_found', 'No such author.');
      return { notes: history.notes };
    },
  );

  app.post<{ Params: Static<typeof S.AuthorParams>; Body: Static<typeof S.NoteBody> }>(
    '/moderation/authors/:id/notes',
    {
      schema: { params: S.AuthorParams, body: S.NoteBody, response: responses({ 201: S.NoteResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Add a note on an author, seen by moderators only' } },
    },
    async (request, reply) => {
      const body = request.body.body.trim();
      if (body === '') throw new ColloquyError('invalid_input', 'The note is empty.');
      const note = await store.addAuthorNote({ authorId: request.params.id, moderatorId: caller(request).id, body });
      reply.code(201);
      return { note };
    },
  );

  app.delete<{ Params: Static<typeof S.NoteParams> }>(
    '/moderation/notes/:id',
    {
      schema: { params: S.NoteParams, response: responses({ 200: S.NoteResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Delete a note on an author' } },
    },
    async (request) => ({ note: await store.deleteAuthorNote(request.params.id) }),
  );

  // ---- bans ----------------------------------------------------------------------------------

  app.get(
    '/moderation/bans',
    { schema: { response: responses({ 200: S.BansResponse }) }, config: { auth: 'moderator', openapi: { summary: 'Banned IP ranges' } } },
    async () => ({
      ranges: await store.listIpBans(),
      configured: config.bannedIpRanges,
      identities: (await store.listBannedIdentities()).map(bannedIdentity),
    }),
  );

  app.post<{ Body: Static<typeof S.BanBody> }>(
    '/moderation/bans',
    {
      schema: { body: S.BanBody, response: responses({ 201: S.BanResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Ban an IP range (CIDR, IPv4 or IPv6)' } },
    },
    async (request, reply) => {
      const moderator = caller(request);
      const range = parseCidr(request.body.cidr);
      const ban = await store.addIpBan({ cidr: range.cidr, reason: moderationReason(request.body.reason, config), moderatorId: moderator.id });
      moderation.bans.invalidate();
      reply.code(201);
      return { ban };
    },
  );

  app.delete<{ Params: Static<typeof S.BanParams>; Querystring: Static<typeof S.UnbanQuery> }>(
    '/moderation/bans/:id',
    {
      schema: { params: S.BanParams, querystring: S.UnbanQuery, response: responses({ 200: S.BanResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Lift a banned IP range' } },
    },
    async (request) => {
      const moderator = caller(request);
      const ban = await store.removeIpBan({ id: request.params.id, reason: moderationReason(request.query.reason, config), moderatorId: moderator.id });
      moderation.bans.invalidate();
      return { ban };
    },
  );

  app.post<{ Params: Static<typeof S.BanParams>; Body: Static<typeof S.IdentityBanBody> }>(
    '/moderation/identities/:id',
    {
      schema: { params: S.BanParams, body: S.IdentityBanBody, response: responses({ 200: S.IdentityBanResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'Ban or unban an identity directly' } },
    },
    async (request) => {
      const moderator = caller(request);
      const identity = await store.setIdentityBan({
        identityId: request.params.id,
        banned: request.body.action === 'ban',
        until: suspensionEnd(request.body.duration, request.body.action === 'ban'),
        moderatorId: moderator.id,
        reason: moderationReason(request.body.reason, config),
      });
      return { identity: bannedIdentity(identity) };
    },
  );

  // ---- live events ---------------------------------------------------------------------------

  app.post(
    '/moderation/events/tickets',
    {
      schema: { response: responses({ 201: S.TicketResponse }) },
      config: { auth: 'moderator', openapi: { summary: 'A short-lived ticket that opens the moderators’ event stream from an EventSource' } },
    },
    async (request, reply) => {
      const moderator = caller(request);
      const ticket = `cqs_${randomBytes(24).toString('base64url')}`;
      const expiresAt = config.now() + STREAM_TICKET_SECONDS * 1000;
      await store.createStreamTicket(hashToken(ticket), moderator.id, expiresAt);
      reply.code(201);
      return { ticket, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  /** A ticket stands in for the Authorization header an EventSource cannot send; without one, the header decides. */
  const moderatorByTicketOrHeader: preHandlerAsyncHookHandler = async (request, reply) => {
    const { ticket } = request.query as Static<typeof S.ModerationEventsQuery>;
    if (ticket === undefined) return app.authChecks.moderator.call(app, request, reply);
    const identity = await store.identityByStreamTicket(hashToken(ticket));
    if (!identity) throw new ColloquyError('invalid_token', 'The stream ticket is unknown or has expired; ask for a new one.');
    if (!isModerator(identity)) throw notAModerator();
    request.identity = identity;
  };

  // One subscription to the hub per process; each event's comment is read once and sent to every stream.
  interface StreamListener {
    moderatorId: string;
    send(type: ModerationEventType, data: string): void;
    end(): void;
  }
  const streamListeners = new Set<StreamListener>();
  let unsubscribeHub: (() => void) | null = null;
  let delivering: Promise<void> = Promise.resolve();
  async function deliver(signal: ModerationSignal): Promise<void> {
    if (streamListeners.size === 0) return;
    const comment = await store.getComment(signal.commentId).catch(() => null);
    if (!comment) return;
    // Who may still hear it, read at delivery (from the store every process shares): a stream whose
    // moderator was demoted, banned or erased since it opened ends instead of receiving the event.
    const listeners = [...streamListeners];
    const allowed = new Map<string, boolean>();
    for (const id of new Set(listeners.map((l) => l.moderatorId))) {
      const identity = await store.getIdentity(id).catch(() => null);
      allowed.set(id, identity !== null && isModerator(identity) && !identity.banned);
    }
    const data = JSON.stringify({ comment: moderatorView(comment), ...signal.facts });
    for (const listener of listeners) {
      if (allowed.get(listener.moderatorId)) listener.send(signal.type, data);
      else listener.end();
    }
  }

  app.get<{ Querystring: Static<typeof S.ModerationEventsQuery> }>(
    '/moderation/events',
    {
      schema: { querystring: S.ModerationEventsQuery, response: responses({ 200: EventStreamSchema }) },
      config: { openapi: { summary: 'Live moderation events (Server-Sent Events)', sse: 'moderation', auth: true } },
      preHandler: moderatorByTicketOrHeader,
    },
    async (request, reply) => {
      const stream = startEventStream(request, reply, openStreams, { release: streamLimiter.acquire(request.ip) });
      const listener: StreamListener = { moderatorId: caller(request).id, send: (type, data) => stream.send(type, data), end: () => stream.end() };
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
};
