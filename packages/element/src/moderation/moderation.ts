import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ColloquyError, REPORT_REASONS, displayText, toColloquyError, type Comment, type ReportReason } from '@colloquy/core';
import { commentBody } from '../body/body-directive.js';
import type { BodyRenderer } from '../body/body-renderer.js';
import { elementDefaults } from '../config.js';
import { ColloquyErrorEvent } from '../events.js';
import { languageFor, localizerFor, type Localizer } from '../i18n/locale.js';
import { moderationMessagesFor, type ModerationMessages } from './i18n/moderation-messages.js';
import { ColloquyModeratedEvent } from './moderation-events.js';
import {
  QUEUE_STATUSES,
  compareQueued,
  createModerationClient,
  toQueuePage,
  type AuditEntry,
  type AuthorAction,
  type BanList,
  type ModerationAction,
  type ModerationSource,
  type QueueItem,
  type QueuePage,
  type QueueReport,
  type QueueStatus,
} from './moderation-source.js';
import { moderationStyles } from './moderation.styles.js';

type Theme = 'auto' | 'light' | 'dark';
type BulkAction = Exclude<ModerationAction, 'ban-author' | 'unban-author'>;

type KeyedAction = Exclude<ModerationAction, 'unban-author'>;
/** Single-key shortcuts, lower case; Shift+key runs the same action on the selection. */
const ACTION_KEYS: Record<string, KeyedAction> = { a: 'approve', h: 'hide', s: 'spam', r: 'restore', b: 'ban-author' };
const KEY_OF: Record<KeyedAction, string> = { approve: 'A', hide: 'H', spam: 'S', restore: 'R', 'ban-author': 'B' };
const BULK_ACTIONS: readonly BulkAction[] = ['approve', 'hide', 'spam', 'restore'];
const SHORTCUTS_STORAGE_KEY = 'colloquy:moderation:shortcuts';
const AUTH_ERRORS = new Set(['unauthenticated', 'invalid_token', 'token_expired', 'forbidden']);

/** Which decisions make sense for a comment in its current state. */
function applies(item: QueueItem, action: ModerationAction): boolean {
  const status = item.comment.status;
  if (action === 'unban-author') return item.authorHistory?.banned === true;
  if (status === 'deleted') return false;
  if (action === 'restore') return status === 'hidden';
  if (action === 'approve' || action === 'hide') return status === 'visible' || status === 'held';
  return true;
}

