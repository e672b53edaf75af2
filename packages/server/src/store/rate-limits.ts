import type { StoreContext } from './records.js';
import { execute, first } from './sql.js';
import type { Store } from './types.js';

/** Fixed-window rate-limit counters shared by every process, and pruning of expired rows. */
export function rateLimitStore({ db, q, now }: StoreContext): Pick<Store, 'hitRateLimit' | 'prune'> {
  return {
    async hitRateLimit(key, limit, windowMs) {
      const at = now();
      const windowStart = at - (at % windowMs);
      const row = await first(
        db,
        q
          .insertInto('rate_limits')
          .values({ key, window_start: windowStart, hits: 1 })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              hits: eb
                .case()
                .when('rate_limits.window_start', '=', eb.ref('excluded.window_start'))
                .then(eb('rate_limits.hits', '+', 1))
                .else(1)
                .end(),
              window_start: eb.ref('excluded.window_start'),
            })),
          )
          .returning(['hits', 'window_start']),
      );
      const hits = Number(row?.hits ?? 1);
      return { allowed: hits <= limit, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
    },

    async prune({ rateLimitMs, idempotencyMs }) {
      const at = now();
      const windows = await execute(db, q.deleteFrom('rate_limits').where('window_start', '<', at - rateLimitMs));
      const keys = await execute(db, q.deleteFrom('idempotency_keys').where('created_at', '<', at - idempotencyMs));
      const tickets = await execute(db, q.deleteFrom('stream_tickets').where('expires_at', '<', at));
      return windows + keys + tickets;
    },
  };
}
