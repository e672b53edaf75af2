import type { Identity } from '@colloquy/core';
import { pageStorage } from '../page-storage.js';
import type { ColloquyThread } from './thread.js';

/**
 * What a composer needs before anything is posted (on the critical path: embed.js), while
 * posting itself (posting.ts) is fetched on demand when a composer is first used.
 */

/** Whether a composer must ask for a screen name before the first post. */
export function needsName(identity: Identity | null): boolean {
  return !identity || !identity.name;
}

/** The storage key of a draft in this thread: `top`, `reply:<id>` or `edit:<id>`. */
export function draftKey(host: ColloquyThread, suffix: string): string {
  return `colloquy:draft:${host.controller.snapshot?.thread ?? ''}:${suffix}`;
}

export function forgetStoredDraft(key: string, posted: string): void {
  const storage = pageStorage();
  if (storage?.getItem(key) === posted) storage.removeItem(key);
}
