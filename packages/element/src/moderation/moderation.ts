import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  ColloquyError,
  QUEUE_STATUSES,
  REVIEW_QUEUES,
  createModerationQueue,
  type ModerationAction,
  type ModerationQueue,
  type ModerationSource,
  type QueueItem,
  type QueueStatus,
} from '@colloquy/core';
import { createModerationClient } from '@colloquy/adapter-rest/moderation';
import type { BodyRenderer } from '../body/body-renderer.js';
import { elementDefaults } from '../config.js';
import { ColloquyErrorEvent } from '../events.js';
import { languageFor, localizerFor, type Localizer } from '../i18n/locale.js';
import { updateWhenReady } from '../ready.js';
import type { ColloquyBanList } from './ban-list/ban-list.js';
import { moderationMessagesFor, type ModerationMessages } from './i18n/moderation-messages.js';
import { ModerationController } from './moderation-controller.js';
import { ColloquyModeratedEvent } from './moderation-events.js';
import { decideOne, decideSelection, loadNextPage, type FlowHost } from './moderation-actions.js';
import { BanFlow } from './moderation-ban.js';
import { closeThread, noteAuthor, pinComment, type ChangeHost } from './moderation-changes.js';
import { announceIn, describeError } from './moderation-format.js';
import { renderPanels, renderStatus } from './moderation-panels.js';
import { renderQueueItem, type ItemView } from './moderation-item.js';
import { handleQueueKey, itemFrom, saveShortcuts, shortcutsSaved, tabFor } from './moderation-keys.js';
import { renderHeader, renderLoadMore, renderSearch, renderShortcuts, renderTabs, renderToolbar, type BulkAction } from './moderation-parts.js';
import { moderationStyles } from './moderation.styles.js';

type Theme = 'auto' | 'light' | 'dark';

/**
 * @summary The moderator's queue: reported, held and hidden comments with their context,
 * reports and the author's history, and the published ones to pin or hide; one-key decisions,
 * bulk decisions and live arrivals. With
 * a source that offers them, `<colloquy-audit-log>` and `<colloquy-ban-list>` open from its header.
 * @tagname colloquy-moderation
 *
 * @csspart base - The whole queue.
 * @csspart header - Heading, refresh button and shortcuts toggle.
 * @csspart tabs - The tab list of the queues.
 * @csspart tab - One queue's tab; also `tab-selected`.
 * @csspart toolbar - Select-all and the bulk actions.
 * @csspart status - Loading, empty and error messages.
 * @csspart new-items - The "Show N new items" button.
 * @csspart load-more - The "Load more" button and how much of the queue is loaded.
 * @csspart list - The list of queued comments.
 * @csspart item - One queued comment (an `<article>`); also `item-selected`.
 * @csspart author - The author's name.
 * @csspart badge - A role or status badge.
 * @csspart context - The parent comment the queued one replies to.
 * @csspart body - The queued comment's text.
 * @csspart reports - The reports, grouped by reason.
 * @csspart history - The author's history.
 * @csspart actions - An item's decision buttons.
 * @csspart shortcuts - The keyboard shortcut list.
 * @csspart ban-dialog - The dialog asking for a ban reason.
 * @csspart audit - The audit log panel (`<colloquy-audit-log>`, when the source offers the log).
 * @csspart bans - The ban list panel (`<colloquy-ban-list>`, when the source offers it).
 *
 * @cssproperty --colloquy-color - Text colour.
 * @cssproperty --colloquy-muted-color - Secondary text (times, counts).
 * @cssproperty --colloquy-background - Background.
 * @cssproperty --colloquy-surface - Background of buttons, badges and context quotes.
 * @cssproperty --colloquy-border-color - Lines and field borders.
 * @cssproperty --colloquy-accent - Links, primary buttons, the selected tab.
 * @cssproperty --colloquy-accent-contrast - Text on the accent colour.
 * @cssproperty --colloquy-danger - Errors and destructive actions.
 * @cssproperty --colloquy-focus-ring - The keyboard focus outline.
 * @cssproperty --colloquy-highlight - Background of selected items.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-spacing - Base spacing unit.
 * @cssproperty --colloquy-font-family - Font (inherits the page's by default).
 *
 * @event colloquy-moderated - A decision was confirmed by the server (`ColloquyModeratedEvent`).
 * @event colloquy-error - Loading or a decision failed; the moderator has been told (`ColloquyErrorEvent`, action `load` or `moderate`).
 * @event colloquy-ban-lifted - The ban list lifted an author's ban (`ColloquyBanLiftedEvent`).
 */
