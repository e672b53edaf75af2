import type { CommentNode, Identity, ThreadState } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import { ColloquyPostedEvent } from '../events.js';
import { pageStorage } from '../page-storage.js';
import { toggleBranch } from './comment-actions.js';
import { announce, fail } from './feedback.js';
import { focusOn, rendered } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * Writing comments and replies: naming the reader on a first post, the optimistic post itself,
 * and what a failed post offers (Retry with the same idempotency key, or Edit to take the text
 * back into its composer). Drafts live in `localStorage` under `draftKey` until the server
 * confirms the post.
 */

/** Whether a composer must ask for a screen name before the first post. */
export function needsName(identity: Identity | null): boolean {
  return !identity || !identity.name;
}

/** The storage key of a draft in this thread: `top`, `reply:<id>` or `edit:<id>`. */
export function draftKey(host: ColloquyThread, suffix: string): string {
  return `colloquy:draft:${host.controller.snapshot?.thread ?? ''}:${suffix}`;
}

function forgetStoredDraft(key: string, posted: string): void {
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
  await post(host, threadState, event.body, null, composer);
}

async function post(
  host: ColloquyThread,
  threadState: ThreadState,
  body: string,
  parentId: string | null,
  composer: ColloquyComposer | null,
): Promise<void> {
  try {
    const comment = await threadState.post({ body, parentId });
    composer?.forgetDraft(body);
    if (!composer) forgetStoredDraft(draftKey(host, parentId ? `reply:${parentId}` : 'top'), body);
    announce(host, host.localizer.messages.announcePosted);
    host.dispatchEvent(new ColloquyPostedEvent(comment));
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

export async function retry(host: ColloquyThread, node: CommentNode): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState || !node.local) return;
  try {
    const comment = await threadState.retry(node.local.localId);
    forgetStoredDraft(draftKey(host, comment.parentId ? `reply:${comment.parentId}` : 'top'), node.comment.body);
    announce(host, host.localizer.messages.announcePosted);
    host.dispatchEvent(new ColloquyPostedEvent(comment));
  } catch (error) {
    announce(host, `${host.localizer.messages.failed} ${fail(host, error, 'post')}`);
  }
}

/** Takes a failed post back into its composer, so the reader can change it before retrying. */
export async function takeBack(host: ColloquyThread, node: CommentNode): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState || !node.local) return;
  const text = node.comment.body;
  const parentId = node.comment.parentId;
  threadState.discard(node.local.localId);
  if (parentId) {
    host.replyTo = parentId;
    const composer = await rendered<ColloquyComposer>(host, '#reply-composer');
    composer?.restore(text);
    await composer?.focus();
  } else {
    host.topComposer.restore(text);
    await host.topComposer.focus();
  }
}
