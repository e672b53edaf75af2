import { isIPv6 } from 'node:net';
import { ColloquyError } from '@colloquy/core';
import { parseCidr } from './ip-ranges.js';

/** How long a refused client is asked to wait before opening a live stream again. */
export const STREAM_RETRY_AFTER_SECONDS = 30;

export interface StreamLimits {
  /** Live streams one client address (an IPv6 /64) may hold open in this process. */
  perAddress: number;
  /** Live streams this process holds open in all. */
  total: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = Object.freeze({ perAddress: 20, total: 2000 });

/**
 * The address a client's streams are counted under: an IPv4 address as it is (also when a
 * dual-stack socket reports it as `::ffff:a.b.c.d`), an IPv6 address by its /64, the block one
 * home or one server usually gets, so stepping through a prefix's addresses gains nothing.
 */
export function streamGroup(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split('%')[0]!;
  if (isIPv6(bare)) return parseCidr(`${bare}/64`).cidr;
  return address;
}

export interface StreamLimiter {
  /**
   * Takes a slot for one live stream from `address`, or throws `rate_limited` (429: this
   * address holds its share) or `unavailable` (503: the process holds as many as it allows),
   * both with `retryAfter`. The returned function gives the slot back; calling it again does nothing.
   */
  acquire(address: string): () => void;
  /** Streams open now, in all. */
  readonly open: number;
}

export function createStreamLimiter(limits: StreamLimits): StreamLimiter {
  const byGroup = new Map<string, number>();
  let total = 0;
  const retryAfter = STREAM_RETRY_AFTER_SECONDS;
  return {
    acquire(address) {
      const group = streamGroup(address);
      const held = byGroup.get(group) ?? 0;
      if (held >= limits.perAddress) {
        throw new ColloquyError('rate_limited', `Too many live streams from one address (at most ${limits.perAddress}); try again in ${retryAfter} s.`, { retryAfter });
      }
      if (total >= limits.total) {
        throw new ColloquyError('unavailable', `The server has as many live streams open as it allows; try again in ${retryAfter} s.`, { retryAfter });
      }
      byGroup.set(group, held + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byGroup.get(group) ?? 1) - 1;
        if (left > 0) byGroup.set(group, left);
        else byGroup.delete(group);
      };
    },
    get open() {
      return total;
    },
  };
}
