import type { Comment, CommentNode, Identity, ThreadState } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import { ColloquyPostedEvent } from '../events.js';
import { pageStorage } from '../page-storage.js';
import { toggleBranch } from './comment-actions.js';
import { nodesOf } from './comment-index.js';
import { announce, fail } from './feedback.js';
import { focusOn, rendered } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * Writing comments and replies: naming the reader on a first post, the optimistic post itself,
 * and what a failed post offers (modify.ts: Retry with the same idempotency key, Edit to take
 * the text back into its composer, Discard). Drafts live in `localStorage` under `draftKey` until the server
 * confirms the post.
 *
 * The reader's own new comments stay where the reader is looking (decision 0027): a top-level
 * one is listed right under the composer, marked "Your comment", until the list is loaded
 * again (`ownPosts`); a reply shows in its parent's branch. Either is scrolled into view only
 * when it is not already, and the live region says "posted" or, for a comment held for
 * review, that it awaits a moderator.
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

async function ensureName(host: ColloquyThread, name: string | null): Promise<void> {
  const threadState = host.controller.state;
  if (threadState && name) await threadState.identify(name);
}

export async function onTopSubmit(host: ColloquyThread, event: ComposerSubmitEvent): Promise<void> {
  const threadState = host.controller.state;
  const composer = event.target as ColloquyComposer;
  if (!threadState) return;
  host.topError = '';
  host.topBusy = true;
  try {
    await ensureName(host, event.name);
  } catch (error) {
    host.topError = fail(host, error, 'post');
    host.topBusy = false;
    return;
  }
  host.topBusy = false;
  composer.clear();
  // Focus stays in (or, when the name field it was in is gone, returns to) the emptied text box.
  void composer.focus();
  await post(host, threadState, event.body, null, composer);
}

/** Scrolls the reader's comment into view only when it is not already. */
async function showOwn(host: ColloquyThread, id: string): Promise<void> {
  (await rendered<HTMLElement>(host, `#comment-${CSS.escape(id)}`))?.scrollIntoView({ block: 'nearest' });
}

/** Swaps the id a tracked own comment is known by (its local id, then the server's). */
export function renameOwn(host: ColloquyThread, from: string, to: string): void {
  host.ownPosts = host.ownPosts.map((id) => (id === from ? to : id));
}

/** Announces a confirmed own comment: posted, or held for review. */
export function confirmed(host: ColloquyThread, comment: Comment): void {
  const m = host.localizer.messages;
  announce(host, comment.status === 'held' ? m.announceHeld : m.announcePosted);
  host.dispatchEvent(new ColloquyPostedEvent(comment));
}

async function post(
  host: ColloquyThread,
  threadState: ThreadState,
  body: string,
  parentId: string | null,
  composer: ColloquyComposer | null,
): Promise<void> {
  const before = nodesOf(threadState.getSnapshot());
  const sending = threadState.post({ body, parentId });
  // The optimistic node is in the snapshot as soon as `post` returns.
  const localId = [...nodesOf(threadState.getSnapshot()).keys()].find((id) => !before.has(id));
  if (localId) {
    host.ownPosts = [localId, ...host.ownPosts];
    void showOwn(host, localId);
  }
  try {
    const comment = await sending;
    if (localId) renameOwn(host, localId, comment.id);
    // Confirmed, it is drawn anew (under its server id) with its buttons: in view again if needed.
    void showOwn(host, comment.id);
    composer?.forgetDraft(body);
    if (!composer) forgetStoredDraft(draftKey(host, parentId ? `reply:${parentId}` : 'top'), body);
    confirmed(host, comment);
  } catch (error) {
    // The failed node keeps the text with Retry; the draft stays in storage as well.
    const message = fail(host, error, 'post');
    announce(host, `${host.localizer.messages.failed} ${message}`);
  }
}

export async function onReplySubmit(host: ColloquyThread, event: ComposerSubmitEvent, parent: CommentNode): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState) return;
  host.replyError = '';
  host.replyBusy = true;
  try {
    await ensureName(host, event.name);
  } catch (error) {
    host.replyError = fail(host, error, 'post');
    host.replyBusy = false;
    return;
  }
  host.replyBusy = false;
  host.replyTo = null;
  const parentId = parent.comment.id;
  if (host.collapsed.has(parentId)) toggleBranch(host, parentId);
  void focusOn(host, `[data-reply-for="${CSS.escape(parentId)}"]`);
  await post(host, threadState, event.body, parentId, null);
}

