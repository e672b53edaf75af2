export { createRestAdapter } from './rest-adapter.js';
export type { EventSourceConstructor, EventSourceLike, RestAdapterOptions, TokenStorage } from './rest-adapter.js';
export type { RetryOptions } from './transport.js';
export type { ReconnectOptions } from './reconnect.js';
export { parseRetryAfter } from './failures.js';
