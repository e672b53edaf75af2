import type { Role } from '@colloquy/core';
import { addressNetwork } from './ip-ranges.js';
import type { ServerConfig } from './config.js';
import type { IdentityKind, IdentityRecord, Store } from './store/index.js';

/**
 * How much a reader's voice weighs when readers, not moderators, act on a comment (reports
 * toward auto-hide today). Identities cost nothing to make, so weight comes from what is hard to
 * fake in bulk: time, and published comments no one hid. The formula is in docs/moderation-trust.md.
 */
export interface TrustParams {
  /** Hours a pseudonymous identity must exist before it counts. */
  minAgeHours: number;
  /** Its visible comments that no moderator and no auto-hide ever hid, needed before it counts. */
  minComments: number;
  /** An established reader's weight, and the weight of each granted role. */
  roleWeights: Readonly<Record<Role, number>>;
}

/** A seasoned reader (this old, with this many clean comments, and at least the minimums) weighs double. */
export const SEASONED_AGE_HOURS = 30 * 24;
export const SEASONED_COMMENTS = 20;

/** Reports from one IPv4 /24 or one IPv6 /56 count once (the heaviest). */
export const NETWORK_BITS = { v4: 24, v6: 56 } as const;

export interface TrustFacts {
  kind: IdentityKind;
  role: Role;
  /** When the identity was made (epoch milliseconds). */
  createdAt: number;
  /** Its clean comments, counted up to `cleanCommentsToCount(params)`. */
  cleanComments: number;
}

/** How many clean comments the store needs to count at most to decide a weight. */
export function cleanCommentsToCount(params: TrustParams): number {
  return Math.max(params.minComments, SEASONED_COMMENTS);
}

/**
 * The weight of one identity now:
 * - a granted role (mentor, moderator, staff; from the host site's token or the server) weighs
 *   its role weight;
 * - a host-site reader (JWT) is a member the site vouches for: established at once;
 * - a pseudonymous reader is established once it is `minAgeHours` old *and* has `minComments`
 *   clean comments; before that it weighs 0;
 * - an established reader weighs the `reader` weight, double once seasoned.
 */
export function trustWeight(facts: TrustFacts, params: TrustParams, now: number): number {
  const base = params.roleWeights[facts.role];
  if (facts.role !== 'reader') return base;
  const ageHours = (now - facts.createdAt) / 3_600_000;
  const established = facts.kind === 'jwt' || (ageHours >= params.minAgeHours && facts.cleanComments >= params.minComments);
  if (!established) return 0;
  const seasoned =
    ageHours >= Math.max(params.minAgeHours, SEASONED_AGE_HOURS) && facts.cleanComments >= Math.max(params.minComments, SEASONED_COMMENTS);
  return seasoned ? base * 2 : base;
}

/** The network a request came from, stored with what a reader does instead of the address (data minimisation). */
export function reporterNetwork(address: string): string | null {
  return addressNetwork(address, NETWORK_BITS.v4, NETWORK_BITS.v6);
}

/** Staff and moderators answer for their own comments: reports never auto-hide them (they still reach the queue). */
export const SHIELDED_ROLES: readonly Role[] = ['moderator', 'staff'];

export function trustParams(config: ServerConfig): TrustParams {
  return { minAgeHours: config.trustMinAgeHours, minComments: config.trustMinComments, roleWeights: config.reportWeights };
}

/** An identity's weight now; reads a reader's clean comments from the store (a count bounded by `cleanCommentsToCount`). */
export async function identityWeight(store: Store, identity: IdentityRecord, config: ServerConfig): Promise<number> {
  const params = trustParams(config);
  const cleanComments = identity.role === 'reader' ? await store.cleanCommentCount(identity.id, cleanCommentsToCount(params)) : 0;
  const facts = { kind: identity.kind, role: identity.role, createdAt: Date.parse(identity.createdAt), cleanComments };
  return trustWeight(facts, params, config.now());
}
