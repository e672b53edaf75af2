import { Type, type Static } from '@sinclair/typebox';
import { MODERATION_MODES, REPORT_REASONS, SORT_ORDERS, THREAD_EVENT_TYPES } from './constants.js';
import { Nullable, Timestamp, literals, ref } from './builders.js';
import { CommentId, CommentSchema, EventCommentSchema, IdentitySchema, LimitsSchema, ThreadKey } from './common.js';

/* What a reader's widget sends and receives: comments, reports, counts, live events, identities, the server's settings. */

export const SortOrderSchema = literals(SORT_ORDERS);
export const ReportReasonSchema = literals(REPORT_REASONS);
export const ThreadEventTypeSchema = literals(THREAD_EVENT_TYPES);

export const IdParams = Type.Object({ id: CommentId });

export const ListQuery = Type.Object({
  thread: ThreadKey,
  sort: Type.Optional(SortOrderSchema),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const PageSchema = Type.Object({
  comments: Type.Array(ref(CommentSchema), { description: 'The page in its sort, never a comment listed in pinned.' }),
  pinned: Type.Optional(
    Type.Array(ref(CommentSchema), {
      description: 'On the first page (no cursor): the pinned top-level comments, most recently pinned first, to show before comments in every sort. Empty or absent on later pages.',
    }),
  ),
  nextCursor: Nullable(Type.String(), { description: 'Opaque keyset cursor for the next page; null at the end.' }),
  closed: Type.Boolean({
    description: 'The thread is closed: it reads as before, but new comments and replies (and authors’ edits) are refused with 403 `thread_closed`.',
  }),
});

export const CreateBody = Type.Object({
  thread: ThreadKey,
  parentId: Type.Optional(Nullable(CommentId)),
  body: Type.String({ description: 'At most limits.maxBodyLength code points.' }),
  url: Type.Optional(
    Type.String({
      maxLength: 2048,
      description:
        'The page the reader posts from (origin and path), so moderators can open the comment in context. Kept only when its origin is one the server allows; otherwise ignored.',
    }),
  ),
});

export const EditBody = Type.Object({ body: Type.String() });

export const CommentResponse = Type.Object({ comment: ref(CommentSchema) });

export const PreviewBody = Type.Object({
  body: Type.String({ description: 'The text being written; at most limits.maxBodyLength code points.' }),
});

export const PreviewResponse = Type.Object({
  html: Type.String({ description: 'The body rendered as a posted comment would be; clients sanitize it again.' }),
});

export const ReportBody = Type.Object({
  reason: ReportReasonSchema,
  details: Type.Optional(Nullable(Type.String())),
});

export const ReportResponse = Type.Object({
  report: Type.Object({ commentId: Type.String(), reason: ReportReasonSchema, createdAt: Timestamp() }),
});

export const HelpfulBody = Type.Object({
  helpful: Type.Boolean({ description: 'true marks the comment helpful, false takes the mark back; either is idempotent.' }),
});

export const HelpfulResponse = Type.Object({
  helpful: Type.Object({
    commentId: Type.String(),
    count: Type.Integer({ minimum: 0, description: 'Marks on the comment now, every identity’s.' }),
    mine: Type.Boolean(),
  }),
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

/** The `data` of every event on a thread's stream; the event's name is its type. */
export const ThreadEventData = Type.Object({ comment: EventCommentSchema });

export const CreateIdentityBody = Type.Object({
  name: Type.Optional(Nullable(Type.String(), { description: 'Screen name; without one the identity may report but not post.' })),
});

export const CreateIdentityResponse = Type.Object({ token: Type.String(), identity: ref(IdentitySchema) });

export const IdentityResponse = Type.Object({ identity: ref(IdentitySchema) });

export const NameBody = Type.Object({ name: Type.String() });

export const ConfigResponse = Type.Object({
  limits: ref(LimitsSchema),
  moderation: Type.Object({
    mode: literals(MODERATION_MODES),
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
  erasure: Type.Optional(
    Type.Union([Type.Literal('remove'), Type.Literal('anonymise')], { description: 'What `DELETE /me` does to the caller’s comments (COLLOQUY_ERASURE).' }),
  ),
});

export type SortOrder = Static<typeof SortOrderSchema>;
export type ReportReason = Static<typeof ReportReasonSchema>;
export type ThreadEventType = Static<typeof ThreadEventTypeSchema>;
export type IdParams = Static<typeof IdParams>;
export type ListQuery = Static<typeof ListQuery>;
export type Page = Static<typeof PageSchema>;
export type CreateBody = Static<typeof CreateBody>;
export type EditBody = Static<typeof EditBody>;
export type CommentResponse = Static<typeof CommentResponse>;
export type PreviewBody = Static<typeof PreviewBody>;
export type PreviewResponse = Static<typeof PreviewResponse>;
export type ReportBody = Static<typeof ReportBody>;
export type ReportResponse = Static<typeof ReportResponse>;
export type HelpfulBody = Static<typeof HelpfulBody>;
export type HelpfulResponse = Static<typeof HelpfulResponse>;
export type CountsQuery = Static<typeof CountsQuery>;
export type CountsResponse = Static<typeof CountsResponse>;
export type EventsQuery = Static<typeof EventsQuery>;
export type ThreadEventData = Static<typeof ThreadEventData>;
export type CreateIdentityBody = Static<typeof CreateIdentityBody>;
export type CreateIdentityResponse = Static<typeof CreateIdentityResponse>;
export type IdentityResponse = Static<typeof IdentityResponse>;
export type NameBody = Static<typeof NameBody>;
export type ConfigResponse = Static<typeof ConfigResponse>;
