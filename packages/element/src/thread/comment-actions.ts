import type { CommentNode } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import { announce, fail } from './feedback.js';
import { focusOn, rendered } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * What the reader does to one comment: open or close its reply composer, fold its replies,
 * edit, delete (after a confirmation) and report it. Each closes where it began: focus goes
 * back to the button that opened it, or on to what changed.
 */

export function toggleBranch(host: ColloquyThread, id: string): void {
  const collapsed = new Set(host.collapsed);
  if (collapsed.has(id)) collapsed.delete(id);
  else collapsed.add(id);
  host.collapsed = collapsed;
}

// ---- reply ----

export async function openReply(host: ColloquyThread, id: string): Promise<void> {
  host.replyTo = id;
  host.replyError = '';
  host.editing = null;
  (await rendered<ColloquyComposer>(host, '#reply-composer'))?.focus();
}

export async function closeReply(host: ColloquyThread): Promise<void> {
  const id = host.replyTo;
  host.replyTo = null;
  if (id) await focusOn(host, `[data-reply-for="${CSS.escape(id)}"]`);
}

// ---- edit ----

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
    announce(host, host.localizer.messages.announceEdited);
    await closeEdit(host);
  } catch (error) {
    host.editBusy = false;
    host.editError = fail(host, error, 'edit');
  }
}

// ---- delete ----

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
  host.confirmingDelete = null;
  const errors = new Map(host.actionErrors);
  errors.delete(id);
  host.actionErrors = errors;
  try {
    await threadState.remove(id);
    announce(host, host.localizer.messages.announceDeleted);
    await focusOn(host, `#comment-${CSS.escape(id)}`);
  } catch (error) {
    host.actionErrors = new Map(host.actionErrors).set(id, fail(host, error, 'delete'));
    await focusOn(host, `[data-delete-for="${CSS.escape(id)}"]`);
  }
}

// ---- report ----

/** The report dialog and what its answers do, once a reader has asked to report (a chunk). */
export let reportFlow: typeof import('./report-dialog-actions.js') | undefined;

/** Loads and registers the report dialog the first time a reader asks for it. */
export async function defineReportDialog(registry: CustomElementRegistry = customElements): Promise<void> {
  reportFlow ??= await import('./report-dialog-actions.js');
  const tag = 'colloquy-report-dialog';
  if (!registry.get(tag)) registry.define(tag, reportFlow.ColloquyReportDialog);
}

export async function openReport(host: ColloquyThread, id: string): Promise<void> {
  host.reportBusy = false;
  await defineReportDialog();
  await host.reportDialog.show(id);
}
