import { Type, type Static } from '@sinclair/typebox';
import { Nullable, literals } from './builders.js';
import { ThreadKey } from './common.js';

/* Following threads and the reader's activity: docs/server.md, "Following and activity". */

export const ACTIVITY_REASONS = ['reply', 'following'] as const;
export const ActivityReasonSchema = literals(ACTIVITY_REASONS);

export const FollowedThreadSchema = Type.Object(
  {
    thread: Type.String(),
    title: Nullable(Type.String()),
    url: Nullable(Type.String({ description: 'The page the thread was last seen on (an allowed origin), or null.' })),
    since: Type.String({ format: 'date-time' }),
  },
  { description: 'A thread the reader follows.' },
);

export const FollowingResponse = Type.Object({
  followOnPost: Type.Boolean({ description: 'Whether posting in a thread follows it (true unless the reader turned it off).' }),
  threads: Type.Array(FollowedThreadSchema, { description: 'Followed threads, most recently followed first (at most 200).' }),
});

export const FollowingQuery = Type.Object({
  thread: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Only this thread: `threads` then says whether the caller follows it (one entry or none).' })),
});

export const FollowBody = Type.Object({ thread: ThreadKey, following: Type.Boolean() });

export const FollowSettingsBody = Type.Object({ followOnPost: Type.Boolean() });

export const ActivityQuery = Type.Object({
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

export const ActivityItemSchema = Type.Object(
  {
    id: Type.String(),
    reason: ActivityReasonSchema,
    commentId: Type.String(),
    thread: Type.String(),
    threadTitle: Nullable(Type.String()),
    url: Nullable(Type.String({ description: 'The comment in place: its page URL and `#comment-<id>`; null when the page is not known.' })),
    authorName: Nullable(Type.String()),
    excerpt: Type.String({ description: 'The start of the comment’s text (at most 200 characters), plain text.' }),
    createdAt: Type.String({ format: 'date-time' }),
    read: Type.Boolean(),
  },
  { description: 'A reply to the reader, or a new comment in a thread they follow.' },
);

export const UnreadCountsSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  reply: Type.Integer({ minimum: 0 }),
  following: Type.Integer({ minimum: 0 }),
});

export const ActivityResponse = Type.Object({
  items: Type.Array(ActivityItemSchema),
  nextCursor: Nullable(Type.String()),
  unread: UnreadCountsSchema,
});

export const ActivityReadBody = Type.Object({
  ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100, description: 'Items to mark read; without it, every item.' })),
});

export const ActivityReadResponse = Type.Object({ unread: UnreadCountsSchema });

export type ActivityReason = Static<typeof ActivityReasonSchema>;
export type FollowedThread = Static<typeof FollowedThreadSchema>;
export type FollowingResponse = Static<typeof FollowingResponse>;
export type FollowingQuery = Static<typeof FollowingQuery>;
export type FollowBody = Static<typeof FollowBody>;
export type FollowSettingsBody = Static<typeof FollowSettingsBody>;
export type ActivityQuery = Static<typeof ActivityQuery>;
export type ActivityItem = Static<typeof ActivityItemSchema>;
export type UnreadCounts = Static<typeof UnreadCountsSchema>;
export type ActivityResponse = Static<typeof ActivityResponse>;
export type ActivityReadBody = Static<typeof ActivityReadBody>;
export type ActivityReadResponse = Static<typeof ActivityReadResponse>;
