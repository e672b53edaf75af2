// What a request that failed becomes: the protocol's error envelope read into a ColloquyError,
// or, for a request that got no answer, whether CORS refused it. Loaded by the transport on the
// first failure, so a page whose requests all succeed never fetches it (in embed.js, an
// on-demand chunk; docs/decisions/0039).
import { ColloquyError, isErrorCode } from '@colloquy/core';
import type { ErrorCode } from '@colloquy/core';
import type { TransportOptions } from './transport.js';

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

/** The error a response with a failing status stands for. */
export async function errorFromResponse(response: Response): Promise<ColloquyError> {
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

/** Transports that told the site owner their origin is refused: once per page each. */
const told = new WeakSet<TransportOptions>();

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

/** The error of a request that got no answer (not a timeout): `origin_not_allowed` or `network_error`. */
export async function unanswered(options: TransportOptions, url: string, cause: unknown): Promise<ColloquyError> {
  if (!(await refusedByCors(options, url))) {
    return new ColloquyError('network_error', 'Could not reach the comment server. Check the connection.', { cause });
  }
  // For the site owner, once per page: the reader is shown a plain message instead.
  if (!told.has(options)) {
    told.add(options);
    console.error(
      `Colloquy: the comment server ${new URL(url).origin} does not accept this page's origin. Add ${location.origin} to COLLOQUY_ALLOWED_ORIGINS on the server.`,
    );
  }
  return new ColloquyError('origin_not_allowed', `${location.origin} is not in the server's COLLOQUY_ALLOWED_ORIGINS.`, { cause });
}
