import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  ColloquyError,
  SORT_ORDERS,
  createThreadState,
  displayText,
  toColloquyError,
  type CommentNode,
  type Identity,
  type SortOrder,
  type StorageAdapter,
  type ThreadSnapshot,
  type ThreadState,
} from '@colloquy/core';
import { ThreadController } from '../controller/thread-controller.js';
import { commentBody } from '../body/body-directive.js';
import type { BodyRenderer } from '../body/body-renderer.js';
import { defaultThreadKey, elementDefaults } from '../config.js';
import { ColloquyErrorEvent, ColloquyPostedEvent, ColloquyReportedEvent } from '../events.js';
import { Localizer, languageFor, localizerFor } from '../i18n/locale.js';
import { ComposerSubmitEvent, type ColloquyComposer } from '../composer/composer.js';
import { ReportCloseEvent, ReportSubmitEvent, type ColloquyReportDialog } from '../report-dialog/report-dialog.js';
import { threadStyles } from './thread.styles.js';

type Theme = 'auto' | 'light' | 'dark';
const MODERATING_ROLES = new Set(['moderator', 'staff']);

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function countDescendants(node: CommentNode): number {
  let total = 0;
  for (const child of node.children) total += 1 + countDescendants(child);
  return total;
}

/** Unicode isolation marks, so a right-to-left name inside a sentence cannot reorder it. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/**
 * @summary The comment thread under an article: nested replies, sorting, paging, inline reply
 * and report, edit and delete of one's own comments, live updates and permalinks.
 * @tagname colloquy-thread
 *
 * @slot heading - Replaces the "Comments" heading text.
 *
 * @csspart base - The whole widget.
 * @csspart header - Heading, count and sort control.
 * @csspart heading - The heading.
 * @csspart sort - The sort `<select>`.
 * @csspart composer - The top composer (a `colloquy-composer`).
 * @csspart status - Loading, empty and error messages.
 * @csspart list - The list of top-level comments.
 * @csspart comment - One comment (an `<article>`); also `comment-highlighted` for a permalink target.
 * @csspart author - The author's name.
 * @csspart badge - A role badge; also `badge-mentor`, `badge-moderator`, `badge-staff`.
 * @csspart meta - The time and edited mark.
 * @csspart body - The comment's text.
 * @csspart actions - Reply, Report, Edit and Delete buttons.
 * @csspart replies - A list of replies.
 * @csspart toggle - The button that hides or shows a branch of replies.
 * @csspart new-comments - The "Show N new comments" button.
 * @csspart load-more - The "Load more comments" button.
 *
 * @cssproperty --colloquy-color - Text colour.
 * @cssproperty --colloquy-muted-color - Secondary text (times, hints).
 * @cssproperty --colloquy-background - Widget background.
 * @cssproperty --colloquy-surface - Background of buttons and badges.
 * @cssproperty --colloquy-border-color - Lines and field borders.
 * @cssproperty --colloquy-accent - Links, primary buttons, reply rail.
 * @cssproperty --colloquy-accent-contrast - Text on the accent colour.
 * @cssproperty --colloquy-danger - Errors and destructive actions.
 * @cssproperty --colloquy-focus-ring - The keyboard focus outline.
 * @cssproperty --colloquy-highlight - Background of a comment opened by its permalink.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-spacing - Base spacing unit.
 * @cssproperty --colloquy-font-family - Font (inherits the page's by default).
 * @cssproperty --colloquy-indent - Indentation of each reply level.
 *
 * @event colloquy-posted - A comment or reply by this reader was confirmed (`ColloquyPostedEvent`).
 * @event colloquy-reported - This reader reported a comment (`ColloquyReportedEvent`).
 * @event colloquy-error - Something failed; the reader has been told (`ColloquyErrorEvent`).
 */
