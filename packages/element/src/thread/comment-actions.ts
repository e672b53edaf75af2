import type { ColloquyComposer } from '../composer/composer.js';
import { fail } from './feedback.js';
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

// ---- edit and delete: loaded on demand ----

let modify: typeof import('./modify.js') | undefined;

/** The edit and delete module once loaded (it renders the edit box and the confirmation). */
export function modifyPart(): typeof import('./modify.js') | undefined {
  return modify;
}

/** Tells the reader, under the comment, that an on-demand part could not be fetched; pressing the button again retries. */
function partFailed(host: ColloquyThread, id: string, error: unknown): void {
  fail(host, error, 'load');
  host.actionErrors = new Map(host.actionErrors).set(id, host.localizer.messages.partFailed);
}

/** @internal How the thread fetches its on-demand parts; tests replace it to fail a load. */
export const parts = {
  modify: () => import('./modify.js'),
  reportDialog: () => import('./report.js'),
  permalink: () => import('./permalink.js'),
};

async function loadModify(host: ColloquyThread, id: string): Promise<typeof import('./modify.js') | undefined> {
  try {
    modify ??= await parts.modify();
  } catch (error) {
    partFailed(host, id, error);
    return undefined;
  }
  clearPartError(host, id);
  return modify;
}

function clearPartError(host: ColloquyThread, id: string): void {
  if (host.actionErrors.get(id) !== host.localizer.messages.partFailed) return;
  const errors = new Map(host.actionErrors);
  errors.delete(id);
  host.actionErrors = errors;
}

/** Runs `action` from the on-demand module (Edit, Delete, and a failed post's buttons), loading it first. */
export async function later(
  host: ColloquyThread,
  id: string,
  action: (part: typeof import('./modify.js')) => unknown,
): Promise<void> {
  const part = await loadModify(host, id);
  if (part) await action(part);
}

// ---- report ----

/** Loads and registers the report dialog the first time a reader asks for it. */
export async function defineReportDialog(registry: CustomElementRegistry = customElements): Promise<void> {
  const tag = 'colloquy-report-dialog';
  if (registry.get(tag)) return;
  const { ColloquyReportDialog } = await parts.reportDialog();
  if (!registry.get(tag)) registry.define(tag, ColloquyReportDialog);
}

export async function openReport(host: ColloquyThread, id: string): Promise<void> {
  host.reportBusy = false;
  let report: typeof import('./report.js');
  try {
    await defineReportDialog();
    report = await parts.reportDialog();
  } catch (error) {
    partFailed(host, id, error);
    return;
  }
  clearPartError(host, id);
  report.listen(host);
  await host.reportDialog.show(id);
}


