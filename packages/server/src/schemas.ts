import { Type, type TSchema } from '@sinclair/typebox';
import { COMMENT_STATUSES, REPORT_REASONS, ROLES, SORT_ORDERS, THREAD_EVENT_TYPES } from '@colloquy/core';

/*
 * JSON Schemas of the v1 protocol. Fastify's ajv validates every request against them, and
 * the OpenAPI document is built from the same objects, so the two cannot drift. Checks ajv
 * cannot express with the right error code (lengths in code points that answer
 * `body_too_long`, control characters, lone surrogates) run in the handlers through the
 * core validators.
 */

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const RoleSchema = literals(ROLES);
export const ThreadKey = Type.String({ minLength: 1, maxLength: 512, description: 'Thread key, usually the article URL path.' });
export const CommentId = Type.String({ minLength: 1, maxLength: 200 });

export const AuthorSchema = Type.Object(
  { id: Type.String(), name: Type.String(), role: RoleSchema },
  { $id: 'Author', description: 'Who wrote a comment; empty for placeholders.' },
);

export const IdentitySchema = Type.Object(
  { id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: RoleSchema },
  { $id: 'Identity' },
);

export const CommentSchema = Type.Object(
  {
    id: Type.String(),
    thread: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    author: Type.Ref('Author'),
    body: Type.String({ description: 'The source the reader typed (markdown subset); empty for placeholders.' }),
    html: Type.String({ description: "The server's sanitized rendering of body; clients sanitize it again." }),
    createdAt: Type.String({ format: 'date-time' }),
    editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    status: literals(COMMENT_STATUSES),
    replies: Type.Array(Type.Ref('Comment'), { description: 'Nested replies, oldest first (absent in events).' }),
  },
  { $id: 'Comment' },
);

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code; see ERROR_STATUS in @colloquy/core.' }),
      message: Type.String({ description: 'For people.' }),
    }),
  },
  { $id: 'Error' },
);

export const LimitsSchema = Type.Object(
  {
    maxBodyLength: Type.Integer(),
    maxNameLength: Type.Integer(),
    maxDetailsLength: Type.Integer(),
    maxDepth: Type.Integer(),
    maxPageSize: Type.Integer(),
    editWindowSeconds: Type.Integer(),
  },
  { $id: 'Limits' },
);

export const ReporterSchema = Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: RoleSchema });

export const ReportRecordSchema = Type.Object({
  id: Type.String(),
  commentId: Type.String(),
  reason: literals(REPORT_REASONS),
  details: Type.Union([Type.String(), Type.Null()]),
  weight: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  reporter: ReporterSchema,
});

export const AUDIT_ACTIONS = ['approve', 'hide', 'spam', 'restore', 'ban-author', 'unban-author', 'edit', 'delete', 'auto-hide', 'ban-range', 'unban-range'] as const;

export const AuditEntrySchema = Type.Object(
  {
    id: Type.String(),
    action: literals(AUDIT_ACTIONS),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why, as the moderator wrote it (or the threshold, for auto-hide).' }),
    createdAt: Type.String({ format: 'date-time' }),
    moderator: Type.Union([Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: RoleSchema }), Type.Null()], {
      description: 'Who acted; null when the report threshold hid the comment.',
    }),
    commentId: Type.Union([Type.String(), Type.Null()], { description: 'null for IP-range bans.' }),
    authorId: Type.Union([Type.String(), Type.Null()], { description: 'Whom the action was against.' }),
    detail: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
      description: '{cidr, banId} for ban-range and unban-range; {reportWeight, threshold} for auto-hide.',
    }),
  },
  { $id: 'AuditEntry' },
);

/** Shared definitions, registered with fastify (`addSchema`) and listed under OpenAPI components. */
export const SHARED_SCHEMAS: readonly TSchema[] = [AuthorSchema, IdentitySchema, CommentSchema, ErrorSchema, LimitsSchema, AuditEntrySchema];

export const IdParams = Type.Object({ id: CommentId });

