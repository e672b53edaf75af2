import { sql, type Selectable } from 'kysely';
import { newId, type StoreContext } from './records.js';
import type { OutboxKind, OutboxState, OutboxTable } from './schema.js';
import { execute, rows, type QueryBuilder, type SqlRunner } from './sql.js';

/** Something to do later, durably: send a mail or a webhook, or decide whom a reply notifies. */
export interface OutboxJobInput {
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /**
   * A second enqueue with the same key is ignored, whatever the first one's state; a key that
   * starts with `pending:` is released when its job ends (one job at a time, not once ever).
   */
  dedupeKey?: string | null;
  /** Not before this time (epoch ms); now by default. */
  at?: number;
  /** The id to use (a mail's Message-ID is built from it); a new one by default. */
  id?: string;
}

export interface OutboxJob {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /** Attempts so far, this one included. */
  attempts: number;
  createdAt: number;
}

export interface OutboxCounts {
  pending: number;
  done: number;
  failed: number;
  cancelled: number;
}

/** A `pending:` key is freed when its job ends; other keys stay taken. */
const releasedKey = sql<string | null>`CASE WHEN dedupe_key LIKE 'pending:%' THEN NULL ELSE dedupe_key END`;

/** Thrown inside a completion's transaction when the claim was lost: rolls the work back. */
class LostClaim extends Error {}

/** Rows per INSERT: well under both drivers' limits on bound parameters. */
const INSERT_BATCH = 500;

/** Queues jobs through `runner`, inside the caller's transaction when it is one; returns how many were new. */
export async function insertOutboxJobs(q: QueryBuilder, runner: SqlRunner, jobs: readonly OutboxJobInput[], at: number): Promise<number> {
  let added = 0;
  for (let i = 0; i < jobs.length; i += INSERT_BATCH) added += await insertBatch(q, runner, jobs.slice(i, i + INSERT_BATCH), at);
  return added;
}

function insertBatch(q: QueryBuilder, runner: SqlRunner, jobs: readonly OutboxJobInput[], at: number): Promise<number> {
  return execute(
    runner,
    q
      .insertInto('outbox')
      .values(
        jobs.map((job) => ({
          id: job.id ?? newId('o_', at),
          kind: job.kind,
          dedupe_key: job.dedupeKey ?? null,
          payload: JSON.stringify(job.payload),
          next_attempt_at: job.at ?? at,
          claimed_by: null,
          claim_expires_at: null,
          last_error: null,
          created_at: at,
          done_at: null,
        })),
      )
      .onConflict((oc) => oc.doNothing()),
  );
}

/**
 * The durable outbox. Rows are claimed by one worker at a time: a claim writes the worker's name
 * and a lease end; the row is taken again only once the lease has run out (its process died or
 * hung). On PostgreSQL the claim skips rows other transactions are claiming (`FOR UPDATE SKIP
 * LOCKED`), so several processes never wait for one another; SQLite has one writer at a time.
 * Completing, retrying or giving up succeeds only for the worker that still holds the claim.
 */