export class ColloquyModeration extends LitElement {
  static override styles = moderationStyles;
  static override properties: PropertyDeclarations = {
    endpoint: {},
    authToken: { attribute: 'auth-token' },
    language: { attribute: 'lang' },
    theme: { reflect: true },
    queue: { reflect: true },
    refreshSeconds: { type: Number, attribute: 'refresh-seconds' },
    threadBase: { attribute: 'thread-base' },
    source: { attribute: false },
    renderer: { attribute: false },
    selected: { state: true },
    closedThreads: { state: true },
    pinnedComments: { state: true },
    activeId: { state: true },
    announcement: { state: true },
    helpOpen: { state: true },
    shortcutsOn: { state: true },
    loadMoreError: { state: true },
    auditOpen: { state: true },
    bansOpen: { state: true },
    setupError: { state: true },
    now: { state: true },
  };

  /** Server origin for the built-in client; defaults to where `moderation.js` came from. */
  endpoint = '';
  /** A host-site JWT whose role is `moderator` or `staff`. */
  authToken = '';
  /** Language (`en`, `es`); defaults to the page's `<html lang>`, then the browser's. */
  language: string | null = null;
  /** `auto` follows `prefers-color-scheme`. */
  theme: Theme = 'auto';
  /** The open queue: `reported`, `held`, `hidden` or `visible` (Published, loaded when opened). */
  queue: QueueStatus = 'reported';
  /** Seconds between quiet refreshes when the source has no live stream; 0 turns them off. */
  refreshSeconds = 30;
  /** Where the thread key links when the server knows no page for it: `thread-base + thread + #comment-<id>` on the host site. */
  threadBase = '';
  /** Any `ModerationSource`; wins over `endpoint` and `auth-token`. */
  source: ModerationSource | null = null;
  /** How bodies become DOM; defaults to the bundle's renderer (sanitized). */
  renderer: BodyRenderer | null = null;

  /** Threads this moderator closed or reopened here, over what the queue's items said. */
  private closedThreads = new Map<string, boolean>();
  /** Comments this moderator pinned or unpinned here, until the queue reloads them. */
  private pinnedComments = new Map<string, boolean>();
  private selected = new Set<string>();
  private activeId: string | null = null;
  private announcement = '';
  private helpOpen = false;
  private shortcutsOn = true;
  private loadMoreError = '';
  private auditOpen = false;
  private bansOpen = false;
  private setupError: ColloquyError | null = null;
  private now = new Date();

  private localizer: Localizer = localizerFor('en');
  private messages: ModerationMessages = moderationMessagesFor('en');
  private resolved: ModerationSource | null = null;
  private sourceKey: unknown[] = [];
  private clock: ReturnType<typeof setInterval> | undefined;
  private readonly banFlow = new BanFlow(this, {
    isGone: (id) => this.controller.isGone(id),
    focusItem: (id) => this.focusItem(id),
    ban: (item, reason, duration) => decideOne(this.flowHost(), item, 'ban-author', reason, duration === undefined ? undefined : { duration }),
  });
  private readonly controller = new ModerationController(this, () => ({ pollSeconds: this.refreshSeconds, isVisible: () => document.visibilityState === 'visible' }));

  constructor() {
    super();
    this.controller.onChange = (snapshot, previous) => {
      if (snapshot.refreshedAt && snapshot.refreshedAt !== previous?.refreshedAt) this.now = snapshot.refreshedAt;
    };
  }