export const ListQuery = Type.Object({
  thread: ThreadKey,
  sort: Type.Optional(literals(SORT_ORDERS)),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const PageSchema = Type.Object({
  comments: Type.Array(Type.Ref('Comment')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const CreateBody = Type.Object({
  thread: ThreadKey,
  parentId: Type.Optional(Type.Union([CommentId, Type.Null()])),
  body: Type.String({ description: 'At most limits.maxBodyLength code points.' }),
});

export const EditBody = Type.Object({ body: Type.String() });

export const CommentResponse = Type.Object({ comment: Type.Ref('Comment') });

export const ReportBody = Type.Object({
  reason: literals(REPORT_REASONS),
  details: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export const ReportResponse = Type.Object({
  report: Type.Object({ commentId: Type.String(), reason: literals(REPORT_REASONS), createdAt: Type.String({ format: 'date-time' }) }),
});

export const CountsQuery = Type.Object({
  thread: Type.Array(ThreadKey, { minItems: 1, maxItems: 100, description: 'Repeat for each thread: ?thread=A&thread=B.' }),
});

export const CountsResponse = Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) });

export const EventsQuery = Type.Object({
  thread: ThreadKey,
  lastEventId: Type.Optional(
    Type.String({ description: 'Where a returning client stood, for a new EventSource that cannot send Last-Event-ID; the header wins when both are sent.' }),
  ),
});

export const CreateIdentityBody = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Screen name; without one the identity may report but not post.' })),
});

export const CreateIdentityResponse = Type.Object({ token: Type.String(), identity: Type.Ref('Identity') });

export const IdentityResponse = Type.Object({ identity: Type.Ref('Identity') });

export const NameBody = Type.Object({ name: Type.String() });

export const ConfigResponse = Type.Object({
  limits: Type.Ref('Limits'),
  moderation: Type.Object({
    mode: literals(['post', 'pre']),
    reportThreshold: Type.Integer(),
    premoderatedThreads: Type.Array(Type.String(), { description: 'Thread-key prefixes held for review even in post mode.' }),
    reportWeights: Type.Object(
      { reader: Type.Integer(), mentor: Type.Integer(), moderator: Type.Integer(), staff: Type.Integer() },
      { description: 'What one report weighs, by the reporter’s role.' },
    ),
    holdFirstComments: Type.Integer({ description: 'Readers’ comments are held until this many of theirs are published; 0: off.' }),
  }),
  live: Type.Boolean(),
  jwt: Type.Boolean({ description: 'Whether host-site tokens are accepted.' }),
});

export const QueueQuery = Type.Object({
  status: Type.Optional(literals(['reported', 'held', 'hidden'])),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page of the same queue.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
});

const GroupedReport = Type.Object({
  id: Type.String(),
  reason: literals(REPORT_REASONS),
  details: Type.Union([Type.String(), Type.Null()]),
  weight: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  reporter: ReporterSchema,
});

export const QueueResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      comment: Type.Ref('Comment'),
      thread: Type.String({ description: 'The thread key of the comment.' }),
      parent: Type.Union([Type.Ref('Comment'), Type.Null()], { description: 'The comment replied to, whatever its status.' }),
      reports: Type.Array(ReportRecordSchema, { description: 'Open reports (this round), oldest first.' }),
      reportGroups: Type.Array(
        Type.Object({ reason: literals(REPORT_REASONS), count: Type.Integer(), weight: Type.Integer(), reports: Type.Array(GroupedReport) }),
        { description: 'The open reports grouped by reason, heaviest group first.' },
      ),
      reportWeight: Type.Integer({ description: 'Sum of the open reports’ weights.' }),
      threshold: Type.Integer({ description: 'The report weight that hides a comment.' }),
      heldReasons: Type.Array(Type.String(), { description: 'Why the comment was held (spam rules, first comment); empty otherwise.' }),
      hiddenBy: Type.Union([literals(['reports', 'moderator']), Type.Null()]),
      actions: Type.Array(Type.Ref('AuditEntry'), { description: 'What was done to this comment before, oldest first.' }),
      author: Type.Object({
        id: Type.String(),
        name: Type.String(),
        role: RoleSchema,
        banned: Type.Boolean(),
        since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        counts: Type.Object({ visible: Type.Integer(), held: Type.Integer(), hidden: Type.Integer(), deleted: Type.Integer(), spam: Type.Integer() }),
        recent: Type.Array(Type.Ref('Comment'), { description: 'The author’s latest comments, newest first.' }),
        actions: Type.Array(Type.Ref('AuditEntry'), { description: 'Moderation actions about the author, newest first.' }),
      }),
    }),
    { description: 'Oldest first, by (createdAt, id).' },
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page.' }),
  total: Type.Integer({ minimum: 0, description: 'How many comments the whole queue holds now, not only this page.' }),
});

export const ModerateBody = Type.Object({
  action: literals(['approve', 'hide', 'spam', 'restore', 'ban-author', 'unban-author']),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
});

const AuditFilters = {
  commentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries about this comment.' })),
  authorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries against this author.' })),
  moderatorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only entries by this moderator.' })),
};

