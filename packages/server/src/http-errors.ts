import { ColloquyError, ERROR_STATUS, isErrorCode } from '@colloquy/core';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown;
}

/**
 * Maps anything a request handler or fastify itself threw to the protocol's error. Client
 * mistakes keep a 4xx status and a stable code; only faults of the server become 500, and
 * their message never leaks internals.
 */
export function toHttpError(error: unknown): ColloquyError {
  if (error instanceof ColloquyError) {
    // Codes with status 0 describe client-side conditions; a server never answers with them.
    // `unavailable` (503) is the one server status given on purpose: a limit reached, with Retry-After.
    if (error.status === 0 || (error.status >= 500 && error.code !== 'unavailable')) {
      return new ColloquyError('server_error', 'Something went wrong on the server; try again.', { cause: error });
    }
    return error;
  }
  const e = (error ?? {}) as FastifyLikeError;
  if (e.validation) {
    return new ColloquyError('invalid_input', friendlyValidation(e.message ?? 'The request is not valid.'));
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ColloquyError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ColloquyError('too_large', 'The request body is larger than 64 KiB.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ColloquyError('invalid_input', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ColloquyError('invalid_input', 'The Content-Length header does not match the body.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new ColloquyError('invalid_input', 'The request URL is not valid.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ColloquyError('invalid_input', 'A part of the request path is too long.');
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413) return new ColloquyError('too_large', 'The request is too large.');
  if (status === 415) return new ColloquyError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  if (status === 404) return new ColloquyError('not_found', 'Not found.');
  if (status >= 400 && status < 500) {
    const code = isErrorCode(e.code) && ERROR_STATUS[e.code] === status ? e.code : 'invalid_input';
    return new ColloquyError(code, e.message || 'The request is not valid.', { status: code === 'invalid_input' ? 400 : status });
  }
  return new ColloquyError('server_error', 'Something went wrong on the server; try again.', { cause: error });
}

function friendlyValidation(message: string): string {
  // ajv says "body/thread must be string"; name the part of the request plainly.
  const text = message
    .replace(/^querystring\/?/, 'query parameter ')
    .replace(/^params\/?/, 'path parameter ')
    .replace(/^body\/?/, 'body field ')
    .replace(/^headers\/?/, 'header ')
    .replace(/\s+/g, ' ')
    .trim();
  return `Invalid request: ${text}.`;
}
