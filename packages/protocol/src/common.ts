import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, Timestamp, literals, ref } from './builders.js';
import { AUDIT_ACTIONS, COMMENT_STATUSES, ROLES } from './constants.js';

/*
 * The shapes every part of the protocol shares. Those with an `$id` are registered once (with
 * fastify's ajv, under OpenAPI's components) and referred to by name elsewhere, so a comment
 * inside a page, a queue item or an export is the same definition.
 */

export const RoleSchema = literals(ROLES);
export const CommentStatusSchema = literals(COMMENT_STATUSES);
export const ThreadKey = Type.String({ minLength: 1, maxLength: 512, description: 'Thread key, usually the article URL path.' });
export const CommentId = Type.String({ minLength: 1, maxLength: 200 });

export const AuthorSchema = Type.Object(
  { id: Type.String(), name: Type.String({ description: 'Text, never HTML.' }), role: RoleSchema },
  { $id: 'Author', description: 'Who wrote a comment; empty for placeholders.' },
);

export const IdentitySchema = Type.Object(
  { id: Type.String(), name: Nullable(Type.String(), { description: 'null until the reader picks a screen name.' }), role: RoleSchema },
  { $id: 'Identity' },
);

/** The fields of a comment but its replies: what live events and webhooks carry. */
const commentFields = {
  id: Type.String(),
  thread: Type.String({ description: 'The thread key, usually the article URL path.' }),
  parentId: Nullable(Type.String()),
  replyTo: Nullable(
    Type.Object({
      id: Type.String(),
      name: Nullable(Type.String(), { description: "The answered comment's author name; null once it is deleted, hidden, held or its author erased." }),
    }),
    {
      description:
        'The comment a reply answers when the depth cap placed it under an ancestor instead (its parentId); null when it sits under the comment it answers.',
    },
  ),
  author: ref(AuthorSchema),
  body: Type.String({ description: 'The source the reader typed (markdown subset); empty for placeholders.' }),
  html: Type.String({ description: "The server's sanitized rendering of body; clients sanitize it again." }),
  createdAt: Timestamp(),
  editedAt: Nullable(Timestamp()),
  status: CommentStatusSchema,
  helpful: Type.Optional(
    Type.Object(
      {
        count: Type.Integer({ minimum: 0, description: 'Every identity’s helpful mark, weighted or not (what readers see).' }),
        mine: Type.Boolean({ description: 'Whether the reader asking marked it; false in live events.' }),
      },
      { description: 'Helpful marks (decision 0036). Absent: none known (a create answer, an older server).' },
    ),
  ),
  pinnedAt: Type.Optional(
    Nullable(Timestamp(), {
      description: 'When a moderator pinned this top-level comment; null (or absent) when it is not pinned, and for replies.',
    }),
  ),
};

export const CommentSchema = Type.Recursive(
  (This) =>
    Type.Object({
      ...commentFields,
      replies: Type.Array(This, { description: 'Nested replies, oldest first (absent in events).' }),
    }),
  { $id: 'Comment' },
);

/** A comment in a live event or a webhook: no replies. */
export const EventCommentSchema = Type.Object(commentFields);

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code; see ERROR_STATUS in @colloquy/core.' }),
      message: Type.String({ description: 'For people.' }),
      until: Type.Optional(
        Timestamp({
          description:
            'With `banned`, for a suspended identity: when the suspension ends (the client tells the reader when they can write again). Absent for a ban for good, an address ban and every other code.',
        }),
      ),
    }),
  },
  { $id: 'Error' },
);

export const LimitsSchema = Type.Object(
  {
    maxBodyLength: Type.Integer({ description: 'Maximum body length in Unicode code points.' }),
    maxNameLength: Type.Integer({ description: 'Maximum screen-name length in code points.' }),
    maxDetailsLength: Type.Integer({ description: 'Maximum report-details length in code points.' }),
    maxDepth: Type.Integer({ description: 'Deepest reply level (0 is top level); deeper replies attach at this level.' }),
    maxPageSize: Type.Integer({ description: 'Largest page a list call may ask for.' }),
    editWindowSeconds: Type.Integer({ description: 'Seconds during which an author may edit or delete their comment.' }),
  },
  { $id: 'Limits' },
);

/** Who reported or who acted: a name may be null (a nameless identity). */
export const ActorSchema = Type.Object({ id: Type.String(), name: Nullable(Type.String()), role: RoleSchema });

export const AuditEntrySchema = Type.Object(
  {
    id: Type.String(),
    action: literals(AUDIT_ACTIONS),
    reason: Nullable(Type.String(), { description: 'Why, as the moderator wrote it (or the threshold, for auto-hide).' }),
    createdAt: Timestamp(),
    moderator: Nullable(ActorSchema, { description: 'Who acted; null when the report threshold hid the comment.' }),
    commentId: Nullable(Type.String(), { description: 'null for IP-range bans and thread actions.' }),
    authorId: Nullable(Type.String(), { description: 'Whom the action was against.' }),
    detail: Nullable(Type.Object({}, { additionalProperties: true }), {
      description: '{cidr, banId} for ban-range and unban-range; {reportWeight, threshold} for auto-hide; {thread} for close-thread, reopen-thread, pin and unpin.',
    }),
  },
  { $id: 'AuditEntry' },
);

/** Shared definitions, registered with fastify (`addSchema`) and listed under OpenAPI components. */
export const SHARED_SCHEMAS: readonly TSchema[] = [AuthorSchema, IdentitySchema, CommentSchema, ErrorSchema, LimitsSchema, AuditEntrySchema];

export type Role = Static<typeof RoleSchema>;
export type CommentStatus = Static<typeof CommentStatusSchema>;
export type Author = Static<typeof AuthorSchema>;
export type Identity = Static<typeof IdentitySchema>;
/** A comment as the server sends it in pages and answers: with its HTML and nested replies. */
export type Comment = Static<typeof CommentSchema>;
export type EventComment = Static<typeof EventCommentSchema>;
/** The error envelope every failure answers with. */
export type ErrorEnvelope = Static<typeof ErrorSchema>;
export type Limits = Static<typeof LimitsSchema>;
export type Actor = Static<typeof ActorSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditAction = AuditEntry['action'];
