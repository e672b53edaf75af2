import { fileURLToPath } from 'node:url';
import { ColloquyError, DEFAULT_LIMITS, ROLES, type Limits, type Role } from '@colloquy/core';
import { elementFile } from './element-files.js';
import { parseCidr } from './ip-ranges.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-limits.js';

export type ModerationMode = 'post' | 'pre';

/** Writes each reader (identity) and each network address may make per window. */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimits {
  /** Comments, replies and edits. */
  write: { perIdentity: RateLimitRule; perIp: RateLimitRule };
  reports: { perIdentity: RateLimitRule; perIp: RateLimitRule };
  identities: { perIp: RateLimitRule };
  /**
   * Setting an address sends a confirmation message: few per reader and per network address, and
   * few to any one address whoever asks (free identities from many networks must not fill a
   * stranger's inbox). Defaults when left out.
   */
  email?: { perIdentity: RateLimitRule; perIp: RateLimitRule; perRecipient?: RateLimitRule };
  /** Composer previews rendered by the server (defaults when left out). */
  preview?: { perIp: RateLimitRule };
  /**
   * A reader's changes to their own settings: following, marking activity read, naming,
   * reply-mail settings and muted threads (defaults when left out). Cheap one by one, but
   * nothing else bounds a script repeating them.
   */
  settings?: { perIdentity: RateLimitRule; perIp: RateLimitRule };
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  write: { perIdentity: { limit: 10, windowSeconds: 60 }, perIp: { limit: 60, windowSeconds: 60 } },
  reports: { perIdentity: { limit: 20, windowSeconds: 60 }, perIp: { limit: 60, windowSeconds: 60 } },
  identities: { perIp: { limit: 20, windowSeconds: 3600 } },
  email: { perIdentity: { limit: 5, windowSeconds: 3600 }, perIp: { limit: 20, windowSeconds: 3600 }, perRecipient: { limit: 3, windowSeconds: 86_400 } },
  preview: { perIp: { limit: 30, windowSeconds: 60 } },
  settings: { perIdentity: { limit: 30, windowSeconds: 60 }, perIp: { limit: 120, windowSeconds: 60 } },
};

/** Where moderation events are POSTed, signed with the secret (HMAC-SHA256). */
export interface WebhookConfig {
  url: string;
  secret: string;
  /** Waits before each retry of a failed delivery; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Time each attempt may take. */
  timeoutMs?: number;
}

/** How the durable outbox works through its jobs (docs/decisions/0030). */
export interface OutboxConfig {
  /** How long a worker holds a claimed job; past it another worker (or a restarted process) may take it. Longer than any one send may take. */
  leaseMs: number;
  /** How often an idle worker looks for jobs other processes queued. */
  pollMs: number;
  /** First wait before a failed mail is tried again; doubles each time up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A mail not delivered this long after it was queued is given up. */
  mailGiveUpMs: number;
}

export const DEFAULT_OUTBOX: OutboxConfig = { leaseMs: 60_000, pollMs: 1_000, retryBaseMs: 5_000, retryMaxMs: 15 * 60_000, mailGiveUpMs: 3 * 24 * 3600_000 };

/** Reader e-mail: where it goes out, and how replies are batched. */
export interface MailConfig {
  /** `smtp://user:pass@host:587`, `smtps://…`; null keeps mail in the local mailbox (`GET /demo/mail` in the demo). */
  smtpUrl: string | null;
  /** The From of every message. */
  from: string;
  /** Replies to one reader within this long after a message go out together in the next one. */
  batchMs: number;
  /** Hour of the day (UTC) the daily digest goes out. */
  digestHourUtc: number;
}

export const DEFAULT_MAIL: MailConfig = { smtpUrl: null, from: 'Colloquy <no-reply@localhost>', batchMs: 5 * 60_000, digestHourUtc: 7 };