export class ColloquyThread extends LitElement {
  static override styles = threadStyles;
  static override properties: PropertyDeclarations = {
    thread: {},
    endpoint: {},
    language: { attribute: 'lang' },
    sort: {},
    pageSize: { type: Number, attribute: 'page-size' },
    theme: { reflect: true },
    authToken: { attribute: 'auth-token' },
    adapter: { attribute: false },
    renderer: { attribute: false },
    replyTo: { state: true },
    editing: { state: true },
    confirmingDelete: { state: true },
    collapsed: { state: true },
    held: { state: true },
    reportedHere: { state: true },
    announcement: { state: true },
    topBusy: { state: true },
    topError: { state: true },
    replyBusy: { state: true },
    replyError: { state: true },
    editBusy: { state: true },
    editError: { state: true },
    reportBusy: { state: true },
    actionErrors: { state: true },
    highlighted: { state: true },
    now: { state: true },
    setupError: { state: true },
  };

  /** Thread key; defaults to the path of the page's canonical URL, else `location.pathname`. */
  thread = '';
  /** Server origin for the built-in REST adapter; defaults to where `embed.js` came from. */
  endpoint = '';
  /** Language (`en`, `es`); defaults to the page's `<html lang>`, then the browser's. */
  language: string | null = null;
  sort: SortOrder = 'oldest';
  pageSize = 20;
  /** `auto` follows `prefers-color-scheme`. */
  theme: Theme = 'auto';
  /** A token signed by the host site, so readers post under the site's own accounts. */
  authToken = '';
  /** Any object meeting the adapter contract; set it to use the element without a server. */
  adapter: StorageAdapter | null = null;
  /** How bodies become DOM; defaults to the bundle's renderer (see `configureElements`). */
  renderer: BodyRenderer | null = null;

  private replyTo: string | null = null;
  private editing: string | null = null;
  private confirmingDelete: string | null = null;
  private collapsed = new Set<string>();
  /** Top-level comments that arrived live, kept out of the list until the reader asks. */
  private held = new Set<string>();
  private reportedHere = new Set<string>();
  private announcement = '';
  private topBusy = false;
  private topError = '';
  private replyBusy = false;
  private replyError = '';
  private editBusy = false;
  private editError = '';
  private reportBusy = false;
  private actionErrors = new Map<string, string>();
  private highlighted: string | null = null;
  private now = new Date();
  private setupError: ColloquyError | null = null;

  private get reportDialog(): ColloquyReportDialog {
    return this.renderRoot.querySelector('colloquy-report-dialog')!;
  }
  private get topComposer(): ColloquyComposer {
    return this.renderRoot.querySelector('#top-composer')!;
  }

  private readonly controller = new ThreadController(this);
  private localizer: Localizer = localizerFor('en');
  private stateKey: unknown[] = [];
  private resolvedAdapter: StorageAdapter | null = null;
  private clock: ReturnType<typeof setInterval> | undefined;
  private index = new WeakMap<ThreadSnapshot, Map<string, CommentNode>>();

  constructor() {
    super();
    this.controller.onChange = (snapshot, previous) => this.onSnapshot(snapshot, previous);
  }

  /** The headless state behind the view, for host code that wants to drive it. */
  get threadState(): ThreadState | null {
    return this.controller.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    clearInterval(this.clock);
    // A removed widget must not keep a live connection open; if it comes back it loads afresh.
    this.controller.attach(null);
    this.stateKey = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.localizer = localizerFor(languageFor(this));
    const threadKey = this.thread || defaultThreadKey(this.ownerDocument);
    const key = [this.adapter, this.endpoint, this.authToken, threadKey, this.pageSize];
    if (key.some((value, i) => value !== this.stateKey[i])) {
      this.stateKey = key;
      this.setup(threadKey);
    } else if (changed.has('sort') && this.controller.state && SORT_ORDERS.includes(this.sort)) {
      this.held = new Set();
      this.controller.state.setSort(this.sort).catch((error: unknown) => this.fail(error, 'load'));
    }
  }

