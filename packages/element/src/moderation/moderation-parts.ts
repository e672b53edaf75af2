// The queue element's chrome as templates: header, tabs, toolbar, shortcut list and "Load
// more". The element passes what they show and the handlers they call.
import { html, nothing, type TemplateResult } from 'lit';
import { QUEUE_STATUSES, actionApplies, type ModerationAction, type QueueItem, type QueueStatus } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import { KEY_OF } from './moderation-item.js';

export type BulkAction = Exclude<ModerationAction, 'ban-author' | 'unban-author'>;
const BULK_ACTIONS: readonly BulkAction[] = ['approve', 'hide', 'spam', 'restore'];

interface Words {
  localizer: Localizer;
  messages: ModerationMessages;
}

export interface HeaderView extends Words {
  refreshedAt: Date | null;
  now: Date;
  canRefresh: boolean;
  helpOpen: boolean;
  /** Null when the source offers no audit log / ban list. */
  auditOpen: boolean | null;
  bansOpen: boolean | null;
  refresh(): void;
  toggleHelp(): void;
  toggleAudit(): void;
  toggleBans(): void;
}

export function renderHeader(view: HeaderView): TemplateResult {
  const { localizer, messages: m } = view;
  return html`<header part="header" class="header">
    <h2 id="heading">${m.heading}</h2>
    <div class="tools">
      ${view.refreshedAt
        ? html`<span class="muted">${localizer.format(m.lastRefreshed, { time: localizer.relativeTime(view.refreshedAt, view.now) })}</span>`
        : nothing}
      <button data-refresh ?disabled=${!view.canRefresh} @click=${view.refresh}>${m.refresh}</button>
      <button data-help aria-expanded=${view.helpOpen ? 'true' : 'false'} aria-controls="shortcuts" aria-keyshortcuts="?" @click=${view.toggleHelp}>
        ${m.shortcutsHeading}
      </button>
      ${view.auditOpen === null
        ? nothing
        : html`<button data-audit aria-expanded=${view.auditOpen ? 'true' : 'false'} aria-controls="audit" @click=${view.toggleAudit}>${m.audit.button}</button>`}
      ${view.bansOpen === null
        ? nothing
        : html`<button data-bans aria-expanded=${view.bansOpen ? 'true' : 'false'} aria-controls="bans" @click=${view.toggleBans}>${m.bans.button}</button>`}
    </div>
  </header>`;
}

export interface SearchView extends Words {
  /** The text searched now, or '' for whole queues. */
  text: string;
  search(text: string): void;
}

/** The search form above the tabs; while a search is on, it says so and offers to clear it. */
export function renderSearch(view: SearchView): TemplateResult {
  const { localizer, messages: m } = view;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    view.search(field.value);
  };
  return html`<form part="search" class="search" role="search" aria-label=${m.search.label} @submit=${submit}>
    <label for="search-q">${m.search.field}</label>
    <input id="search-q" name="q" type="search" maxlength="200" autocomplete="off" aria-describedby="search-hint" .value=${view.text} />
    <button type="submit">${m.search.submit}</button>
    ${view.text ? html`<button type="button" data-clear-search @click=${() => view.search('')}>${m.search.clear}</button>` : nothing}
    <span id="search-hint" class="muted">${m.search.hint}</span>
    ${view.text ? html`<p class="searching" data-searching>${localizer.format(m.search.showing, { q: view.text })}</p>` : nothing}
  </form>`;
}

export interface TabsView extends Words {
  queue: QueueStatus;
  /** Each loaded queue's whole size; a queue not loaded yet shows no count. */
  count(queue: QueueStatus): number | null;
  select(queue: QueueStatus): void;
  onKeyDown(event: KeyboardEvent): void;
}

export function renderTabs(view: TabsView): TemplateResult {
  const { localizer, messages: m } = view;
  return html`<div part="tabs" class="tabs" role="tablist" aria-label=${m.tabsLabel} @keydown=${view.onKeyDown}>
    ${QUEUE_STATUSES.map((queue) => {
      const selected = queue === view.queue;
      const count = view.count(queue);
      return html`<button
        part=${selected ? 'tab tab-selected' : 'tab'}
        class="tab"
        role="tab"
        id="tab-${queue}"
        aria-selected=${selected ? 'true' : 'false'}
        aria-controls="panel"
        tabindex=${selected ? '0' : '-1'}
        @click=${() => view.select(queue)}
      >
        ${m.tabs[queue]}
        ${count === null
          ? nothing
          : html`<span class="tab-count"
              ><span aria-hidden="true">${count}</span><span class="visually-hidden">, ${localizer.plural(m.tabCount, count)}</span></span
            >`}
      </button>`;
    })}
  </div>`;
}

