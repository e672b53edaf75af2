import { toColloquyError } from '@colloquy/core';
import { ColloquyErrorEvent } from '../events.js';
import type { ColloquyThread } from './thread.js';

/** Says `text` in the thread's polite live region. */
export function announce(host: ColloquyThread, text: string): void {
  // Clearing first makes a repeated message ("1 new comment" twice) be read again.
  host.announcement = '';
  requestAnimationFrame(() => (host.announcement = text));
}

/** Tells the page what failed (`colloquy-error`) and returns the words for the reader. */
export function fail(host: ColloquyThread, error: unknown, action: string): string {
  const colloquyError = toColloquyError(error);
  const message = host.localizer.error(colloquyError);
  host.dispatchEvent(new ColloquyErrorEvent(colloquyError, action, message));
  return message;
}
