// The queue element's flows around the core queue: deciding on one item or on the selection,
// and loading the next page. Each ends by telling the moderator what happened and moving focus
// to where they will look next.
import { actionApplies, type ActOptions, type Comment, type ModerationAction, type ModerationQueue, type QueueItem, type QueueStatus } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import { describeError, isolate } from './moderation-format.js';
import { nameOf } from './moderation-item.js';
import type { BulkAction } from './moderation-parts.js';

export interface FlowHost {
  readonly state: ModerationQueue | null;
  /** The open queue, now. */
  queue(): QueueStatus;
  readonly localizer: Localizer;
  readonly messages: ModerationMessages;
  /** The open queue's items, as now on screen. */
  current(): readonly QueueItem[];
  isGone(id: string): boolean;
  isBusy(id: string): boolean;
  /** Why the last decision on an item failed, worded for the moderator. */
  itemError(id: string): string | undefined;
  selectedItems(): QueueItem[];
  readonly selectionSize: number;
  /** Forgets the selection of decided items that left the open queue. */
  pruneSelection(decided: ReadonlyMap<string, Comment>): void;
  announce(text: string): void;
  focusItem(id: string): Promise<void>;
  focusAt(index: number): Promise<void>;
  /** A ban was added or lifted: the ban list is out of date. */
  bansChanged(): void;
  setLoadMoreError(text: string): void;
}

/** Runs a decision on one item; true when the source confirmed it. */
export async function decideOne(host: FlowHost, item: QueueItem, action: ModerationAction, reason: string | null, extra?: ActOptions): Promise<boolean> {
  const { state, localizer, messages: m } = host;
  const id = item.comment.id;
  if (!state || host.isGone(id) || host.isBusy(id)) return false;
  if (!actionApplies(item, action)) {
    host.announce(localizer.format(m.notAvailable, { action: m.actions[action] }));
    return false;
  }
  const index = host.current().findIndex((entry) => entry.comment.id === id);
  const decided = await state.decide(host.queue(), [item], action, reason, extra);
  if (!decided.has(id)) {
    host.announce(host.itemError(id) ?? m.actionFailed);
    return false;
  }
  host.pruneSelection(decided);
  if (action === 'ban-author' || action === 'unban-author') host.bansChanged();
  host.announce(localizer.format(m.done[action], { name: isolate(nameOf(item.comment, m)) }));
  await host.focusAt(index);
  return true;
}

/** Runs one decision on every selected comment it applies to, one request at a time. */
export async function decideSelection(host: FlowHost, action: BulkAction): Promise<void> {
  const { state, localizer, messages: m } = host;
  const targets = host.selectedItems().filter((item) => actionApplies(item, action) && !host.isBusy(item.comment.id));
  if (!state || targets.length === 0) {
    host.announce(host.selectionSize === 0 ? m.nothingSelected : localizer.format(m.notAvailable, { action: m.actions[action] }));
    return;
  }
  const first = host.current().findIndex((item) => item.comment.id === targets[0]!.comment.id);
  const decided = await state.decide(host.queue(), targets, action, null);
  const failed = targets.length - decided.size;
  host.pruneSelection(decided);
  const parts = [];
  if (decided.size > 0) parts.push(localizer.plural(m.bulkDone[action], decided.size));
  if (failed > 0) parts.push(localizer.plural(m.bulkFailed, failed));
  host.announce(parts.join(' '));
  await host.focusAt(first);
}

/** Appends the open queue's next page, announces it and focuses its first item. */
export async function loadNextPage(host: FlowHost): Promise<void> {
  const { state, localizer, messages: m } = host;
  const queue = host.queue();
  const snapshot = state?.getSnapshot();
  if (!state || !snapshot?.cursors.get(queue) || snapshot.loadingMore.has(queue)) return;
  const before = host.current().length;
  host.setLoadMoreError('');
  const result = await state.loadMore(queue);
  if (!result) return;
  if ('error' in result) {
    host.setLoadMoreError(`${m.loadMoreError} ${describeError(m, result.error)}`);
    return;
  }
  if (queue !== host.queue()) return;
  const count = host.current().filter((item) => !host.isGone(item.comment.id)).length;
  const number = (n: number) => n.toLocaleString(localizer.lang);
  const progress = localizer.format(m.shownOf, { shown: number(count), total: number(Math.max(result.page.total, count)) });
  host.announce(result.added.length > 0 ? `${localizer.plural(m.loadedMore, result.added.length)} ${progress}` : m.noMore);
  if (result.added[0]) await host.focusItem(result.added[0].comment.id);
  else if (!result.page.nextCursor) await host.focusAt(before - 1);
}