export const DEFAULT_REPORT_WEIGHTS: Readonly<Record<Role, number>> = Object.freeze({ reader: 1, mentor: 2, moderator: 2, staff: 2 });

export interface ServerConfig {
  port: number;
  host: string;
  /** `sqlite:/path.db`, `postgres://…`; unset means `./.colloquy/colloquy.db`. */
  databaseUrl: string | undefined;
  /** HS256 secret for host-site JWTs; unset means JWTs are refused. */
  jwtSecret: string | undefined;
  /** When set, a host-site JWT must carry this `aud` (one of its audiences). */
  jwtAudience: string | undefined;
  /** When set, a host-site JWT must carry this `iss`. */
  jwtIssuer: string | undefined;
  /** Origins allowed to embed the widget and call the API; null means same-origin plus loopback dev origins. */
  allowedOrigins: string[] | null;
  reportThreshold: number;
  /** Pinned comments a thread may show at once (`COLLOQUY_PINS_PER_THREAD`, 1 to 20, default 3). */
  pinsPerThread: number;
  /**
   * Threads one reader may follow (`COLLOQUY_FOLLOWS_PER_IDENTITY`, 1 to 100000, default 500), and
   * apart from those, threads they may mute through the API; one more is `follow_limit`. Posting
   * past it still posts, without following (docs/decisions/0035).
   */
  followsPerIdentity: number;
  /** What one report weighs, by the reporter's role (an established reader's weight is `reader`). */
  reportWeights: Record<Role, number>;
  /**
   * A pseudonymous reader's reports weigh toward auto-hide only once the identity is this many
   * hours old and has `trustMinComments` published comments no one hid (docs/moderation-trust.md).
   * Both 0 makes every reader established.
   */
  trustMinAgeHours: number;
  trustMinComments: number;
  /**
   * Count reports from one network (IPv4 /24, IPv6 /56) once toward auto-hide. Off only where
   * every reader shares one address on purpose: tests on one machine, a closed intranet.
   */
  trustNetworks: boolean;
  moderation: ModerationMode;
  /** Readers' comments are held until this many of theirs are published; 0 turns it off. */
  holdFirstComments: number;
  /** Ranges (canonical CIDR) whose addresses may not write, besides those moderators add. */
  bannedIpRanges: string[];
  /** Signed webhooks on `reported`, `held` and `hidden`; null turns them off. */
  webhook: WebhookConfig | null;
  /** Reader e-mail: SMTP, sender, batching of reply notifications. */
  mail: MailConfig;
  /** The durable outbox of mail and webhooks. */
  outbox: OutboxConfig;
  /**
   * Where this server is reached from readers' mail clients and browsers, for links in mail
   * (confirm, unsubscribe); null: the address it listens on.
   */
  publicUrl: string | null;
  /** Where the host site's pages are, for permalinks in mail (`<siteUrl><thread key>#comment-<id>`); null: `publicUrl`. */
  siteUrl: string | null;
  /** Thread-key prefixes held for pre-moderation even when `moderation` is `post`. */
  premoderatedThreads: string[];
  /** What erasing a reader (`DELETE /api/v1/me`) does to their comments: remove their text, or keep it anonymised. */
  erasure: 'remove' | 'anonymise';
  limits: Limits;
  /** Hold comments `@colloquy/spam` judges to be spam; off only for tests and benchmarks. */
  spamFilter: boolean;
  /** null turns rate limits off (tests and benchmarks only). */
  rateLimits: RateLimits | null;
  /** Keep recent comment pages for a few seconds; off only for benchmarks that measure the store. */
  pageCache: boolean;
  /** Where the built single-file widget lives. */
  embedPath: string;
  /** Folder of the demo pages. */
  demoDir: string;
  /** Serve the demo pages at `/` and `/articles.html`. */
  serveDemo: boolean;
  /** Log requests (tokens are redacted); off by default. */
  logging: boolean;
  /**
   * Which reverse proxies in front of the server to believe about the client's address: `false`
   * (none: the connection's address), a hop count (that many proxies, the nearest first), or the
   * proxies' addresses and ranges. The client's address is the rightmost `X-Forwarded-For` entry
   * that a trusted proxy did not add; entries further left are the client's own writing.
   */
  trustProxy: false | number | string[];
  /** Live streams (`/events`, `/moderation/events`) open at once, per client address (IPv6: per /64) and in all. */
  streams: StreamLimits;
  /**
   * Time a client has to send a whole request, headers and body, in milliseconds; a slower one
   * gets 408 and its connection is closed. Live streams are not cut: their request is complete
   * once the headers are in.
   */
  requestTimeoutMs: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now: () => number;
}

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export function defaultConfig(): ServerConfig {
  return {
    port: 8787,
    host: '127.0.0.1',
    databaseUrl: undefined,
    jwtSecret: undefined,
    jwtAudience: undefined,
    jwtIssuer: undefined,
    allowedOrigins: null,
    reportThreshold: 3,
    pinsPerThread: 3,
    followsPerIdentity: 500,
    reportWeights: { ...DEFAULT_REPORT_WEIGHTS },
    trustMinAgeHours: 72,
    trustMinComments: 2,
    trustNetworks: true,
    moderation: 'post',
    holdFirstComments: 0,
    bannedIpRanges: [],
    webhook: null,
    mail: { ...DEFAULT_MAIL },
    outbox: { ...DEFAULT_OUTBOX },
    publicUrl: null,
    siteUrl: null,
    premoderatedThreads: [],
    erasure: 'remove',
    limits: { ...DEFAULT_LIMITS },
    rateLimits: DEFAULT_RATE_LIMITS,
    spamFilter: true,
    pageCache: true,
    embedPath: elementFile('embed.js'),
    // Both src/ and dist/ sit one level under the package folder.
    demoDir: here('../demo'),
    serveDemo: true,
    logging: false,
    trustProxy: false,
    streams: { ...DEFAULT_STREAM_LIMITS },
    requestTimeoutMs: 30_000,
    now: Date.now,
  };
}