  private setup(threadKey: string): void {
    this.setupError = null;
    this.held = new Set();
    this.replyTo = this.editing = this.confirmingDelete = null;
    const adapter =
      this.adapter ??
      elementDefaults.createAdapter?.({
        endpoint: this.endpoint || elementDefaults.endpoint,
        authToken: this.authToken || null,
      }) ??
      null;
    this.resolvedAdapter = adapter;
    if (!adapter) {
      this.controller.attach(null);
      this.setupError = new ColloquyError(
        'unsupported',
        'No storage adapter: set the `adapter` property or load the element through embed.js.',
      );
      this.dispatchEvent(new ColloquyErrorEvent(this.setupError, 'load', this.localizer.error(this.setupError)));
      return;
    }
    let threadState: ThreadState;
    try {
      threadState = createThreadState({
        adapter,
        thread: threadKey,
        sort: SORT_ORDERS.includes(this.sort) ? this.sort : 'oldest',
        pageSize: this.pageSize,
        storage: safeStorage(),
      });
    } catch (error) {
      this.controller.attach(null);
      this.setupError = toColloquyError(error, 'invalid_input');
      this.dispatchEvent(new ColloquyErrorEvent(this.setupError, 'load', this.localizer.error(this.setupError)));
      return;
    }
    this.controller.attach(threadState);
    threadState
      .load()
      .then(() => this.revealFromHash())
      .catch(() => {
        // The snapshot carries the error and `onSnapshot` reports it.
      });
  }

  private onSnapshot(snapshot: ThreadSnapshot, previous: ThreadSnapshot | null): void {
    if (snapshot.status === 'error' && snapshot.error && snapshot.error !== previous?.error) {
      this.dispatchEvent(new ColloquyErrorEvent(snapshot.error, 'load', this.localizer.error(snapshot.error)));
    }
    if (snapshot.liveArrivals.length === 0) return;
    const me = snapshot.identity?.id;
    const nodes = this.nodesOf(snapshot);
    let fresh = 0;
    const held = new Set(this.held);
    for (const id of snapshot.liveArrivals) {
      const node = nodes.get(id);
      if (!node || (me && node.comment.author.id === me)) continue;
      fresh++;
      if (node.depth === 0) held.add(id);
    }
    this.held = held;
    if (fresh > 0) this.announce(this.localizer.plural(this.localizer.messages.announceNew, fresh));
    queueMicrotask(() => this.controller.state?.acknowledgeLive());
  }

  private nodesOf(snapshot: ThreadSnapshot): Map<string, CommentNode> {
    let nodes = this.index.get(snapshot);
    if (!nodes) {
      nodes = new Map();
      const walk = (list: CommentNode[]) => {
        for (const node of list) {
          nodes!.set(node.comment.id, node);
          walk(node.children);
        }
      };
      walk(snapshot.comments);
      this.index.set(snapshot, nodes);
    }
    return nodes;
  }

  private announce(text: string): void {
    // Clearing first makes a repeated message ("1 new comment" twice) be read again.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private fail(error: unknown, action: string): string {
    const colloquyError = toColloquyError(error);
    const message = this.localizer.error(colloquyError);
    this.dispatchEvent(new ColloquyErrorEvent(colloquyError, action, message));
    return message;
  }

  private get limits() {
    return this.resolvedAdapter?.capabilities.limits;
  }

  private needsName(identity: Identity | null): boolean {
    return !identity || !identity.name;
  }

  private draftKey(suffix: string): string {
    return `colloquy:draft:${this.controller.snapshot?.thread ?? ''}:${suffix}`;
  }

  private async element<T extends Element>(selector: string): Promise<T | null> {
    await this.updateComplete;
    return this.renderRoot.querySelector<T>(selector);
  }

  private async focusSelector(selector: string): Promise<void> {
    (await this.element<HTMLElement>(selector))?.focus();
  }

  // ---- posting ----

  private async ensureName(name: string | null): Promise<void> {
    const threadState = this.controller.state;
    if (threadState && name) await threadState.identify(name);
  }

  private async onTopSubmit(event: ComposerSubmitEvent): Promise<void> {
    const threadState = this.controller.state;
    const composer = event.target as ColloquyComposer;
    if (!threadState) return;
    this.topError = '';
    this.topBusy = true;
    try {
      await this.ensureName(event.name);
    } catch (error) {
      this.topError = this.fail(error, 'post');
      this.topBusy = false;
      return;
    }
    this.topBusy = false;
    composer.clear();
    await this.post(threadState, event.body, null, composer);
  }