export function outboxStore({ db, q, now }: StoreContext) {
  const insert = (runner: SqlRunner, jobs: readonly OutboxJobInput[]) => insertOutboxJobs(q, runner, jobs, now());

  // On PostgreSQL, rows another transaction is claiming are skipped rather than waited for.
  const claimSql = (kinds: number) =>
    `UPDATE outbox SET claimed_by = ?, claim_expires_at = ?, attempts = attempts + 1
      WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
                     AND (claim_expires_at IS NULL OR claim_expires_at <= ?)` +
    (kinds > 0 ? ` AND kind IN (${Array(kinds).fill('?').join(', ')})` : '') +
    ` ORDER BY next_attempt_at LIMIT ?` +
    (db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED)' : ')') +
    ` RETURNING id, kind, payload, attempts, created_at`;

  const release = (id: string, worker: string, set: Partial<Omit<Selectable<OutboxTable>, 'dedupe_key'>>) =>
    execute(
      db,
      q
        .updateTable('outbox')
        .set({ ...set, claimed_by: null, claim_expires_at: null, ...(set.state ? { dedupe_key: releasedKey } : {}) })
        .where('id', '=', id)
        .where('claimed_by', '=', worker)
        .where('state', '=', 'pending'),
    );

  return {
    /** Queues jobs; with a runner, inside that transaction (so they exist exactly when its writes do). */
    enqueueOutbox(jobs: OutboxJobInput | readonly OutboxJobInput[], runner?: SqlRunner): Promise<number> {
      const list = Array.isArray(jobs) ? (jobs as readonly OutboxJobInput[]) : [jobs as OutboxJobInput];
      return runner ? insert(runner, list) : db.transaction((tx) => insert(tx, list));
    },

    /** Claims up to `limit` due jobs (of these kinds, or any) for `worker` until `leaseMs` from now. */
    async claimOutbox(worker: string, limit: number, leaseMs: number, kinds: readonly OutboxKind[] = []): Promise<OutboxJob[]> {
      const at = now();
      const claimed = await db.all<{ id: string; kind: OutboxKind; payload: string; attempts: number; created_at: number }>(claimSql(kinds.length), [
        worker,
        at + leaseMs,
        at,
        at,
        ...kinds,
        limit,
      ]);
      return claimed.map((r) => ({ id: r.id, kind: r.kind, payload: JSON.parse(r.payload), attempts: Number(r.attempts), createdAt: Number(r.created_at) }));
    },

    /** Extends the claims `worker` still holds on these jobs (they are still being worked on); returns how many it holds. */
    extendOutboxClaims(worker: string, ids: readonly string[], leaseMs: number): Promise<number> {
      if (ids.length === 0) return Promise.resolve(0);
      return execute(
        db,
        q.updateTable('outbox').set({ claim_expires_at: now() + leaseMs }).where('id', 'in', ids).where('claimed_by', '=', worker).where('state', '=', 'pending'),
      );
    },

    /**
     * Marks a claimed job done. `work` runs in the same transaction, so what the job writes (the
     * next jobs it queues) exists if and only if the job is marked done. False when the claim was
     * lost (the lease ran out and another worker took it): then nothing of `work` is kept.
     */
    async completeOutbox(job: Pick<OutboxJob, 'id'>, worker: string, work?: (tx: SqlRunner) => Promise<void>): Promise<boolean> {
      try {
        await db.transaction(async (tx) => {
          if (work) await work(tx);
          const marked = await execute(
            tx,
            q
              .updateTable('outbox')
              .set({ state: 'done', done_at: now(), claimed_by: null, claim_expires_at: null, last_error: null, dedupe_key: releasedKey })
              .where('id', '=', job.id)
              .where('claimed_by', '=', worker)
              .where('state', '=', 'pending'),
          );
          if (marked === 0) throw new LostClaim();
        });
        return true;
      } catch (error) {
        if (error instanceof LostClaim) return false;
        throw error;
      }
    },

    /** Gives a claimed job back to be tried again at `at`. */
    async retryOutbox(job: Pick<OutboxJob, 'id'>, worker: string, at: number, error: string): Promise<boolean> {
      return (await release(job.id, worker, { next_attempt_at: at, last_error: error.slice(0, 500) })) > 0;
    },

    /** Ends a claimed job without doing it: `failed` (attempts exhausted, refused) or `cancelled` (no longer wanted). */
    async abandonOutbox(job: Pick<OutboxJob, 'id'>, worker: string, state: Extract<OutboxState, 'failed' | 'cancelled'>, error: string): Promise<boolean> {
      return (await release(job.id, worker, { state, done_at: now(), last_error: error.slice(0, 500) })) > 0;
    },

    /** How many jobs are in each state (for tests, the health of a deployment). */
    async outboxCounts(kind?: OutboxKind): Promise<OutboxCounts> {
      let query = q.selectFrom('outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
      if (kind) query = query.where('kind', '=', kind);
      const counts: OutboxCounts = { pending: 0, done: 0, failed: 0, cancelled: 0 };
      for (const r of await rows(db, query)) counts[r.state as OutboxState] = Number(r.n);
      return counts;
    },

    /** Pending jobs of `kind` due now (those being worked on included), counted up to `atMost`. */
    async dueOutboxCount(kind: OutboxKind, atMost: number): Promise<number> {
      const [row] = await db.all<{ n: number | string }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM outbox WHERE state = 'pending' AND kind = ? AND next_attempt_at <= ? LIMIT ?) due`,
        [kind, now(), atMost],
      );
      return Number(row?.n ?? 0);
    },

    /** When the next pending job is due, or null when none is; lets an idle worker sleep until then. */
    async nextOutboxDue(kinds: readonly OutboxKind[] = []): Promise<number | null> {
      // A job claimed elsewhere is due again only when its claim runs out.
      let query = q
        .selectFrom('outbox')
        .select(sql<number | null>`min(CASE WHEN claim_expires_at > next_attempt_at THEN claim_expires_at ELSE next_attempt_at END)`.as('due'))
        .where('state', '=', 'pending');
      if (kinds.length > 0) query = query.where('kind', 'in', kinds);
      const [row] = await rows(db, query);
      return row?.due == null ? null : Number(row.due);
    },

    /** Forgets finished jobs older than `ageMs`; returns rows removed. */
    pruneOutbox(ageMs: number): Promise<number> {
      return execute(db, q.deleteFrom('outbox').where('state', '<>', 'pending').where('done_at', '<', now() - ageMs));
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;

/**
 * The job a comment queues when it becomes visible (posted visible, or approved later): whom it
 * notifies (whom it answers, the thread's followers) is decided when the job runs. Once per
 * comment, whatever happens to it afterwards. Its kind keeps the name `reply` it had when only
 * replies notified, so jobs queued before an upgrade still run.
 */
export function replyJob(commentId: string, repliedTo: string | null): OutboxJobInput {
  return { kind: 'reply', payload: { commentId, repliedTo }, dedupeKey: `reply:${commentId}` };
}
