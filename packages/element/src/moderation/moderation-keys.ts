// The queue's keyboard: arrows and j/k move between items, x selects, ? shows the keys, one
// letter decides on the current item and Shift+letter on the selection; the tab list follows
// the ARIA tabs pattern, mirrored right to left.
import { QUEUE_STATUSES, type QueueItem, type QueueStatus } from '@colloquy/core';
import { ACTION_KEYS, type KeyedAction } from './moderation-item.js';
import type { BulkAction } from './moderation-parts.js';

export interface QueueKeyHost {
  /** The open queue's items, in order. */
  readonly list: readonly QueueItem[];
  /** Whether single-letter shortcuts are on (arrows always work). */
  readonly shortcutsOn: boolean;
  focusItem(id: string): void;
  toggleSelected(id: string): void;
  toggleHelp(): void;
  /** One decision on one item (`ban-author` asks for a reason first). */
  act(item: QueueItem, action: KeyedAction): void;
  actOnSelection(action: BulkAction): void;
}

/** The queued item an event came from, by its `data-item` ancestor. */
export function itemFrom(event: Event, list: readonly QueueItem[]): QueueItem | null {
  for (const node of event.composedPath()) {
    if (node instanceof HTMLElement && node.dataset.item) {
      const id = node.dataset.item;
      return list.find((item) => item.comment.id === id) ?? null;
    }
  }
  return null;
}

export function handleQueueKey(event: KeyboardEvent, host: QueueKeyHost): void {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.composedPath()[0];
  if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== 'checkbox')) return;
  const list = host.list;
  const item = itemFrom(event, list);
  if (!item) return;
  const index = list.indexOf(item);
  const move = (to: number) => {
    event.preventDefault();
    const next = list[Math.min(Math.max(to, 0), list.length - 1)];
    if (next) host.focusItem(next.comment.id);
  };
  const onItem = target instanceof HTMLElement && target.dataset.item;
  if (event.key === 'ArrowDown') return move(index + 1);
  if (event.key === 'ArrowUp') return move(index - 1);
  if (onItem && event.key === 'Home') return move(0);
  if (onItem && event.key === 'End') return move(list.length - 1);
  if (!host.shortcutsOn) return;
  const key = event.key.toLowerCase();
  if (key === 'j') return move(index + 1);
  if (key === 'k') return move(index - 1);
  if (key === 'x') {
    event.preventDefault();
    host.toggleSelected(item.comment.id);
    return;
  }
  if (event.key === '?') {
    event.preventDefault();
    host.toggleHelp();
    return;
  }
  const action = ACTION_KEYS[key];
  if (!action) return;
  event.preventDefault();
  if (event.shiftKey && action !== 'ban-author') host.actOnSelection(action);
  else host.act(item, action);
}

/** The tab an arrow, Home or End key moves to, or null for other keys. */
export function tabFor(event: KeyboardEvent, queue: QueueStatus, rtl: boolean): QueueStatus | null {
  const index = QUEUE_STATUSES.indexOf(queue);
  const last = QUEUE_STATUSES.length - 1;
  const step: Record<string, number> = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: -index, End: last - index };
  const delta = step[event.key];
  if (delta === undefined) return null;
  event.preventDefault();
  return QUEUE_STATUSES[(index + delta + QUEUE_STATUSES.length) % QUEUE_STATUSES.length]!;
}

const SHORTCUTS_STORAGE_KEY = 'colloquy:moderation:shortcuts';

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Whether the moderator left single-key shortcuts on (they are, unless turned off). */
export function shortcutsSaved(): boolean {
  return safeStorage()?.getItem(SHORTCUTS_STORAGE_KEY) !== 'off';
}

export function saveShortcuts(on: boolean): void {
  safeStorage()?.setItem(SHORTCUTS_STORAGE_KEY, on ? 'on' : 'off');
}