function fail(name: string, expected: string, value: string): never {
  throw new ColloquyError('invalid_input', `${name} must be ${expected}; got "${value}".`);
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(name, `a whole number from ${min} to ${max}`, raw);
  return Number(raw);
}

/** `COLLOQUY_JWT_AUDIENCE` or `COLLOQUY_JWT_ISSUER`: 1 to 200 printable characters, and only beside a secret. */
function jwtClaim(env: NodeJS.ProcessEnv, name: string, secret: string | undefined): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) fail(name, '1 to 200 printable characters without spaces (a URL or a name like "colloquy")', raw);
  if (secret === undefined) fail(name, 'set only together with COLLOQUY_JWT_SECRET (without it no JWT is accepted)', raw);
  return raw;
}

/** `COLLOQUY_PUBLIC_URL`, `COLLOQUY_SITE_URL`: an http(s) origin, optionally with a path, no trailing slash kept. */
function baseUrl(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, 'an http: or https: URL like https://comments.example.org', raw);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) fail(name, 'an http: or https: URL without ? or #', raw);
  return url.href.replace(/\/+$/, '');
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `COLLOQUY_TRUST_PROXY`: `off`; `on` (one proxy, the one the server's connections come from); a
 * hop count from 1 to 10; or a comma-separated list of the proxies' addresses or ranges (CIDR, or
 * `loopback`, `linklocal`, `uniquelocal`).
 */
export function parseTrustProxy(value: string): false | number | string[] {
  if (value === 'off') return false;
  if (value === 'on') return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10) fail('COLLOQUY_TRUST_PROXY', 'off, on, a hop count from 1 to 10, or a list of proxy addresses', value);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) fail('COLLOQUY_TRUST_PROXY', 'off, on, a hop count from 1 to 10, or a list of proxy addresses', value);
  return entries.map((entry) => {
    if (PROXY_NAMES.includes(entry)) return entry;
    try {
      return parseCidr(entry).cidr;
    } catch {
      return fail('COLLOQUY_TRUST_PROXY', 'off, on, a hop count, or proxy addresses and ranges like 10.0.0.2 or 10.0.0.0/8', entry);
    }
  });
}

