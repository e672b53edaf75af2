/** How long a live stream waits before opening again after the server refused it. */
export interface ReconnectOptions {
  /** The first wait. Default 3000 ms. */
  baseDelayMs?: number;
  /** The longest wait; each refusal in a row doubles the last. Default 120 000 ms. */
  maxDelayMs?: number;
}

/**
 * Waits that double with each refusal in a row (a server at its stream limit answers 429 or
 * 503, and an EventSource cannot read `Retry-After`), with up to a quarter more at random so
 * readers refused together do not all return together; an opened stream starts over.
 */
export function createReconnectDelay(options: ReconnectOptions = {}) {
  const base = options.baseDelayMs ?? 3000;
  const max = Math.max(base, options.maxDelayMs ?? 120_000);
  let refusals = 0;
  return {
    next(): number {
      const delay = Math.min(max, base * 2 ** refusals) * (1 + Math.random() / 4);
      refusals = Math.min(refusals + 1, 30);
      return Math.round(delay);
    },
    opened(): void {
      refusals = 0;
    },
  };
}
