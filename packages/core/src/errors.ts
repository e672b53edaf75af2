/**
 * Stable error codes. The HTTP protocol sends them in `{error: {code, message}}`; adapters
 * raise them as `ColloquyError`; the widget picks its wording by code.
 */
export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_cursor: 400,
  body_too_long: 400,
  name_too_long: 400,
  /** A screen name that claims a role or imitates a moderator's or staff member's name. */
  name_not_allowed: 400,
  unauthenticated: 401,
  invalid_token: 401,
  token_expired: 401,
  /** A host-site token made for another site: its `aud` is not the one the server requires. */
  token_audience_mismatch: 401,
  /** A host-site token from another issuer: its `iss` is not the one the server requires. */
  token_issuer_mismatch: 401,
  forbidden: 403,
  name_required: 403,
  edit_window_closed: 403,
  /** The thread is closed: it reads as before but takes no new comments, replies or authors' edits. */
  thread_closed: 403,
  banned: 403,
  not_found: 404,
  conflict: 409,
  already_reported: 409,
  /** A thread already has as many pinned comments as allowed: unpin one first. */
  pin_limit: 409,
  /** The reader already follows (or, muting, has muted) as many threads as one may: unfollow one first. */
  follow_limit: 409,
  idempotency_conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  server_error: 500,
  /** An answer arrived in a shape the client cannot read (a field missing or of the wrong kind). */
  bad_response: 502,
  unavailable: 503,
  network_error: 0,
  /**
   * The browser refused the answer because the comment server does not allow this page's
   * origin (CORS): the server is reachable, so retrying cannot help.
   */
  origin_not_allowed: 0,
  timeout: 0,
  unsupported: 0,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

export interface ColloquyErrorOptions {
  /** Seconds to wait before retrying, from `Retry-After` on 429/503. */
  retryAfter?: number;
  /** HTTP status, when the error came over HTTP. */
  status?: number;
  /** For `banned`: when a suspension ends (ISO 8601 time); absent for a ban for good. */
  until?: string;
  cause?: unknown;
}

/** The one error type every public function throws. `code` is stable; `message` is for people. */
export class ColloquyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;
  /**
   * For `banned`: when the reader's suspension ends (ISO 8601 time), so they can be told when
   * they may write again; undefined for a ban for good and for every other code.
   */
  readonly until: string | undefined;

  constructor(code: ErrorCode, message: string, options: ColloquyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ColloquyError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.retryAfter = options.retryAfter;
    this.until = options.until;
  }

  /** The protocol's error envelope (`until` only when there is one). */
  toJSON(): { error: { code: ErrorCode; message: string; until?: string | undefined } } {
    return { error: { code: this.code, message: this.message, until: this.until } };
  }

  /** True when repeating the same request may succeed (network trouble, 429, 5xx). */
  get retryable(): boolean {
    return (
      this.code === 'network_error' ||
      this.code === 'timeout' ||
      this.code === 'rate_limited' ||
      this.code === 'server_error' ||
      this.code === 'unavailable'
    );
  }
}

export function isColloquyError(value: unknown): value is ColloquyError {
  return value instanceof ColloquyError;
}

/** Wraps anything thrown into a ColloquyError, keeping the original as `cause`. */
export function toColloquyError(value: unknown, fallback: ErrorCode = 'server_error'): ColloquyError {
  if (value instanceof ColloquyError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ColloquyError(fallback, message || 'Something went wrong.', { cause: value });
}
