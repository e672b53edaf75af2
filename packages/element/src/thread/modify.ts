import { html, type TemplateResult } from 'lit';
import type { CommentNode } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import { announce, fail } from './feedback.js';
import { focusOn, rendered } from './focus.js';
import { writeWords } from '../i18n/write-messages.js';
import { draftKey, forgetStoredDraft } from './drafts.js';
import { confirmed, renameOwn } from './posting.js';
import type { ColloquyThread } from './thread.js';

/**
 * Editing and deleting one's own comment (or any, for a moderator): the edit box, the delete
 * confirmation and what follows them; and what a failed post's buttons do (Retry, Edit,
 * Discard). Only needed after the reader presses one of those buttons, so
 * the build emits this module as an on-demand chunk (decision 0027), loaded by
 * `comment-actions.ts`, which says so under the comment if it cannot be fetched.
 */

export async function openEdit(host: ColloquyThread, id: string): Promise<void> {
  host.editing = id;
  host.editError = '';
  host.replyTo = null;
  (await rendered<ColloquyComposer>(host, '#edit-composer'))?.focus();
}

export async function closeEdit(host: ColloquyThread): Promise<void> {
  const id = host.editing;
  host.editing = null;
  if (id) await focusOn(host, `[data-edit-for="${CSS.escape(id)}"]`);
}

export async function onEditSubmit(host: ColloquyThread, event: ComposerSubmitEvent, node: CommentNode): Promise<void> {
  const threadState = host.controller.state;
  // An event from inside a shadow tree loses its target once dispatch ends.
  const composer = event.target as ColloquyComposer;
  if (!threadState) return;
  host.editBusy = true;
  host.editError = '';
  try {
    await threadState.edit(node.comment.id, event.body);
    composer.forgetDraft(event.body);
    host.editBusy = false;
    announce(host, writeWords(host.localizer).announceEdited);
    await closeEdit(host);
  } catch (error) {
    host.editBusy = false;
    host.editError = fail(host, error, 'edit');
  }
}

export async function askDelete(host: ColloquyThread, id: string): Promise<void> {
  host.confirmingDelete = id;
  await focusOn(host, `[data-confirm-delete="${CSS.escape(id)}"]`);
}

export async function cancelDelete(host: ColloquyThread): Promise<void> {
  const id = host.confirmingDelete;
  host.confirmingDelete = null;
  if (id) await focusOn(host, `[data-delete-for="${CSS.escape(id)}"]`);
}

export async function confirmDelete(host: ColloquyThread, id: string): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState) return;
  // The confirmation goes away with its focused button. Focus goes to the comment when a
  // placeholder stays for its replies, else the next comment, the previous, the comment it
  // answered, or the heading: never to the page's <body>.
  const article = host.renderRoot.querySelector(`#comment-${CSS.escape(id)}`);
  const item = article?.parentElement;
  const candidates = [
    article,
    item?.nextElementSibling?.firstElementChild,
    item?.previousElementSibling?.firstElementChild,
    item?.parentElement?.closest('article'),
    host.renderRoot.querySelector('#heading'),
  ];
  host.confirmingDelete = null;
  const errors = new Map(host.actionErrors);
  errors.delete(id);
  host.actionErrors = errors;
  const removing = threadState.remove(id);
  await host.updateComplete;
  (candidates.find((element) => element?.isConnected) as HTMLElement | undefined)?.focus();
  try {
    await removing;
    announce(host, writeWords(host.localizer).announceDeleted);
  } catch (error) {
    host.actionErrors = new Map(host.actionErrors).set(id, fail(host, error, 'delete'));
    await focusOn(host, `[data-delete-for="${CSS.escape(id)}"]`);
  }
}


/** The edit box in place of the comment's body. */
export function renderEditor(host: ColloquyThread, node: CommentNode): TemplateResult {
  const { localizer } = host;
  const m = localizer.messages;
  const { comment } = node;
  return html`<colloquy-composer
    id="edit-composer"
    .localizer=${localizer}
    label=${writeWords(localizer).editLabel}
    submit-label=${m.save}
    draft-key=${draftKey(host, `edit:${comment.id}`)}
    .initial=${comment.body}
    cancellable
    ?busy=${host.editBusy}
    .error=${host.editError}
    max-length=${host.limits?.maxBodyLength ?? 10_000}
    @composer-submit=${(event: ComposerSubmitEvent) => onEditSubmit(host, event, node)}
    @composer-cancel=${() => closeEdit(host)}
  ></colloquy-composer>`;
}

/** "Delete this comment?" with Delete and Cancel; Escape cancels, as Cancel does. */
export function renderConfirm(host: ColloquyThread, id: string): TemplateResult {
  const m = host.localizer.messages;
  return html`<div
    class="confirm"
    role="group"
    aria-labelledby="confirm-${id}"
    @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && cancelDelete(host)}
  >
    <span id="confirm-${id}">${writeWords(host.localizer).confirmDelete}</span>
    <button class="danger" data-confirm-delete=${id} @click=${() => confirmDelete(host, id)}>${m.delete}</button>
    <button @click=${() => cancelDelete(host)}>${m.cancel}</button>
  </div>`;
}

// ---- a failed post ----

export async function retry(host: ColloquyThread, node: CommentNode): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState || !node.local) return;
  try {
    const comment = await threadState.retry(node.local.localId);
    renameOwn(host, node.local.localId, comment.id);
    forgetStoredDraft(draftKey(host, comment.parentId ? `reply:${comment.parentId}` : 'top'), node.comment.body);
    confirmed(host, comment);
  } catch (error) {
    announce(host, `${host.localizer.messages.failed} ${fail(host, error, 'post')}`);
  }
}

/** Drops a failed post that retrying cannot save; focus goes to its composer's place. */
export async function discardFailed(host: ColloquyThread, node: CommentNode): Promise<void> {
  const parentId = node.comment.parentId;
  host.controller.state?.discard(node.local!.localId);
  await (parentId ? focusOn(host, `[data-reply-for="${CSS.escape(parentId)}"]`) : host.topComposer.focus());
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
