// What a moderator changes beside the queue's decisions: closing or reopening an item's thread,
// pinning its comment, a note on its author. Each is one request to the source; a failure is
// told to the moderator and changes nothing.
import { toColloquyError, type ModerationSource, type QueueItem } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import { describeError, isolate } from './moderation-format.js';

/** What the changes need from the queue element. */
export interface ChangeHost {
  readonly source: ModerationSource;
  readonly localizer: Localizer;
  readonly messages: ModerationMessages;
  announce(text: string): void;
}

/** Runs one request; on failure announces `failed` with the reason and answers undefined. */
async function attempt<T>(host: ChangeHost, failed: string, request: () => Promise<T>): Promise<{ answer: T } | undefined> {
  try {
    return { answer: await request() };
  } catch (error) {
    host.announce(`${failed} ${describeError(host.messages, toColloquyError(error))}`);
    return undefined;
  }
}

/** Closes or reopens the item's thread; true when the source did. */
export async function closeThread(host: ChangeHost, item: QueueItem, closed: boolean): Promise<boolean> {
  const { messages: m } = host;
  const thread = item.comment.thread;
  if (!(await attempt(host, m.actionFailed, () => host.source.setThreadClosed!(thread, closed)))) return false;
  host.announce(host.localizer.format(closed ? m.threadClosedDone : m.threadReopenedDone, { thread: isolate(thread) }));
  return true;
}

/** Pins or unpins the item's comment; whether it is pinned now, or undefined when that failed. */
export async function pinComment(host: ChangeHost, item: QueueItem, pinned: boolean): Promise<boolean | undefined> {
  const { messages: m } = host;
  const done = await attempt(host, m.actionFailed, () => host.source.setPinned!(item.comment.id, pinned));
  if (!done) return undefined;
  host.announce(host.localizer.format(pinned ? m.pinnedDone : m.unpinnedDone, { thread: isolate(item.comment.thread) }));
  return Boolean(done.answer.pinnedAt);
}

/** Saves a note on the item's author; true when saved. */
export async function noteAuthor(host: ChangeHost, item: QueueItem, body: string): Promise<boolean> {
  const { messages: m } = host;
  if (!(await attempt(host, m.notes.failed, () => host.source.addAuthorNote!(item.comment.author.id, body.trim())))) return false;
  host.announce(m.notes.saved);
  return true;
}