  private async post(
    threadState: ThreadState,
    body: string,
    parentId: string | null,
    composer: ColloquyComposer | null,
  ): Promise<void> {
    try {
      const comment = await threadState.post({ body, parentId });
      composer?.forgetDraft(body);
      if (!composer) this.forgetStoredDraft(this.draftKey(parentId ? `reply:${parentId}` : 'top'), body);
      this.announce(this.localizer.messages.announcePosted);
      this.dispatchEvent(new ColloquyPostedEvent(comment));
    } catch (error) {
      // The failed node keeps the text with Retry; the draft stays in storage as well.
      const message = this.fail(error, 'post');
      this.announce(`${this.localizer.messages.failed} ${message}`);
    }
  }

  private forgetStoredDraft(key: string, posted: string): void {
    const storage = safeStorage();
    if (storage?.getItem(key) === posted) storage.removeItem(key);
  }

  private async onReplySubmit(event: ComposerSubmitEvent, parent: CommentNode): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState) return;
    this.replyError = '';
    this.replyBusy = true;
    try {
      await this.ensureName(event.name);
    } catch (error) {
      this.replyError = this.fail(error, 'post');
      this.replyBusy = false;
      return;
    }
    this.replyBusy = false;
    this.replyTo = null;
    const parentId = parent.comment.id;
    if (this.collapsed.has(parentId)) this.toggleBranch(parentId);
    void this.focusSelector(`[data-reply-for="${CSS.escape(parentId)}"]`);
    await this.post(threadState, event.body, parentId, null);
  }

  private async retry(node: CommentNode): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState || !node.local) return;
    try {
      const comment = await threadState.retry(node.local.localId);
      this.forgetStoredDraft(
        this.draftKey(comment.parentId ? `reply:${comment.parentId}` : 'top'),
        node.comment.body,
      );
      this.announce(this.localizer.messages.announcePosted);
      this.dispatchEvent(new ColloquyPostedEvent(comment));
    } catch (error) {
      this.announce(`${this.localizer.messages.failed} ${this.fail(error, 'post')}`);
    }
  }

  /** Takes a failed post back into its composer, so the reader can change it before retrying. */
  private async takeBack(node: CommentNode): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState || !node.local) return;
    const text = node.comment.body;
    const parentId = node.comment.parentId;
    threadState.discard(node.local.localId);
    if (parentId) {
      this.replyTo = parentId;
      const composer = await this.element<ColloquyComposer>('#reply-composer');
      composer?.restore(text);
      await composer?.focus();
    } else {
      this.topComposer.restore(text);
      await this.topComposer.focus();
    }
  }

  // ---- reply, edit, delete ----

  private async openReply(id: string): Promise<void> {
    this.replyTo = id;
    this.replyError = '';
    this.editing = null;
    (await this.element<ColloquyComposer>('#reply-composer'))?.focus();
  }

  private async closeReply(): Promise<void> {
    const id = this.replyTo;
    this.replyTo = null;
    if (id) await this.focusSelector(`[data-reply-for="${CSS.escape(id)}"]`);
  }

  private async openEdit(id: string): Promise<void> {
    this.editing = id;
    this.editError = '';
    this.replyTo = null;
    (await this.element<ColloquyComposer>('#edit-composer'))?.focus();
  }

  private async closeEdit(): Promise<void> {
    const id = this.editing;
    this.editing = null;
    if (id) await this.focusSelector(`[data-edit-for="${CSS.escape(id)}"]`);
  }

  private async onEditSubmit(event: ComposerSubmitEvent, node: CommentNode): Promise<void> {
    const threadState = this.controller.state;
    // An event from inside a shadow tree loses its target once dispatch ends.
    const composer = event.target as ColloquyComposer;
    if (!threadState) return;
    this.editBusy = true;
    this.editError = '';
    try {
      await threadState.edit(node.comment.id, event.body);
      composer.forgetDraft(event.body);
      this.editBusy = false;
      this.announce(this.localizer.messages.announceEdited);
      await this.closeEdit();
    } catch (error) {
      this.editBusy = false;
      this.editError = this.fail(error, 'edit');
    }
  }

  private async askDelete(id: string): Promise<void> {
    this.confirmingDelete = id;
    await this.focusSelector(`[data-confirm-delete="${CSS.escape(id)}"]`);
  }

  private async cancelDelete(): Promise<void> {
    const id = this.confirmingDelete;
    this.confirmingDelete = null;
    if (id) await this.focusSelector(`[data-delete-for="${CSS.escape(id)}"]`);
  }

  private async confirmDelete(id: string): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState) return;
    this.confirmingDelete = null;
    const errors = new Map(this.actionErrors);
    errors.delete(id);
    this.actionErrors = errors;
    try {
      await threadState.remove(id);
      this.announce(this.localizer.messages.announceDeleted);
      await this.focusSelector(`#comment-${CSS.escape(id)}`);
    } catch (error) {
      this.actionErrors = new Map(this.actionErrors).set(id, this.fail(error, 'delete'));
      await this.focusSelector(`[data-delete-for="${CSS.escape(id)}"]`);
    }
  }

  // ---- reporting ----

  private openReport(id: string): void {
    this.reportBusy = false;
    void this.reportDialog.show(id);
  }

  private async onReportSubmit(event: ReportSubmitEvent): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState) return;
    const dialog = this.reportDialog;
    this.reportBusy = true;
    dialog.error = '';
    const report = event.details ? { reason: event.reason, details: event.details } : { reason: event.reason };
    try {
      if (!threadState.getSnapshot().identity) await threadState.identify();
      await threadState.report(event.commentId, report);
      this.dispatchEvent(new ColloquyReportedEvent(event.commentId, event.reason));
    } catch (error) {
      const colloquyError = toColloquyError(error);
      if (colloquyError.code !== 'already_reported') {
        this.reportBusy = false;
        dialog.error = this.fail(colloquyError, 'report');
        return;
      }
    }
    this.reportBusy = false;
    this.reportedHere = new Set(this.reportedHere).add(event.commentId);
    dialog.close();
    this.announce(this.localizer.messages.announceReported);
    await this.focusSelector(`[data-reported-for="${CSS.escape(event.commentId)}"]`);
  }

  private async onReportClose(event: ReportCloseEvent): Promise<void> {
    await this.focusSelector(`[data-report-for="${CSS.escape(event.commentId)}"]`);
  }

  // ---- paging, live, permalinks ----

  private async loadMore(): Promise<void> {
    const threadState = this.controller.state;
    if (!threadState) return;
    const before = new Set(threadState.getSnapshot().comments.map((node) => node.comment.id));
    try {
      await threadState.loadMore();
    } catch (error) {
      this.fail(error, 'load');
      return;
    }
    const first = threadState.getSnapshot().comments.find((node) => !before.has(node.comment.id));
    if (first) await this.focusSelector(`#comment-${CSS.escape(first.comment.id)}`);
  }

  private async showHeld(): Promise<void> {
    const snapshot = this.controller.snapshot;
    const first = snapshot?.comments.find((node) => this.held.has(node.comment.id));
    this.held = new Set();
    if (first) await this.focusSelector(`#comment-${CSS.escape(first.comment.id)}`);
  }

  private toggleBranch(id: string): void {
    const collapsed = new Set(this.collapsed);
    if (collapsed.has(id)) collapsed.delete(id);
    else collapsed.add(id);
    this.collapsed = collapsed;
  }

  private readonly onHashChange = (): void => {
    void this.revealFromHash();
  };

  /** Opens the comment named by `#comment-<id>`: loads pages until found, expands, scrolls, focuses. */
  async revealFromHash(): Promise<boolean> {
    const match = /^#comment-(.+)$/.exec(window.location.hash);
    const threadState = this.controller.state;
    if (!match?.[1] || !threadState) return false;
    const id = decodeURIComponent(match[1]);
    let found: boolean;
    try {
      found = await threadState.reveal(id);
    } catch (error) {
      this.fail(error, 'load');
      return false;
    }
    if (!found) return false;
    const nodes = this.nodesOf(threadState.getSnapshot());
    const collapsed = new Set(this.collapsed);
    const held = new Set(this.held);
    for (let node = nodes.get(id); node; node = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined) {
      collapsed.delete(node.comment.id);
      held.delete(node.comment.id);
    }
    this.collapsed = collapsed;
    this.held = held;
    this.highlighted = id;
    const target = await this.element<HTMLElement>(`#comment-${CSS.escape(id)}`);
    if (!target) return false;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    return true;
  }

  // ---- rendering ----

  private canModify(node: CommentNode, identity: Identity | null): boolean {
    const { comment } = node;
    if (!identity || node.local || (comment.status !== 'visible' && comment.status !== 'held')) return false;
    if (MODERATING_ROLES.has(identity.role)) return true;
    if (comment.author.id !== identity.id) return false;
    const windowSeconds = this.limits?.editWindowSeconds ?? 0;
    return this.now.getTime() - Date.parse(comment.createdAt) < windowSeconds * 1000;
  }

  private renderTime(iso: string, id: string): TemplateResult {
    const date = new Date(iso);
    const exact = this.localizer.exactTime(date);
    return html`<a part="permalink" class="permalink" href="#comment-${encodeURIComponent(id)}" data-exact=${exact}
      ><time datetime=${iso} title=${exact} dir="auto">${this.localizer.relativeTime(date, this.now)}</time></a
    >`;
  }

  private renderNode(node: CommentNode, identity: Identity | null, renderer: BodyRenderer): TemplateResult {
    const m = this.localizer.messages;
    const { comment } = node;
    const id = comment.id;
    const placeholder = comment.status === 'deleted' || comment.status === 'hidden';
    const reported = node.reported || this.reportedHere.has(id);
    const mine = !!identity && comment.author.id === identity.id;
    const failed = node.local?.state === 'failed';
    const pending = node.local?.state === 'pending';
    const replies = countDescendants(node);
    const isCollapsed = this.collapsed.has(id);
    const role = comment.author.role;
    const partName = `comment${this.highlighted === id ? ' comment-highlighted' : ''}`;
    return html`<li>
      <article
        id="comment-${id}"
        part=${partName}
        class="comment ${pending ? 'pending' : ''} ${this.highlighted === id ? 'highlighted' : ''}"
        tabindex="-1"
        aria-labelledby=${placeholder ? nothing : `author-${id}`}
        aria-label=${placeholder ? (comment.status === 'deleted' ? m.deletedComment : m.hiddenComment) : nothing}
        aria-busy=${pending ? 'true' : nothing}
      >
        ${placeholder
          ? html`<p class="placeholder" part="body">
              ${comment.status === 'deleted' ? m.deletedComment : m.hiddenComment}
            </p>`
          : html`<header part="header" class="comment-header">
                <bdi part="author" class="author" id="author-${id}">${displayText(comment.author.name, '—')}</bdi>
                ${role !== 'reader'
                  ? html`<span part="badge badge-${role}" class="badge badge-${role}">${m.roles[role]}</span>`
                  : nothing}
                <span part="meta" class="meta">
                  ${this.renderTime(comment.createdAt, id)}
                  ${comment.editedAt
                    ? html`<span class="edited" title=${this.localizer.exactTime(new Date(comment.editedAt))}
                        >(${m.edited})</span
                      >`
                    : nothing}
                </span>
              </header>
              ${this.editing === id
                ? html`<colloquy-composer
                    id="edit-composer"
                    .localizer=${this.localizer}
                    label=${m.editLabel}
                    submit-label=${m.save}
                    draft-key=${this.draftKey(`edit:${id}`)}
                    .initial=${comment.body}
                    cancellable
                    ?busy=${this.editBusy}
                    .error=${this.editError}
                    max-length=${this.limits?.maxBodyLength ?? 10_000}
                    @composer-submit=${(event: ComposerSubmitEvent) => this.onEditSubmit(event, node)}
                    @composer-cancel=${this.closeEdit}
                  ></colloquy-composer>`
                : html`<div part="body" class="body" dir="auto">${commentBody(comment, renderer)}</div>`}
              ${comment.status === 'held' && mine ? html`<p class="note">${m.heldComment}</p>` : nothing}
              ${pending ? html`<p class="note" role="status">${m.pending}</p>` : nothing}
              ${failed
                ? html`<div class="note error" role="alert">
                    ${m.failed} ${node.local?.error ? this.localizer.error(node.local.error) : ''}
                  </div>`
                : nothing}
              ${this.renderActions(node, identity, reported, failed, pending)}`}
        ${this.confirmingDelete === id
          ? html`<div class="confirm" role="group" aria-labelledby="confirm-${id}">
              <span id="confirm-${id}">${m.confirmDelete}</span>
              <button class="danger" data-confirm-delete=${id} @click=${() => this.confirmDelete(id)}>${m.delete}</button>
              <button @click=${this.cancelDelete}>${m.cancel}</button>
            </div>`
          : nothing}
        ${this.actionErrors.has(id) ? html`<p class="error" role="alert">${this.actionErrors.get(id)}</p>` : nothing}
        ${this.replyTo === id
          ? html`<colloquy-composer
              id="reply-composer"
              class="reply-composer"
              .localizer=${this.localizer}
              label=${this.localizer.format(m.replyTo, { name: isolate(displayText(comment.author.name, '—')) })}
              submit-label=${m.postReply}
              draft-key=${this.draftKey(`reply:${id}`)}
              cancellable
              ?needs-name=${this.needsName(identity)}
              ?busy=${this.replyBusy}
              .error=${this.replyError}
              max-length=${this.limits?.maxBodyLength ?? 10_000}
              max-name-length=${this.limits?.maxNameLength ?? 64}
              @composer-submit=${(event: ComposerSubmitEvent) => this.onReplySubmit(event, node)}
              @composer-cancel=${this.closeReply}
            ></colloquy-composer>`
          : nothing}
        ${replies > 0
          ? html`<button
                part="toggle"
                class="link toggle"
                aria-expanded=${isCollapsed ? 'false' : 'true'}
                aria-controls="replies-${id}"
                @click=${() => this.toggleBranch(id)}
              >
                ${this.localizer.plural(isCollapsed ? m.expand : m.collapse, replies)}
              </button>
              <ol part="replies" class="replies depth-${Math.min(node.depth + 1, 4)}" id="replies-${id}" ?hidden=${isCollapsed}>
                ${isCollapsed
                  ? nothing
                  : repeat(
                      node.children,
                      (child) => child.local?.localId ?? child.comment.id,
                      (child) => this.renderNode(child, identity, renderer),
                    )}
              </ol>`
          : nothing}
      </article>
    </li>`;
  }

  private renderActions(
    node: CommentNode,
    identity: Identity | null,
    reported: boolean,
    failed: boolean,
    pending: boolean,
  ): TemplateResult | typeof nothing {
    const m = this.localizer.messages;
    const id = node.comment.id;
    if (pending) return nothing;
    if (failed) {
      return html`<div part="actions" class="actions">
        <button class="primary" @click=${() => this.retry(node)}>${m.retry}</button>
        <button @click=${() => this.takeBack(node)}>${m.edit}</button>
      </div>`;
    }
    const mine = !!identity && node.comment.author.id === identity.id;
    const modifiable = this.canModify(node, identity);
    return html`<div part="actions" class="actions">
      <button class="link" data-reply-for=${id} aria-expanded=${this.replyTo === id ? 'true' : 'false'} @click=${() =>
        this.replyTo === id ? this.closeReply() : this.openReply(id)}>
        ${m.reply}
      </button>
      ${mine
        ? nothing
        : reported
          ? html`<span class="reported" tabindex="-1" data-reported-for=${id}>${m.reported}</span>`
          : html`<button class="link" data-report-for=${id} aria-haspopup="dialog" @click=${() => this.openReport(id)}>
              ${m.report}
            </button>`}
      ${modifiable
        ? html`<button class="link" data-edit-for=${id} @click=${() => this.openEdit(id)}>${m.edit}</button>
            <button class="link danger" data-delete-for=${id} @click=${() => this.askDelete(id)}>${m.delete}</button>`
        : nothing}
    </div>`;
  }

  private renderHeldButton(count: number): TemplateResult | typeof nothing {
    if (count === 0) return nothing;
    return html`<button part="new-comments" class="new-comments" @click=${this.showHeld}>
      ${this.localizer.plural(this.localizer.messages.newComments, count)}
    </button>`;
  }

  override render() {
    const m = this.localizer.messages;
    const snapshot = this.controller.snapshot;
    const identity = snapshot?.identity ?? null;
    const renderer = this.renderer ?? elementDefaults.renderer;
    const visible = snapshot ? snapshot.comments.filter((node) => !this.held.has(node.comment.id)) : [];
    const heldCount = snapshot ? snapshot.comments.length - visible.length : 0;
    const error = this.setupError ?? (snapshot?.status === 'error' ? snapshot.error : null);
    const loading = !snapshot || snapshot.status === 'loading' || snapshot.status === 'idle';
    const newestFirst = snapshot?.sort === 'newest';
    return html`<section part="base" class="base" aria-labelledby="heading" lang=${this.localizer.lang}>
      <header part="header" class="header">
        <h2 part="heading" id="heading">
          <slot name="heading">${m.heading}</slot>
          ${snapshot && snapshot.status === 'ready'
            ? html`<span class="count">(${this.localizer.plural(m.count, snapshot.size)})</span>`
            : nothing}
        </h2>
        <label class="sort">
          ${m.sortLabel}
          <select
            part="sort"
            .value=${snapshot?.sort ?? this.sort}
            @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as SortOrder)}
          >
            ${SORT_ORDERS.map(
              (order) => html`<option value=${order} ?selected=${(snapshot?.sort ?? this.sort) === order}>${m.sort[order]}</option>`,
            )}
          </select>
        </label>
      </header>
      <colloquy-composer
        id="top-composer"
        part="composer"
        .localizer=${this.localizer}
        label=${m.composerLabel}
        submit-label=${m.post}
        draft-key=${snapshot ? this.draftKey('top') : ''}
        ?needs-name=${this.needsName(identity)}
        ?busy=${this.topBusy}
        .error=${this.topError}
        max-length=${this.limits?.maxBodyLength ?? 10_000}
        max-name-length=${this.limits?.maxNameLength ?? 64}
        @composer-submit=${this.onTopSubmit}
      ></colloquy-composer>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${newestFirst ? this.renderHeldButton(heldCount) : nothing}
      ${error
        ? html`<div part="status" class="status error" role="alert">
            <p>${m.loadError} ${this.localizer.error(error)}</p>
            ${this.setupError
              ? nothing
              : html`<button @click=${() => this.controller.state?.load().catch(() => undefined)}>${m.tryAgain}</button>`}
          </div>`
        : loading && visible.length === 0
          ? html`<p part="status" class="status" role="status">${m.loading}</p>`
          : visible.length === 0 && heldCount === 0
            ? html`<p part="status" class="status">${m.empty}</p>`
            : nothing}
      ${visible.length > 0
        ? html`<ol part="list" class="comments" aria-labelledby="heading">
            ${repeat(
              visible,
              (node) => node.local?.localId ?? node.comment.id,
              (node) => this.renderNode(node, identity, renderer),
            )}
          </ol>`
        : nothing}
      ${newestFirst ? nothing : this.renderHeldButton(heldCount)}
      ${snapshot?.hasMore
        ? html`<button part="load-more" class="load-more" ?disabled=${snapshot.loadingMore} @click=${this.loadMore}>
            ${snapshot.loadingMore ? m.loadingMore : m.loadMore}
          </button>`
        : nothing}
      <colloquy-report-dialog
        .localizer=${this.localizer}
        ?busy=${this.reportBusy}
        max-details-length=${this.limits?.maxDetailsLength ?? 1000}
        @report-submit=${this.onReportSubmit}
        @report-close=${this.onReportClose}
      ></colloquy-report-dialog>
    </section>`;
  }
}
