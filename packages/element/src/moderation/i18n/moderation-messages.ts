import type { CommentStatus, ErrorCode, ModerationAction, QueueStatus, ReportReason, Role } from '@colloquy/core';
import type { PluralForms } from '../../i18n/messages.js';
import { moderationEn } from './en.js';
import { moderationEs } from './es.js';

/**
 * Every string of `<colloquy-moderation>`, separate from the reader's widget catalogs so the
 * moderator's queue never grows embed.js. `{name}`, `{action}`, `{key}` are filled in;
 * in plural forms `{n}` is the formatted number.
 */
export interface ModerationMessages {
  heading: string;
  tabsLabel: string;
  tabs: Record<QueueStatus, string>;
  /** The tab's name with its item count, for the tab label. */
  tabCount: PluralForms;
  loading: string;
  empty: Record<QueueStatus, string>;
  loadError: string;
  tryAgain: string;
  refresh: string;
  lastRefreshed: string;
  search: {
    /** The search form's accessible name. */
    label: string;
    /** The text field's label. */
    field: string;
    /** What the field finds, shown under it. */
    hint: string;
    submit: string;
    clear: string;
    /** Above the tabs while a search is on: `{q}` is the text searched. */
    showing: string;
    /** The empty state of a queue with no matches. */
    noMatches: string;
  };
  newItems: PluralForms;
  announceNewItems: PluralForms;
  /** The button at the end of a queue that has more pages. */
  loadMore: string;
  /** Beside it: `{shown}` items loaded of the `{total}` in the queue. */
  shownOf: string;
  /** Announced when a page has loaded; `{n}` items were added. */
  loadedMore: PluralForms;
  /** Announced when the next page had nothing left to add. */
  noMore: string;
  loadMoreError: string;
  goneNote: string;
  /** Accessible name of an item: `{name}` wrote it, `{status}` is where it stands. */
  itemLabel: string;
  selectItem: string;
  selectAll: string;
  selected: PluralForms;
  itemActions: string;
  bulkLabel: string;
  bulkAction: Record<Exclude<ModerationAction, 'ban-author' | 'unban-author'>, string>;
  actions: Record<ModerationAction, string>;
  done: Record<ModerationAction, string>;
  bulkDone: Record<Exclude<ModerationAction, 'ban-author' | 'unban-author'>, PluralForms>;
  bulkFailed: PluralForms;
  notAvailable: string;
  nothingSelected: string;
  actionFailed: string;
  status: Record<CommentStatus, string>;
  hiddenByReports: string;
  thresholdNote: string;
  commentActions: string;
  authorSince: string;
  decidedBy: string;
  /** Audit log actions, as the history lists them. */
  auditActions: Record<string, string>;
  thread: string;
  /** The button that closes an item's thread to new comments, and the one that reopens it. */
  closeThread: string;
  reopenThread: string;
  /** Beside the thread of a closed thread. */
  threadClosed: string;
  /** Said once a thread was closed or reopened; `{thread}` is its key. */
  threadClosedDone: string;
  threadReopenedDone: string;
  /** The button that pins a top-level comment in its thread (readers see it first), and the one that unpins it. */
  pinComment: string;
  unpinComment: string;
  /** Beside the thread of a pinned comment. */
  pinnedNote: string;
  /** Said once a comment was pinned or unpinned; `{thread}` is its thread's key. */
  pinnedDone: string;
  unpinnedDone: string;
  inReplyTo: string;
  topLevel: string;
  parentUnavailable: string;
  reportsHeading: PluralForms;
  weight: PluralForms;
  reasons: Record<ReportReason, string>;
  reasonCount: PluralForms;
  noDetails: string;
  reportedBy: string;
  heldHeading: string;
  historyHeading: string;
  historyCounts: Record<'visible' | 'held' | 'hidden' | 'deleted' | 'spam', PluralForms>;
  historyRecent: string;
  historyActions: string;
  historyNone: string;
  notes: {
    heading: string;
    /** Who wrote a note: `{name}`. */
    by: string;
    /** The note field's label. */
    add: string;
    save: string;
    /** Announced once a note is saved. */
    saved: string;
    failed: string;
  };
  banned: string;
  roles: Record<Role, string>;
  anonymous: string;
  shortcutsHeading: string;
  shortcutsToggle: string;
  shortcutsHint: string;
  keys: {
    next: string;
    previous: string;
    select: string;
    action: string;
    bulk: string;
    help: string;
    tabs: string;
  };
  keyName: { shift: string };
  audit: {
    button: string;
    heading: string;
    caption: string;
    columns: { when: string; who: string; action: string; target: string; reason: string };
    empty: string;
    loading: string;
    loadMore: string;
    export: string;
    exported: string;
    automatic: string;
    comment: string;
    range: string;
    /** `{thread}` is the key of a closed or reopened thread. */
    thread: string;
    error: string;
  };
  bans: {
    button: string;
    heading: string;
    authors: string;
    noAuthors: string;
    ranges: string;
    noRanges: string;
    configured: string;
    since: string;
    lift: string;
    addRange: string;
    cidr: string;
    reason: string;
    submit: string;
    rangeRequired: string;
    invalidRange: string;
    alreadyBanned: string;
    liftedAuthor: string;
    liftedRange: string;
    bannedRange: string;
    loading: string;
    error: string;
  };
  banTitle: string;
  banIntro: string;
  banReason: string;
  banReasonRequired: string;
  banConfirm: string;
  /** The ban dialog's choice of how long. */
  banLength: { label: string; day: string; week: string; month: string; custom: string; forever: string; days: string };
  /** Beside a suspended author: `{time}` is when it ends. */
  suspendedUntil: string;
  cancel: string;
  errors: Partial<Record<ErrorCode, string>> & { fallback: string };
}

const TABLES: Record<string, ModerationMessages> = { en: moderationEn, es: moderationEs };

/** The queue's strings in `lang` (a resolved primary tag); English for anything else. */
export function moderationMessagesFor(lang: string): ModerationMessages {
  return TABLES[lang] ?? moderationEn;
}
