import type { EventReplay } from '../event-replay.js';
import type { ThreadEventType } from '@colloquy/core';
import type { ServerConfig } from '../config.js';
import type { EventHub } from '../events.js';
import type { Moderation, BannedRanges } from '../moderation.js';
import type { PageCache } from '../page-cache.js';
import type { RateLimitEnforcer } from '../rate-limit.js';
import type { ScreenNamePolicy } from '../screen-names.js';
import type { BodyRenderer } from '../render.js';
import type { SpamGuard } from '../spam-guard.js';
import type { FastifyRequest } from 'fastify';
import type { CommentRecord, IdentityRecord, Store } from '../store/index.js';
import type { StreamLimiter } from '../stream-limits.js';
import type { MailLinks } from '../reader-mail.js';

/** A comment page as sent: its JSON, and the same gzipped once a reader asking for gzip has needed it. */
export interface CachedPage {
  raw: Buffer;
  gzip: Buffer | null;
}

/**
 * What the route plugins share, built once by `createApp` and passed to each plugin as its
 * options. Plugins read the store and services from here rather than from closures in app.ts.
 */
export interface RouteContext {
  readonly store: Store;
  readonly config: ServerConfig;
  readonly events: EventHub;
  readonly moderation: Moderation & { bans: BannedRanges };
  readonly spam: SpamGuard | null;
  readonly renderer: BodyRenderer;
  readonly pages: PageCache<CachedPage>;
  readonly enforceRateLimit: RateLimitEnforcer;
  /** Counts a reader's change to their own settings (`rateLimits.settings`); `rate_limited` past it. */
  limitSettingsChange(request: FastifyRequest, identity: IdentityRecord): Promise<void>;
  /** Refuses screen names a reader picks that claim a role or imitate a badge holder's. */
  readonly screenNames: ScreenNamePolicy;
  /** Forgets an identity's in-memory rate-limit windows (erasure). */
  forgetRateLimits(identityId: string): void;
  /** Sends a thread's live event for a changed comment and drops that thread's cached pages. */
  publishThreadEvent(type: ThreadEventType | null, record: CommentRecord): void;
  /** Enders of open live streams; the app ends them all on close. */
  readonly openStreams: Set<() => void>;
  /** Slots for live streams, per client address and in all; a stream takes one before it starts. */
  readonly streamLimiter: StreamLimiter;
  /** What a reconnecting live stream missed, read from the store. */
  readonly replay: EventReplay;
  /** Links in mail, and a nudge for the outbox worker after a route queued mail. */
  readonly mail: { readonly links: MailLinks; queued(): void };
}