/** Whether a comment still belongs in a queue after a decision left it in `status`. */
function staysIn(queue: QueueStatus, comment: Comment): boolean {
  // Every decision closes the open reports, and nothing a moderator does leaves a comment held.
  return queue === 'hidden' && comment.status === 'hidden';
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/**
 * @summary The moderator's queue: reported, held and hidden comments with their context,
 * reports and the author's history; one-key decisions, bulk decisions and live arrivals.
 * @tagname colloquy-moderation
 *
 * @csspart base - The whole queue.
 * @csspart header - Heading, refresh button and shortcuts toggle.
 * @csspart tabs - The tab list of the three queues.
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
 * @csspart audit - The audit log panel (when the source offers the log).
 * @csspart bans - The ban list panel (when the source offers it).
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
 */
export class ColloquyModeration extends LitElement {
  static override styles = moderationStyles;

  /** Server origin for the built-in client; defaults to where `moderation.js` came from. */
  @property() endpoint = '';
  /** A host-site JWT whose role is `moderator` or `staff`. */
  @property({ attribute: 'auth-token' }) authToken = '';
  /** Language (`en`, `es`); defaults to the page's `<html lang>`, then the browser's. */
  @property({ attribute: 'lang' }) language: string | null = null;
  /** `auto` follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme: Theme = 'auto';
  /** The open queue: `reported`, `held` or `hidden`. */
  @property({ reflect: true }) queue: QueueStatus = 'reported';
  /** Seconds between quiet refreshes when the source has no live stream; 0 turns them off. */
  @property({ type: Number, attribute: 'refresh-seconds' }) refreshSeconds = 30;
  /** When set, thread keys link to `thread-base + thread + #comment-<id>` on the host site. */
  @property({ attribute: 'thread-base' }) threadBase = '';
  /** Any `ModerationSource`; wins over `endpoint` and `auth-token`. */
  @property({ attribute: false }) source: ModerationSource | null = null;
  /** How bodies become DOM; defaults to the bundle's renderer (sanitized). */
  @property({ attribute: false }) renderer: BodyRenderer | null = null;

  @state() private items = new Map<QueueStatus, QueueItem[]>();
  @state() private arrivals = new Map<QueueStatus, QueueItem[]>();
  @state() private loaded = new Set<QueueStatus>();
  /** Where each queue's next page starts; null once it is all loaded. */
  @state() private cursors = new Map<QueueStatus, string | null>();
  /** Each queue's size as the source last said, adjusted for decisions made here since. */
  @state() private totals = new Map<QueueStatus, number>();
  @state() private loadingMore = new Set<QueueStatus>();
  @state() private loadMoreError = '';
  @state() private loadError: ColloquyError | null = null;
  @state() private gone = new Set<string>();
  @state() private selected = new Set<string>();
  @state() private busy = new Set<string>();
  @state() private itemErrors = new Map<string, string>();
  @state() private activeId: string | null = null;
  @state() private announcement = '';
  @state() private helpOpen = false;
  @state() private shortcutsOn = true;
  @state() private banning: QueueItem | null = null;
  @state() private banError = '';
  @state() private refreshedAt: Date | null = null;
  @state() private auditOpen = false;
  @state() private audit: AuditEntry[] | null = null;
  @state() private auditCursor: string | null = null;
  @state() private auditBusy = false;
  @state() private auditError = '';
  @state() private bansOpen = false;
  @state() private bans: BanList | null = null;
  @state() private bansBusy = false;
  @state() private bansError = '';
  @state() private rangeError = '';
  @state() private now = new Date();

  private localizer: Localizer = localizerFor('en');
  private messages: ModerationMessages = moderationMessagesFor('en');
  private resolved: ModerationSource | null = null;
  private sourceKey: unknown[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private pendingRefresh: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.shortcutsOn = safeStorage()?.getItem(SHORTCUTS_STORAGE_KEY) !== 'off';
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
    // Moved in the page, or back after removal: catch up on what happened meanwhile.
    if (this.resolved) {
      this.startLive();
      void this.refresh(true);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed queue keeps no stream or timer open.
    clearInterval(this.clock);
    this.stopLive();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const lang = languageFor(this);
    this.localizer = localizerFor(lang);
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
    if (changed.has('refreshSeconds') && this.isConnected) this.startLive();
  }

  private setup(): void {
    const endpoint = this.endpoint || elementDefaults.endpoint;
    this.resolved = this.source ?? (this.authToken && endpoint ? createModerationClient({ endpoint, token: this.authToken }) : null);
    this.generation++;
    this.items = new Map();
    this.arrivals = new Map();
    this.loaded = new Set();
    this.cursors = new Map();
    this.totals = new Map();
    this.loadingMore = new Set();
    this.loadMoreError = '';
    this.gone = new Set();
    this.selected = new Set();
    this.loadError = null;
    this.audit = null;
    this.auditCursor = null;
    this.auditOpen = false;
    this.bans = null;
    this.bansOpen = false;
    if (!this.resolved) {
      this.loadError = new ColloquyError(this.authToken ? 'unsupported' : 'unauthenticated', 'No moderation source: set `auth-token` (and `endpoint`) or the `source` property.');
      this.dispatchEvent(new ColloquyErrorEvent(this.loadError, 'load'));
      return;
    }
    if (this.isConnected) this.startLive();
    void this.refresh(false);
  }

  // ---- loading and live arrivals ----

  private startLive(): void {
    this.stopLive();
    const source = this.resolved;
    if (!source) return;
    if (source.subscribe) {
      // A burst of reports (three readers within a second) becomes one refresh.
      this.unsubscribe = source.subscribe(() => {
        clearTimeout(this.pendingRefresh);
        this.pendingRefresh = setTimeout(() => void this.refresh(true), 250);
      });
    } else if (this.refreshSeconds > 0) {
      // A polite refresh: only while the page is in view, and new items wait behind a button.
      this.timer = setInterval(() => {
        if (document.visibilityState === 'visible') void this.refresh(true);
      }, this.refreshSeconds * 1000);
    }
  }

  private stopLive(): void {
    clearInterval(this.timer);
    clearTimeout(this.pendingRefresh);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /**
   * Loads the queues, each as far as it is loaded already, so a refresh checks every item on
   * screen. A quiet refresh never moves what is on screen: new items wait behind "Show N new
   * items", items others decided on stay (marked) until the next full refresh. A new item past
   * the loaded pages is not news: "Load more" reaches it in its turn.
   */
  async refresh(quiet = false, queues: readonly QueueStatus[] = QUEUE_STATUSES): Promise<void> {
    const source = this.resolved;
    if (!source) return;
    const generation = this.generation;
    let results: QueuePage[];
    try {
      results = await Promise.all(queues.map((queue) => this.fetchThrough(source, queue, this.lastLoaded(queue))));
    } catch (error) {
      if (generation !== this.generation) return;
      const colloquyError = toColloquyError(error);
      // A failed background refresh keeps the list as it is; only a visible load reports it,
      // or a sign-in that stopped working, since every decision would fail too.
      if (!quiet || this.loaded.size === 0 || AUTH_ERRORS.has(colloquyError.code)) this.loadError = colloquyError;
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'load'));
      return;
    }
    if (generation !== this.generation) return;
    this.loadError = null;
    const items = new Map(this.items);
    const arrivals = new Map(this.arrivals);
    const gone = new Set(this.gone);
    const loaded = new Set(this.loaded);
    const cursors = new Map(this.cursors);
    const totals = new Map(this.totals);
    let fresh = 0;
    queues.forEach((queue, i) => {
      const incoming = results[i]!;
      const shown = items.get(queue);
      totals.set(queue, incoming.total);
      if (!quiet || !shown) {
        items.set(queue, incoming.items);
        cursors.set(queue, incoming.nextCursor);
        arrivals.delete(queue);
        for (const item of shown ?? []) gone.delete(item.comment.id);
      } else {
        const byId = new Map(incoming.items.map((item) => [item.comment.id, item]));
        const shownIds = new Set(shown.map((item) => item.comment.id));
        // The pages fetched reach at least the last item shown, so one missing was decided elsewhere.
        items.set(
          queue,
          shown.map((item) => {
            const update = byId.get(item.comment.id);
            if (!update) gone.add(item.comment.id);
            return update ?? item;
          }),
        );
        const last = this.lastLoaded(queue);
        const complete = (cursors.get(queue) ?? null) === null;
        const unseen = incoming.items.filter((item) => !shownIds.has(item.comment.id));
        const within = (item: QueueItem) => last !== null && compareQueued(item, last) <= 0;
        const before = new Set((arrivals.get(queue) ?? []).map((item) => item.comment.id));
        // On a queue loaded to its end, anything new is an arrival; otherwise only what lands among the loaded items.
        const waiting = complete ? unseen : unseen.filter((item) => within(item) || before.has(item.comment.id));
        arrivals.set(queue, waiting);
        if (complete) cursors.set(queue, incoming.nextCursor);
        else if (incoming.nextCursor === null && unseen.every(within)) cursors.set(queue, null);
        if (queue === this.queue) fresh += waiting.filter((item) => !before.has(item.comment.id)).length;
      }
      loaded.add(queue);
    });
    this.items = items;
    this.arrivals = arrivals;
    this.gone = gone;
    this.loaded = loaded;
    this.cursors = cursors;
    this.totals = totals;
    this.refreshedAt = this.now = new Date();
    if (fresh > 0) this.announce(this.localizer.plural(this.messages.announceNewItems, fresh));
  }

  /** The item shown furthest along the queue's order, or null. */
  private lastLoaded(queue: QueueStatus): QueueItem | null {
    let last: QueueItem | null = null;
    for (const item of this.items.get(queue) ?? []) if (!last || compareQueued(item, last) > 0) last = item;
    return last;
  }

  /** A queue from its first page on, until the pages reach `until` (or the queue ends). */
  private async fetchThrough(source: ModerationSource, queue: QueueStatus, until: QueueItem | null): Promise<QueuePage> {
    let page = toQueuePage(await source.queue(queue, null));
    const items = [...page.items];
    while (until && page.nextCursor && page.items.length > 0 && compareQueued(items[items.length - 1]!, until) < 0) {
      page = toQueuePage(await source.queue(queue, page.nextCursor));
      items.push(...page.items);
    }
    return { items, nextCursor: page.nextCursor, total: page.total };
  }

  /** Appends the open queue's next page and moves focus to its first item. */
  async loadMore(): Promise<void> {
    const source = this.resolved;
    const queue = this.queue;
    const cursor = this.cursors.get(queue);
    if (!source || !cursor || this.loadingMore.has(queue)) return;
    const generation = this.generation;
    const m = this.messages;
    this.loadingMore = new Set(this.loadingMore).add(queue);
    this.loadMoreError = '';
    let page: QueuePage;
    try {
      page = toQueuePage(await source.queue(queue, cursor));
    } catch (error) {
      if (generation !== this.generation) return;
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'load'));
      this.loadMoreError = `${m.loadMoreError} ${this.describe(colloquyError)}`;
      return;
    } finally {
      const loading = new Set(this.loadingMore);
      loading.delete(queue);
      this.loadingMore = loading;
    }
    if (generation !== this.generation) return;
    const shown = this.items.get(queue) ?? [];
    const shownIds = new Set(shown.map((item) => item.comment.id));
    const added = page.items.filter((item) => !shownIds.has(item.comment.id));
    const addedIds = new Set(added.map((item) => item.comment.id));
    this.items = new Map(this.items).set(queue, [...shown, ...added]);
    this.arrivals = new Map(this.arrivals).set(
      queue,
      (this.arrivals.get(queue) ?? []).filter((item) => !addedIds.has(item.comment.id)),
    );
    this.cursors = new Map(this.cursors).set(queue, page.nextCursor);
    this.totals = new Map(this.totals).set(queue, page.total);
    if (queue !== this.queue) return;
    const count = this.shownCount();
    const progress = this.localizer.format(m.shownOf, { shown: this.number(count), total: this.number(Math.max(page.total, count)) });
    this.announce(added.length > 0 ? `${this.localizer.plural(m.loadedMore, added.length)} ${progress}` : m.noMore);
    if (added[0]) await this.focusItem(added[0].comment.id);
    else if (!page.nextCursor) await this.focusAt(shown.length - 1);
  }

  private number(n: number): string {
    return n.toLocaleString(this.localizer.lang);
  }

  /** Items of the open queue on screen and not yet decided elsewhere. */
  private shownCount(): number {
    return this.current().filter((item) => !this.gone.has(item.comment.id)).length;
  }

  /** Keeps a tab's count true after decisions made here, until the source next says. */
  private adjustTotal(queue: QueueStatus, delta: number): void {
    const total = this.totals.get(queue);
    if (total !== undefined) this.totals = new Map(this.totals).set(queue, Math.max(0, total + delta));
  }

  private async showArrivals(): Promise<void> {
    const waiting = this.arrivals.get(this.queue) ?? [];
    if (waiting.length === 0) return;
    const items = new Map(this.items);
    items.set(this.queue, [...(items.get(this.queue) ?? []), ...waiting]);
    const arrivals = new Map(this.arrivals);
    arrivals.delete(this.queue);
    this.items = items;
    this.arrivals = arrivals;
    await this.focusItem(waiting[0]!.comment.id);
  }

  // ---- decisions ----

  private current(): QueueItem[] {
    return this.items.get(this.queue) ?? [];
  }

  private nameOf(comment: Comment): string {
    return displayText(comment.author.name, this.messages.anonymous);
  }

  private statusText(item: QueueItem): string {
    const m = this.messages;
    return item.comment.status === 'hidden' && item.hiddenBy === 'reports' ? m.hiddenByReports : m.status[item.comment.status];
  }

  private describe(error: ColloquyError): string {
    return this.messages.errors[error.code] ?? this.messages.errors.fallback;
  }

  private announce(text: string): void {
    // Clearing first makes a repeated message be read again.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private setBusy(id: string, on: boolean): void {
    const busy = new Set(this.busy);
    if (on) busy.add(id);
    else busy.delete(id);
    this.busy = busy;
  }

  private setItemError(id: string, message: string | null): void {
    const errors = new Map(this.itemErrors);
    if (message === null) errors.delete(id);
    else errors.set(id, message);
    this.itemErrors = errors;
  }

  /** Sends one decision; true when the server confirmed it. */
  private async send(item: QueueItem, action: ModerationAction, reason: string | null): Promise<Comment | null> {
    const source = this.resolved;
    const id = item.comment.id;
    if (!source) return null;
    this.setBusy(id, true);
    this.setItemError(id, null);
    try {
      const comment = await source.act(id, action, reason);
      this.dispatchEvent(new ColloquyModeratedEvent(action, comment, reason));
      return comment;
    } catch (error) {
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'moderate'));
      this.setItemError(id, `${this.messages.actionFailed} ${this.describe(colloquyError)}`);
      if ((colloquyError.code === 'not_found' || colloquyError.code === 'conflict') && !this.gone.has(id)) {
        this.gone = new Set(this.gone).add(id);
        // It has left the queue on the server; the tab says so before the next refresh does.
        this.adjustTotal(this.queue, -1);
      }
      return null;
    } finally {
      this.setBusy(id, false);
    }
  }

  /** Applies the server's answers to the open queue: decided items leave it, or update in place. */
  private settle(decided: Map<string, Comment>, action: ModerationAction): void {
    const items = new Map(this.items);
    const list: QueueItem[] = [];
    for (const item of this.current()) {
      const comment = decided.get(item.comment.id);
      if (!comment) list.push(item);
      // Lifting a ban leaves the comment and its reports as they were.
      else if (action === 'unban-author') list.push({ ...item, authorHistory: item.authorHistory && { ...item.authorHistory, banned: false } });
      else if (staysIn(this.queue, comment)) list.push({ ...item, comment: { ...item.comment, status: comment.status }, reports: [], reportWeight: 0 });
    }
    const left = this.current().length - list.length;
    items.set(this.queue, list);
    this.items = items;
    this.adjustTotal(this.queue, -left);
    const selected = new Set(this.selected);
    for (const id of decided.keys()) if (!list.some((item) => item.comment.id === id)) selected.delete(id);
    this.selected = selected;
    // A decided comment may have moved to another queue (hidden, say): keep those tabs' counts true.
    if (decided.size > 0) void this.refresh(true, QUEUE_STATUSES.filter((queue) => queue !== this.queue));
  }

  /** Runs a decision on one item and moves focus to where the moderator will look next. */
  async decide(item: QueueItem, action: ModerationAction, reason: string | null = null): Promise<boolean> {
    const m = this.messages;
    if (this.gone.has(item.comment.id) || this.busy.has(item.comment.id)) return false;
    if (!applies(item, action)) {
      this.announce(this.localizer.format(m.notAvailable, { action: m.actions[action] }));
      return false;
    }
    const before = this.current();
    const index = before.findIndex((entry) => entry.comment.id === item.comment.id);
    const comment = await this.send(item, action, reason);
    if (!comment) {
      this.announce(this.itemErrors.get(item.comment.id) ?? m.actionFailed);
      return false;
    }
    this.settle(new Map([[item.comment.id, comment]]), action);
    if (action === 'ban-author' || action === 'unban-author') void this.reloadBans();
    this.announce(this.localizer.format(m.done[action], { name: isolate(this.nameOf(item.comment)) }));
    await this.focusAt(index);
    return true;
  }

  private selectedItems(): QueueItem[] {
    return this.current().filter((item) => this.selected.has(item.comment.id) && !this.gone.has(item.comment.id));
  }

  /** Runs one decision on every selected comment it applies to, one request at a time. */
  async decideSelected(action: BulkAction): Promise<void> {
    const m = this.messages;
    const targets = this.selectedItems().filter((item) => applies(item, action) && !this.busy.has(item.comment.id));
    if (targets.length === 0) {
      this.announce(this.selected.size === 0 ? m.nothingSelected : this.localizer.format(m.notAvailable, { action: m.actions[action] }));
      return;
    }
    const first = this.current().findIndex((item) => item.comment.id === targets[0]!.comment.id);
    const decided = new Map<string, Comment>();
    let failed = 0;
    for (const item of targets) {
      const comment = await this.send(item, action, null);
      if (comment) decided.set(item.comment.id, comment);
      else failed++;
    }
    this.settle(decided, action);
    const parts = [];
    if (decided.size > 0) parts.push(this.localizer.plural(m.bulkDone[action], decided.size));
    if (failed > 0) parts.push(this.localizer.plural(m.bulkFailed, failed));
    this.announce(parts.join(' '));
    await this.focusAt(first);
  }

  private toggleSelected(id: string, on = !this.selected.has(id)): void {
    const selected = new Set(this.selected);
    if (on) selected.add(id);
    else selected.delete(id);
    this.selected = selected;
  }

  private toggleAll(on: boolean): void {
    this.selected = on ? new Set(this.current().filter((item) => !this.gone.has(item.comment.id)).map((item) => item.comment.id)) : new Set();
  }

  // ---- the audit log ----

  private async toggleAudit(): Promise<void> {
    this.auditOpen = !this.auditOpen;
    if (this.auditOpen && this.audit === null) await this.loadAudit(false);
  }

  private async loadAudit(more: boolean): Promise<void> {
    const source = this.resolved;
    if (!source?.auditLog || this.auditBusy) return;
    const generation = this.generation;
    this.auditBusy = true;
    this.auditError = '';
    try {
      const page = await source.auditLog(more ? this.auditCursor : null);
      if (generation !== this.generation) return;
      this.audit = more ? [...(this.audit ?? []), ...page.entries] : page.entries;
      this.auditCursor = page.nextCursor;
    } catch (error) {
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'load'));
      this.auditError = `${this.messages.audit.error} ${this.describe(colloquyError)}`;
    } finally {
      this.auditBusy = false;
    }
    // The "older entries" button is gone after the last page: keep focus in the log.
    if (more && !this.auditCursor) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#audit table')?.focus();
    }
  }

  private async exportAudit(): Promise<void> {
    const source = this.resolved;
    if (!source?.exportAuditLog) return;
    try {
      const blob = await source.exportAuditLog();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `colloquy-audit-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.announce(this.messages.audit.exported);
    } catch (error) {
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'load'));
      this.auditError = `${this.messages.audit.error} ${this.describe(colloquyError)}`;
    }
  }

  private renderAudit(): TemplateResult | typeof nothing {
    const source = this.resolved;
    if (!source?.auditLog) return nothing;
    const m = this.messages;
    const a = m.audit;
    const entries = this.audit ?? [];
    const target = (entry: AuditEntry) => {
      const cidr = entry.detail?.cidr;
      if (typeof cidr === 'string') return this.localizer.format(a.range, { cidr });
      return entry.commentId ? this.localizer.format(a.comment, { id: entry.commentId }) : '—';
    };
    return html`<section part="audit" id="audit" class="audit" ?hidden=${!this.auditOpen} aria-labelledby="audit-heading">
      <div class="audit-header">
        <h3 id="audit-heading">${a.heading}</h3>
        ${source.exportAuditLog ? html`<button data-audit-export @click=${this.exportAudit}>${a.export}</button>` : nothing}
      </div>
      ${this.auditError ? html`<p class="error" role="alert">${this.auditError}</p>` : nothing}
      ${this.audit === null && this.auditBusy ? html`<p role="status">${a.loading}</p>` : nothing}
      ${this.audit !== null && entries.length === 0 ? html`<p>${a.empty}</p>` : nothing}
      ${entries.length > 0
        ? html`<div class="table-scroll">
            <table tabindex="-1">
              <caption>
                ${a.caption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${a.columns.when}</th>
                  <th scope="col">${a.columns.who}</th>
                  <th scope="col">${a.columns.action}</th>
                  <th scope="col">${a.columns.target}</th>
                  <th scope="col">${a.columns.reason}</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  entries,
                  (entry) => entry.id,
                  (entry) => html`<tr>
                    <td>${this.renderTime(entry.createdAt)}</td>
                    <td>
                      ${entry.moderator
                        ? html`<bdi>${displayText(entry.moderator.name ?? '', m.anonymous)}</bdi>`
                        : html`<span class="muted">${a.automatic}</span>`}
                    </td>
                    <td>${m.auditActions[entry.action] ?? entry.action}</td>
                    <td><bdi class="thread-key">${target(entry)}</bdi></td>
                    <td dir="auto">${entry.reason ? displayText(entry.reason) : ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${this.auditCursor
        ? html`<button data-audit-more ?disabled=${this.auditBusy} @click=${() => this.loadAudit(true)}>${a.loadMore}</button>`
        : nothing}
    </section>`;
  }

  // ---- the ban list ----

  private async toggleBans(): Promise<void> {
    this.bansOpen = !this.bansOpen;
    if (this.bansOpen && this.bans === null) await this.loadBans();
  }

  /** Keeps an open ban list current after a ban from the queue; a closed one reloads when opened. */
  private async reloadBans(): Promise<void> {
    if (this.bansOpen) await this.loadBans();
    else this.bans = null;
  }

  private async loadBans(): Promise<void> {
    const source = this.resolved;
    if (!source?.bans) return;
    const generation = this.generation;
    this.bansBusy = true;
    this.bansError = '';
    try {
      const bans = await source.bans();
      if (generation === this.generation) this.bans = bans;
    } catch (error) {
      this.bansError = this.bansFailure(error);
    } finally {
      this.bansBusy = false;
    }
  }

  private bansFailure(error: unknown): string {
    const colloquyError = toColloquyError(error);
    this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'moderate'));
    return `${this.messages.bans.error} ${this.describe(colloquyError)}`;
  }

  private async liftAuthorBan(identityId: string, name: string): Promise<void> {
    const source = this.resolved;
    if (!source?.unbanIdentity) return;
    try {
      await source.unbanIdentity(identityId, null);
    } catch (error) {
      this.bansError = this.bansFailure(error);
      return;
    }
    // Queued comments by the same author no longer show them as banned.
    const items = new Map<QueueStatus, QueueItem[]>();
    for (const [queue, list] of this.items) {
      items.set(
        queue,
        list.map((item) =>
          item.comment.author.id === identityId && item.authorHistory ? { ...item, authorHistory: { ...item.authorHistory, banned: false } } : item,
        ),
      );
    }
    this.items = items;
    this.announce(this.localizer.format(this.messages.bans.liftedAuthor, { name: isolate(name) }));
    await this.loadBans();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#bans-heading')?.focus();
  }

  private async liftRange(rangeId: string, cidr: string): Promise<void> {
    const source = this.resolved;
    if (!source?.liftRange) return;
    try {
      await source.liftRange(rangeId, null);
    } catch (error) {
      this.bansError = this.bansFailure(error);
      return;
    }
    this.announce(this.localizer.format(this.messages.bans.liftedRange, { cidr }));
    await this.loadBans();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#bans-heading')?.focus();
  }

  private async onRangeSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const source = this.resolved;
    const form = event.target as HTMLFormElement;
    const cidrField = form.querySelector<HTMLInputElement>('#range-cidr')!;
    const reasonField = form.querySelector<HTMLInputElement>('#range-reason')!;
    const b = this.messages.bans;
    const cidr = cidrField.value.trim();
    if (!source?.banRange) return;
    if (!cidr) {
      this.rangeError = b.rangeRequired;
      cidrField.focus();
      return;
    }
    try {
      const range = await source.banRange(cidr, reasonField.value.trim() || null);
      this.rangeError = '';
      form.reset();
      this.announce(this.localizer.format(b.bannedRange, { cidr: range.cidr }));
      await this.loadBans();
    } catch (error) {
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'moderate'));
      this.rangeError =
        colloquyError.code === 'invalid_input' ? b.invalidRange : colloquyError.code === 'conflict' ? b.alreadyBanned : this.describe(colloquyError);
      cidrField.focus();
    }
  }

  private renderBans(): TemplateResult | typeof nothing {
    const source = this.resolved;
    if (!source?.bans) return nothing;
    const m = this.messages;
    const b = m.bans;
    const bans = this.bans;
    return html`<section part="bans" id="bans" class="bans" ?hidden=${!this.bansOpen} aria-labelledby="bans-heading">
      <h3 id="bans-heading" tabindex="-1">${b.heading}</h3>
      ${this.bansError ? html`<p class="error" role="alert">${this.bansError}</p>` : nothing}
      ${bans === null && this.bansBusy ? html`<p role="status">${b.loading}</p>` : nothing}
      ${bans
        ? html`<h4>${b.authors}</h4>
            ${bans.identities.length === 0
              ? html`<p class="muted">${b.noAuthors}</p>`
              : html`<ul class="ban-list">
                  ${bans.identities.map((identity) => {
                    const name = displayText(identity.name ?? '', m.anonymous);
                    return html`<li>
                      <bdi class="author">${name}</bdi>
                      ${identity.role !== 'reader' ? html`<span part="badge" class="badge">${m.roles[identity.role]}</span>` : nothing}
                      ${source.unbanIdentity
                        ? html`<button data-lift-author=${identity.id} @click=${() => this.liftAuthorBan(identity.id, name)}>
                            ${b.lift}<span class="visually-hidden"> — ${name}</span>
                          </button>`
                        : nothing}
                    </li>`;
                  })}
                </ul>`}
            <h4>${b.ranges}</h4>
            ${bans.ranges.length === 0 && bans.configured.length === 0
              ? html`<p class="muted">${b.noRanges}</p>`
              : html`<ul class="ban-list">
                  ${bans.ranges.map(
                    (range) => html`<li>
                      <code>${range.cidr}</code>
                      ${range.reason ? html`— <q dir="auto">${displayText(range.reason)}</q>` : nothing}
                      <span class="muted">· ${this.localizer.format(b.since, { time: this.localizer.relativeTime(new Date(range.createdAt), this.now) })}</span>
                      ${source.liftRange
                        ? html`<button data-lift-range=${range.id} @click=${() => this.liftRange(range.id, range.cidr)}>
                            ${b.lift}<span class="visually-hidden"> — ${range.cidr}</span>
                          </button>`
                        : nothing}
                    </li>`,
                  )}
                  ${bans.configured.map((cidr) => html`<li><code>${cidr}</code> <span class="muted">· ${b.configured}</span></li>`)}
                </ul>`}
            ${source.banRange
              ? html`<form class="range-form" novalidate @submit=${this.onRangeSubmit}>
                  <h4>${b.addRange}</h4>
                  <label for="range-cidr">${b.cidr}</label>
                  <input
                    id="range-cidr"
                    name="cidr"
                    autocomplete="off"
                    spellcheck="false"
                    required
                    aria-invalid=${this.rangeError ? 'true' : 'false'}
                    aria-describedby="range-error"
                  />
                  <label for="range-reason">${b.reason}</label>
                  <input id="range-reason" name="reason" autocomplete="off" maxlength="1000" />
                  <p id="range-error" class="error" role="alert" ?hidden=${!this.rangeError}>${this.rangeError || nothing}</p>
                  <div class="row"><button type="submit" class="danger">${b.submit}</button></div>
                </form>`
              : nothing}`
        : nothing}
    </section>`;
  }

  // ---- the ban dialog ----

  private async openBan(item: QueueItem): Promise<void> {
    if (this.gone.has(item.comment.id)) return;
    this.banning = item;
    this.banError = '';
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.ban');
    const form = dialog?.querySelector('form');
    form?.reset();
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector('textarea')?.focus();
  }

  private async onBanSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const item = this.banning;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.ban');
    const textarea = dialog?.querySelector('textarea');
    if (!item || !dialog || !textarea) return;
    const reason = textarea.value.trim();
    if (!reason) {
      this.banError = this.messages.banReasonRequired;
      textarea.focus();
      return;
    }
    dialog.close('sent');
    this.banning = null;
    const done = await this.decide(item, 'ban-author', reason);
    if (!done) await this.focusItem(item.comment.id);
  }

  private async onBanClose(): Promise<void> {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.ban');
    const item = this.banning;
    if (dialog?.returnValue !== 'sent' && item) {
      this.banning = null;
      await this.focusItem(item.comment.id);
    }
    if (dialog) dialog.returnValue = '';
  }

  // ---- focus and keys ----

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

  private itemFrom(event: Event): QueueItem | null {
    for (const node of event.composedPath()) {
      if (node instanceof HTMLElement && node.dataset.item) {
        const id = node.dataset.item;
        return this.current().find((item) => item.comment.id === id) ?? null;
      }
    }
    return null;
  }

  private onListFocusIn(event: FocusEvent): void {
    const item = this.itemFrom(event);
    if (item) this.activeId = item.comment.id;
  }

  private onListKeyDown(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== 'checkbox')) return;
    const item = this.itemFrom(event);
    if (!item) return;
    const list = this.current();
    const index = list.indexOf(item);
    const move = (to: number) => {
      event.preventDefault();
      const next = list[Math.min(Math.max(to, 0), list.length - 1)];
      if (next) void this.focusItem(next.comment.id);
    };
    if (event.key === 'ArrowDown') return move(index + 1);
    if (event.key === 'ArrowUp') return move(index - 1);
    if (target instanceof HTMLElement && target.dataset.item && event.key === 'Home') return move(0);
    if (target instanceof HTMLElement && target.dataset.item && event.key === 'End') return move(list.length - 1);
    if (!this.shortcutsOn) return;
    const key = event.key.toLowerCase();
    if (key === 'j') return move(index + 1);
    if (key === 'k') return move(index - 1);
    if (key === 'x') {
      event.preventDefault();
      this.toggleSelected(item.comment.id);
      this.announce(this.localizer.plural(this.messages.selected, this.selectedItems().length));
      return;
    }
    if (event.key === '?') {
      event.preventDefault();
      this.helpOpen = !this.helpOpen;
      return;
    }
    const action = ACTION_KEYS[key];
    if (!action) return;
    event.preventDefault();
    if (event.shiftKey && action !== 'ban-author') void this.decideSelected(action);
    else if (action === 'ban-author') void this.openBan(item);
    else void this.decide(item, action);
  }

  private onTabKeyDown(event: KeyboardEvent): void {
    const rtl = getComputedStyle(this).direction === 'rtl';
    const index = QUEUE_STATUSES.indexOf(this.queue);
    const last = QUEUE_STATUSES.length - 1;
    const step: Record<string, number> = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: -index, End: last - index };
    const delta = step[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    const next = QUEUE_STATUSES[(index + delta + QUEUE_STATUSES.length) % QUEUE_STATUSES.length]!;
    this.queue = next;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  private setShortcuts(on: boolean): void {
    this.shortcutsOn = on;
    safeStorage()?.setItem(SHORTCUTS_STORAGE_KEY, on ? 'on' : 'off');
  }

  // ---- rendering ----

  private renderTime(iso: string): TemplateResult {
    const date = new Date(iso);
    const exact = this.localizer.exactTime(date);
    return html`<time datetime=${iso} title=${exact}>${this.localizer.relativeTime(date, this.now)}</time>`;
  }

  private renderThread(comment: Comment): TemplateResult {
    const m = this.messages;
    const label = html`<span class="label">${m.thread}:</span>`;
    const href = this.threadLink(comment);
    if (href) return html`<p class="where">${label} <a href=${href}><bdi>${comment.thread}</bdi></a></p>`;
    return html`<p class="where">${label} <bdi class="thread-key">${comment.thread}</bdi></p>`;
  }

  /**
   * The comment's place on the host site, or null. Thread keys are free text, so a key like
   * `@evil.example/x` must not turn `https://news.example` into a link to another host.
   */
  private threadLink(comment: Comment): string | null {
    if (!this.threadBase) return null;
    try {
      const base = new URL(this.threadBase, document.baseURI);
      const url = new URL(`${base.href.replace(/\/+$/, '')}${comment.thread}`);
      if (url.origin !== base.origin || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
      url.hash = `comment-${encodeURIComponent(comment.id)}`;
      return url.href;
    } catch {
      return null;
    }
  }

  private renderContext(item: QueueItem, renderer: BodyRenderer): TemplateResult {
    const m = this.messages;
    if (!item.comment.parentId) return html`<p class="muted context-note">${m.topLevel}</p>`;
    const parent = item.parent;
    if (!parent || parent.status === 'deleted' || (!parent.body && !parent.html)) {
      return html`<p class="muted context-note">${m.parentUnavailable}</p>`;
    }
    return html`<figure part="context" class="context">
      <figcaption>${this.localizer.format(m.inReplyTo, { name: isolate(this.nameOf(parent)) })} · ${this.renderTime(parent.createdAt)}</figcaption>
      <blockquote dir="auto">${commentBody(parent, renderer)}</blockquote>
    </figure>`;
  }

  private renderReports(item: QueueItem, id: string): TemplateResult | typeof nothing {
    const m = this.messages;
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
        ${this.localizer.plural(m.reportsHeading, item.reports.length)}
        <span class="muted"
          >(${this.localizer.plural(m.weight, item.reportWeight)}${item.threshold
            ? `; ${this.localizer.format(m.thresholdNote, { n: String(item.threshold) })}`
            : ''})</span
        >
      </h4>
      <ul class="groups">
        ${ordered.map((reason) => {
          const reports = groups.get(reason)!;
          return html`<li>
            <strong>${m.reasons[reason]}</strong> <span class="muted">— ${this.localizer.plural(m.reasonCount, reports.length)}</span>
            <ul class="details">
              ${reports.map(
                (report) => html`<li>
                  ${report.details ? html`<q dir="auto">${displayText(report.details)}</q>` : html`<span class="muted">${m.noDetails}</span>`}
                  <span class="muted"
                    >${this.localizer.format(m.reportedBy, { name: isolate(displayText(report.reporter.name ?? '', m.anonymous)) })}${report.reporter.role !== 'reader'
                      ? ` (${m.roles[report.reporter.role]})`
                      : ''}
                    · ${this.renderTime(report.createdAt)}</span
                  >
                </li>`,
              )}
            </ul>
          </li>`;
        })}
      </ul>
    </div>`;
  }

  private renderHistory(item: QueueItem, id: string): TemplateResult | typeof nothing {
    const m = this.messages;
    const history = item.authorHistory;
    if (!history) return nothing;
    const counts = (['visible', 'held', 'hidden', 'spam', 'deleted'] as const).filter((key) => (history.counts[key] ?? 0) > 0);
    const recent = history.recent.filter((comment) => comment.id !== item.comment.id).slice(0, 5);
    const empty = counts.length === 0 && recent.length === 0 && history.actions.length === 0;
    return html`<div part="history" class="history">
      <h4 id="history-${id}">
        ${m.historyHeading} ${history.banned ? html`<span part="badge" class="badge danger">${m.banned}</span>` : nothing}
      </h4>
      ${history.banned
        ? html`<p>
            <button data-action="unban-author" ?disabled=${this.gone.has(id) || this.busy.has(id)} @click=${() => this.decide(item, 'unban-author')}>
              ${m.actions['unban-author']}
            </button>
          </p>`
        : nothing}
      ${empty ? html`<p class="muted">${m.historyNone}</p>` : nothing}
      ${counts.length > 0
        ? html`<p class="counts">${counts.map((key) => this.localizer.plural(m.historyCounts[key], history.counts[key] ?? 0)).join(' · ')}</p>`
        : nothing}
      ${recent.length > 0
        ? html`<p class="subheading">${m.historyRecent}</p>
            <ul class="recent">
              ${recent.map(
                (comment) => html`<li>
                  <span class="snippet" dir="auto">${[...displayText(comment.body)].slice(0, 160).join('')}</span>
                  <span class="muted">· ${m.status[comment.status]} · ${this.renderTime(comment.createdAt)}</span>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${history.since ? html`<p class="muted">${this.localizer.format(m.authorSince, { time: this.localizer.relativeTime(new Date(history.since), this.now) })}</p>` : nothing}
      ${history.actions.length > 0
        ? html`<p class="subheading">${m.historyActions}</p>
            ${this.renderDecisions(history.actions.slice(0, 10))}`
        : nothing}
    </div>`;
  }

  private renderDecisions(entries: readonly AuthorAction[]): TemplateResult {
    const m = this.messages;
    return html`<ul class="past">
      ${entries.map(
        (entry) => html`<li>
          ${m.auditActions[entry.action] ?? entry.action}
          ${entry.reason ? html`— <q dir="auto">${displayText(entry.reason)}</q>` : nothing}
          <span class="muted"
            >${entry.moderator ? html` ${this.localizer.format(m.decidedBy, { name: isolate(displayText(entry.moderator.name ?? '', m.anonymous)) })}` : nothing}
            · ${this.renderTime(entry.createdAt)}</span
          >
        </li>`,
      )}
    </ul>`;
  }

  private renderActions(item: QueueItem): TemplateResult {
    const m = this.messages;
    const id = item.comment.id;
    const disabled = this.gone.has(id) || this.busy.has(id);
    const actions: KeyedAction[] = ['approve', 'restore', 'hide', 'spam', 'ban-author'];
    return html`<div part="actions" class="actions" role="group" aria-label=${m.itemActions}>
      ${actions
        .filter((action) => applies(item, action))
        .map(
          (action) => html`<button
            class=${action === 'approve' || action === 'restore' ? 'primary' : action === 'ban-author' ? 'danger' : ''}
            data-action=${action}
            aria-keyshortcuts=${KEY_OF[action].toLowerCase()}
            ?disabled=${disabled}
            @click=${() => (action === 'ban-author' ? this.openBan(item) : this.decide(item, action))}
          >
            ${m.actions[action]} <kbd>${KEY_OF[action]}</kbd>
          </button>`,
        )}
    </div>`;
  }

  private renderItem(item: QueueItem, renderer: BodyRenderer, index: number): TemplateResult {
    const m = this.messages;
    const { comment } = item;
    const id = comment.id;
    const name = this.nameOf(comment);
    const isSelected = this.selected.has(id);
    const gone = this.gone.has(id);
    const active = this.activeId ? this.activeId === id : index === 0;
    const error = this.itemErrors.get(id);
    return html`<li>
      <article
        part=${isSelected ? 'item item-selected' : 'item'}
        class="item ${isSelected ? 'selected' : ''} ${gone ? 'gone' : ''}"
        data-item=${id}
        tabindex=${active ? '0' : '-1'}
        aria-label=${this.localizer.format(m.itemLabel, { name: isolate(name), status: this.statusText(item) })}
        aria-busy=${this.busy.has(id) ? 'true' : nothing}
      >
        <header class="item-header">
          <input
            type="checkbox"
            class="select"
            .checked=${isSelected}
            ?disabled=${gone}
            aria-label=${this.localizer.format(m.selectItem, { name: isolate(name) })}
            @change=${(event: Event) => this.toggleSelected(id, (event.target as HTMLInputElement).checked)}
          />
          <h3 class="title"><bdi part="author" class="author">${name}</bdi></h3>
          ${comment.author.role !== 'reader' ? html`<span part="badge" class="badge">${m.roles[comment.author.role]}</span>` : nothing}
          <span part="badge" class="badge status status-${comment.status}">${this.statusText(item)}</span>
          <span class="muted">${this.renderTime(comment.createdAt)}</span>
        </header>
        ${this.renderThread(comment)} ${this.renderContext(item, renderer)}
        <div part="body" class="body" dir="auto">${commentBody(comment, renderer)}</div>
        ${item.heldReasons.length > 0
          ? html`<div class="held">
              <h4 id="held-${id}">${m.heldHeading}</h4>
              <!-- The reference server words its spam rules in English; say so for screen readers. -->
              <ul lang="en">
                ${item.heldReasons.map((reason) => html`<li>${displayText(reason)}</li>`)}
              </ul>
            </div>`
          : nothing}
        ${this.renderReports(item, id)}
        ${item.commentActions.length > 0
          ? html`<div class="decisions">
              <h4>${m.commentActions}</h4>
              ${this.renderDecisions(item.commentActions)}
            </div>`
          : nothing}
        ${this.renderHistory(item, id)}
        ${gone ? html`<p class="note">${m.goneNote}</p>` : nothing}
        ${error ? html`<p class="error" role="alert">${error}</p>` : nothing} ${this.renderActions(item)}
      </article>
    </li>`;
  }

  private renderShortcuts(): TemplateResult {
    const m = this.messages;
    const shift = m.keyName.shift;
    return html`<section part="shortcuts" id="shortcuts" class="shortcuts" ?hidden=${!this.helpOpen} aria-labelledby="shortcuts-heading">
      <h3 id="shortcuts-heading">${m.shortcutsHeading}</h3>
      <label class="toggle">
        <input type="checkbox" .checked=${this.shortcutsOn} @change=${(event: Event) => this.setShortcuts((event.target as HTMLInputElement).checked)} />
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

  private renderToolbar(list: QueueItem[]): TemplateResult | typeof nothing {
    const m = this.messages;
    const live = list.filter((item) => !this.gone.has(item.comment.id));
    if (live.length === 0) return nothing;
    const selected = this.selectedItems();
    const all = selected.length === live.length;
    return html`<div part="toolbar" class="toolbar">
      <label class="toggle">
        <input
          type="checkbox"
          .checked=${all}
          .indeterminate=${selected.length > 0 && !all}
          @change=${(event: Event) => this.toggleAll((event.target as HTMLInputElement).checked)}
        />
        ${m.selectAll}
      </label>
      <span class="muted">${this.localizer.plural(m.selected, selected.length)}</span>
      <div class="bulk" role="group" aria-label=${m.bulkLabel}>
        ${BULK_ACTIONS.map((action) => {
          const usable = selected.some((item) => applies(item, action));
          return html`<button
            data-bulk=${action}
            aria-disabled=${usable ? 'false' : 'true'}
            aria-keyshortcuts=${`Shift+${KEY_OF[action]}`}
            @click=${() => this.decideSelected(action)}
          >
            ${m.bulkAction[action]}
          </button>`;
        })}
      </div>
    </div>`;
  }

  private renderPanel(renderer: BodyRenderer): TemplateResult {
    const m = this.messages;
    const list = this.current();
    const waiting = this.arrivals.get(this.queue) ?? [];
    const error = this.loadError;
    let status: TemplateResult | typeof nothing = nothing;
    if (error) {
      status = html`<div part="status" class="status error" role="alert" id="queue-status" tabindex="-1">
        <p>${m.loadError} ${this.describe(error)}</p>
        ${this.resolved ? html`<button @click=${() => this.refresh(false)}>${m.tryAgain}</button>` : nothing}
      </div>`;
    } else if (!this.loaded.has(this.queue)) {
      status = html`<p part="status" class="status" role="status" id="queue-status" tabindex="-1">${m.loading}</p>`;
    } else if (list.length === 0 && !this.cursors.get(this.queue)) {
      status = html`<p part="status" class="status" id="queue-status" tabindex="-1">${m.empty[this.queue]}</p>`;
    }
    return html`<div role="tabpanel" id="panel" class="panel" aria-labelledby="tab-${this.queue}">
      ${this.renderToolbar(list)} ${status}
      ${list.length > 0
        ? html`<ol
            part="list"
            class="queue"
            aria-label=${m.tabs[this.queue]}
            @keydown=${this.onListKeyDown}
            @focusin=${this.onListFocusIn}
          >
            ${repeat(
              list,
              (item) => item.comment.id,
              (item, index) => this.renderItem(item, renderer, index),
            )}
          </ol>`
        : nothing}
      ${this.loaded.has(this.queue) && !error ? this.renderLoadMore() : nothing}
      ${waiting.length > 0
        ? html`<button part="new-items" class="new-items" @click=${this.showArrivals}>
            ${this.localizer.plural(m.newItems, waiting.length)}
          </button>`
        : nothing}
    </div>`;
  }

  private renderLoadMore(): TemplateResult | typeof nothing {
    if (!this.cursors.get(this.queue)) return nothing;
    const m = this.messages;
    const shown = this.shownCount();
    const total = Math.max(this.totals.get(this.queue) ?? shown, shown);
    const loading = this.loadingMore.has(this.queue);
    // aria-disabled, not disabled, so focus stays on the button while the page loads.
    return html`<div part="load-more" class="load-more">
      <button data-load-more aria-describedby="load-more-progress" aria-disabled=${loading ? 'true' : 'false'} @click=${this.loadMore}>
        ${m.loadMore}
      </button>
      <span id="load-more-progress" class="muted">${this.localizer.format(m.shownOf, { shown: this.number(shown), total: this.number(total) })}</span>
      ${this.loadMoreError ? html`<p class="error" role="alert">${this.loadMoreError}</p>` : nothing}
    </div>`;
  }

  private renderBanDialog(): TemplateResult {
    const m = this.messages;
    const name = this.banning ? this.nameOf(this.banning.comment) : '';
    return html`<dialog
      part="ban-dialog"
      class="ban"
      aria-labelledby="ban-title"
      aria-describedby="ban-intro"
      @close=${this.onBanClose}
    >
      <form @submit=${this.onBanSubmit} novalidate>
        <h3 id="ban-title">${this.localizer.format(m.banTitle, { name: isolate(name) })}</h3>
        <p id="ban-intro">${m.banIntro}</p>
        <label for="ban-reason">${m.banReason}</label>
        <textarea
          id="ban-reason"
          name="reason"
          required
          maxlength="1000"
          aria-invalid=${this.banError ? 'true' : 'false'}
          aria-describedby="ban-error"
        ></textarea>
        <p id="ban-error" class="error" role="alert" ?hidden=${!this.banError}>${this.banError || nothing}</p>
        <div class="row">
          <button type="button" @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('dialog.ban')?.close('cancel')}>
            ${m.cancel}
          </button>
          <button type="submit" class="primary danger-fill">${m.banConfirm}</button>
        </div>
      </form>
    </dialog>`;
  }

  override render() {
    const m = this.messages;
    const renderer = this.renderer ?? elementDefaults.renderer;
    return html`<section part="base" class="base" aria-labelledby="heading" lang=${this.localizer.lang}>
      <header part="header" class="header">
        <h2 id="heading">${m.heading}</h2>
        <div class="tools">
          ${this.refreshedAt
            ? html`<span class="muted">${this.localizer.format(m.lastRefreshed, { time: this.localizer.relativeTime(this.refreshedAt, this.now) })}</span>`
            : nothing}
          <button data-refresh ?disabled=${!this.resolved} @click=${() => this.refresh(false)}>${m.refresh}</button>
          <button
            data-help
            aria-expanded=${this.helpOpen ? 'true' : 'false'}
            aria-controls="shortcuts"
            aria-keyshortcuts="?"
            @click=${() => (this.helpOpen = !this.helpOpen)}
          >
            ${m.shortcutsHeading}
          </button>
          ${this.resolved?.auditLog
            ? html`<button data-audit aria-expanded=${this.auditOpen ? 'true' : 'false'} aria-controls="audit" @click=${this.toggleAudit}>
                ${m.audit.button}
              </button>`
            : nothing}
          ${this.resolved?.bans
            ? html`<button data-bans aria-expanded=${this.bansOpen ? 'true' : 'false'} aria-controls="bans" @click=${this.toggleBans}>
                ${m.bans.button}
              </button>`
            : nothing}
        </div>
      </header>
      ${this.renderShortcuts()} ${this.renderAudit()} ${this.renderBans()}
      <div part="tabs" class="tabs" role="tablist" aria-label=${m.tabsLabel} @keydown=${this.onTabKeyDown}>
        ${QUEUE_STATUSES.map((queue) => {
          const selected = queue === this.queue;
          // The whole queue, loaded or not: what the source last said, less decisions made here since.
          const count = this.loaded.has(queue) ? (this.totals.get(queue) ?? 0) : null;
          return html`<button
            part=${selected ? 'tab tab-selected' : 'tab'}
            class="tab"
            role="tab"
            id="tab-${queue}"
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${selected ? '0' : '-1'}
            @click=${() => (this.queue = queue)}
          >
            ${m.tabs[queue]}
            ${count === null
              ? nothing
              : html`<span class="tab-count"
                  ><span aria-hidden="true">${count}</span><span class="visually-hidden">, ${this.localizer.plural(m.tabCount, count)}</span></span
                >`}
          </button>`;
        })}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${this.renderPanel(renderer)} ${this.renderBanDialog()}
    </section>`;
  }
}
