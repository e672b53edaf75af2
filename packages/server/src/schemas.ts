import { THREAD_EVENT_TYPES } from '@colloquy/protocol/constants';

/*
 * The JSON Schemas of the v1 protocol, declared once in @colloquy/protocol. Fastify's ajv
 * validates requests against them, and the OpenAPI document is built from the same objects,
 * so the two cannot drift. Checks ajv cannot express with the right error code (lengths in
 * code points that answer `body_too_long`, control characters, lone surrogates) run in the
 * handlers through the core validators. The names below are the server's since before the
 * protocol package existed; new code may import from @colloquy/protocol directly.
 */

export {
  AUDIT_ACTIONS,
  AuthorNoteSchema,
  AuthorParams,
  NoteBody,
  NoteParams,
  NoteResponse,
  NotesResponse,
  AuditEntrySchema,
  AuditExport,
  AuditExportQuery,
  AuditPage,
  AuditQuery,
  AuthorSchema,
  BanBody,
  BanParams,
  BanResponse,
  BansResponse,
  BannedIdentitySchema,
  CommentId,
  CommentResponse,
  CommentSchema,
  ConfigResponse,
  CountsQuery,
  CountsResponse,
  CreateBody,
  CreateIdentityBody,
  CreateIdentityResponse,
  EditBody,
  ErasureResponse,
  ErrorSchema,
  EventCommentSchema,
  EventsQuery,
  IdParams,
  IdentityBanBody,
  IdentityBanResponse,
  IdentityResponse,
  IdentitySchema,
  IpBanSchema,
  LimitsSchema,
  ListQuery,
  ModerateBody,
  ModerationEventData,
  ModerationEventsQuery,
  NameBody,
  PageSchema,
  QueueEntrySchema,
  QueueQuery,
  QueueResponse,
  ReaderExportResponse,
  ReportBody,
  ReportRecordSchema,
  ReportResponse,
  ReporterSchema,
  RoleSchema,
  SHARED_SCHEMAS,
  PinBody,
  ThreadActionBody,
  ThreadActionResponse,
  ThreadEventData,
  ThreadKey,
  TicketResponse,
  UnbanQuery,
} from '@colloquy/protocol';

/** The event types of a thread's live stream. */
export const EVENT_TYPES = THREAD_EVENT_TYPES;
