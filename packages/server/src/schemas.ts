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

export const ReportRecordSchema = Type.Object({
  commentId: Type.String(),
  reason: literals(REPORT_REASONS),
  details: Type.Union([Type.String(), Type.Null()]),
  weight: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  reporter: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: RoleSchema }),
});

/** Shared definitions, registered with fastify (`addSchema`) and listed under OpenAPI components. */
export const SHARED_SCHEMAS: readonly TSchema[] = [AuthorSchema, IdentitySchema, CommentSchema, ErrorSchema, LimitsSchema];

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

export const EventsQuery = Type.Object({ thread: ThreadKey });

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
  }),
  live: Type.Boolean(),
  jwt: Type.Boolean({ description: 'Whether host-site tokens are accepted.' }),
});

export const QueueQuery = Type.Object({ status: Type.Optional(literals(['reported', 'held', 'hidden'])) });

export const QueueResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      comment: Type.Ref('Comment'),
      reports: Type.Array(ReportRecordSchema),
      parent: Type.Union([Type.Ref('Comment'), Type.Null()]),
      heldReasons: Type.Array(Type.String(), { description: 'Why the spam filter held the comment; empty otherwise.' }),
    }),
  ),
});

export const ModerateBody = Type.Object({
  action: literals(['approve', 'hide', 'spam', 'restore', 'ban-author']),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
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
