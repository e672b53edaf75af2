import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateBody, validateCommentId, validateListQuery, validateReport, validateThreadKey } from '@colloquy/core';
import { DEFAULT_RATE_LIMITS, isAllowedOrigin, type ServerConfig } from '../config.js';
import { isModerator } from '../identity.js';
import { decidePost } from '../post-decision.js';
import { publicComment, publicTree } from '../public-comment.js';
import { caller } from '../request-identity.js';
import * as S from '../schemas.js';
import { idempotencyKey, mayChangeComment } from './comment-access.js';
import type { CachedPage, RouteContext } from './context.js';
import { identityWeight, reporterNetwork, SHIELDED_ROLES } from '../trust.js';
import { responses } from './responses.js';

export { FIRST_COMMENT_REASON } from '../post-decision.js';

/** The refusal of a write to a closed thread. */
export function threadClosed(): ColloquyError {
  return new ColloquyError('thread_closed', 'Comments on this page are closed: new comments, replies and edits are not accepted.');
}

/**
 * The page a widget says it posts from, as origin and path, when its origin is one the server
 * allows (or the server's own, for pages it serves); null otherwise. Query and fragment are
 * dropped: they may carry a reader's session or tracking data and do not name the page.
 */
export function reportedPageUrl(raw: string | undefined, config: Pick<ServerConfig, 'allowedOrigins'>, host: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  if (!isAllowedOrigin(config, url.origin) && url.host !== host) return null;
  return `${url.origin}${url.pathname}`;
}

