import type { ErrorCode, Role, SortOrder } from '@colloquy/core';

/** Plural forms a message may need; `other` is always present. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Every string the widget shows. Plain objects so a new language is one more table; plural
 * messages carry their CLDR forms and `{n}` is replaced with the formatted number.
 */
export interface Messages {
  heading: string;
  count: PluralForms;
  loading: string;
  empty: string;
  loadError: string;
  tryAgain: string;
  loadMore: string;
  loadingMore: string;
  sortLabel: string;
  sort: Record<SortOrder, string>;
  composerLabel: string;
  /** `{name}` is the author being replied to. */
  replyTo: string;
  placeholder: string;
  post: string;
  posting: string;
  postReply: string;
  save: string;
  cancel: string;
  nameLabel: string;
  nameHint: string;
  charactersLeft: PluralForms;
  /** The composer's button that opens the preview and formatting help. */
  preview: string;
  reply: string;
  /** The helpful toggle (`aria-pressed`); its count follows it. */
  helpful: string;
  /** Replies with the selected words of a comment (or all of it) quoted. */
  quote: string;
  report: string;
  reported: string;
  edit: string;
  delete: string;
  edited: string;
  permalink: string;
  deletedComment: string;
  hiddenComment: string;
  heldComment: string;
  pending: string;
  failed: string;
  retry: string;
  discard: string;
  collapse: PluralForms;
  expand: PluralForms;
  newComments: PluralForms;
  announceNew: PluralForms;
  /** Marks the reader's own new comments, shown under the composer until the next load. */
  yourComment: string;
  /** Marks a comment a moderator pinned (shown first in every sort). */
  pinned: string;
  /** `{name}` links to the comment answered, on replies past the depth cap. */
  inReplyTo: string;
  /** Instead of `inReplyTo` when the comment answered was deleted or removed (its author is not shown). */
  inReplyToGone: string;
  /** The link that moves focus past the thread. */
  skipComments: string;
  /** Label of a comment's toolbar of actions; `{name}` is its author. */
  actions: string;
  emptyBody: string;
  /** A part of the widget loaded on demand (edit, delete, report) could not be fetched. */
  partFailed: string;
  /** The button that opens the reader's account panel, once they have a name; `{name}` is it. */
  postingAs: string;
  /** The same button before they have one. */
  signIn: string;
  roles: Record<Exclude<Role, 'reader'>, string>;
  errors: Partial<Record<ErrorCode, string>> & { fallback: string; thread_closed: string };
}

export const en: Messages = {
  heading: 'Comments',
  count: { one: '{n} comment', other: '{n} comments' },
  loading: 'Loading comments…',
  empty: 'No comments yet. Start the conversation.',
  loadError: 'Comments could not be loaded.',
  tryAgain: 'Try again',
  loadMore: 'Load more comments',
  loadingMore: 'Loading more…',
  sortLabel: 'Sort by',
  sort: { oldest: 'Oldest', newest: 'Newest', top: 'Most replies', best: 'Best' },
  composerLabel: 'Add a comment',
  replyTo: 'Reply to {name}',
  placeholder: 'Share your thoughts…',
  post: 'Post comment',
  posting: 'Posting…',
  postReply: 'Post reply',
  save: 'Save',
  cancel: 'Cancel',
  nameLabel: 'Screen name',
  nameHint: 'Shown beside your comments. No email needed.',
  charactersLeft: { one: '{n} character left', other: '{n} characters left' },
  preview: 'Preview',
  reply: 'Reply',
  helpful: 'Helpful',
  quote: 'Quote',
  report: 'Report abuse',
  reported: 'Reported',
  edit: 'Edit',
  delete: 'Delete',
  edited: 'edited',
  permalink: 'Link to this comment',
  deletedComment: 'This comment was deleted.',
  hiddenComment: 'This comment was removed by a moderator.',
  heldComment: 'Awaiting review by a moderator. Only you can see this comment.',
  pending: 'Posting…',
  failed: 'Not posted. Your text is kept.',
  retry: 'Retry',
  discard: 'Discard',
  collapse: { one: 'Hide {n} reply', other: 'Hide {n} replies' },
  expand: { one: 'Show {n} reply', other: 'Show {n} replies' },
  newComments: { one: 'Show {n} new comment', other: 'Show {n} new comments' },
  announceNew: { one: '{n} new comment', other: '{n} new comments' },
  yourComment: 'Your comment',
  pinned: 'Pinned',
  inReplyTo: 'in reply to {name}',
  inReplyToGone: 'in reply to a removed comment',
  skipComments: 'Skip comments',
  actions: 'Actions for {name}',
  emptyBody: 'Please write something first.',
  partFailed: 'This could not be loaded. Check your connection and try again.',
  postingAs: 'Posting as {name}',
  signIn: 'Sign in',
  roles: { mentor: 'Mentor', moderator: 'Moderator', staff: 'Staff' },
  errors: {
    fallback: 'Something went wrong. Please try again.',
    network_error: 'You appear to be offline. Check your connection and try again.',
    origin_not_allowed: 'The comment server does not accept this site.',
    timeout: 'The server took too long to answer. Please try again.',
    rate_limited: 'You are doing that too often. Please wait a moment and try again.',
    name_required: 'Please choose a screen name first.',
    thread_closed: 'Comments are closed.',
    forbidden: 'You are not allowed to do that.',
    not_found: 'That comment no longer exists.',
    invalid_input: 'Please check what you typed and try again.',
    unauthenticated: 'Please sign in again.',
    invalid_token: 'Please sign in again.',
    token_expired: 'Your session has expired. Please reload the page.',
    unavailable: 'Comments are temporarily unavailable.',
  },
};