  /** The headless queue behind the view, for host code that wants to drive it. */
  get queueState(): ModerationQueue | null {
    return this.controller.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.shortcutsOn = shortcutsSaved();
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  /** Renders once the words of its language are at hand (the page's, fetched on first use). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    return updateWhenReady(this, () => super.scheduleUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.localizer = localizerFor(languageFor(this));
    this.messages = moderationMessagesFor(this.localizer.lang);
    if (!QUEUE_STATUSES.includes(this.queue)) this.queue = 'reported';
    const key = [this.source, this.endpoint, this.authToken];
    if (key.some((value, i) => value !== this.sourceKey[i])) {
      this.sourceKey = key;
      this.setup();
    } else if (changed.has('queue') && changed.get('queue') !== undefined) {
      this.selected = new Set();
      this.activeId = null;
      this.loadMoreError = '';
      void this.refresh(false, [this.queue]);
    }
    // The first connection already reads the interval; a later change reopens it.
    if (changed.has('refreshSeconds') && changed.get('refreshSeconds') !== undefined) this.controller.reconnect();
  }

  private setup(): void {
    const endpoint = this.endpoint || elementDefaults.endpoint;
    this.resolved = this.source ?? (this.authToken && endpoint ? createModerationClient({ endpoint, token: this.authToken }) : null);
    this.selected = new Set();
    this.loadMoreError = '';
    this.auditOpen = false;
    this.bansOpen = false;
    this.setupError = null;
    if (!this.resolved) {
      this.controller.attach(null);
      this.setupError = new ColloquyError(this.authToken ? 'unsupported' : 'unauthenticated', 'No moderation source: set `auth-token` (and `endpoint`) or the `source` property.');
      this.dispatchEvent(new ColloquyErrorEvent(this.setupError, 'load'));
      return;
    }
    const state = createModerationQueue({
      source: this.resolved,
      onError: (error, action) => this.dispatchEvent(new ColloquyErrorEvent(error, action)),
      onArrivals: (queue, count) => {
        if (queue === this.queue) this.announce(this.localizer.plural(this.messages.announceNewItems, count));
      },
      onDecided: (action, comment, reason) => this.dispatchEvent(new ColloquyModeratedEvent(action, comment, reason)),
    });
    this.controller.attach(state);
    void state.refresh(false, REVIEW_QUEUES.includes(this.queue) ? undefined : [...REVIEW_QUEUES, this.queue]);
  }

  /** Loads the queues again (see `ModerationQueue.refresh`); a quiet refresh never moves the list. */
  async refresh(quiet = false, queues?: readonly QueueStatus[]): Promise<void> {
    await this.controller.state?.refresh(quiet, queues);
  }

  private current(): readonly QueueItem[] {
    return this.controller.snapshot?.items.get(this.queue) ?? [];
  }

  private itemError(id: string): string | undefined {
    const error = this.controller.snapshot?.itemErrors.get(id);
    return error ? `${this.messages.actionFailed} ${describeError(this.messages, error)}` : undefined;
  }

  /** Items of the open queue on screen and not yet decided elsewhere. */
  private shownCount(): number {
    return this.current().filter((item) => !this.controller.isGone(item.comment.id)).length;
  }

  private readonly announce = (text: string): void => announceIn((shown) => (this.announcement = shown), text);

  /** Appends the open queue's next page and moves focus to its first item. */
  async loadMore(): Promise<void> {
    await loadNextPage(this.flowHost());
  }

  private async showArrivals(): Promise<void> {
    const [first] = this.controller.state?.showArrivals(this.queue) ?? [];
    if (first) await this.focusItem(first.comment.id);
  }

  /** What the decision and paging flows need from the element. */
  private flowHost(): FlowHost {
    return {
      state: this.controller.state,
      queue: () => this.queue,
      localizer: this.localizer,
      messages: this.messages,
      current: () => this.current(),
      isGone: (id) => this.controller.isGone(id),
      isBusy: (id) => this.controller.isBusy(id),
      itemError: (id) => this.itemError(id),
      selectedItems: () => this.selectedItems(),
      selectionSize: this.selected.size,
      pruneSelection: (decided) => {
        const selected = new Set(this.selected);
        for (const id of decided.keys()) if (!this.current().some((item) => item.comment.id === id)) selected.delete(id);
        this.selected = selected;
      },
      announce: (text) => this.announce(text),
      focusItem: (id) => this.focusItem(id),
      focusAt: (index) => this.focusAt(index),
      bansChanged: () => void this.renderRoot.querySelector<ColloquyBanList>('colloquy-ban-list')?.reload(),
      setLoadMoreError: (text) => (this.loadMoreError = text),
    };
  }

  /** Runs a decision on one item and moves focus to where the moderator will look next. */
  decide(item: QueueItem, action: ModerationAction, reason: string | null = null): Promise<boolean> {
    return decideOne(this.flowHost(), item, action, reason);
  }

  /** A decision asked for on one item; banning its author asks for a reason first. */
  private readonly act = (item: QueueItem, action: ModerationAction): void => void (action === 'ban-author' ? this.banFlow.open(item) : this.decide(item, action));

  /** Runs one decision on every selected comment it applies to, one request at a time. */
  decideSelected(action: BulkAction): Promise<void> {
    return decideSelection(this.flowHost(), action);
  }

  private selectedItems(): QueueItem[] {
    return this.current().filter((item) => this.selected.has(item.comment.id) && !this.controller.isGone(item.comment.id));
  }

  private toggleSelected(id: string, on = !this.selected.has(id)): void {
    const selected = new Set(this.selected);
    selected[on ? 'add' : 'delete'](id);
    this.selected = selected;
  }

  private toggleAll(on: boolean): void {
    this.selected = on ? new Set(this.current().filter((item) => !this.controller.isGone(item.comment.id)).map((item) => item.comment.id)) : new Set();
  }

  private async focusItem(id: string): Promise<void> {
    this.activeId = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`article[data-item="${CSS.escape(id)}"]`)?.focus();
  }

