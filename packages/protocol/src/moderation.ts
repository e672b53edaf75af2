import { Type, type Static } from '@sinclair/typebox';
import { HIDDEN_BY, IDENTITY_BAN_ACTIONS, MODERATION_ACTIONS, MODERATION_EVENT_TYPES, QUEUE_STATUSES, THREAD_ACTIONS } from './constants.js';
import { Nullable, Timestamp, literals, ref } from './builders.js';
import { ActorSchema, AuditEntrySchema, CommentSchema, EventCommentSchema, RoleSchema, ThreadKey } from './common.js';
import { ReportReasonSchema } from './reader.js';

/* What moderators' tools send and receive: the queue, decisions, the audit log, bans, the live stream. */

export const QueueStatusSchema = literals(QUEUE_STATUSES);
export const ModerationActionSchema = literals(MODERATION_ACTIONS);
export const ModerationEventTypeSchema = literals(MODERATION_EVENT_TYPES);

const reportFields = {
  id: Type.String(),
  reason: ReportReasonSchema,
  details: Nullable(Type.String()),
  weight: Type.Integer(),
  createdAt: Timestamp(),
  reporter: ActorSchema,
};

export const ReporterSchema = ActorSchema;

/** One open report on a queued comment. */
export const ReportRecordSchema = Type.Object({ ...reportFields, commentId: Type.String() });

/** A report inside a group of reports with the same reason. */
export const GroupedReportSchema = Type.Object(reportFields);

/** Search filters shared by the queue and the audit log; all given filters must match. */
const SearchFilters = {
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Text to find, ignoring case: in the comment’s body or its author’s name (and, in the audit log, the reason given).',
    }),
  ),
  thread: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'Only comments in this thread (its key, as the widget sends it).' })),
};

export const QueueQuery = Type.Object({
  status: Type.Optional(
    Type.Union(QueueStatusSchema.anyOf, {
      description: 'reported, held or hidden (awaiting a decision, oldest first; default reported), or visible: every published comment, newest first.',
    }),
  ),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page of the same queue.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  ...SearchFilters,
  authorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only comments by this author.' })),
});

/** A moderator's note on an author: seen by moderators only, never by the author. */
export const AuthorNoteSchema = Type.Object({
  id: Type.String(),
  authorId: Type.String(),
  body: Type.String(),
  createdAt: Timestamp(),
  moderator: Nullable(ActorSchema, { description: 'Who wrote it; null once that identity is gone.' }),
});

export const AuthorParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const NoteParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const NoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000, description: 'The note, as plain text.' }) });
export const NoteResponse = Type.Object({ note: AuthorNoteSchema });
export const NotesResponse = Type.Object({ notes: Type.Array(AuthorNoteSchema, { description: 'Newest first.' }) });

/** What moderators are told about a queued comment's author. */
export const QueueAuthorSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  banned: Type.Boolean(),
  bannedUntil: Nullable(Timestamp(), { description: 'When the author’s suspension ends; null for a permanent ban (or none).' }),
  since: Nullable(Timestamp()),
  counts: Type.Object({ visible: Type.Integer(), held: Type.Integer(), hidden: Type.Integer(), deleted: Type.Integer(), spam: Type.Integer() }),
  recent: Type.Array(ref(CommentSchema), { description: 'The author’s latest comments, newest first.' }),
  actions: Type.Array(ref(AuditEntrySchema), { description: 'Moderation actions about the author, newest first.' }),
  notes: Type.Array(AuthorNoteSchema, { description: 'Moderators’ notes on the author, newest first (the latest 20).' }),
});

