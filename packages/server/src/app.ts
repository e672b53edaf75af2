import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import type { Static } from '@sinclair/typebox';
import {
  ColloquyError,
  validateBody,
  validateCommentId,
  validateListQuery,
  validateName,
  validateReport,
  validateThreadKey,
  type Comment,
  type ThreadEventType,
} from '@colloquy/core';
import { defaultConfig, type RateLimitRule, type ServerConfig } from './config.js';
import { createLocalEventHub, createPostgresEventHub, type EventHub } from './events.js';
import { toHttpError } from './http-errors.js';
import { createIdentityResolver, hashToken, isModerator, newPseudonymousToken } from './identity.js';
import { createModeration, registerModerationRoutes } from './moderation.js';
import { buildOpenApi } from './openapi.js';
import { registerDataRights } from './data-rights-routes.js';
import { createPageCache } from './page-cache.js';
import { createRateLimiter } from './rate-limit.js';
import { createBodyRenderer, type BodyRenderer } from './render.js';
import { createValidatorCompiler } from './validation.js';
import * as S from './schemas.js';
import { createSpamGuard, type SpamGuard } from './spam-guard.js';
import { startEventStream } from './sse.js';
import { registerStatic } from './static.js';
import { createStore, type CreateStoreOptions, type CommentRecord, type CommentTree, type IdentityRecord, type Store } from './store/index.js';
import type { PostgresDatabase } from './store/postgres.js';

export interface ServerOptions extends Partial<ServerConfig> {
  /** Use this store instead of opening `databaseUrl`; the app then leaves it open on close. */
  store?: Store;
  /** Passed to `createStore` (a PostgreSQL schema, a pool size). */
  storeOptions?: CreateStoreOptions;
  /** Use this body renderer instead of the default one. */
  renderer?: BodyRenderer;
  /** Where log lines go when `logging` is on; standard output by default. */
  logStream?: NodeJS.WritableStream;
}

export interface ColloquyApp {
  readonly fastify: FastifyInstance;
  readonly store: Store;
  readonly config: ServerConfig;
  readonly events: EventHub;
  /** Ends live streams, stops accepting requests, and closes the store if the app opened it. */
  close(): Promise<void>;
}

export interface RunningServer extends ColloquyApp {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  readonly port: number;
}

const API = '/api/v1';
const MAX_BODY_BYTES = 64 * 1024;
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;
const PRUNE_EVERY_MS = 10 * 60_000;

/** On every response; pages replace the CSP with their own and drop X-Frame-Options. */
const SECURITY_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // API answers and errors are data, never documents: nothing may run or frame them.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
});
/** A comment page as sent: its JSON, and the same gzipped once a reader asking for gzip has needed it. */
interface CachedPage {
  raw: Buffer;
  gzip: Buffer | null;
}

const API_HEADERS = Object.freeze({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });

const PLACEHOLDER_AUTHOR = { id: '', name: '', role: 'reader' as const };
/** The reason shown to moderators for a comment held because its author is new. */
export const FIRST_COMMENT_REASON = 'first comments of a new identity are reviewed';

/** What a reader sees of a comment: text only while it is visible (or their own held one). */
export function publicComment(record: CommentRecord, viewerId: string | null): Omit<Comment, 'replies'> {
  const readable = record.status === 'visible' || (record.status === 'held' && viewerId !== null && record.author.id === viewerId);
  return {
    id: record.id,
    thread: record.thread,
    parentId: record.parentId,
    author: readable ? record.author : PLACEHOLDER_AUTHOR,
    body: readable ? record.body : '',
    html: readable ? record.html : '',
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
  };
}

function publicTree(node: CommentTree, viewerId: string | null): Comment {
  return { ...publicComment(node, viewerId), replies: node.replies.map((r) => publicTree(r, viewerId)) };
}

function publicIdentity(identity: IdentityRecord) {
  return { id: identity.id, name: identity.name, role: identity.role };
}

function allowedOrigin(config: ServerConfig, origin: string): boolean {
  if (config.allowedOrigins === null) return LOOPBACK_ORIGIN.test(origin);
  return config.allowedOrigins.includes(origin);
}

/** `frame-ancestors` for pages: the server itself plus the sites allowed to embed. */
export function frameAncestors(config: ServerConfig): string {
  const extra = config.allowedOrigins ?? ['http://localhost:*', 'http://127.0.0.1:*'];
  return ["'self'", ...extra].join(' ');
}