  /** Focuses the item now at `index` (or the last one), else the queue's status message or "Load more". */
  private async focusAt(index: number): Promise<void> {
    const list = this.current();
    const target = list[Math.min(Math.max(index, 0), list.length - 1)];
    if (target) return this.focusItem(target.comment.id);
    this.activeId = null;
    await this.updateComplete;
    // With every loaded item decided and more in the queue, "Load more" is what comes next.
    this.renderRoot.querySelector<HTMLElement>('#queue-status, [data-load-more]')?.focus();
  }

  private onListFocusIn(event: FocusEvent): void {
    const item = itemFrom(event, this.current());
    if (item) this.activeId = item.comment.id;
  }

  private onListKeyDown(event: KeyboardEvent): void {
    handleQueueKey(event, {
      list: this.current(),
      shortcutsOn: this.shortcutsOn,
      focusItem: (id) => void this.focusItem(id),
      toggleSelected: (id) => {
        this.toggleSelected(id);
        this.announce(this.localizer.plural(this.messages.selected, this.selectedItems().length));
      },
      toggleHelp: () => (this.helpOpen = !this.helpOpen),
      act: this.act,
      actOnSelection: (action) => void this.decideSelected(action),
    });
  }

  private onTabKeyDown(event: KeyboardEvent): void {
    const next = tabFor(event, this.queue, getComputedStyle(this).direction === 'rtl');
    if (!next) return;
    this.queue = next;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  /** What closing a thread, a pin and a note need from the element. */
  private changeHost(): ChangeHost {
    return { source: this.resolved!, localizer: this.localizer, messages: this.messages, announce: (text) => this.announce(text) };
  }

  private async setThreadClosed(item: QueueItem, closed: boolean): Promise<void> {
    if (await closeThread(this.changeHost(), item, closed)) this.closedThreads = new Map(this.closedThreads).set(item.comment.thread, closed);
  }

  private async setPinned(item: QueueItem, pinned: boolean): Promise<void> {
    const now = await pinComment(this.changeHost(), item, pinned);
    if (now !== undefined) this.pinnedComments = new Map(this.pinnedComments).set(item.comment.id, now);
  }

  private itemView(renderer: BodyRenderer): ItemView {
    return {
      localizer: this.localizer,
      messages: this.messages,
      now: this.now,
      renderer,
      threadBase: this.threadBase,
      threadClosed: (item) => this.closedThreads.get(item.comment.thread) ?? item.threadClosed,
      setThreadClosed: this.resolved?.setThreadClosed ? (item, closed) => void this.setThreadClosed(item, closed) : null,
      pinned: (item) => this.pinnedComments.get(item.comment.id) ?? Boolean(item.comment.pinnedAt),
      setPinned: this.resolved?.setPinned ? (item, pinned) => void this.setPinned(item, pinned) : null,
      isSelected: (id) => this.selected.has(id),
      isGone: (id) => this.controller.isGone(id),
      isBusy: (id) => this.controller.isBusy(id),
      isActive: (id, index) => (this.activeId ? this.activeId === id : index === 0),
      errorOf: (id) => this.itemError(id),
      select: (id, on) => this.toggleSelected(id, on),
      act: this.act,
      addNote: this.resolved?.addAuthorNote ? (item, body) => this.addNote(item, body) : null,
    };
  }

  /** Saves a note on an author, then refreshes quietly so every item of theirs shows it. */
  private async addNote(item: QueueItem, body: string): Promise<boolean> {
    if (!(await noteAuthor(this.changeHost(), item, body))) return false;
    await this.refresh(true);
    return true;
  }

  private renderPanel(renderer: BodyRenderer): TemplateResult {
    const m = this.messages;
    const snapshot = this.controller.snapshot;
    const list = this.current();
    const waiting = snapshot?.arrivals.get(this.queue) ?? [];
    const error = this.setupError ?? snapshot?.loadError ?? null;
    const loaded = snapshot?.loaded.has(this.queue) ?? false;
    const view = this.itemView(renderer);
    const shown = this.shownCount();
    return html`<div role="tabpanel" id="panel" class="panel" aria-labelledby="tab-${this.queue}">
      ${renderToolbar({
        localizer: this.localizer,
        messages: m,
        live: list.filter((item) => !this.controller.isGone(item.comment.id)),
        selected: this.selectedItems(),
        toggleAll: (on) => this.toggleAll(on),
        decideSelected: (action) => void this.decideSelected(action),
      })}
      ${renderStatus({
        messages: m,
        queue: this.queue,
        error,
        loaded,
        empty: list.length === 0 && !snapshot?.cursors.get(this.queue),
        searching: snapshot?.search != null,
        retry: this.resolved ? () => void this.refresh(false) : null,
      })}
      ${list.length > 0
        ? html`<ol part="list" class="queue" aria-label=${m.tabs[this.queue]} @keydown=${this.onListKeyDown} @focusin=${this.onListFocusIn}>
            ${repeat(list, (item) => item.comment.id, (item, index) => renderQueueItem(view, item, index))}
          </ol>`
        : nothing}
      ${loaded && !error && snapshot?.cursors.get(this.queue)
        ? renderLoadMore({
            localizer: this.localizer,
            messages: m,
            shown,
            total: Math.max(snapshot.totals.get(this.queue) ?? shown, shown),
            loading: snapshot.loadingMore.has(this.queue),
            error: this.loadMoreError,
            loadMore: () => void this.loadMore(),
          })
        : nothing}
      ${waiting.length > 0
        ? html`<button part="new-items" class="new-items" @click=${this.showArrivals}>${this.localizer.plural(m.newItems, waiting.length)}</button>`
        : nothing}
    </div>`;
  }

  override render() {
    const m = this.messages;
    const lang = this.localizer.lang;
    const renderer = this.renderer ?? elementDefaults.renderer;
    const snapshot = this.controller.snapshot;
    return html`<section part="base" class="base" aria-labelledby="heading" lang=${lang}>
      ${renderHeader({
        localizer: this.localizer,
        messages: m,
        refreshedAt: snapshot?.refreshedAt ?? null,
        now: this.now,
        canRefresh: this.resolved !== null,
        helpOpen: this.helpOpen,
        auditOpen: this.resolved?.auditLog ? this.auditOpen : null,
        bansOpen: this.resolved?.bans ? this.bansOpen : null,
        refresh: () => void this.refresh(false),
        toggleHelp: () => (this.helpOpen = !this.helpOpen),
        toggleAudit: () => (this.auditOpen = !this.auditOpen),
        toggleBans: () => (this.bansOpen = !this.bansOpen),
      })}
      ${renderShortcuts({ messages: m, open: this.helpOpen, shortcutsOn: this.shortcutsOn, setShortcuts: (on) => saveShortcuts((this.shortcutsOn = on)) })}
      ${renderPanels({
        source: this.resolved,
        lang,
        theme: this.theme,
        auditOpen: this.auditOpen,
        bansOpen: this.bansOpen,
        // Queued comments by the same author no longer show them as banned.
        onBanLifted: (event) => this.controller.state?.markUnbanned(event.identityId),
      })}
      ${this.resolved
        ? renderSearch({
            localizer: this.localizer,
            messages: m,
            text: snapshot?.search?.q ?? '',
            search: (text) => void this.controller.state?.search(text.trim() ? { q: text } : null),
          })
        : nothing}
      ${renderTabs({
        localizer: this.localizer,
        messages: m,
        queue: this.queue,
        // The whole queue, loaded or not: what the source last said, less decisions made here since.
        count: (queue) => (snapshot?.loaded.has(queue) ? (snapshot.totals.get(queue) ?? 0) : null),
        select: (queue) => (this.queue = queue),
        onKeyDown: (event) => this.onTabKeyDown(event),
      })}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${this.renderPanel(renderer)}
      ${this.banFlow.render(this.localizer, m)}
    </section>`;
  }
}
