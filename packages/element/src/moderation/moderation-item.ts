// How one queued comment looks: its thread, the comment it answers, the body, why it was held,
// the reports grouped by reason, earlier decisions, the author's history and the decisions
// that apply. Pure templates; the queue element passes what they need.
import { html, nothing, type TemplateResult } from 'lit';
import { REPORT_REASONS, actionApplies, displayText, type AuthorAction, type Comment, type ModerationAction, type QueueItem, type QueueReport, type ReportReason } from '@colloquy/core';
import { commentBody } from '../body/body-directive.js';
import type { BodyRenderer } from '../body/body-renderer.js';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import { isolate, renderTime } from './moderation-format.js';

export type KeyedAction = Exclude<ModerationAction, 'unban-author'>;
/** Single-key shortcuts, lower case; Shift+key runs the same action on the selection. */
export const ACTION_KEYS: Record<string, KeyedAction> = { a: 'approve', h: 'hide', s: 'spam', r: 'restore', b: 'ban-author' };
export const KEY_OF: Record<KeyedAction, string> = { approve: 'A', hide: 'H', spam: 'S', restore: 'R', 'ban-author': 'B' };

/** What the item templates need from the queue element. */
export interface ItemView {
  localizer: Localizer;
  messages: ModerationMessages;
  now: Date;
  renderer: BodyRenderer;
  threadBase: string;
  /** Whether the thread is closed, as last known here (after this moderator's own close or reopen too); undefined when not known. */
  threadClosed(item: QueueItem): boolean | undefined;
  /** Closes or reopens the item's thread; null when the source cannot. */
  setThreadClosed: ((item: QueueItem, closed: boolean) => void) | null;
  /** Whether the item's comment is pinned, as last known here. */
  pinned(item: QueueItem): boolean;
  /** Pins or unpins the item's comment; null when the source cannot. */
  setPinned: ((item: QueueItem, pinned: boolean) => void) | null;
  isSelected(id: string): boolean;
  isGone(id: string): boolean;
  isBusy(id: string): boolean;
  isActive(id: string, index: number): boolean;
  errorOf(id: string): string | undefined;
  select(id: string, on: boolean): void;
  act(item: QueueItem, action: ModerationAction): void;
  /** Saves a note on the item's author; null where the source keeps no notes. */
  addNote: ((item: QueueItem, body: string) => Promise<boolean>) | null;
}

export function nameOf(comment: Comment, messages: ModerationMessages): string {
  return displayText(comment.author.name, messages.anonymous);
}

export function statusText(item: QueueItem, messages: ModerationMessages): string {
  return item.comment.status === 'hidden' && item.hiddenBy === 'reports' ? messages.hiddenByReports : messages.status[item.comment.status];
}

/**
 * The comment's place on the host site, or null: the page the server knows the thread from (a
 * widget that posted there, an import), else `thread-base` + key. Thread keys are free text, so a
 * key like `@evil.example/x` must not turn `https://news.example` into a link to another host.
 */