export interface ToolbarView extends Words {
  /** The open queue's items not decided elsewhere. */
  live: readonly QueueItem[];
  selected: readonly QueueItem[];
  toggleAll(on: boolean): void;
  decideSelected(action: BulkAction): void;
}

export function renderToolbar(view: ToolbarView): TemplateResult | typeof nothing {
  const { localizer, messages: m, live, selected } = view;
  if (live.length === 0) return nothing;
  const all = selected.length === live.length;
  return html`<div part="toolbar" class="toolbar">
    <label class="toggle">
      <input
        type="checkbox"
        .checked=${all}
        .indeterminate=${selected.length > 0 && !all}
        @change=${(event: Event) => view.toggleAll((event.target as HTMLInputElement).checked)}
      />
      ${m.selectAll}
    </label>
    <span class="muted">${localizer.plural(m.selected, selected.length)}</span>
    <div class="bulk" role="group" aria-label=${m.bulkLabel}>
      ${BULK_ACTIONS.map((action) => {
        const usable = selected.some((item) => actionApplies(item, action));
        return html`<button
          data-bulk=${action}
          aria-disabled=${usable ? 'false' : 'true'}
          aria-keyshortcuts=${`Shift+${KEY_OF[action]}`}
          @click=${() => view.decideSelected(action)}
        >
          ${m.bulkAction[action]}
        </button>`;
      })}
    </div>
  </div>`;
}

export interface ShortcutsView {
  messages: ModerationMessages;
  open: boolean;
  shortcutsOn: boolean;
  setShortcuts(on: boolean): void;
}

export function renderShortcuts(view: ShortcutsView): TemplateResult {
  const m = view.messages;
  const shift = m.keyName.shift;
  return html`<section part="shortcuts" id="shortcuts" class="shortcuts" ?hidden=${!view.open} aria-labelledby="shortcuts-heading">
    <h3 id="shortcuts-heading">${m.shortcutsHeading}</h3>
    <label class="toggle">
      <input type="checkbox" .checked=${view.shortcutsOn} @change=${(event: Event) => view.setShortcuts((event.target as HTMLInputElement).checked)} />
      ${m.shortcutsToggle}
    </label>
    <p class="muted">${m.shortcutsHint}</p>
    <dl>
      <div><dt><kbd>J</kbd> / <kbd>↓</kbd></dt><dd>${m.keys.next}</dd></div>
      <div><dt><kbd>K</kbd> / <kbd>↑</kbd></dt><dd>${m.keys.previous}</dd></div>
      <div><dt><kbd>X</kbd></dt><dd>${m.keys.select}</dd></div>
      <div><dt><kbd>A</kbd> <kbd>H</kbd> <kbd>S</kbd> <kbd>R</kbd></dt><dd>${m.keys.action}</dd></div>
      <div><dt><kbd>B</kbd></dt><dd>${m.actions['ban-author']}</dd></div>
      <div><dt><kbd>${shift}</kbd> + <kbd>A</kbd> <kbd>H</kbd> <kbd>S</kbd> <kbd>R</kbd></dt><dd>${m.keys.bulk}</dd></div>
      <div><dt><kbd>?</kbd></dt><dd>${m.keys.help}</dd></div>
      <div><dt><kbd>←</kbd> <kbd>→</kbd></dt><dd>${m.keys.tabs}</dd></div>
    </dl>
  </section>`;
}

export interface LoadMoreView extends Words {
  shown: number;
  total: number;
  loading: boolean;
  error: string;
  loadMore(): void;
}

export function renderLoadMore(view: LoadMoreView): TemplateResult {
  const { localizer, messages: m } = view;
  const number = (n: number) => n.toLocaleString(localizer.lang);
  // aria-disabled, not disabled, so focus stays on the button while the page loads.
  return html`<div part="load-more" class="load-more">
    <button data-load-more aria-describedby="load-more-progress" aria-disabled=${view.loading ? 'true' : 'false'} @click=${view.loadMore}>${m.loadMore}</button>
    <span id="load-more-progress" class="muted">${localizer.format(m.shownOf, { shown: number(view.shown), total: number(view.total) })}</span>
    ${view.error ? html`<p class="error" role="alert">${view.error}</p>` : nothing}
  </div>`;
}
