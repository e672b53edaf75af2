// The protocol's literal lists, with no TypeBox: browser code (the core, embed.js) imports
// them at run time, and the schemas in this package are built from the same arrays.

/** Roles a reader can hold. Every role but `reader` shows as a badge in the widget. */
export const ROLES = ['reader', 'mentor', 'moderator', 'staff'] as const;

/** Lifecycle of a comment. `held` is kept back before publication; `hidden` was taken down. */
export const COMMENT_STATUSES = ['visible', 'held', 'hidden', 'deleted'] as const;

/**
 * Sort orders of top-level comments. Replies are always oldest first under their parent.
 * `best` ranks by weighted helpful marks decayed by age (decision 0036).
 */
export const SORT_ORDERS = ['oldest', 'newest', 'top', 'best'] as const;

/** Why a reader reports a comment. */
export const REPORT_REASONS = ['spam', 'harassment', 'hate', 'misinformation', 'off-topic', 'other'] as const;

/**
 * Live events of a thread's stream (`GET /events`); `helpful` carries a comment's new helpful
 * count, `pinned` and `unpinned` a top-level comment a moderator pinned (with `pinnedAt`) or
 * unpinned (`pinnedAt` null).
 */
export const THREAD_EVENT_TYPES = ['created', 'edited', 'deleted', 'hidden', 'restored', 'helpful', 'pinned', 'unpinned'] as const;

/**
 * The moderation queues (`GET /moderation/queue?status=`): the three awaiting a decision, then
 * `visible`, every published comment (newest first), where a moderator finds one to pin or hide.
 */
export const QUEUE_STATUSES = ['reported', 'held', 'hidden', 'visible'] as const;

/** What a moderator can do to a comment (`POST /moderation/comments/:id`). */
export const MODERATION_ACTIONS = ['approve', 'hide', 'spam', 'restore', 'ban-author', 'unban-author'] as const;

/** What a moderator can do to a thread (`POST /moderation/threads`). */
export const THREAD_ACTIONS = ['close', 'reopen'] as const;

/** Every action the audit log records: moderators' decisions, authors' edits and deletions, the report threshold, range bans, closing and reopening threads, pinning and unpinning comments. */
export const AUDIT_ACTIONS = [...MODERATION_ACTIONS, 'edit', 'delete', 'auto-hide', 'ban-range', 'unban-range', 'close-thread', 'reopen-thread', 'pin', 'unpin'] as const;

/** Who hid a queued comment. */
export const HIDDEN_BY = ['reports', 'moderator'] as const;

/** Post-moderation (comments appear at once) or pre-moderation (held until approved). */
export const MODERATION_MODES = ['post', 'pre'] as const;

/** What `POST /moderation/identities/:id` does. */
export const IDENTITY_BAN_ACTIONS = ['ban', 'unban'] as const;

/** How `DELETE /identities/me` treats the reader's comments. */
export const ERASURE_MODES = ['remove', 'anonymise'] as const;

/** Events of the moderators' stream (`GET /moderation/events`); `moderated` may touch any queue. */
export const MODERATION_EVENT_TYPES = ['reported', 'held', 'hidden', 'moderated'] as const;
