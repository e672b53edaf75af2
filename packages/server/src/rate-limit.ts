import { ColloquyError } from '@colloquy/core';
import type { FastifyRequest } from 'fastify';
import type { RateLimitRule, RateLimits } from './config.js';
import type { IdentityRecord, RateLimitResult, Store } from './store/index.js';

export interface RateLimiter {
  /** Counts one hit on `key`; throws `rate_limited` (with `retryAfter`) past the rule's limit. */
  hit(key: string, rule: RateLimitRule): Promise<void>;
  /** Drops the windows counted for an identity (keys ending in `:id:<identity>`), when it is erased. */
  forget(identityId: string): void;
}

/**
 * On PostgreSQL the counters live in the database so every process shares them. On SQLite
 * there is one process, and counting in memory spares each write an extra fsync.
 */
export function createRateLimiter(store: Store, now: () => number): RateLimiter {
  const memory = store.dialect === 'postgres' ? null : inMemory(now);
  const count: (key: string, rule: RateLimitRule) => Promise<RateLimitResult> =
    memory ? memory.count : (key, rule) => store.hitRateLimit(key, rule.limit, rule.windowSeconds * 1000);
  return {
    // On PostgreSQL the rows go with the identity, in the erasure's transaction.
    forget: (identityId) => memory?.forget(`:id:${identityId}`),
    async hit(key, rule) {
      const result = await count(key, rule);
      if (!result.allowed) {
        throw new ColloquyError('rate_limited', `Too many requests; try again in ${result.retryAfter} s.`, {
          retryAfter: result.retryAfter,
        });
      }
    },
  };
}

/** Counts a request against its rules, per identity and per address; `rate_limited` (429) past either. */
export type RateLimitEnforcer = (
  scope: string,
  request: FastifyRequest,
  identity: IdentityRecord | null,
  rules: { perIdentity?: RateLimitRule; perIp?: RateLimitRule },
  /** Also counted against a key of the caller's choosing (a recipient's address hash). */
  extra?: { key: string; rule: RateLimitRule },
) => Promise<void>;

/** The enforcer for a server's configured limits; it lets everything through when they are off. */
export function createRateLimitEnforcer(limiter: RateLimiter, limits: RateLimits | null): RateLimitEnforcer {
  return async (scope, request, identity, rules, extra) => {
    if (!limits) return;
    if (identity && rules.perIdentity) await limiter.hit(`${scope}:id:${identity.id}`, rules.perIdentity);
    if (rules.perIp) await limiter.hit(`${scope}:ip:${request.ip}`, rules.perIp);
    if (extra) await limiter.hit(`${scope}:${extra.key}`, extra.rule);
  };
}

function inMemory(now: () => number) {
  const windows = new Map<string, { start: number; end: number; hits: number }>();
  let lastSweep = 0;
  const forget = (suffix: string) => {
    for (const key of windows.keys()) if (key.endsWith(suffix)) windows.delete(key);
  };
  const count = async (key: string, rule: RateLimitRule): Promise<RateLimitResult> => {
    const at = now();
    const size = rule.windowSeconds * 1000;
    const start = at - (at % size);
    if (at - lastSweep > 60_000) {
      // Forget finished windows so the map does not grow with every address ever seen.
      for (const [k, w] of windows) if (w.end < at) windows.delete(k);
      lastSweep = at;
    }
    const entry = windows.get(key);
    const hits = entry && entry.start === start ? entry.hits + 1 : 1;
    windows.set(key, { start, end: start + size, hits });
    return { allowed: hits <= rule.limit, retryAfter: Math.max(1, Math.ceil((start + size - at) / 1000)) };
  };
  return { count, forget };
}
