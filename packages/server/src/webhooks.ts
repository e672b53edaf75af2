import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { WebhookConfig } from './config.js';
import type { OutboxHandler } from './outbox-worker.js';
import type { OutboxJobInput } from './store/index.js';

export const WEBHOOK_EVENT_TYPES = ['reported', 'held', 'hidden'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];
const DEFAULT_TIMEOUT_MS = 10_000;

/** `Colloquy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does: check the signature over the raw body and refuse old timestamps
 * (replays). Exported so a site in Node can use it as is; docs/protocol.md shows the recipe.
 */
export function verifyWebhook(secret: string, body: string, header: string | undefined, options: { now?: number; toleranceSeconds?: number } = {}): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

export interface WebhookDelivery {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

/** The outbox job of one delivery; its id (the `Colloquy-Delivery` header) stays the same on every attempt. */
export function webhookJob(type: WebhookEventType, data: Record<string, unknown>, now: number): OutboxJobInput {
  const delivery: WebhookDelivery = { id: randomUUID(), type, createdAt: new Date(now).toISOString(), data };
  return { kind: 'webhook', payload: delivery as unknown as Record<string, unknown> };
}

/** Whether a failed attempt is worth repeating: the network, a timeout, the receiver overloaded or down. */
function retryable(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}

/**
 * Delivers the outbox's webhook jobs: a POST signed at each attempt, retried after the
 * configured waits (with jitter) while the receiver is unreachable, times out or answers 408,
 * 429 or 5xx; given up (and logged) after the last one or on any other answer. A job survives
 * restarts in the outbox, so a receiver may see a delivery again after a crash: it tells
 * repeats by `Colloquy-Delivery`.
 */
export function webhookHandler(config: WebhookConfig, options: { now: () => number }): OutboxHandler {
  const delays = config.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    label: 'webhook delivery',
    describe: (job) => ({ delivery: (job.payload as unknown as WebhookDelivery).id, type: (job.payload as unknown as WebhookDelivery).type }),
    retryDelay(job) {
      const delay = delays[job.attempts - 1];
      return delay === undefined ? null : Math.round(delay * (0.8 + Math.random() * 0.4));
    },
    async run(job, signal) {
      const delivery = job.payload as unknown as WebhookDelivery;
      const body = JSON.stringify(delivery);
      const timeout = AbortSignal.timeout(timeoutMs);
      let status: number;
      try {
        const response = await fetch(config.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Colloquy-Webhook/1',
            'colloquy-event': delivery.type,
            'colloquy-delivery': delivery.id,
            'colloquy-signature': signWebhook(config.secret, body, Math.floor(options.now() / 1000)),
          },
          body,
          signal: AbortSignal.any([signal, timeout]),
          redirect: 'manual',
        });
        status = response.status;
        // The answer is not read beyond what it takes to free the connection.
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        return { status: 'retry', error: timeout.aborted ? 'timed out' : ((error as Error).message ?? 'failed') };
      }
      if (status >= 200 && status < 300) return { status: 'done' };
      return retryable(status) ? { status: 'retry', error: `answered ${status}` } : { status: 'failed', error: `answered ${status}` };
    },
  };
}
