import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxConfig } from './config.js';
import type { OutboxJob, Store } from './store/index.js';
import type { SqlRunner } from './store/sql.js';

/** What a handler made of a job. */
export type OutboxOutcome =
  /** Done; `work` runs in the transaction that marks it done (the next jobs it queues). */
  | { status: 'done'; work?: (tx: SqlRunner) => Promise<void> }
  /** Failed for now (the network, the peer busy or down): tried again later. */
  | { status: 'retry'; error: string }
  /** Failed for good (the peer refused it): never tried again. */
  | { status: 'failed'; error: string }
  /** No longer wanted (the address was removed, the webhook turned off). */
  | { status: 'cancelled'; reason: string };

export interface OutboxHandler {
  /** What the log calls one job of this kind ("webhook delivery"). */
  label: string;
  run(job: OutboxJob, signal: AbortSignal): Promise<OutboxOutcome>;
  /** Wait before the next attempt after `job.attempts` failed ones; null gives up. */
  retryDelay(job: OutboxJob): number | null;
  /** Facts the log line names the job by. */
  describe?(job: OutboxJob): Record<string, unknown>;
}

export interface OutboxWorker {
  /** Looks for due jobs now (a job was just queued in this process). */
  kick(): void;
  /** Stops claiming; attempts in flight are aborted and given back to be tried again at once. */
  close(): Promise<void>;
}

/** Jobs one lane claims at a time and runs side by side: many of the quick internal steps (their commits share an fsync), fewer sends. */
const BATCH: Readonly<Record<string, number>> = { internal: 32, mail: 8, webhook: 8 };

/**
 * Messages composed and not yet sent past which the internal lane composes no more (it still
 * decides whom new comments notify). Composing a message is quicker than sending it: run ahead
 * unbounded through a fan-out to thousands of followers, composing took the process (its event
 * loop, SQLite's one writer) from the sends, and the first follower waited seconds for a message
 * that was ready (decision 0035, "Fan-out").
 */
export const MAIL_AHEAD = 32;

/** `base · 2^(attempts-1)`, at most `max`, then between half and all of it: retries of many jobs that failed together spread out. */
export function backoff(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(full / 2 + random() * (full / 2));
}

/**
 * Works through the durable outbox: claims due jobs (each by one worker, see store/outbox.ts),
 * runs each kind's handler, and marks the outcome. Every process runs one; on PostgreSQL they
 * share the work. A process that dies holding claims leaves them to be taken again when their
 * lease runs out.
 */
