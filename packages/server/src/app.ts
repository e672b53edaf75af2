import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { ColloquyError } from '@colloquy/core';
import { DEFAULT_RATE_LIMITS, defaultConfig, isAllowedOrigin, proxyTrust, type MailConfig, type OutboxConfig, type ServerConfig } from './config.js';
import { createLocalEventHub, createPostgresEventHub, type EventHub } from './events.js';
import { createEventReplay } from './event-replay.js';
import { clientErrorHandler, frameworkErrors } from './client-errors.js';
import { toHttpError } from './http-errors.js';
import { refusePreflightlessPosts, registerJsonBodyParser } from './json-body.js';
import { createIdentityResolver } from './identity.js';
import { createModeration } from './moderation.js';
import { createScreenNamePolicy } from './screen-names.js';
import { registerNulCheck } from './nul-check.js';
import type { RouteInfo } from './openapi.js';
import { createPageCache } from './page-cache.js';
import { publicComment } from './public-comment.js';
import { createRateLimiter, createRateLimitEnforcer } from './rate-limit.js';
import { createBodyRenderer, type BodyRenderer } from './render.js';
import { registerAuthHooks } from './request-identity.js';
import { commentRoutes } from './routes/comments.js';
import { helpfulRoutes } from './routes/helpful.js';
import type { CachedPage, RouteContext } from './routes/context.js';
import { dataRightsRoutes } from './routes/data-rights.js';
import { identityRoutes } from './routes/identities.js';
import { moderationRoutes } from './routes/moderation.js';
import { serviceInfoRoutes } from './routes/service-info.js';
import { threadEventRoutes } from './routes/thread-events.js';
import { createSerializerCompiler } from './serialization.js';
import { createValidatorCompiler } from './validation.js';
import * as S from './schemas.js';
import { createSpamGuard, type SpamGuard } from './spam-guard.js';
import { registerStatic } from './static.js';
import { createStreamLimiter } from './stream-limits.js';
import { createStore, type CreateStoreOptions, type Store } from './store/index.js';
import { registerDemoMailbox } from './demo-mailbox.js';
import { createOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import { createMailLinks, createMailTransport, mailHandler, notifyHandler, replyHandler } from './reader-mail.js';
import { emailRoutes } from './routes/email.js';
import { signInRoutes } from './routes/sign-in.js';
import { followingRoutes } from './routes/following.js';
import { webhookHandler } from './webhooks.js';
import type { PostgresDatabase } from './store/postgres.js';

export { publicComment } from './public-comment.js';
export { FIRST_COMMENT_REASON } from './routes/comments.js';

export interface ServerOptions extends Partial<Omit<ServerConfig, 'mail' | 'outbox'>> {
  mail?: Partial<MailConfig>;
  outbox?: Partial<OutboxConfig>;
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
const PRUNE_EVERY_MS = 10 * 60_000;
/** Idle keep-alive connections close after this; longer than the idle timeouts of common proxies (nginx, load balancers: 60 s). */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;
/** A connection with nothing sent either way for this long is closed; live streams send a ping every 25 s. */
const IDLE_CONNECTION_TIMEOUT_MS = 120_000;

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
const API_HEADERS = Object.freeze({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });

/** `frame-ancestors` for pages: the server itself plus the sites allowed to embed. */
export function frameAncestors(config: ServerConfig): string {
  const extra = config.allowedOrigins ?? ['http://localhost:*', 'http://127.0.0.1:*'];
  return ["'self'", ...extra].join(' ');
}

/** Builds the fastify app on a store without listening. */
export async function createApp(options: ServerOptions = {}): Promise<ColloquyApp> {
  const { store: givenStore, storeOptions, renderer: givenRenderer, logStream, ...overrides } = options;
  const defaults = defaultConfig();
  const config: ServerConfig = { ...defaults, ...overrides, mail: { ...defaults.mail, ...overrides.mail }, outbox: { ...defaults.outbox, ...overrides.outbox } };
  config.limits = { ...defaults.limits, ...(overrides.limits ?? {}) };
  // Fails before any socket opens if the renderer lets a probe script through.
  const renderer = givenRenderer ?? createBodyRenderer();
  await renderer.check();
  const store = givenStore ?? (await createStore(config.databaseUrl, { now: config.now, ...storeOptions }));
  const ownsStore = !givenStore;

  let events: EventHub;
  let outbox: OutboxWorker | null = null;
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
    moderation = await createModeration(store, config, (level, message, details) => app.log[level](details, message), () => outbox?.kick());
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

  // What a reconnecting live stream missed, read from the store (thread-stream.ts).
  const replay = createEventReplay(store, (record) => publicComment(record, null));

  // Off, every page misses: a cache of no entries (benchmarks of the store use it).
  const pages = createPageCache<CachedPage>(config.pageCache ? {} : { maxEntries: 0 });
  events.onChange((thread) => pages.invalidate(thread));

  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: proxyTrust(config.trustProxy),
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
    // A request (headers and body) must arrive within requestTimeoutMs, or it gets 408 and the
    // connection closes; Node checks every second. Headers alone get at most 60 s of that.
    // A live stream's request is complete once its headers are in, so streams are never cut.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: IDLE_CONNECTION_TIMEOUT_MS,
    http: { headersTimeout: Math.min(config.requestTimeoutMs, 60_000), connectionsCheckingInterval: 1000 },
    clientErrorHandler,
    frameworkErrors: frameworkErrors(API_HEADERS),
  });

  for (const schema of S.SHARED_SCHEMAS) app.addSchema(schema);
  app.setValidatorCompiler(createValidatorCompiler());
  app.setSerializerCompiler(createSerializerCompiler());

  registerJsonBodyParser(app, MAX_BODY_BYTES);

  // Before any plugin adds a route: a route keeps the error handler of the moment it is added.
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

  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin ? isAllowedOrigin(config, origin) : false),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    // Date: the widget opens a late live stream from when it read the page.
    exposedHeaders: ['Retry-After', 'Idempotent-Replayed', 'Date'],
    credentials: false,
    maxAge: 600,
    strictPreflight: false,
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith(API) ? API_HEADERS : SECURITY_HEADERS);
    done();
  });
  refusePreflightlessPosts(app, `${API}/`);

  // Live streams are ended before the server waits for open connections to finish.
  const openStreams = new Set<() => void>();
  const streamLimiter = createStreamLimiter(config.streams);
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });

  const documentedRoutes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(API) && route.method !== 'HEAD' && route.method !== 'OPTIONS') {
      documentedRoutes.push({ method: String(route.method), url: route.url, schema: route.schema, config: route.config });
    }
  });

  registerNulCheck(app);
  const screenNames = createScreenNamePolicy(store, config.now);
  registerAuthHooks(
    app,
    createIdentityResolver({
      store,
      jwtSecret: config.jwtSecret,
      jwtAudience: config.jwtAudience,
      jwtIssuer: config.jwtIssuer,
      limits: config.limits,
      now: config.now,
      onSubjectIdentity: (identity) => screenNames.noteBadgeHolder(identity),
    }),
  );

  // Mail and webhooks leave through the durable outbox (docs/decisions/0030).
  const mailLinks = createMailLinks(await store.serverKey('mail-links'), config);
  const mailTransport = createMailTransport(config, store);

  const rateLimiter = createRateLimiter(store, config.now);
  const enforceRateLimit = createRateLimitEnforcer(rateLimiter, config.rateLimits);
  const settingsRules = config.rateLimits?.settings ?? DEFAULT_RATE_LIMITS.settings!;
  const context: RouteContext = {
    store,
    config,
    events,
    moderation,
    spam,
    renderer,
    pages,
    enforceRateLimit,
    limitSettingsChange: (request, identity) => enforceRateLimit('settings', request, identity, settingsRules),
    screenNames,
    forgetRateLimits: (identityId) => rateLimiter.forget(identityId),
    publishThreadEvent(type, record) {
      if (!type) return;
      // At once, so this process never serves a page older than the write it just answered.
      pages.invalidate(record.thread);
      events.publish(type, publicComment(record, null)).catch((error) => app.log.error({ err: error }, 'publishing a live event failed'));
    },
    openStreams,
    streamLimiter,
    replay,
    mail: { links: mailLinks, queued: () => outbox?.kick() },
  };
  await app.register(commentRoutes, { ...context, prefix: API });
  await app.register(helpfulRoutes, { ...context, prefix: API });
  await app.register(threadEventRoutes, { ...context, prefix: API });
  await app.register(identityRoutes, { ...context, prefix: API });
  await app.register(dataRightsRoutes, { ...context, prefix: API });
  await app.register(emailRoutes, { ...context, prefix: API });
  await app.register(signInRoutes, { ...context, prefix: API });
  await app.register(followingRoutes, { ...context, prefix: API });
  await app.register(moderationRoutes, { ...context, prefix: API });
  await app.register(serviceInfoRoutes, { config, documentedRoutes, prefix: API });

  if (config.serveDemo && mailTransport.kind === 'local') registerDemoMailbox(app, store);
  registerStatic(app, config, frameAncestors(config));

  // Old rate-limit windows and idempotency keys only take space: a retry comes within minutes.
  const prune = () => {
    store.prune({ rateLimitMs: 24 * 3600_000, idempotencyMs: 7 * 24 * 3600_000 }).catch((error) => app.log.error({ err: error }, 'pruning failed'));
    store.pruneOutbox(7 * 24 * 3600_000).catch((error) => app.log.error({ err: error }, 'pruning the outbox failed'));
    // Other processes may have taught the spam filter meanwhile.
    if (store.dialect === 'postgres') void spam?.reload();
  };
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref();

  await app.ready();

  outbox = createOutboxWorker(
    store,
    {
      mail: mailHandler(store, mailTransport, mailLinks, config),
      reply: replyHandler(store, config),
      notify: notifyHandler(store, mailLinks, config),
      ...(config.webhook ? { webhook: webhookHandler(config.webhook, { now: config.now }) } : {}),
    },
    config.outbox,
    { now: config.now, log: (level, message, details) => app.log[level](details, message) },
  );
  // Replies queue their notification in the comment's own transaction: look for it at once.
  events.onChange(() => outbox?.kick());

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
      await outbox?.close();
      mailTransport.close();
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
  // Links in mail lead here unless COLLOQUY_PUBLIC_URL says where readers reach the server.
  app.config.publicUrl ??= `http://${host}:${port}`;
  return Object.assign(app, { url: `http://${host}:${port}`, port });
}

