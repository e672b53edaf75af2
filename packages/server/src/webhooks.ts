import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { WebhookConfig } from './config.js';

export const WEBHOOK_EVENT_TYPES = ['reported', 'held', 'hidden'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];
const DEFAULT_TIMEOUT_MS = 10_000;
/** Deliveries waiting or in flight at most; past it the oldest is dropped (and logged). */
const MAX_PENDING = 1_000;

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

export interface WebhookSender {
  /** Queues a delivery and returns at once; failures are retried with backoff, then logged. */
  send(type: WebhookEventType, data: Record<string, unknown>): void;
  /** Deliveries waiting or in flight. */
  readonly pending: number;
  /** Stops retrying and aborts attempts in flight. */
  close(): void;
}

/** Whether a failed attempt is worth repeating: the network, a timeout, the receiver overloaded or down. */
function retryable(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}

export function createWebhookSender(
  config: WebhookConfig,
  options: { now: () => number; log: (level: 'warn' | 'error', message: string, details: Record<string, unknown>) => void },
): WebhookSender {
  const delays = config.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  const pendingIds: string[] = [];
  const dropped = new Set<string>();
  let closed = false;

  function forget(id: string) {
    const i = pendingIds.indexOf(id);
    if (i >= 0) pendingIds.splice(i, 1);
    dropped.delete(id);
  }

  async function attempt(delivery: WebhookDelivery, body: string, retryIndex: number): Promise<void> {
    if (closed || dropped.has(delivery.id)) return forget(delivery.id);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    inFlight.add(controller);
    let status: number | null = null;
    let failure = '';
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
        signal: controller.signal,
        redirect: 'manual',
      });
      status = response.status;
      // The answer is not read beyond what it takes to free the connection.
      await response.body?.cancel().catch(() => undefined);
    } catch (error) {
      failure = (error as Error).name === 'AbortError' ? 'timed out' : ((error as Error).message ?? 'failed');
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
    if (status !== null && status >= 200 && status < 300) return forget(delivery.id);
    const reason = status === null ? failure : `answered ${status}`;
    if (closed) return forget(delivery.id);
    if (!retryable(status) || retryIndex >= delays.length) {
      options.log('error', 'webhook delivery abandoned', { delivery: delivery.id, type: delivery.type, reason, attempts: retryIndex + 1 });
      return forget(delivery.id);
    }
    options.log('warn', 'webhook delivery failed; retrying', { delivery: delivery.id, type: delivery.type, reason, attempt: retryIndex + 1 });
    const retry = setTimeout(() => {
      timers.delete(retry);
      void attempt(delivery, body, retryIndex + 1);
    }, delays[retryIndex]);
    retry.unref();
    timers.add(retry);
  }

  return {
    send(type, data) {
      if (closed) return;
      const delivery: WebhookDelivery = { id: randomUUID(), type, createdAt: new Date(options.now()).toISOString(), data };
      pendingIds.push(delivery.id);
      if (pendingIds.length > MAX_PENDING) {
        const oldest = pendingIds.shift()!;
        dropped.add(oldest);
        options.log('error', 'webhook delivery dropped: too many pending', { delivery: oldest });
      }
      const body = JSON.stringify(delivery);
      // After the reader's answer has gone out: a slow receiver never delays a request.
      setImmediate(() => void attempt(delivery, body, 0));
    },
    get pending() {
      return pendingIds.length;
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of inFlight) controller.abort();
      pendingIds.length = 0;
    },
  };
}