export const AuditQuery = Type.Object({
  ...AuditFilters,
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

export const AuditExportQuery = Type.Object(AuditFilters);

export const AuditPage = Type.Object({ entries: Type.Array(Type.Ref('AuditEntry')), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const AuditExport = Type.Object({
  format: Type.Literal('colloquy-audit-log'),
  version: Type.Literal(1),
  exportedAt: Type.String({ format: 'date-time' }),
  filters: Type.Object({
    commentId: Type.Union([Type.String(), Type.Null()]),
    authorId: Type.Union([Type.String(), Type.Null()]),
    moderatorId: Type.Union([Type.String(), Type.Null()]),
  }),
  entries: Type.Array(Type.Ref('AuditEntry'), { description: 'Newest first.' }),
});

const IpBanSchema = Type.Object({
  id: Type.String(),
  cidr: Type.String({ description: 'Canonical CIDR: host bits cleared, IPv6 compressed.' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const BannedIdentity = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  banned: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const BansResponse = Type.Object({
  ranges: Type.Array(IpBanSchema, { description: 'Ranges moderators banned.' }),
  configured: Type.Array(Type.String(), { description: 'Ranges from COLLOQUY_BANNED_IPS (lifted only by changing it).' }),
  identities: Type.Array(BannedIdentity, { description: 'Banned identities, newest first.' }),
});

export const IdentityBanBody = Type.Object({
  action: literals(['ban', 'unban']),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
});

export const IdentityBanResponse = Type.Object({ identity: BannedIdentity });

export const BanBody = Type.Object({
  cidr: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 203.0.113.0/24, 2001:db8::/32, or one address.' }),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
});

export const BanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const UnbanQuery = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) });

export const BanResponse = Type.Object({ ban: IpBanSchema });

export const TicketResponse = Type.Object({
  ticket: Type.String({ description: 'Pass as ?ticket= to GET /moderation/events; works for five minutes, reconnects included.' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const ModerationEventsQuery = Type.Object({
  ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'From POST /moderation/events/tickets, for clients that cannot send headers.' })),
});

export const EVENT_TYPES = THREAD_EVENT_TYPES;

export const ReaderExportResponse = Type.Object(
  {
    format: Type.Literal('colloquy-reader-export'),
    version: Type.Integer({ description: 'Changes only when the layout of this document does.' }),
    exportedAt: Type.String({ format: 'date-time' }),
    identity: Type.Object({
      id: Type.String(),
      kind: Type.String({ description: 'pseudonymous or jwt' }),
      name: Type.Union([Type.String(), Type.Null()]),
      role: RoleSchema,
      banned: Type.Boolean(),
      createdAt: Type.String({ format: 'date-time' }),
      subject: Type.Union([Type.String(), Type.Null()], { description: 'The host site’s `sub`, for a JWT identity.' }),
      email: Type.Union([Type.String(), Type.Null()]),
      url: Type.Union([Type.String(), Type.Null()]),
    }),
    comments: Type.Array(
      Type.Object({
        id: Type.String(),
        thread: Type.String(),
        parentId: Type.Union([Type.String(), Type.Null()]),
        body: Type.String({ description: 'Empty for a deleted comment: its text is not kept.' }),
        html: Type.String(),
        status: literals(COMMENT_STATUSES),
        spam: Type.Boolean(),
        heldReasons: Type.Array(Type.String()),
        createdAt: Type.String({ format: 'date-time' }),
        editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        importedFrom: Type.Union([Type.Object({ source: Type.String(), sourceId: Type.String() }), Type.Null()]),
      }),
      { description: 'Every comment the identity wrote, in any state, oldest first.' },
    ),
    reports: Type.Array(
      Type.Object({
        commentId: Type.String(),
        reason: literals(REPORT_REASONS),
        details: Type.Union([Type.String(), Type.Null()]),
        weight: Type.Integer(),
        createdAt: Type.String({ format: 'date-time' }),
        resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      }),
      { description: 'Every report the identity made.' },
    ),
  },
  { description: 'Sent as an attachment (Content-Disposition).' },
);

export const ErasureResponse = Type.Object({
  erased: Type.Object({
    identity: Type.String(),
    mode: literals(['remove', 'anonymise']),
    removed: Type.Integer({ description: 'Comments deleted outright (they had no replies).' }),
    placeholders: Type.Integer({ description: 'Comments kept as deleted placeholders, text and author gone, because replies hang under them.' }),
    anonymised: Type.Integer({ description: 'Comments kept with their text under no author.' }),
    reports: Type.Integer({ description: 'Reports the identity had made, now deleted.' }),
  }),
});
