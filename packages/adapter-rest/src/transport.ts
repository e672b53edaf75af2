// Fetch with the protocol's error envelope, a timeout and retries. Only requests that are safe
// to repeat are retried: reads, and creates (their Idempotency-Key makes a repeat harmless).
import { ColloquyError, isErrorCode } from '@colloquy/core';
import type { ErrorCode } from '@colloquy/core';

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

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

async function errorFromResponse(response: Response): Promise<ColloquyError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const extra = { status: response.status, ...(retryAfter === undefined ? {} : { retryAfter }) };
  let envelope: unknown;
  try {
    envelope = await response.json();
  } catch {
    envelope = undefined;
  }
  const error = (envelope as { error?: { code?: unknown; message?: unknown; until?: unknown } } | undefined)?.error;
  if (error && isErrorCode(error.code)) {
    const message = typeof error.message === 'string' && error.message ? error.message : `Request failed (${response.status}).`;
    // A suspension's end (`banned`), for the reader's "You can post again on …".
    return new ColloquyError(error.code, message, { ...extra, until: typeof error.until == 'string' ? error.until : undefined });
  }
  const code = STATUS_CODES[response.status] ?? 'server_error';
  return new ColloquyError(code, `The server answered ${response.status} without a readable error.`, extra);
}

/**
 * Whether a request that failed without an answer was refused by CORS: it went to another
 * origin, the browser is online, and a `no-cors` request (which CORS does not govern) to the
 * same URL reaches the server. A page cannot read the CORS failure itself.
 */
async function refusedByCors(options: TransportOptions, url: string): Promise<boolean> {
  const page = globalThis.location?.origin;
  if (!page || new URL(url).origin === page || globalThis.navigator?.onLine === false) return false;
  try {
    await options.fetch(url, { mode: 'no-cors', credentials: 'omit', signal: AbortSignal.timeout(options.timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createTransport(options: TransportOptions) {
  let toldOwner = false;
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
      if (await refusedByCors(options, url)) {
        // For the site owner, once per page: the reader is shown a plain message instead.
        if (!toldOwner) {
          toldOwner = true;
          console.error(
            `Colloquy: the comment server ${new URL(url).origin} does not accept this page's origin. Add ${location.origin} to COLLOQUY_ALLOWED_ORIGINS on the server.`,
          );
        }
        throw new ColloquyError('origin_not_allowed', `${location.origin} is not in the server's COLLOQUY_ALLOWED_ORIGINS.`, { cause });
      }
      throw new ColloquyError('network_error', 'Could not reach the comment server. Check the connection.', { cause });
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw await errorFromResponse(response);
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
