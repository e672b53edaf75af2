import { ColloquyError, type Comment } from '@colloquy/core';
import type { ServerConfig } from './config.js';
import { findRange, parseCidr, type IpRange } from './ip-ranges.js';
import { createLocalModerationHub, createPostgresModerationHub, type ModerationEventType, type ModerationHub } from './moderation-events.js';
import type { CommentRecord, IdentityRecord, Store } from './store/index.js';
import type { PostgresDatabase } from './store/postgres.js';
import { WEBHOOK_EVENT_TYPES, webhookJob, type WebhookEventType } from './webhooks.js';

/** How long a stream ticket opens the moderators' stream (reconnects included). */
export const STREAM_TICKET_SECONDS = 300;
/** How stale the list of banned ranges may be; another process's change shows within this. */
const BAN_CACHE_MS = 5_000;

/** Moderators see the text of every comment, whatever its status, and whom it answers by name. */
export function moderatorView(record: CommentRecord): Comment {
  return {
    id: record.id,
    thread: record.thread,
    parentId: record.parentId,
    replyTo: record.replyTo ? { id: record.replyTo.id, name: record.replyTo.name } : null,
    author: record.author,
    body: record.body,
    html: record.html,
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
    pinnedAt: record.pinnedAt,
    replies: [],
  };
}

/** Banned ranges from the configuration and the store, re-read at most every few seconds. */
export class BannedRanges {
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
  /**
   * `banned` (403) for a banned identity or a writer from a banned range; a suspended
   * identity's error carries the suspension's end (`until`).
   */
  assertMayWrite(identity: IdentityRecord | null, address: string, what: string): Promise<void>;
  /**
   * `banned` (403) for a moderator whose identity is banned (every moderation route: a ban
   * suspends the identity's moderation rights), or who writes from a banned range.
   */
  assertMayModerate(moderator: IdentityRecord, address: string, write: boolean): Promise<void>;
  /**
   * Tells moderators' streams (every process) and, for `reported`, `held` and `hidden`, queues
   * the webhook in the durable outbox; resolves once it is queued (a failure is logged, not thrown).
   */
  notify(type: ModerationEventType, comment: CommentRecord, facts?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function createModeration(
  store: Store,
  config: ServerConfig,
  log: (level: 'warn' | 'error', message: string, details: Record<string, unknown>) => void,
  /** Told when a job was queued, so the outbox worker looks at once. */
  queued: () => void = () => undefined,
): Promise<Moderation & { bans: BannedRanges }> {
  const hub = store.dialect === 'postgres' ? await createPostgresModerationHub(store.db as PostgresDatabase) : createLocalModerationHub();
  const bans = new BannedRanges(store, config.bannedIpRanges);
  let publishing: Promise<void> = Promise.resolve();

  return {
    hub,
    bans,
    async assertMayWrite(identity, address, what) {
      if (identity?.banned && identity.bannedUntil) {
        throw new ColloquyError('banned', `This account is suspended by the moderators until ${identity.bannedUntil}; it can ${what} here again then.`, {
          until: identity.bannedUntil,
        });
      }
      if (identity?.banned) throw new ColloquyError('banned', `This account has been banned by the moderators and can no longer ${what} here.`);
      if (await bans.find(address)) {
        throw new ColloquyError('banned', `Your network address is in a range the moderators have banned; you cannot ${what} here.`);
      }
    },
    async assertMayModerate(moderator, address, write) {
      if (moderator.banned) {
        throw new ColloquyError('banned', 'This account has been banned; its moderation rights are suspended until another moderator lifts the ban.');
      }
      if (write && (await bans.find(address))) {
        throw new ColloquyError('banned', 'Your network address is in a range the moderators have banned; you cannot moderate from it.');
      }
    },
    notify(type, comment, facts = {}) {
      // One after another, so moderators hear a report before the hide it caused.
      publishing = publishing
        .then(() => hub.publish({ type, commentId: comment.id, facts }))
        .catch((error) => log('error', 'publishing a moderation event failed', { err: error }));
      if (config.webhook && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
        const { html: _html, replies: _replies, ...text } = moderatorView(comment);
        return store.enqueueOutbox(webhookJob(type as WebhookEventType, { comment: text, ...facts }, config.now())).then(
          () => queued(),
          (error) => log('error', 'queueing a webhook failed', { err: error }),
        );
      }
      return Promise.resolve();
    },
    async close() {
      await hub.close();
    },
  };
}
