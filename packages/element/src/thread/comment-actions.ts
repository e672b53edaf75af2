import type { CommentNode } from '@colloquy/core';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
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

/** Opens the reply composer, which comes with the posting part (loaded first when it is not yet). */
export async function openReply(host: ColloquyThread, id: string): Promise<void> {
  try {
    await loadPosting();
  } catch (error) {
    partFailed(host, id, error);
    return;
  }
  clearPartError(host, id);
  host.replyTo = id;
  host.replyError = '';
  host.editing = null;
  (await rendered<ColloquyComposer>(host, '#reply-composer'))?.focus();
}

/**
 * Quote: opens the reply composer with the words selected in the comment's body quoted (`> `),
 * or the whole comment when nothing there is selected (a keyboard user's case). The selection is
 * read at once: loading the posting part may take a moment.
 */
export async function quoteReply(host: ColloquyThread, node: CommentNode): Promise<void> {
  const id = node.comment.id;
  const selection = (host.shadowRoot as unknown as Document).getSelection?.() ?? getSelection();
  const body = host.shadowRoot!.querySelector(`#comment-${CSS.escape(id)} .body`);
  const picked = selection?.anchorNode && body?.contains(selection.anchorNode) ? `${selection}` : '';
  await openReply(host, id);
  await loaded?.insertQuote(host, picked.trim() || node.comment.body);
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
  posting: () => import('./posting.js'),
  live: () => import('./live-arrivals.js'),
  account: () => import('../account/account.js'),
  helpful: () => import('./helpful.js'),
  avatar: () => import('./avatar.js'),
};

// ---- generated avatars: loaded only by a thread with the `avatars` attribute ----

let avatars: typeof import('./avatar.js') | undefined;

/**
 * The part that draws avatars, once here; until then it is fetched and the thread draws again
 * when it comes. A failed fetch shows no avatars (they are decorative) and the next update
 * tries again.
 */
export function avatarPart(host: ColloquyThread): typeof import('./avatar.js') | undefined {
  if (!avatars) parts.avatar().then((part) => ((avatars = part), host.requestUpdate()), () => undefined);
  return avatars;
}

// ---- comments others post live: loaded when the live stream opens ----

let live: typeof import('./live-arrivals.js') | undefined;
let liveLoading = false;

/** The live-arrivals part once loaded (it renders "Show N new comments"). */
export function livePart(): typeof import('./live-arrivals.js') | undefined {
  return live;
}

/**
 * Takes the live arrivals of the thread's latest snapshot through the live-arrivals part,
 * fetched first when it is not here yet (the thread asks for it when its stream opens). If the
 * fetch fails, the arrivals stay unacknowledged and the next change tries again.
 */
export function noteArrivals(host: ColloquyThread): void {
  if (live) {
    if (host.controller.snapshot) live.noteArrivals(host, host.controller.snapshot);
    return;
  }
  if (liveLoading) return;
  liveLoading = true;
  parts.live().then(
    (part) => {
      live = part;
      liveLoading = false;
      noteArrivals(host);
    },
    () => (liveLoading = false),
  );
}

/**
 * Once the page is idle after the thread's first render, fetches every on-demand part, so a
 * reader's first click or keystroke finds its code there (decision 0032). Not when the reader
 * asked to save data; a part that fails here is fetched again when it is used.
 */
export function prefetchParts(): void {
  if ((navigator as { connection?: { saveData?: boolean } }).connection?.saveData) return;
  const idle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 2000));
  idle(
    () => {
      prefetchPosting();
      for (const load of [parts.modify, parts.reportDialog, parts.permalink, parts.helpful]) load().catch(() => undefined);
    },
    { timeout: 10_000 },
  );
}

// ---- posting: loaded when a composer is first used ----

type Posting = typeof import('./posting.js');
/** By loader (tests swap `parts.posting`), the fetch once started. */
const posting = new WeakMap<() => Promise<Posting>, Promise<Posting>>();

let loaded: Posting | undefined;

/** The posting part once loaded (it renders the reply composer). */
export function postingPart(): Posting | undefined {
  return loaded;
}

/** The posting part, fetched once; a failed fetch is forgotten, so the next use fetches it again. */
function loadPosting(): Promise<Posting> {
  const load = parts.posting;
  let loading = posting.get(load);
  if (!loading) {
    loading = load().then(
      (part) => (loaded = part),
      (error: unknown) => {
        posting.delete(load);
        throw error;
      },
    );
    posting.set(load, loading);
  }
  return loading;
}

/** Starts fetching the posting part (a composer got focus or input), so a submit finds it ready. */
export function prefetchPosting(): void {
  loadPosting().catch(() => undefined);
}

/**
 * Submits a composer's text through the posting part, waiting for it when it is not loaded
 * yet (the button shows "Posting…" meanwhile). When it cannot be fetched, the composer keeps
 * the text and says so; submitting again fetches it again.
 */
export async function submitPost(host: ColloquyThread, event: ComposerSubmitEvent, parent?: CommentNode): Promise<void> {
  // Read now: once dispatch ends, a target inside a shadow root is no longer the event's.
  const composer = event.target as ColloquyComposer;
  const which = parent ? 'reply' : 'top';
  host[`${which}Error`] = '';
  host[`${which}Busy`] = true;
  let part: Posting;
  try {
    part = await loadPosting();
  } catch (error) {
    fail(host, error, 'load');
    host[`${which}Error`] = host.localizer.messages.partFailed;
    host[`${which}Busy`] = false;
    return;
  }
  await (parent ? part.onReplySubmit(host, event, parent) : part.onTopSubmit(host, event, composer));
}

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

// ---- helpful: the toggle renders in embed.js, its logic is an on-demand part ----

export async function toggleHelpful(host: ColloquyThread, node: CommentNode): Promise<void> {
  const id = node.comment.id;
  try {
    const part = await parts.helpful();
    clearPartError(host, id);
    await part.toggle(host, id, !node.comment.helpful?.mine);
  } catch (error) {
    partFailed(host, id, error);
  }
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