export function createOutboxWorker(
  store: Store,
  handlers: Partial<Record<OutboxJob['kind'], OutboxHandler>>,
  config: OutboxConfig,
  options: { now: () => number; log: (level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown>) => void },
): OutboxWorker {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const controller = new AbortController();
  let closed = false;
  // Each lane sleeps on its own timer; a kick wakes every lane (or the next sleep of each, when busy).
  const wakers = new Set<() => void>();
  let kicks = 0;

  function kick(): void {
    kicks++;
    for (const wake of [...wakers]) wake();
  }

  function sleep(ms: number, lane: { seen: number }): Promise<void> {
    return new Promise((resolve) => {
      // Kicked while this lane was busy: look again at once.
      if (closed || lane.seen !== kicks) {
        lane.seen = kicks;
        return resolve();
      }
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }

  async function settle(job: OutboxJob, outcome: OutboxOutcome, handler: OutboxHandler): Promise<void> {
    const facts = { job: job.id, kind: job.kind, ...(handler.describe?.(job) ?? {}) };
    if (outcome.status === 'done') {
      if (!(await store.completeOutbox(job, workerId, outcome.work))) {
        options.log('warn', `${handler.label}: claim expired before it finished; another worker has it`, facts);
      } else if (outcome.work) {
        // It may have queued the next step (a message to send): the other lanes look now.
        kick();
      }
      return;
    }
    if (outcome.status === 'cancelled') {
      await store.abandonOutbox(job, workerId, 'cancelled', outcome.reason);
      return;
    }
    if (closed && outcome.status === 'retry') {
      // Interrupted by the shutdown, not by the peer: the next process tries at once.
      await store.retryOutbox(job, workerId, options.now(), outcome.error);
      return;
    }
    const delay = outcome.status === 'retry' ? handler.retryDelay(job) : null;
    if (delay === null) {
      options.log('error', `${handler.label} abandoned`, { ...facts, reason: outcome.error, attempts: job.attempts });
      await store.abandonOutbox(job, workerId, 'failed', outcome.error);
      return;
    }
    options.log('warn', `${handler.label} failed; retrying`, { ...facts, reason: outcome.error, attempt: job.attempts });
    await store.retryOutbox(job, workerId, options.now() + delay, outcome.error);
  }

  async function runOne(job: OutboxJob): Promise<void> {
    const handler = handlers[job.kind];
    if (!handler) {
      // A kind this process has no handler for (a webhook with no receiver configured any more).
      await store.abandonOutbox(job, workerId, 'cancelled', `no handler for ${job.kind} here`);
      return;
    }
    let outcome: OutboxOutcome;
    try {
      outcome = await handler.run(job, controller.signal);
    } catch (error) {
      outcome = { status: 'retry', error: (error as Error).message ?? String(error) };
    }
    try {
      await settle(job, outcome, handler);
    } catch (error) {
      // The store is unreachable: the claim runs out and the job is taken again.
      options.log('error', 'outbox: could not record an outcome', { job: job.id, err: error });
    }
  }

  // Kinds are worked in separate lanes, so a hanging SMTP server never holds up webhooks or the
  // steps that decide what to send, and the other way round.
  const LANES: ReadonlyArray<{ name: string; kinds: readonly OutboxJob['kind'][] }> = [
    { name: 'internal', kinds: ['reply', 'notify'] },
    { name: 'mail', kinds: ['mail'] },
    { name: 'webhook', kinds: ['webhook'] },
  ];
  const inFlight = new Set<string>();
  // Whether the internal lane holds back `notify` jobs until the mail lane has caught up.
  let composingHeld = false;

  /** The kinds a lane claims now: the internal lane composes no message while MAIL_AHEAD wait to be sent. */
  async function claimable(name: string, kinds: readonly OutboxJob['kind'][]): Promise<readonly OutboxJob['kind'][]> {
    if (name !== 'internal' || !handlers.mail) return kinds;
    composingHeld = (await store.dueOutboxCount('mail', MAIL_AHEAD).catch(() => 0)) >= MAIL_AHEAD;
    return composingHeld ? kinds.filter((kind) => kind !== 'notify') : kinds;
  }

  async function loop(spec: (typeof LANES)[number]): Promise<void> {
    const { name } = spec;
    const lane = { seen: kicks };
    while (!closed) {
      const kinds = await claimable(name, spec.kinds);
      let jobs: OutboxJob[] = [];
      try {
        jobs = await store.claimOutbox(workerId, BATCH[name] ?? 8, config.leaseMs, kinds);
      } catch (error) {
        if (closed) break;
        options.log('error', 'outbox: claiming jobs failed', { err: error });
        await sleep(config.pollMs, lane);
        continue;
      }
      if (jobs.length > 0) {
        for (const job of jobs) inFlight.add(job.id);
        await Promise.all(jobs.map((job) => runOne(job).finally(() => inFlight.delete(job.id))));
        // Sent: room for the internal lane to compose more.
        if (name === 'mail' && composingHeld) kick();
        continue;
      }
      let wait = config.pollMs;
      try {
        const due = await store.nextOutboxDue(kinds);
        if (due !== null) wait = Math.max(0, Math.min(wait, due - options.now()));
      } catch {
        // Claiming will say what is wrong.
      }
      await sleep(wait, lane);
    }
  }

  // A job still being worked on keeps its claim: the lease only runs out when its process stops.
  const heartbeat = setInterval(() => {
    store.extendOutboxClaims(workerId, [...inFlight], config.leaseMs).catch(() => undefined);
  }, Math.max(100, Math.floor(config.leaseMs / 3)));
  heartbeat.unref();

  const running = Promise.all(LANES.map(loop));
  return {
    kick,
    async close() {
      if (closed) return;
      closed = true;
      controller.abort();
      for (const wake of wakers) wake();
      await running;
      clearInterval(heartbeat);
    },
  };
}