/** One comment in a queue (awaiting a decision, or published), with its context. */
export const QueueEntrySchema = Type.Object({
  comment: ref(CommentSchema),
  thread: Type.String({ description: 'The thread key of the comment.' }),
  threadUrl: Nullable(Type.String(), {
    description: 'The page the thread was last seen on (origin and path, as a widget posting there or an import reported it); null when none is known. Append #comment-<id> to open the comment in context.',
  }),
  threadClosed: Type.Boolean({ description: 'Whether the thread is closed to new comments.' }),
  parent: Nullable(ref(CommentSchema), { description: 'The comment replied to, whatever its status.' }),
  reports: Type.Array(ReportRecordSchema, { description: 'Open reports (this round), oldest first.' }),
  reportGroups: Type.Array(
    Type.Object({ reason: ReportReasonSchema, count: Type.Integer(), weight: Type.Integer(), reports: Type.Array(GroupedReportSchema) }),
    { description: 'The open reports grouped by reason, heaviest group first.' },
  ),
  reportWeight: Type.Integer({
    description: 'The open reports’ weight counted toward the threshold: per reporter network the heaviest, none from reporters of an earlier round (docs/moderation-trust.md).',
  }),
  threshold: Type.Integer({ description: 'The report weight that hides a comment.' }),
  heldReasons: Type.Array(Type.String(), { description: 'Why the comment was held (spam rules, first comment); empty otherwise.' }),
  hiddenBy: Nullable(literals(HIDDEN_BY)),
  actions: Type.Array(ref(AuditEntrySchema), { description: 'What was done to this comment before, oldest first.' }),
  author: QueueAuthorSchema,
});

export const QueueResponse = Type.Object({
  items: Type.Array(QueueEntrySchema, { description: 'Oldest first by (createdAt, id); the visible queue newest first.' }),
  nextCursor: Nullable(Type.String(), { description: 'Pass as cursor for the next page; null on the last page.' }),
  total: Type.Integer({ minimum: 0, description: 'How many comments the whole queue holds now, not only this page.' }),
});

/** How long a ban lasts, in seconds: a suspension from an hour to ten years; absent bans for good. */
const BanDuration = Type.Integer({ minimum: 3600, maximum: 315_360_000, description: 'With a ban: suspend for this many seconds instead of banning for good.' });

export const ModerateBody = Type.Object({
  action: ModerationActionSchema,
  reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  duration: Type.Optional(BanDuration),
});

export const ThreadActionBody = Type.Object({
  thread: ThreadKey,
  action: literals(THREAD_ACTIONS),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});

export const PinBody = Type.Object({
  pinned: Type.Boolean({ description: 'true pins the comment (shown first in its thread, in every sort); false unpins it.' }),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});

/** A thread as moderators see it. */
export const ThreadStateSchema = Type.Object({
  key: Type.String(),
  closed: Type.Boolean(),
  url: Nullable(Type.String(), { description: 'The page the thread was last seen on, when known.' }),
});

export const ThreadActionResponse = Type.Object({ thread: ThreadStateSchema });

const AuditFilters = {
  commentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries about this comment.' })),
  authorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries against this author.' })),
  moderatorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries by this moderator.' })),
  ...SearchFilters,
};

export const AuditQuery = Type.Object({
  ...AuditFilters,
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

export const AuditExportQuery = Type.Object(AuditFilters);

export const AuditPage = Type.Object({ entries: Type.Array(ref(AuditEntrySchema)), nextCursor: Nullable(Type.String()) });

export const AuditExport = Type.Object({
  format: Type.Literal('colloquy-audit-log'),
  version: Type.Literal(1),
  exportedAt: Timestamp(),
  filters: Type.Object({
    commentId: Nullable(Type.String()),
    authorId: Nullable(Type.String()),
    moderatorId: Nullable(Type.String()),
    q: Nullable(Type.String()),
    thread: Nullable(Type.String()),
  }),
  entries: Type.Array(ref(AuditEntrySchema), { description: 'Newest first.' }),
});

export const IpBanSchema = Type.Object({
  id: Type.String(),
  cidr: Type.String({ description: 'Canonical CIDR: host bits cleared, IPv6 compressed.' }),
  reason: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp(),
});

export const BannedIdentitySchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  role: RoleSchema,
  banned: Type.Boolean(),
  bannedUntil: Nullable(Timestamp(), { description: 'When a suspension ends; null for a permanent ban (or none).' }),
  createdAt: Timestamp(),
});

export const BansResponse = Type.Object({
  ranges: Type.Array(IpBanSchema, { description: 'Ranges moderators banned.' }),
  configured: Type.Array(Type.String(), { description: 'Ranges from COLLOQUY_BANNED_IPS (lifted only by changing it).' }),
  identities: Type.Array(BannedIdentitySchema, { description: 'Banned identities, newest first.' }),
});

