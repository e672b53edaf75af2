// Fetch with the protocol's error envelope, a timeout and retries. Only requests that are safe
// to repeat are retried: reads, and creates (their Idempotency-Key makes a repeat harmless).
import { ColloquyError } from '@colloquy/core';

export interface RetryOptions {
  /** Extra attempts after the first; 0 turns retrying off. Default 2. */
  retries?: number;
  /** Delay before the first retry; doubles each time (plus up to 25% jitter). Default 250 ms. */
  baseDelayMs?: number;
  /**
   * The longest wait the adapter accepts, from backoff or `Retry-After`. A server asking for a
   * longer wait gets no retry: the error (with `retryAfter`) goes to the caller. Default 10 s.
   */
  maxDelayMs?: number;
}

export interface TransportOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  getToken(): string | null;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether repeating the request is harmless. */
  retryable: boolean;
  /** Send the bearer token (reads send it too, so readers see their own held comments). */
  auth?: boolean;
  /** Told of a successful response before its body is read (its headers, such as `Date`). */
  seen?: (response: Response) => void;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Reading a failure (failures.ts) is fetched on the first one: most pages never need it. */
const failures = () => import('./failures.js');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createTransport(options: TransportOptions) {
  async function attempt(method: string, path: string, request: RequestOptions): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    const token = request.auth === false ? null : options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    const url = `${options.baseUrl}${path}`;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
    } catch (cause) {
      if (controller.signal.aborted) {
        throw new ColloquyError('timeout', `The server did not answer within ${options.timeoutMs} ms.`, { cause });
      }
      // Told apart by code fetched now: a failure to fetch it too means no connection.
      throw await failures().then(
        (module) => module.unanswered(options, url, cause),
        () => new ColloquyError('network_error', 'Could not reach the comment server. Check the connection.', { cause }),
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      throw await failures().then(
        (module) => module.errorFromResponse(response),
        (cause: unknown) => new ColloquyError('network_error', `The server answered ${response.status}; its error could not be read.`, { cause, status: response.status }),
      );
    }
    request.seen?.(response);
    try {
      return await response.json();
    } catch (cause) {
      throw new ColloquyError('server_error', `The server answered ${response.status} with something that is not JSON.`, {
        cause,
        status: response.status,
      });
    }
  }

  return async function request(method: string, path: string, request: RequestOptions): Promise<unknown> {
    const { retries, baseDelayMs, maxDelayMs } = options.retry;
    for (let attemptNumber = 0; ; attemptNumber++) {
      try {
        return await attempt(method, path, request);
      } catch (error) {
        if (!(error instanceof ColloquyError) || !request.retryable || attemptNumber >= retries) throw error;
        const transient =
          error.code === 'network_error' || error.code === 'timeout' || RETRY_STATUSES.has(error.status);
        if (!transient) throw error;
        // Up to a quarter more at random, so many readers cut off together do not all return
        // in the same instant.
        const wait =
          error.retryAfter !== undefined
            ? error.retryAfter * 1000
            : baseDelayMs * 2 ** attemptNumber * (1 + Math.random() / 4);
        if (wait > maxDelayMs) throw error;
        await sleep(wait);
      }
    }
  };
}

export type Request = ReturnType<typeof createTransport>;
