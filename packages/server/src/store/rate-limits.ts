import type { StoreContext } from './records.js';
import type { Store } from './types.js';

/** Fixed-window rate-limit counters shared by every process, and pruning of expired rows. */
export function rateLimitStore({ db, now }: StoreContext): Pick<Store, 'hitRateLimit' | 'prune'> {
  return {
    async hitRateLimit(key, limit, windowMs) {
      const at = now();
      const windowStart = at - (at % windowMs);
      const rows = await db.all<{ hits: number; window_start: number }>(
        `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
           window_start = excluded.window_start
         RETURNING hits, window_start`,
        [key, windowStart],
      );
      const hits = Number(rows[0]?.hits ?? 1);
      return { allowed: hits <= limit, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
    },

    async prune({ rateLimitMs, idempotencyMs }) {
      const at = now();
      const windows = await db.run(`DELETE FROM rate_limits WHERE window_start < ?`, [at - rateLimitMs]);
      const keys = await db.run(`DELETE FROM idempotency_keys WHERE created_at < ?`, [at - idempotencyMs]);
      const tickets = await db.run(`DELETE FROM stream_tickets WHERE expires_at < ?`, [at]);
      return windows + keys + tickets;
    },
  };
}