/** Builds the fastify app on a store without listening. */
export async function createApp(options: ServerOptions = {}): Promise<ColloquyApp> {
  const { store: givenStore, storeOptions, renderer: givenRenderer, logStream, ...overrides } = options;
  const config: ServerConfig = { ...defaultConfig(), ...overrides };
  config.limits = { ...defaultConfig().limits, ...(overrides.limits ?? {}) };
  // Fails before any socket opens if the renderer lets a probe script through.
  const renderer = givenRenderer ?? createBodyRenderer();
  await renderer.check();
  const store = givenStore ?? (await createStore(config.databaseUrl, { now: config.now, ...storeOptions }));
  const ownsStore = !givenStore;

  let events: EventHub;
  let moderation: Awaited<ReturnType<typeof createModeration>>;
  try {
    events =
      store.dialect === 'postgres'
        ? await createPostgresEventHub(store.db as PostgresDatabase, store, (r) => publicComment(r, null))
        : createLocalEventHub();
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  try {
    // Moderators' live events and the webhook; logs go to the app's logger once it exists.
    moderation = await createModeration(store, config, (level, message, details) => app.log[level](details, message));
  } catch (error) {
    await events.close();
    if (ownsStore) await store.close();
    throw error;
  }

  let spam: SpamGuard | null = null;
  if (config.spamFilter) {
    const trustedHosts = (config.allowedOrigins ?? []).map((origin) => new URL(origin).hostname);
    spam = await createSpamGuard(store, {
      now: config.now,
      trustedHosts,
      onError: (error) => app.log.error({ err: error }, 'spam filter failed'),
    });
  }

  // Off, every page misses: a cache of no entries (benchmarks of the store use it).
  const pages = createPageCache<CachedPage>(config.pageCache ? {} : { maxEntries: 0 });
  events.onChange((thread) => pages.invalidate(thread));

  const identities = createIdentityResolver({ store, jwtSecret: config.jwtSecret, limits: config.limits, now: config.now });
  const limiter = createRateLimiter(store, config.now);

  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: config.trustProxy,
    // Off unless asked for; when on, tokens never reach the log.
    logger: config.logging
      ? {
          level: 'info',
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
          // Stream tickets travel in the URL of the moderators' event stream; they never reach the log.
          serializers: {
            req: (req: { method?: string; url?: string; ip?: string }) => ({
              method: req.method,
              url: req.url?.replace(/([?&]ticket=)[^&]*/g, '$1[redacted]'),
              remoteAddress: req.ip,
            }),
          },
          ...(logStream ? { stream: logStream } : {}),
        }
      : false,
    return503OnClosing: true,
    forceCloseConnections: true,
  });

  for (const schema of S.SHARED_SCHEMAS) app.addSchema(schema);
  app.setValidatorCompiler(createValidatorCompiler());

  // Only JSON bodies are accepted; anything else is 415 from fastify itself.
  app.removeAllContentTypeParsers();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, raw, done) => {
    const buffer = raw as Buffer;
    if (buffer.length === 0) return done(null, undefined);
    let text: string;
    try {
      text = utf8.decode(buffer);
    } catch {
      return done(new ColloquyError('invalid_input', 'The request body is not valid UTF-8.'), undefined);
    }
    try {
      // Prototype keys are dropped so a body can never reach Object.prototype.
      done(null, JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
    } catch {
      done(new ColloquyError('invalid_input', 'The request body is not valid JSON.'), undefined);
    }
  });

  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin ? allowedOrigin(config, origin) : false),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'Idempotent-Replayed'],
    credentials: false,
    maxAge: 600,
    strictPreflight: false,
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith(API) ? API_HEADERS : SECURITY_HEADERS);
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (httpError.retryAfter !== undefined) reply.header('Retry-After', String(httpError.retryAfter));
    reply.code(httpError.status).type('application/json; charset=utf-8').send(httpError.toJSON());
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send(new ColloquyError('not_found', `Nothing here: ${request.method} ${request.url.split('?')[0]}`).toJSON());
  });

  // Live streams are ended before the server waits for open connections to finish.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  const routes: Array<{ method: string; url: string; schema: unknown; config: unknown }> = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(API) && route.method !== 'HEAD' && route.method !== 'OPTIONS') {
      routes.push({ method: String(route.method), url: route.url, schema: route.schema, config: route.config });
    }
  });

  // ---- helpers bound to this app ----------------------------------------------------------

  async function viewer(request: FastifyRequest): Promise<IdentityRecord | null> {
    // Reads work without a token; a stale or broken one just reads as anonymous.
    try {
      return await identities.resolve(request.headers.authorization);
    } catch {
      return null;
    }
  }

  async function requireIdentity(request: FastifyRequest): Promise<IdentityRecord> {
    const identity = await identities.resolve(request.headers.authorization);
    if (!identity) throw new ColloquyError('unauthenticated', 'Sign in or pick a screen name first (send Authorization: Bearer <token>).');
    return identity;
  }

  async function requireModerator(request: FastifyRequest): Promise<IdentityRecord> {
    const identity = await requireIdentity(request);
    if (!isModerator(identity)) throw new ColloquyError('forbidden', 'Only moderators and staff can do this.');
    return identity;
  }

  async function limit(scope: string, request: FastifyRequest, identity: IdentityRecord | null, rules: { perIdentity?: RateLimitRule; perIp?: RateLimitRule }) {
    if (!config.rateLimits) return;
    if (identity && rules.perIdentity) await limiter.hit(`${scope}:id:${identity.id}`, rules.perIdentity);
    if (rules.perIp) await limiter.hit(`${scope}:ip:${request.ip}`, rules.perIp);
  }

  function publish(type: ThreadEventType | null, record: CommentRecord): void {
    if (!type) return;
    // At once, so this process never serves a page older than the write it just answered.
    pages.invalidate(record.thread);
    events.publish(type, publicComment(record, null)).catch((error) => app.log.error({ err: error }, 'publishing a live event failed'));
  }

  /** The author inside the edit window, or a moderator; everyone else is refused. */
  function assertMayChange(identity: IdentityRecord, comment: CommentRecord): void {
    if (isModerator(identity)) return;
    if (comment.author.id !== identity.id) throw new ColloquyError('forbidden', 'Only the author or a moderator can change this comment.');
    if (comment.status === 'hidden') throw new ColloquyError('forbidden', 'A moderator has hidden this comment.');
    const age = config.now() - Date.parse(comment.createdAt);
    if (age > config.limits.editWindowSeconds * 1000) {
      throw new ColloquyError('edit_window_closed', 'The time for changing this comment has passed.');
    }
  }

  async function findComment(id: string): Promise<CommentRecord> {
    const comment = await store.getComment(validateCommentId(id));
    if (!comment) throw new ColloquyError('not_found', 'No comment has that id.');
    return comment;
  }

  function idempotencyKey(request: FastifyRequest): string {
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) {
      throw new ColloquyError('invalid_input', 'Creating a comment needs an Idempotency-Key header (one per intended comment).');
    }
    if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) {
      throw new ColloquyError('invalid_input', 'Idempotency-Key must be 1 to 200 printable ASCII characters.');
    }
    return raw;
  }

  const doc = (summary: string, responses: Record<number, unknown>, extra: Record<string, unknown> = {}) => ({
    openapi: { summary, responses, ...extra },
  });

  // ---- comments ----------------------------------------------------------------------------

  app.get<{ Querystring: Static<typeof S.ListQuery> }>(
    `${API}/comments`,
    { schema: { querystring: S.ListQuery }, config: doc('A page of top-level comments with nested replies', { 200: S.PageSchema }) },
    async (request, reply) => {
      const query = validateListQuery(request.query, config.limits);
      const who = await viewer(request);
      // Everyone without a held comment in the thread sees the same page, so it can be shared.
      const shared = !who || !(await store.hasHeldComment(query.thread, who.id));
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
      const raw = Buffer.from(JSON.stringify({ comments: page.comments.map((c) => publicTree(c, who?.id ?? null)), nextCursor: page.nextCursor }));
      if (!shared) return reply.send(raw);
      const ready: CachedPage = { raw, gzip: null };
      pages.set(query.thread, key, generation, ready);
      return send(ready);
    },
  );

  app.post<{ Body: Static<typeof S.CreateBody> }>(
    `${API}/comments`,
    {
      schema: { body: S.CreateBody },
      config: doc('Create a comment or reply', { 201: S.CommentResponse }, { idempotencyKey: true, auth: true }),
    },
    async (request, reply) => {
      const identity = await requireIdentity(request);
      await moderation.assertMayWrite(identity, request.ip, 'post');
      if (!identity.name) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
      const thread = validateThreadKey(request.body.thread);
      const parentId = request.body.parentId ? validateCommentId(request.body.parentId) : null;
      const body = validateBody(request.body.body, config.limits);
      const key = idempotencyKey(request);
      await limit('write', request, identity, config.rateLimits?.write ?? {});
      const trusted = identity.role !== 'reader';
      const premoderated = config.moderation === 'pre' || config.premoderatedThreads.some((prefix) => thread.startsWith(prefix));
      const spamReasons = !trusted && spam ? await spam.check({ body, thread, author: identity }) : [];
      const newcomer = !trusted && config.holdFirstComments > 0 && (await store.publishedCommentCount(identity.id)) < config.holdFirstComments;
      if (newcomer) spamReasons.push(FIRST_COMMENT_REASON);
      const held = !trusted && (premoderated || spamReasons.length > 0);
      const { comment, replayed } = await store.createComment({
        thread,
        parentId,
        body,
        html: await renderer.render(body),
        authorId: identity.id,
        status: held ? 'held' : 'visible',
        heldReasons: spamReasons,
        idempotencyKey: key,
        requestHash: createHash('sha256').update(JSON.stringify([thread, parentId, body])).digest('hex'),
        maxDepth: config.limits.maxDepth,
      });
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      else if (comment.status === 'visible') publish('created', comment);
      else if (comment.status === 'held') moderation.notify('held', comment, { heldReasons: comment.heldReasons });
      reply.code(201);
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.patch<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.EditBody> }>(
    `${API}/comments/:id`,
    { schema: { params: S.IdParams, body: S.EditBody }, config: doc('Edit a comment', { 200: S.CommentResponse }, { auth: true }) },
    async (request) => {
      const identity = await requireIdentity(request);
      const existing = await findComment(request.params.id);
      assertMayChange(identity, existing);
      if (!isModerator(identity)) await moderation.assertMayWrite(identity, request.ip, 'edit comments');
      if (existing.status === 'deleted') throw new ColloquyError('conflict', 'A deleted comment cannot be edited.');
      const body = validateBody(request.body.body, config.limits);
      await limit('write', request, identity, config.rateLimits?.write ?? {});
      const byModerator = existing.author.id !== identity.id ? identity.id : undefined;
      const comment = await store.editComment(existing.id, { body, html: await renderer.render(body) }, byModerator);
      if (comment.status === 'visible') publish('edited', comment);
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.delete<{ Params: Static<typeof S.IdParams> }>(
    `${API}/comments/:id`,
    { schema: { params: S.IdParams }, config: doc('Delete a comment (soft)', { 200: S.CommentResponse }, { auth: true }) },
    async (request) => {
      const identity = await requireIdentity(request);
      const existing = await findComment(request.params.id);
      assertMayChange(identity, existing);
      const comment = await store.deleteComment(existing.id, existing.author.id !== identity.id ? identity.id : undefined);
      if (existing.status !== 'deleted') publish('deleted', comment);
      return { comment: { ...publicComment(comment, identity.id), replies: [] } };
    },
  );

  app.post<{ Params: Static<typeof S.IdParams>; Body: Static<typeof S.ReportBody> }>(
    `${API}/comments/:id/reports`,
    { schema: { params: S.IdParams, body: S.ReportBody }, config: doc('Report a comment', { 201: S.ReportResponse }, { auth: true }) },
    async (request, reply) => {
      const identity = await requireIdentity(request);
      await moderation.assertMayWrite(identity, request.ip, 'report');
      const report = validateReport(request.body, config.limits);
      const commentId = validateCommentId(request.params.id);
      await limit('report', request, identity, config.rateLimits?.reports ?? {});
      const result = await store.reportComment({
        commentId,
        identityId: identity.id,
        reason: report.reason,
        details: report.details ?? null,
        weight: config.reportWeights[identity.role],
        threshold: config.reportThreshold,
      });
      const { id: reportId, reason, details, weight, createdAt, reporter } = result.report;
      const reportFacts = { reportWeight: result.reportWeight, threshold: config.reportThreshold };
      const reported = result.hidden ?? (await store.getComment(commentId));
      if (reported) moderation.notify('reported', reported, { report: { id: reportId, reason, details, weight, createdAt, reporter }, ...reportFacts });
      if (result.hidden) {
        publish('hidden', result.hidden);
        moderation.notify('hidden', result.hidden, { by: 'reports', ...reportFacts });
      }
      reply.code(201);
      return { report: { commentId, reason: result.report.reason, createdAt: result.report.createdAt } };
    },
  );

  app.get<{ Querystring: Static<typeof S.CountsQuery> }>(
    `${API}/counts`,
    { schema: { querystring: S.CountsQuery }, config: doc('Visible comment counts per thread', { 200: S.CountsResponse }) },
    async (request) => {
      const threads = [...new Set(request.query.thread.map((t) => validateThreadKey(t)))];
      return { counts: await store.countVisible(threads) };
    },
  );

  app.get<{ Querystring: Static<typeof S.EventsQuery> }>(
    `${API}/events`,
    {
      schema: { querystring: S.EventsQuery },
      config: doc('Live events of a thread (Server-Sent Events)', { 200: { type: 'string', description: 'text/event-stream' } }, { sse: true }),
    },
    async (request, reply) => {
      const thread = validateThreadKey(request.query.thread);
      const stream = startEventStream(request, reply, streams);
      stream.onEnd(events.subscribe(thread, (type, comment) => stream.send(type, JSON.stringify({ comment }))));
    },
  );

  // ---- identities --------------------------------------------------------------------------

  app.post<{ Body: Static<typeof S.CreateIdentityBody> }>(
    `${API}/identities`,
    {
      schema: { body: S.CreateIdentityBody },
      config: doc('Create a pseudonymous identity', { 201: S.CreateIdentityResponse }),
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const name = request.body.name === undefined || request.body.name === null ? null : validateName(request.body.name, config.limits);
      await moderation.assertMayWrite(null, request.ip, 'join the discussion');
      await limit('identity', request, null, config.rateLimits?.identities ?? {});
      const token = newPseudonymousToken();
      const identity = await store.createIdentity({ name, tokenHash: hashToken(token) });
      reply.code(201);
      return { token, identity: publicIdentity(identity) };
    },
  );

  app.get(`${API}/identities/me`, { config: doc('The caller’s identity', { 200: S.IdentityResponse }, { auth: true }) }, async (request) => {
    return { identity: publicIdentity(await requireIdentity(request)) };
  });

  app.patch<{ Body: Static<typeof S.NameBody> }>(
    `${API}/identities/me`,
    { schema: { body: S.NameBody }, config: doc('Name a nameless identity', { 200: S.IdentityResponse }, { auth: true }) },
    async (request) => {
      const identity = await requireIdentity(request);
      const name = validateName(request.body.name, config.limits);
      return { identity: publicIdentity(await store.nameIdentity(identity.id, name)) };
    },
  );

  registerDataRights(app, API, {
    store,
    erasure: config.erasure,
    now: config.now,
    requireIdentity,
    publish,
    forgetRateLimits: (id) => limiter.forget(id),
  });

  app.get(`${API}/config`, { config: doc('Limits and moderation settings', { 200: S.ConfigResponse }) }, async () => ({
    limits: config.limits,
    moderation: {
      mode: config.moderation,
      reportThreshold: config.reportThreshold,
      premoderatedThreads: config.premoderatedThreads,
      reportWeights: config.reportWeights,
      holdFirstComments: config.holdFirstComments,
    },
    live: true,
    jwt: config.jwtSecret !== undefined,
  }));

  // ---- moderation (queue, actions, audit log, bans, live events): moderation.ts ----------------

  registerModerationRoutes(app, store, config, moderation, { requireModerator, publishThread: publish, spam, streams, doc });

  app.get(`${API}/openapi.json`, { config: doc('This document', { 200: { type: 'object' } }) }, async (request, reply) => {
    reply.header('Cache-Control', 'public, max-age=300');
    return buildOpenApi(routes);
  });

  registerStatic(app, config, frameAncestors(config));

  // Old rate-limit windows and idempotency keys only take space: a retry comes within minutes.
  const prune = () => {
    store.prune({ rateLimitMs: 24 * 3600_000, idempotencyMs: 7 * 24 * 3600_000 }).catch((error) => app.log.error({ err: error }, 'pruning failed'));
    // Other processes may have taught the spam filter meanwhile.
    if (store.dialect === 'postgres') void spam?.reload();
  };
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref();

  await app.ready();

  let closed = false;
  return {
    fastify: app,
    store,
    config,
    events,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pruneTimer);
      await app.close();
      await events.close();
      await moderation.close();
      if (!givenRenderer) await renderer.close();
      if (ownsStore) await store.close();
    },
  };
}

/** Builds the app and listens on `config.port` / `config.host` (port 0 picks a free port). */
export async function createServer(options: ServerOptions = {}): Promise<RunningServer> {
  const app = await createApp(options);
  try {
    await app.fastify.listen({ port: app.config.port, host: app.config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : app.config.port;
  const host = app.config.host.includes(':') ? `[${app.config.host}]` : app.config.host;
  return Object.assign(app, { url: `http://${host}:${port}`, port });
}