function threadLink(threadBase: string, item: QueueItem): string | null {
  const comment = item.comment;
  if (item.threadUrl) {
    try {
      const url = new URL(item.threadUrl);
      if (url.protocol === 'https:' || url.protocol === 'http:') {
        url.hash = `comment-${encodeURIComponent(comment.id)}`;
        return url.href;
      }
    } catch {
      // Not a URL: fall back to thread-base.
    }
  }
  if (!threadBase) return null;
  try {
    const base = new URL(threadBase, document.baseURI);
    const url = new URL(`${base.href.replace(/\/+$/, '')}${comment.thread}`);
    if (url.origin !== base.origin || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
    url.hash = `comment-${encodeURIComponent(comment.id)}`;
    return url.href;
  } catch {
    return null;
  }
}

function renderThread(view: ItemView, item: QueueItem): TemplateResult {
  const m = view.messages;
  const comment = item.comment;
  const label = html`<span class="label">${m.thread}:</span>`;
  const href = threadLink(view.threadBase, item);
  const closed = view.threadClosed(item);
  const toggle = view.setThreadClosed;
  return html`<p class="where">
    ${label} ${href ? html`<a href=${href}><bdi>${comment.thread}</bdi></a>` : html`<bdi class="thread-key">${comment.thread}</bdi>`}
    ${closed ? html`<span class="muted" data-thread-closed>(${m.threadClosed})</span>` : nothing}
    ${toggle && closed !== undefined
      ? html`<button type="button" class="thread-toggle" data-thread-toggle @click=${() => toggle(item, !closed)}>
          ${closed ? m.reopenThread : m.closeThread}
        </button>`
      : nothing}
  </p>`;
}

/** A visible top-level comment can be pinned in its thread (shown first to readers); a pinned one, unpinned. */
function renderPin(view: ItemView, item: QueueItem): TemplateResult | typeof nothing {
  const m = view.messages;
  const pinned = view.pinned(item);
  const toggle = view.setPinned;
  const pinnable = !item.comment.parentId && item.comment.status === 'visible';
  if (!pinned && !(toggle && pinnable)) return nothing;
  return html`<p class="where">
    ${pinned ? html`<span class="muted" data-pinned>(${m.pinnedNote})</span>` : nothing}
    ${toggle
      ? html`<button type="button" class="thread-toggle" data-pin-toggle ?disabled=${view.isBusy(item.comment.id)} @click=${() => toggle(item, !pinned)}>
          ${pinned ? m.unpinComment : m.pinComment}
        </button>`
      : nothing}
  </p>`;
}

function renderContext(view: ItemView, item: QueueItem): TemplateResult {
  const m = view.messages;
  if (!item.comment.parentId) return html`<p class="muted context-note">${m.topLevel}</p>`;
  const parent = item.parent;
  if (!parent || parent.status === 'deleted' || (!parent.body && !parent.html)) {
    return html`<p class="muted context-note">${m.parentUnavailable}</p>`;
  }
  return html`<figure part="context" class="context">
    <figcaption>${view.localizer.format(m.inReplyTo, { name: isolate(nameOf(parent, m)) })} · ${renderTime(view.localizer, parent.createdAt, view.now)}</figcaption>
    <blockquote dir="auto">${commentBody(parent, view.renderer)}</blockquote>
  </figure>`;
}

function renderReports(view: ItemView, item: QueueItem, id: string): TemplateResult | typeof nothing {
  const { localizer, messages: m } = view;
  if (item.reports.length === 0) return nothing;
  const groups = new Map<ReportReason, QueueReport[]>();
  for (const report of item.reports) {
    const list = groups.get(report.reason) ?? [];
    list.push(report);
    groups.set(report.reason, list);
  }
  // Heaviest group first (then the most reports), so the main complaint leads.
  const weightOf = (reason: ReportReason) => groups.get(reason)!.reduce((sum, report) => sum + report.weight, 0);
  const ordered = REPORT_REASONS.filter((reason) => groups.has(reason)).sort(
    (a, b) => weightOf(b) - weightOf(a) || groups.get(b)!.length - groups.get(a)!.length,
  );
  return html`<div part="reports" class="reports">
    <h4 id="reports-${id}">
      ${localizer.plural(m.reportsHeading, item.reports.length)}
      <span class="muted"
        >(${localizer.plural(m.weight, item.reportWeight)}${item.threshold ? `; ${localizer.format(m.thresholdNote, { n: String(item.threshold) })}` : ''})</span
      >
    </h4>
    <ul class="groups">
      ${ordered.map((reason) => {
        const reports = groups.get(reason)!;
        return html`<li>
          <strong>${m.reasons[reason]}</strong> <span class="muted">— ${localizer.plural(m.reasonCount, reports.length)}</span>
          <ul class="details">
            ${reports.map(
              (report) => html`<li>
                ${report.details ? html`<q dir="auto">${displayText(report.details)}</q>` : html`<span class="muted">${m.noDetails}</span>`}
                <span class="muted"
                  >${localizer.format(m.reportedBy, { name: isolate(displayText(report.reporter.name ?? '', m.anonymous)) })}${report.reporter.role !== 'reader'
                    ? ` (${m.roles[report.reporter.role]})`
                    : ''}
                  · ${renderTime(localizer, report.createdAt, view.now)}</span
                >
              </li>`,
            )}
          </ul>
        </li>`;
      })}
    </ul>
  </div>`;
}

function renderDecisions(view: ItemView, entries: readonly AuthorAction[]): TemplateResult {
  const { localizer, messages: m } = view;
  return html`<ul class="past">
    ${entries.map(
      (entry) => html`<li>
        ${m.auditActions[entry.action] ?? entry.action}
        ${entry.reason ? html`— <q dir="auto">${displayText(entry.reason)}</q>` : nothing}
        <span class="muted"
          >${entry.moderator ? html` ${localizer.format(m.decidedBy, { name: isolate(displayText(entry.moderator.name ?? '', m.anonymous)) })}` : nothing}
          · ${renderTime(localizer, entry.createdAt, view.now)}</span
        >
      </li>`,
    )}
  </ul>`;
}

function renderHistory(view: ItemView, item: QueueItem, id: string): TemplateResult | typeof nothing {
  const { localizer, messages: m } = view;
  const history = item.authorHistory;
  if (!history) return nothing;
  const counts = (['visible', 'held', 'hidden', 'spam', 'deleted'] as const).filter((key) => (history.counts[key] ?? 0) > 0);
  const recent = history.recent.filter((comment) => comment.id !== item.comment.id).slice(0, 5);
  const empty = counts.length === 0 && recent.length === 0 && history.actions.length === 0;
  return html`<div part="history" class="history">
    <h4 id="history-${id}">
      ${m.historyHeading}
      ${history.banned
        ? html`<span part="badge" class="badge danger"
            >${history.bannedUntil ? localizer.format(m.suspendedUntil, { time: localizer.exactTime(new Date(history.bannedUntil)) }) : m.banned}</span
          >`
        : nothing}
    </h4>
    ${history.banned
      ? html`<p>
          <button data-action="unban-author" ?disabled=${view.isGone(id) || view.isBusy(id)} @click=${() => view.act(item, 'unban-author')}>
            ${m.actions['unban-author']}
          </button>
        </p>`
      : nothing}
    ${empty ? html`<p class="muted">${m.historyNone}</p>` : nothing}
    ${counts.length > 0 ? html`<p class="counts">${counts.map((key) => localizer.plural(m.historyCounts[key], history.counts[key] ?? 0)).join(' · ')}</p>` : nothing}
    ${recent.length > 0
      ? html`<p class="subheading">${m.historyRecent}</p>
          <ul class="recent">
            ${recent.map(
              (comment) => html`<li>
                <span class="snippet" dir="auto">${[...displayText(comment.body)].slice(0, 160).join('')}</span>
                <span class="muted">· ${m.status[comment.status]} · ${renderTime(localizer, comment.createdAt, view.now)}</span>
              </li>`,
            )}
          </ul>`
      : nothing}
    ${history.since ? html`<p class="muted">${localizer.format(m.authorSince, { time: localizer.relativeTime(new Date(history.since), view.now) })}</p>` : nothing}
    ${history.actions.length > 0
      ? html`<p class="subheading">${m.historyActions}</p>
          ${renderDecisions(view, history.actions.slice(0, 10))}`
      : nothing}
    ${renderNotes(view, item, id)}
  </div>`;
}

function renderNotes(view: ItemView, item: QueueItem, id: string): TemplateResult | typeof nothing {
  const { localizer, messages: m } = view;
  const notes = item.authorHistory?.notes ?? [];
  const addNote = view.addNote;
  if (notes.length === 0 && !addNote) return nothing;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = form.elements.namedItem('note') as HTMLTextAreaElement;
    if (!addNote || field.value.trim() === '') return field.focus();
    if (await addNote(item, field.value)) field.value = '';
  };
  return html`${notes.length > 0
      ? html`<p class="subheading">${m.notes.heading}</p>
          <ul class="notes" data-notes>
            ${notes.map(
              (note) => html`<li>
                <span dir="auto">${displayText(note.body)}</span>
                <span class="muted"
                  >${note.moderator ? html` ${localizer.format(m.notes.by, { name: isolate(displayText(note.moderator.name ?? '', m.anonymous)) })}` : nothing}
                  · ${renderTime(localizer, note.createdAt, view.now)}</span
                >
              </li>`,
            )}
          </ul>`
      : nothing}
    ${addNote
      ? html`<form class="note-form" data-note-form @submit=${submit}>
          <label for="note-${id}">${m.notes.add}</label>
          <textarea id="note-${id}" name="note" rows="2" maxlength="2000"></textarea>
          <button type="submit">${m.notes.save}</button>
        </form>`
      : nothing}`;
}