/** Readers' routes on comments: pages, create, edit, delete, report, counts. Registered under /api/v1. */
export const commentRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, config, pages, renderer, spam, moderation, enforceRateLimit, publishThreadEvent, mail } = ctx;
  const changeable = mayChangeComment(store, config);
  app.decorateRequest('targetComment', null);

  app.get<{ Querystring: Static<typeof S.ListQuery> }>(
    '/comments',
    {
      schema: { querystring: S.ListQuery, response: responses({ 200: S.PageSchema }) },
      config: { auth: 'viewer', openapi: { summary: 'A page of top-level comments with nested replies' } },
    },
    async (request, reply) => {
      const query = validateListQuery(request.query, config.limits);
      const who = request.identity;
      // Everyone without a held comment in the thread sees the same page, so it can be shared.
      // A reader with a helpful mark there sees it as theirs (`mine`), so their pages are their own too.
      const shared = !who || !((await store.hasHeldComment(query.thread, who.id)) || (await store.hasHelpfulMark(query.thread, who.id)));
      const key = `${query.sort}|${query.limit}|${query.cursor ?? ''}`;
      reply.type('application/json; charset=utf-8');
      const vary = reply.getHeader('vary');
      reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
      // Browsers always accept gzip: a shared page is compressed once and kept compressed.
      const send = (page: CachedPage) => {
        if (page.raw.length <= 1024 || !/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.send(page.raw);
        page.gzip ??= gzipSync(page.raw);
        reply.header('content-encoding', 'gzip');
        return reply.send(page.gzip);
      };
      if (shared) {
        const hit = pages.get(query.thread, key);
        if (hit !== undefined) return send(hit);
      }
      const generation = pages.generation(query.thread);
      const page = await store.listComments({ ...query, viewerId: who?.id ?? null });
      // Serialized through the route's response schema, as any other answer, before it is kept.
      const json = reply.serialize({
        comments: page.comments.map((c) => publicTree(c, who?.id ?? null)),
        nextCursor: page.nextCursor,
        closed: page.closed,
        ...(page.pinned.length > 0 ? { pinned: page.pinned.map((c) => publicTree(c, who?.id ?? null)) } : {}),
      }) as string;
      const raw = Buffer.from(json);
      if (!shared) return reply.send(raw);
      const ready: CachedPage = { raw, gzip: null };
      pages.set(query.thread, key, generation, ready);
      return send(ready);
    },
  );

  // The composer's preview: the server's renderer, so a reader sees what posting would show.
  // Anyone may ask (a first post comes before a name), within a per-address limit.
  app.post<{ Body: Static<typeof S.PreviewBody> }>(
    '/preview',
    {
      schema: { body: S.PreviewBody, response: responses({ 200: S.PreviewResponse }) },
      config: { auth: 'viewer', openapi: { summary: 'Render a body as a posted comment would show, storing nothing' } },
    },
    async (request) => {
      const body = validateBody(request.body.body, config.limits);
      await enforceRateLimit('preview', request, null, config.rateLimits?.preview ?? DEFAULT_RATE_LIMITS.preview!);
      return { html: await renderer.render(body) };
    },
  );

  app.post<{ Body: Static<typeof S.CreateBody> }>(
    '/comments',
    {
      schema: { body: S.CreateBody, response: responses({ 201: S.CommentResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Create a comment or reply', idempotencyKey: true } },
    },
    async (request, reply) => {
      const identity = caller(request);
      await moderation.assertMayWrite(identity, request.ip, 'post');
      if (!identity.name) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
      const thread = validateThreadKey(request.body.thread);
      const parentId = request.body.parentId ? validateCommentId(request.body.parentId) : null;
      const body = validateBody(request.body.body, config.limits);
      const key = idempotencyKey(request);
      // Read before the write: a post racing the close by milliseconds may still land, as one sent just before it would.
      const threadRecord = await store.getThread(thread);
      // A retry of a post stored before the close is answered with that comment, as any retry is.
      if (threadRecord.closed && !(key && (await store.hasIdempotencyKey(identity.id, key)))) throw threadClosed();
      await enforceRateLimit('write', request, identity, config.rateLimits?.write ?? {});
      const { held, heldReasons } = await decidePost({ config, spam, store }, { author: identity, thread, body });
      const { comment, replayed } = await store.createComment({
        thread,
        parentId,
        body,
        html: await renderer.render(body),
        authorId: identity.id,
        status: held ? 'held' : 'visible',
        heldReasons,
        idempotencyKey: key,
        requestHash: createHash('sha256').update(JSON.stringify([thread, parentId, body])).digest('hex'),
        maxDepth: config.limits.maxDepth,
        maxFollows: config.followsPerIdentity,
      });
      const pageUrl = reportedPageUrl(request.body.url, config, request.headers.host);
      if (pageUrl && pageUrl !== threadRecord.url) {
        // Only a link for moderators: a failure to keep it must not fail the reader's post.
        await store.noteThreadUrl(thread, pageUrl).catch((error: unknown) => request.log.warn({ err: error }, 'keeping the thread URL failed'));
      }
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      else if (comment.status === 'visible') {
        publishThreadEvent('created', comment);
        // Its notifications job was queued with it: start on it now rather than at the next poll.
        mail.queued();
      } else if (comment.status === 'held') await moderation.notify('held', comment, { heldReasons: comment.heldReasons });
      reply.code(201);
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.patch<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.EditBody> }>(
    '/comments/:id',
    {
      schema: { params: S.IdParams, body: S.EditBody, response: responses({ 200: S.CommentResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Edit a comment' } },
      preHandler: changeable,
    },
    async (request) => {
      const identity = caller(request);
      const existing = request.targetComment!;
      await moderation.assertMayWrite(identity, request.ip, 'edit comments');
      if (existing.status === 'deleted') throw new ColloquyError('conflict', 'A deleted comment cannot be edited.');
      // A closed thread keeps what was said; moderators may still edit as moderation.
      if (!isModerator(identity) && (await store.getThread(existing.thread)).closed) throw threadClosed();
      const body = validateBody(request.body.body, config.limits);
      await enforceRateLimit('write', request, identity, config.rateLimits?.write ?? {});
      const byModerator = existing.author.id !== identity.id ? identity.id : undefined;
      // The author's edit is checked as a new post would be; a moderator's edit of another's comment is not.
      const decision = byModerator ? null : await decidePost({ config, spam, store }, { author: identity, thread: existing.thread, body, editing: existing });
      const hold = decision?.held ? decision.heldReasons : undefined;
      const comment = await store.editComment(existing.id, { body, html: await renderer.render(body), ...(hold ? { hold } : {}) }, byModerator);
      if (comment.status === 'visible') publishThreadEvent('edited', comment);
      else if (comment.status === 'held') {
        // Readers who had it lose it, as with a hide; moderators get it as a held comment.
        if (existing.status === 'visible') publishThreadEvent('hidden', comment);
        await moderation.notify('held', comment, { heldReasons: comment.heldReasons, edited: true });
      }
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.delete<{ Params: Static<typeof S.IdParams> }>(
    '/comments/:id',
    {
      schema: { params: S.IdParams, response: responses({ 200: S.CommentResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Delete a comment (soft)' } },
      preHandler: changeable,
    },
    async (request) => {
      const identity = caller(request);
      const existing = request.targetComment!;
      // Readers may always remove their own words; removing another's is moderation, which a ban suspends.
      if (existing.author.id !== identity.id) await moderation.assertMayWrite(identity, request.ip, 'delete comments');
      const comment = await store.deleteComment(existing.id, existing.author.id !== identity.id ? identity.id : undefined);
      if (existing.status !== 'deleted') publishThreadEvent('deleted', comment);
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.post<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.ReportBody> }>(
    '/comments/:id/reports',
    {
      schema: { params: S.IdParams, body: S.ReportBody, response: responses({ 201: S.ReportResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Report a comment' } },
    },
    async (request, reply) => {
      const identity = caller(request);
      await moderation.assertMayWrite(identity, request.ip, 'report');
      const report = validateReport(request.body, config.limits);
      const commentId = validateCommentId(request.params.id);
      await enforceRateLimit('report', request, identity, config.rateLimits?.reports ?? {});
      const result = await store.reportComment({
        commentId,
        identityId: identity.id,
        reason: report.reason,
        details: report.details ?? null,
        weight: await identityWeight(store, identity, config),
        network: config.trustNetworks ? reporterNetwork(request.ip) : null,
        threshold: config.reportThreshold,
        shieldedRoles: SHIELDED_ROLES,
      });
      const { id: reportId, reason, details, weight, createdAt, reporter } = result.report;
      const reportFacts = { reportWeight: result.reportWeight, threshold: config.reportThreshold };
      const reported = result.hidden ?? (await store.getComment(commentId));
      if (reported) await moderation.notify('reported', reported, { report: { id: reportId, reason, details, weight, createdAt, reporter }, ...reportFacts });
      if (result.hidden) {
        publishThreadEvent('hidden', result.hidden);
        await moderation.notify('hidden', result.hidden, { by: 'reports', ...reportFacts });
      }
      reply.code(201);
      return { report: { commentId, reason: result.report.reason, createdAt: result.report.createdAt } };
    },
  );

  app.get<{ Querystring: Static<typeof S.CountsQuery> }>(
    '/counts',
    {
      schema: { querystring: S.CountsQuery, response: responses({ 200: S.CountsResponse }) },
      config: { openapi: { summary: 'Visible comment counts per thread' } },
    },
    async (request) => {
      const threads = [...new Set(request.query.thread.map((t) => validateThreadKey(t)))];
      return { counts: await store.countVisible(threads) };
    },
  );
};
