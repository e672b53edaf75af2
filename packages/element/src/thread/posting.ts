import { html, type TemplateResult } from 'lit';
import { displayText, type Comment, type CommentNode, type Identity, type ThreadState } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import { ColloquyPostedEvent } from '../write-events.js';
import { addErrors } from '../i18n/locale.js';
import { writeErrors, writeWords } from '../i18n/write-messages.js';
import { closeReply, prefetchPosting, submitPost, toggleBranch } from './comment-actions.js';
import { nodesOf } from './comment-index.js';
import { draftKey, forgetStoredDraft, needsName } from './drafts.js';
import { announce, fail } from './feedback.js';
import { focusOn, rendered } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * Writing comments and replies, an on-demand part (decision 0032): fetched when a composer
 * first gets focus or input, or when the browser is idle; a submit before then waits for it
 * (`submitPost` in comment-actions.ts). Naming the reader on a first post, the optimistic post itself,
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

// What a failed write says, from now on (edit, delete and a failed post's Retry load this part too).
addErrors(writeErrors);

async function ensureName(host: ColloquyThread, name: string | null): Promise<void> {
  const threadState = host.controller.state;
  if (threadState && name) await threadState.identify(name);
}

/** Posts from the top composer (`composer`: the event's target, read before the part was awaited). */
export async function onTopSubmit(host: ColloquyThread, event: ComposerSubmitEvent, composer: ColloquyComposer): Promise<void> {
  const threadState = host.controller.state;
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
  const m = writeWords(host.localizer);
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


/** Unicode isolation marks, so a right-to-left name inside a sentence cannot reorder it. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** The reply composer under the comment the reader answers (opened once this part is loaded). */
export function renderReplyComposer(host: ColloquyThread, node: CommentNode, identity: Identity | null): TemplateResult {
  const { localizer } = host;
  const m = localizer.messages;
  const { comment } = node;
  const id = comment.id;
  return html`<colloquy-composer
    id="reply-composer"
    class="reply-composer"
    .localizer=${localizer}
    label=${localizer.format(m.replyTo, { name: isolate(displayText(comment.author.name, '—')) })}
    submit-label=${m.postReply}
    draft-key=${draftKey(host, `reply:${id}`)}
    cancellable
    ?needs-name=${needsName(identity)}
    ?busy=${host.replyBusy}
    .error=${host.replyError}
    max-length=${host.limits?.maxBodyLength ?? 10_000}
    max-name-length=${host.limits?.maxNameLength ?? 64}
    @composer-submit=${(event: ComposerSubmitEvent) => submitPost(host, event, node)}
    @focusin=${prefetchPosting}
    @input=${prefetchPosting}
    @composer-cancel=${() => closeReply(host)}
  ></colloquy-composer>`;
}

/** Puts `text` quoted (`> ` before each line) at the start of the open reply composer, the caret after it. */
export async function insertQuote(host: ColloquyThread, text: string): Promise<void> {
  const composer = host.shadowRoot?.querySelector<ColloquyComposer>('#reply-composer');
  const box = composer?.shadowRoot?.querySelector('textarea');
  if (!composer || !box) return;
  const quoted = `${text.split('\n').map((line) => `> ${line}`.trimEnd()).join('\n')}\n\n`;
  composer.restore(quoted + box.value);
  await composer.updateComplete;
  box.focus();
  box.setSelectionRange(quoted.length, quoted.length);
}
