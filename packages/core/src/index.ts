export type {
  Author,
  Comment,
  CommentStatus,
  CreateInput,
  Helpful,
  HelpfulMark,
  Identity,
  Limits,
  ListQuery,
  Page,
  ReplyTo,
  ReportInput,
  ReportReason,
  Role,
  SortOrder,
  ThreadEvent,
  ThreadEventType,
} from './types.js';
export {
  COMMENT_STATUSES,
  DEFAULT_LIMITS,
  DEFAULT_PAGE_SIZE,
  REPORT_REASONS,
  ROLES,
  SORT_ORDERS,
  THREAD_EVENT_TYPES,
} from './types.js';
export type { MarkSpan } from './helpful.js';
export { BEST_GRAVITY, BEST_OFFSET_HOURS, BEST_SCALE, bestScore, markStoodAt, validateHelpful } from './helpful.js';
export type { AdapterCapabilities, StorageAdapter, Unsubscribe } from './adapter.js';
export type { CursorKey, CursorPart } from './cursor.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export type { ColloquyErrorOptions, ErrorCode } from './errors.js';
export { ColloquyError, ERROR_STATUS, isColloquyError, isErrorCode, toColloquyError } from './errors.js';
export type {
  CommentNode,
  LoadStatus,
  LocalState,
  PostInput,
  ThreadSnapshot,
  ThreadState,
  ThreadStateOptions,
} from './state-types.js';
export { displayText, hasVisibleText, safeUrl } from './text.js';
export {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_THREAD_KEY_LENGTH,
  codePointLength,
  validateBody,
  validateCommentId,
  validateLimit,
  validateListQuery,
  validateSort,
  canonicalThreadKey,
  validateThreadKey,
} from './validate.js';
export { validateCreateInput, validateName, validateReport } from './validate-writes.js';
export type { Sanitizer } from './sanitize-rules.js';
export type { SanitizerWindow } from './sanitize.js';
export { createPlatformSanitizer } from './sanitize-platform.js';
export { ALLOWED_TAGS, LINK_REL } from './sanitize-rules.js';
export { createSanitizer } from './sanitize.js';
export type { BuildTreeOptions } from './tree.js';
export { buildTree, countNodes, findNode } from './tree.js';
export { createThreadState } from './thread-state.js';
export type {
  AuditEntry,
  AuditPage,
  AuthorAction,
  AuthorHistory,
  AuthorNote,
  BanList,
  BannedIdentity,
  BannedRange,
  ModerationAction,
  QueueItem,
  QueuePage,
  QueueReport,
  QueueStatus,
} from './moderation-types.js';
export type {
  ActOptions,
  LiveOptions,
  LoadMoreResult,
  ModerationQueue,
  ModerationQueueOptions,
  ModerationQueueSnapshot,
  ModerationSource,
  QueueChangeListener,
  QueueSearch,
} from './moderation-queue.js';
export {
  MODERATION_ACTIONS,
  QUEUE_STATUSES,
  REVIEW_QUEUES,
  actionApplies,
  compareQueued,
  createModerationQueue,
  normalizeSearch,
  toQueuePage,
} from './moderation-queue.js';
