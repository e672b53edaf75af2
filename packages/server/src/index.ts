export { createApp, createServer } from './app.js';
export type { ColloquyApp, RunningServer, ServerOptions } from './app.js';
export { configFromEnv, defaultConfig, DEFAULT_RATE_LIMITS } from './config.js';
export type { ModerationMode, RateLimitRule, RateLimits, ServerConfig } from './config.js';
export type { StreamLimits } from './stream-limits.js';
export { createStore, createSqlStore, DEFAULT_SQLITE_FILE, MIGRATIONS, migrate } from './store/index.js';
export type {
  AuditAction,
  AuditEntry,
  ChangeEvent,
  CommentRecord,
  CommentTree,
  CreateCommentInput,
  CreateStoreOptions,
  IdentityRecord,
  ListCommentsInput,
  ModerateInput,
  ModerationAction,
  ModerationSearch,
  QueueItem,
  QueueStatus,
  RateLimitResult,
  ReportInput,
  ReportRecord,
  Store,
  StoreOptions,
  StoredStatus,
} from './store/index.js';
export { createBodyRenderer } from './render.js';
export type { BodyRenderer } from './render.js';
export { buildOpenApi } from './openapi.js';
export { hashToken } from './identity.js';
export { signWebhook, verifyWebhook } from './webhooks.js';
export { DEMO_THREAD, seedDemo } from './seed.js';