function renderActions(view: ItemView, item: QueueItem): TemplateResult {
  const m = view.messages;
  const id = item.comment.id;
  const disabled = view.isGone(id) || view.isBusy(id);
  const actions: KeyedAction[] = ['approve', 'restore', 'hide', 'spam', 'ban-author'];
  return html`<div part="actions" class="actions" role="group" aria-label=${m.itemActions}>
    ${actions
      .filter((action) => actionApplies(item, action))
      .map(
        (action) => html`<button
          class=${action === 'approve' || action === 'restore' ? 'primary' : action === 'ban-author' ? 'danger' : ''}
          data-action=${action}
          aria-keyshortcuts=${KEY_OF[action].toLowerCase()}
          ?disabled=${disabled}
          @click=${() => view.act(item, action)}
        >
          ${m.actions[action]} <kbd>${KEY_OF[action]}</kbd>
        </button>`,
      )}
  </div>`;
}

export function renderQueueItem(view: ItemView, item: QueueItem, index: number): TemplateResult {
  const { localizer, messages: m } = view;
  const { comment } = item;
  const id = comment.id;
  const name = nameOf(comment, m);
  const isSelected = view.isSelected(id);
  const gone = view.isGone(id);
  const error = view.errorOf(id);
  return html`<li>
    <article
      part=${isSelected ? 'item item-selected' : 'item'}
      class="item ${isSelected ? 'selected' : ''} ${gone ? 'gone' : ''}"
      data-item=${id}
      tabindex=${view.isActive(id, index) ? '0' : '-1'}
      aria-label=${localizer.format(m.itemLabel, { name: isolate(name), status: statusText(item, m) })}
      aria-busy=${view.isBusy(id) ? 'true' : nothing}
    >
      <header class="item-header">
        <input
          type="checkbox"
          class="select"
          .checked=${isSelected}
          ?disabled=${gone}
          aria-label=${localizer.format(m.selectItem, { name: isolate(name) })}
          @change=${(event: Event) => view.select(id, (event.target as HTMLInputElement).checked)}
        />
        <h3 class="title"><bdi part="author" class="author">${name}</bdi></h3>
        ${comment.author.role !== 'reader' ? html`<span part="badge" class="badge">${m.roles[comment.author.role]}</span>` : nothing}
        <span part="badge" class="badge status status-${comment.status}">${statusText(item, m)}</span>
        <span class="muted">${renderTime(localizer, comment.createdAt, view.now)}</span>
      </header>
      ${renderThread(view, item)} ${renderPin(view, item)} ${renderContext(view, item)}
      <div part="body" class="body" dir="auto">${commentBody(comment, view.renderer)}</div>
      ${item.heldReasons.length > 0
        ? html`<div class="held">
            <h4 id="held-${id}">${m.heldHeading}</h4>
            <!-- The reference server words its spam rules in English; say so for screen readers. -->
            <ul lang="en">
              ${item.heldReasons.map((reason) => html`<li>${displayText(reason)}</li>`)}
            </ul>
          </div>`
        : nothing}
      ${renderReports(view, item, id)}
      ${item.commentActions.length > 0
        ? html`<div class="decisions">
            <h4>${m.commentActions}</h4>
            ${renderDecisions(view, item.commentActions)}
          </div>`
        : nothing}
      ${renderHistory(view, item, id)} ${gone ? html`<p class="note">${m.goneNote}</p>` : nothing}
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing} ${renderActions(view, item)}
    </article>
  </li>`;
}