export const IdentityBanBody = Type.Object({
  action: literals(IDENTITY_BAN_ACTIONS),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  duration: Type.Optional(BanDuration),
});

export const IdentityBanResponse = Type.Object({ identity: BannedIdentitySchema });

export const BanBody = Type.Object({
  cidr: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 203.0.113.0/24, 2001:db8::/32, or one address.' }),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});

export const BanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const UnbanQuery = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) });

export const BanResponse = Type.Object({ ban: IpBanSchema });

export const TicketResponse = Type.Object({
  ticket: Type.String({ description: 'Pass as ?ticket= to GET /moderation/events; works for five minutes, reconnects included.' }),
  expiresAt: Timestamp(),
});

export const ModerationEventsQuery = Type.Object({
  ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'From POST /moderation/events/tickets, for clients that cannot send headers.' })),
});

/**
 * The `data` of an event on the moderators' stream: the comment as an anonymous reader sees it,
 * beside the facts of the event (docs/protocol.md lists them per type).
 */
export const ModerationEventData = Type.Object(
  {
    comment: EventCommentSchema,
    report: Type.Optional(GroupedReportSchema),
    reportWeight: Type.Optional(Type.Integer()),
    threshold: Type.Optional(Type.Integer()),
    heldReasons: Type.Optional(Type.Array(Type.String())),
    edited: Type.Optional(Type.Boolean({ description: 'On `held`: the comment was held again because its author edited it.' })),
    by: Type.Optional(literals(HIDDEN_BY)),
    action: Type.Optional(ModerationActionSchema),
    reason: Type.Optional(Nullable(Type.String())),
    moderator: Type.Optional(ActorSchema),
  },
  { additionalProperties: true },
);

export type QueueStatus = Static<typeof QueueStatusSchema>;
export type ModerationAction = Static<typeof ModerationActionSchema>;
export type ModerationEventType = Static<typeof ModerationEventTypeSchema>;
export type Reporter = Static<typeof ReporterSchema>;
/** One open report on a queued comment, oldest first in its item. */
export type QueueReport = Static<typeof ReportRecordSchema>;
export type ReportRecord = QueueReport;
export type GroupedReport = Static<typeof GroupedReportSchema>;
export type QueueQuery = Static<typeof QueueQuery>;
export type QueueAuthor = Static<typeof QueueAuthorSchema>;
export type AuthorNote = Static<typeof AuthorNoteSchema>;
export type NoteBody = Static<typeof NoteBody>;
export type QueueEntry = Static<typeof QueueEntrySchema>;
export type QueueResponse = Static<typeof QueueResponse>;
export type ModerateBody = Static<typeof ModerateBody>;
export type ThreadActionBody = Static<typeof ThreadActionBody>;
export type PinBody = Static<typeof PinBody>;
export type ThreadAction = ThreadActionBody['action'];
export type ThreadStateRecord = Static<typeof ThreadStateSchema>;
export type ThreadActionResponse = Static<typeof ThreadActionResponse>;
export type AuditQuery = Static<typeof AuditQuery>;
export type AuditExportQuery = Static<typeof AuditExportQuery>;
export type AuditPage = Static<typeof AuditPage>;
export type AuditExport = Static<typeof AuditExport>;
export type IpBan = Static<typeof IpBanSchema>;
/** A banned address range; ranges from the server's settings are listed apart, as `configured`. */
export type BannedRange = IpBan;
export type BannedIdentity = Static<typeof BannedIdentitySchema>;
export type BansResponse = Static<typeof BansResponse>;
export type BanList = BansResponse;
export type IdentityBanBody = Static<typeof IdentityBanBody>;
export type IdentityBanResponse = Static<typeof IdentityBanResponse>;
export type BanBody = Static<typeof BanBody>;
export type BanParams = Static<typeof BanParams>;
export type UnbanQuery = Static<typeof UnbanQuery>;
export type BanResponse = Static<typeof BanResponse>;
export type TicketResponse = Static<typeof TicketResponse>;
export type ModerationEventsQuery = Static<typeof ModerationEventsQuery>;
export type ModerationEventData = Static<typeof ModerationEventData>;