/**
 * Fastify's form of `trustProxy`. Fastify refuses bare hop counts (it cannot tell a proxy from a
 * direct client), so a count becomes "the nearest N addresses are proxies": safe when, as
 * documented, only the proxy can reach the server.
 */
export function proxyTrust(trust: ServerConfig['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/** Reads the server's settings from environment variables; every one has a safe default. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config = defaultConfig();
  config.port = integer(env, 'PORT', 0, 65535) ?? config.port;
  config.host = env.HOST?.trim() || config.host;
  config.databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const secret = env.COLLOQUY_JWT_SECRET;
  if (secret !== undefined && secret !== '') {
    if (secret.length < 32) fail('COLLOQUY_JWT_SECRET', 'at least 32 characters', '(hidden)');
    config.jwtSecret = secret;
  }
  config.jwtAudience = jwtClaim(env, 'COLLOQUY_JWT_AUDIENCE', config.jwtSecret);
  config.jwtIssuer = jwtClaim(env, 'COLLOQUY_JWT_ISSUER', config.jwtSecret);
  const origins = env.COLLOQUY_ALLOWED_ORIGINS?.trim();
  if (origins) {
    config.allowedOrigins = origins.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        fail('COLLOQUY_ALLOWED_ORIGINS', 'a comma-separated list of origins like https://news.example.org', o);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o.replace(/\/$/, '')) {
        fail('COLLOQUY_ALLOWED_ORIGINS', 'a comma-separated list of origins like https://news.example.org', o);
      }
      return url.origin;
    });
  }
  config.reportThreshold = integer(env, 'COLLOQUY_REPORT_THRESHOLD', 1, 1000) ?? config.reportThreshold;
  config.pinsPerThread = integer(env, 'COLLOQUY_PINS_PER_THREAD', 1, 20) ?? config.pinsPerThread;
  config.followsPerIdentity = integer(env, 'COLLOQUY_FOLLOWS_PER_IDENTITY', 1, 100_000) ?? config.followsPerIdentity;
  config.trustMinAgeHours = integer(env, 'COLLOQUY_TRUST_MIN_AGE_HOURS', 0, 24 * 365) ?? config.trustMinAgeHours;
  config.trustMinComments = integer(env, 'COLLOQUY_TRUST_MIN_COMMENTS', 0, 1000) ?? config.trustMinComments;
  const networks = env.COLLOQUY_TRUST_NETWORKS?.trim();
  if (networks) {
    if (networks !== 'on' && networks !== 'off') fail('COLLOQUY_TRUST_NETWORKS', '"on" or "off"', networks);
    config.trustNetworks = networks === 'on';
  }
  const moderation = env.COLLOQUY_MODERATION?.trim();
  if (moderation) {
    if (moderation !== 'post' && moderation !== 'pre') fail('COLLOQUY_MODERATION', '"post" or "pre"', moderation);
    config.moderation = moderation;
  }
  const erasure = env.COLLOQUY_ERASURE?.trim();
  if (erasure) {
    if (erasure !== 'remove' && erasure !== 'anonymise' && erasure !== 'anonymize') fail('COLLOQUY_ERASURE', '"remove" or "anonymise"', erasure);
    config.erasure = erasure === 'remove' ? 'remove' : 'anonymise';
  }
  const weights = env.COLLOQUY_REPORT_WEIGHTS?.trim();
  if (weights) {
    for (const pair of weights.split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^([a-z]+)\s*=\s*(\d{1,3})$/.exec(pair);
      if (!match || !(ROLES as readonly string[]).includes(match[1]!) || Number(match[2]) > 100) {
        fail('COLLOQUY_REPORT_WEIGHTS', `role=weight pairs like "reader=1,mentor=2" (roles ${ROLES.join(', ')}; weights 0 to 100)`, pair);
      }
      config.reportWeights[match[1] as Role] = Number(match[2]);
    }
  }
  const holdFirst = env.COLLOQUY_HOLD_FIRST_COMMENTS?.trim();
  if (holdFirst) {
    if (holdFirst === 'off') config.holdFirstComments = 0;
    else if (holdFirst === 'on') config.holdFirstComments = 1;
    else config.holdFirstComments = integer(env, 'COLLOQUY_HOLD_FIRST_COMMENTS', 0, 100) ?? 0;
  }
  const banned = env.COLLOQUY_BANNED_IPS?.trim();
  if (banned) {
    config.bannedIpRanges = banned.split(',').map((r) => r.trim()).filter(Boolean).map((r) => {
      try {
        return parseCidr(r).cidr;
      } catch {
        fail('COLLOQUY_BANNED_IPS', 'a comma-separated list of ranges like 203.0.113.0/24,2001:db8::/32', r);
      }
    });
  }
  const webhookUrl = env.COLLOQUY_WEBHOOK_URL?.trim();
  const webhookSecret = env.COLLOQUY_WEBHOOK_SECRET ?? '';
  if (webhookUrl) {
    let url: URL;
    try {
      url = new URL(webhookUrl);
    } catch {
      fail('COLLOQUY_WEBHOOK_URL', 'an http: or https: URL', webhookUrl);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('COLLOQUY_WEBHOOK_URL', 'an http: or https: URL', webhookUrl);
    if (webhookSecret.length < 16) fail('COLLOQUY_WEBHOOK_SECRET', 'set, at least 16 characters, when COLLOQUY_WEBHOOK_URL is', '(hidden)');
    config.webhook = { url: url.href, secret: webhookSecret };
  } else if (webhookSecret) {
    fail('COLLOQUY_WEBHOOK_URL', 'set when COLLOQUY_WEBHOOK_SECRET is', '(unset)');
  }
  config.publicUrl = baseUrl(env, 'COLLOQUY_PUBLIC_URL');
  config.siteUrl = baseUrl(env, 'COLLOQUY_SITE_URL');
  const smtp = env.COLLOQUY_SMTP_URL?.trim();
  if (smtp) {
    let url: URL;
    try {
      url = new URL(smtp);
    } catch {
      fail('COLLOQUY_SMTP_URL', 'an smtp: or smtps: URL like smtps://user:password@mail.example.org', '(hidden)');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') fail('COLLOQUY_SMTP_URL', 'an smtp: or smtps: URL', url.protocol);
    config.mail.smtpUrl = smtp;
  }
  const from = env.COLLOQUY_MAIL_FROM?.trim();
  if (from) {
    if (!/^[^\r\n<>]{0,100}<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(from)) fail('COLLOQUY_MAIL_FROM', 'an address like "Comments <comments@example.org>"', from);
    config.mail.from = from;
  } else if (config.publicUrl) {
    config.mail.from = `Colloquy <no-reply@${new URL(config.publicUrl).hostname}>`;
  }
  const batch = integer(env, 'COLLOQUY_NOTIFY_BATCH', 0, 24 * 3600);
  if (batch !== undefined) config.mail.batchMs = batch * 1000;
  config.mail.digestHourUtc = integer(env, 'COLLOQUY_DIGEST_HOUR', 0, 23) ?? config.mail.digestHourUtc;
  const lease = integer(env, 'COLLOQUY_OUTBOX_LEASE', 1, 3600);
  if (lease !== undefined) config.outbox.leaseMs = lease * 1000;
  const retryMax = integer(env, 'COLLOQUY_OUTBOX_RETRY_MAX', 1, 24 * 3600);
  if (retryMax !== undefined) {
    config.outbox.retryMaxMs = retryMax * 1000;
    config.outbox.retryBaseMs = Math.min(config.outbox.retryBaseMs, config.outbox.retryMaxMs);
  }
  const poll = integer(env, 'COLLOQUY_OUTBOX_POLL', 1, 60);
  if (poll !== undefined) config.outbox.pollMs = poll * 1000;
  const prefixes = env.COLLOQUY_PREMODERATE_THREADS?.trim();
  if (prefixes) config.premoderatedThreads = prefixes.split(',').map((p) => p.trim()).filter(Boolean);
  const editWindow = integer(env, 'COLLOQUY_EDIT_WINDOW', 0, 10 * 365 * 24 * 3600);
  if (editWindow !== undefined) config.limits.editWindowSeconds = editWindow;
  const rate = env.COLLOQUY_RATE_LIMITS?.trim();
  if (rate) {
    if (rate === 'off') config.rateLimits = null;
    else if (rate !== 'on') fail('COLLOQUY_RATE_LIMITS', '"on" or "off"', rate);
  }
  const spam = env.COLLOQUY_SPAM?.trim();
  if (spam) {
    if (spam !== 'on' && spam !== 'off') fail('COLLOQUY_SPAM', '"on" or "off"', spam);
    config.spamFilter = spam === 'on';
  }
  const pageCache = env.COLLOQUY_PAGE_CACHE?.trim();
  if (pageCache) {
    if (pageCache !== 'on' && pageCache !== 'off') fail('COLLOQUY_PAGE_CACHE', '"on" or "off"', pageCache);
    config.pageCache = pageCache === 'on';
  }
  if (env.COLLOQUY_EMBED_PATH?.trim()) config.embedPath = env.COLLOQUY_EMBED_PATH.trim();
  if (env.COLLOQUY_DEMO === 'off') config.serveDemo = false;
  if (env.COLLOQUY_LOG === 'on') config.logging = true;
  const proxy = env.COLLOQUY_TRUST_PROXY?.trim();
  if (proxy) config.trustProxy = parseTrustProxy(proxy);
  config.streams.perAddress = integer(env, 'COLLOQUY_MAX_STREAMS_PER_ADDRESS', 1, 100_000) ?? config.streams.perAddress;
  config.streams.total = integer(env, 'COLLOQUY_MAX_STREAMS', 1, 1_000_000) ?? config.streams.total;
  if (config.streams.perAddress > config.streams.total) {
    fail('COLLOQUY_MAX_STREAMS_PER_ADDRESS', `at most COLLOQUY_MAX_STREAMS (${config.streams.total})`, String(config.streams.perAddress));
  }
  const timeout = integer(env, 'COLLOQUY_REQUEST_TIMEOUT', 1, 3600);
  if (timeout !== undefined) config.requestTimeoutMs = timeout * 1000;
  return config;
}

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** Whether pages on `origin` may call the API from the browser: COLLOQUY_ALLOWED_ORIGINS, or loopback pages by default. */
export function isAllowedOrigin(config: Pick<ServerConfig, 'allowedOrigins'>, origin: string): boolean {
  if (config.allowedOrigins === null) return LOOPBACK_ORIGIN.test(origin);
  return config.allowedOrigins.includes(origin);
}

/**
 * The startup line naming the pages allowed to call the API from the browser. Setting
 * COLLOQUY_ALLOWED_ORIGINS replaces the loopback default, so the line says which applies.
 */
export function describeAllowedOrigins(config: Pick<ServerConfig, 'allowedOrigins'>): string {
  return config.allowedOrigins === null
    ? 'colloquy: pages on http://localhost and http://127.0.0.1 (any port) may embed comments; set COLLOQUY_ALLOWED_ORIGINS for your site'
    : `colloquy: pages on ${config.allowedOrigins.join(', ') || 'no other origin'} may embed comments (COLLOQUY_ALLOWED_ORIGINS)`;
}
