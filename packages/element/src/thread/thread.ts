import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  ColloquyError,
  SORT_ORDERS,
  createThreadState,
  toColloquyError,
  type CommentNode,
  type Limits,
  type SortOrder,
  type StorageAdapter,
  type ThreadSnapshot,
  type ThreadState,
} from '@colloquy/core';
import { ThreadController } from '../controller/thread-controller.js';
import type { BodyRenderer } from '../body/body-renderer.js';
import { defaultThreadKey, elementDefaults } from '../config.js';
import { ColloquyErrorEvent } from '../events.js';
import { Localizer, languageFor, localizerFor } from '../i18n/locale.js';
import { updateWhenReady } from '../ready.js';
import { pageStorage } from '../page-storage.js';
import type { ColloquyComposer, ComposerSubmitEvent } from '../composer/composer.js';
import type { ColloquyReportDialog } from '../report-dialog/report-dialog.js';
import { avatarPart, livePart, noteArrivals, parts, prefetchParts, prefetchPosting, submitPost } from './comment-actions.js';
import { renderComment } from './comment-item.js';
import { fail } from './feedback.js';
import { focusOn } from './focus.js';
import { draftKey, needsName } from './drafts.js';
import { renderHeader } from './thread-header.js';
import { threadStyles } from './thread.styles.js';

type Theme = 'auto' | 'light' | 'dark';

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
 * @csspart account - "Posting as NAME" (or "Sign in"): opens the reader's account panel, loaded on first use.
 * @csspart composer - The top composer (a `colloquy-composer`).
 * @csspart closed - "Comments are closed.", shown instead of the composer in a closed thread (also `status`).
 * @csspart status - Loading, empty and error messages.
 * @csspart skip - The "Skip comments" link, shown when focused.
 * @csspart own-list - The reader's own new top-level comments, listed under the composer.
 * @csspart own - The "Your comment" mark on them.
 * @csspart list - The list of top-level comments.
 * @csspart comment - One comment (an `<article>`); also `comment-highlighted` for a permalink target.
 * @csspart avatar - The author's generated avatar (an `<svg>`), with the `avatars` attribute.
 * @csspart author - The author's name.
 * @csspart badge - A role badge; also `badge-mentor`, `badge-moderator`, `badge-staff`.
 * @csspart pinned - The "Pinned" mark on a comment a moderator pinned (shown first in every sort).
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
 * @cssproperty --colloquy-avatar-size - Width and height of an avatar (default 1.5em).
 * @cssproperty --colloquy-avatar-background - Behind an avatar's pattern (default the surface colour).
 * @cssproperty --colloquy-avatar-radius - Corner radius of an avatar.
 * @cssproperty --colloquy-avatar-color-1 - The first of the six colours avatars are drawn in (each author gets one).
 * @cssproperty --colloquy-avatar-color-2 - The second avatar colour.
 * @cssproperty --colloquy-avatar-color-3 - The third avatar colour.
 * @cssproperty --colloquy-avatar-color-4 - The fourth avatar colour.
 * @cssproperty --colloquy-avatar-color-5 - The fifth avatar colour.
 * @cssproperty --colloquy-avatar-color-6 - The sixth avatar colour.
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
    avatars: { type: Boolean },
    adapter: { attribute: false },
    renderer: { attribute: false },
    replyTo: { state: true },
    editing: { state: true },
    confirmingDelete: { state: true },
    collapsed: { state: true },
    waitingArrivals: { state: true },
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
    ownPosts: { state: true },
    now: { state: true },
    setupError: { state: true },
    account: { state: true },
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
  /** Shows a generated avatar beside each author's name, drawn from their id with no request to anyone (fetched on first use). */
  avatars = false;
  /** Any object meeting the adapter contract; set it to use the element without a server. */
  adapter: StorageAdapter | null = null;
  /** How bodies become DOM; defaults to the bundle's renderer (see `configureElements`). */
  renderer: BodyRenderer | null = null;

  // The view's own state, read and set by the thread's parts (posting.ts, comment-actions.ts,
  // comment-item.ts, live-arrivals.ts, permalink.ts); not part of the element's API.
  /** @internal The comment whose reply composer is open. */
  replyTo: string | null = null;
  /** @internal The comment being edited. */
  editing: string | null = null;
  /** @internal The comment whose deletion waits for confirmation. */
  confirmingDelete: string | null = null;
  /** @internal Comments whose replies are folded away. */
  collapsed = new Set<string>();
  /** @internal Top-level comments that arrived live, kept out of the list until the reader asks. */
  waitingArrivals = new Set<string>();
  /** @internal */
  reportedHere = new Set<string>();
  /** @internal What the polite live region says. */
  announcement = '';
  /** @internal */
  topBusy = false;
  /** @internal */
  topError = '';
  /** @internal */
  replyBusy = false;
  /** @internal */
  replyError = '';
  /** @internal */
  editBusy = false;
  /** @internal */
  editError = '';
  /** @internal */
  reportBusy = false;
  /** @internal Why a deletion failed, by comment. */
  actionErrors = new Map<string, string>();
  /** @internal The comment opened by its permalink. */
  highlighted: string | null = null;
  /** @internal The reader's comments posted since the list was loaded (local, then server ids), newest first. */
  ownPosts: string[] = [];
  /** @internal The clock relative times are told against, moved on every minute. */
  now = new Date();
  /** @internal */
  setupError: ColloquyError | null = null;
  /** @internal The account panel: open, closed, or the part could not be fetched (`partFailed`). */
  account: boolean | string = false;

  /** @internal */
  get reportDialog(): ColloquyReportDialog {
    return this.renderRoot.querySelector('colloquy-report-dialog')!;
  }
  /** @internal */
  get topComposer(): ColloquyComposer {
    return this.renderRoot.querySelector('#top-composer')!;
  }

  /** @internal */
  readonly controller = new ThreadController(this);
  /** @internal */
  localizer: Localizer = localizerFor('en');
  private stateKey: unknown[] = [];
  /** @internal The adapter in use (the composer's preview part asks it to render). */
  resolvedAdapter: StorageAdapter | null = null;
  /** @internal The renderer bodies are shown with (the composer's preview uses it too). */
  bodyRenderer: BodyRenderer | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  /** Watches for the thread coming within a viewport's height of being seen. */
  private nearby: IntersectionObserver | undefined;

  constructor() {
    super();
    this.controller.onChange = (snapshot, previous) => this.onSnapshot(snapshot, previous);
  }

  /** @internal The server the built-in adapter (and the account part) speak to. */
  get apiEndpoint(): string {
    return this.endpoint || elementDefaults.endpoint;
  }

  /** The headless state behind the view, for host code that wants to drive it. */
  get threadState(): ThreadState | null {
    return this.controller.state;
  }

  /** @internal The limits of the adapter in use. */
  get limits(): Limits | undefined {
    return this.resolvedAdapter?.capabilities.limits;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener('storage', this.onStorage);
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
    // The live stream opens only when a reader could soon see the thread: a thread far down a
    // long article holds no connection for readers who never scroll to it (docs/decisions/0028).
    // The REST adapter resumes a late stream from when the page was read, so nothing is missed.
    this.nearby = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.nearby?.disconnect();
        this.controller.setLive(true);
        // What shows the comments others post comes with the stream (docs/decisions/0038).
        parts.live().catch(() => undefined);
      },
      { rootMargin: '100% 0px' },
    );
    this.nearby.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener('storage', this.onStorage);
    clearInterval(this.clock);
    this.nearby?.disconnect();
    this.controller.setLive(false);
    // A removed widget must not keep a live connection open; if it comes back it loads afresh.
    this.controller.attach(null);
    this.stateKey = [];
  }

  protected override firstUpdated(): void {
    prefetchParts();
    // A sign-in link opened here: the account part redeems its code (docs/decisions/0034).
    if (location.hash.includes('colloquy-sign-in=')) void this.toggleAccount();
  }

  /** @internal Opens or closes the account panel, fetching its part first (again after a failed fetch). */
  async toggleAccount(): Promise<void> {
    try {
      await parts.account();
      this.account = this.account !== true;
    } catch (error) {
      fail(this, error, 'load');
      this.account = this.localizer.messages.partFailed;
    }
  }

  /** Renders once the words of the reader's language and a sanitizer are at hand (fetched on first use). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    return updateWhenReady(this, () => super.scheduleUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.localizer = localizerFor(languageFor(this));
    // Asked for before the comments arrive, so they show with their avatars.
    if (this.avatars) avatarPart(this);
    const threadKey = this.thread || defaultThreadKey(this.ownerDocument);
    const key = [this.adapter, this.endpoint, this.authToken, threadKey, this.pageSize];
    if (key.some((value, i) => value !== this.stateKey[i])) {
      this.stateKey = key;
      this.setup(threadKey);
    } else if (changed.has('sort') && this.controller.state && SORT_ORDERS.includes(this.sort)) {
      this.waitingArrivals = new Set();
      this.controller.state.setSort(this.sort).catch((error: unknown) => fail(this, error, 'load'));
    }
  }

  private setup(threadKey: string): void {
    this.setupError = null;
    this.waitingArrivals = new Set();
    this.replyTo = this.editing = this.confirmingDelete = null;
    const adapter =
      this.adapter ??
      elementDefaults.createAdapter?.({
        endpoint: this.apiEndpoint,
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
        storage: pageStorage(),
        pageUrl: location.origin + location.pathname,
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
    // A fresh list shows the reader's comments in their own places again.
    if (snapshot.status === 'loading') this.ownPosts = [];
    if (snapshot.liveArrivals.length > 0) noteArrivals(this);
  }

  private readonly onHashChange = (): void => {
    void this.revealFromHash();
  };

  /**
   * Another tab of this site signed in (a sign-in link opened there) or out: its token is the
   * REST adapter's, so the thread loads again as whoever the reader now is (null: storage cleared).
   */
  private readonly onStorage = ({ key }: StorageEvent): void => {
    if (key === 'colloquy:token' || key === null) this.controller.state?.load().catch(() => undefined);
  };

  /**
   * Opens the comment named by `#comment-<id>`: loads pages until found, expands, scrolls,
   * focuses. The code for it is fetched only when the page's address names a comment.
   */
  async revealFromHash(): Promise<boolean> {
    if (!location.hash.startsWith('#comment-')) return false;
    try {
      return await (await parts.permalink()).revealPermalink(this);
    } catch (error) {
      fail(this, error, 'load');
      return false;
    }
  }

  override render() {
    const m = this.localizer.messages;
    const snapshot = this.controller.snapshot;
    const identity = snapshot?.identity ?? null;
    const renderer = (this.bodyRenderer = this.renderer ?? elementDefaults.renderer);
    const visible = snapshot ? snapshot.comments.filter((node) => !this.waitingArrivals.has(node.comment.id)) : [];
    const waitingCount = snapshot ? snapshot.comments.length - visible.length : 0;
    // Comments wait only once the live-arrivals part has taken them, so it is here then.
    const newComments = livePart()?.renderNewCommentsButton(this, waitingCount) ?? nothing;
    const ownIndex = (node: CommentNode) => this.ownPosts.indexOf(node.local?.localId ?? node.comment.id);
    const own = visible.filter((node) => ownIndex(node) >= 0).sort((a, b) => ownIndex(a) - ownIndex(b));
    const listed = visible.filter((node) => ownIndex(node) < 0);
    const list = (nodes: CommentNode[], part: string) =>
      html`<ol part=${part} class="comments" aria-labelledby="heading">
        ${repeat(
          nodes,
          (node) => node.local?.localId ?? node.comment.id,
          (node) => renderComment(this, node, identity, renderer),
        )}
      </ol>`;
    const error = this.setupError ?? (snapshot?.status === 'error' ? snapshot.error : null);
    const loading = !snapshot || snapshot.status === 'loading' || snapshot.status === 'idle';
    const newestFirst = snapshot?.sort === 'newest';
    return html`<section part="base" class="base" aria-labelledby="heading" lang=${this.localizer.lang}>
      <a part="skip" class="skip" href="#thread-end" @click=${this.skip}>${m.skipComments}</a>
      ${renderHeader(this, snapshot)}
      ${snapshot?.closed
        ? html`<p part="status closed" class="status">${m.errors.thread_closed}</p>`
        : html`<colloquy-composer
        id="top-composer"
        part="composer"
        .localizer=${this.localizer}
        label=${m.composerLabel}
        submit-label=${m.post}
        draft-key=${snapshot ? draftKey(this, 'top') : ''}
        ?needs-name=${needsName(identity)}
        ?busy=${this.topBusy}
        .error=${this.topError}
        max-length=${this.limits?.maxBodyLength ?? 10_000}
        max-name-length=${this.limits?.maxNameLength ?? 64}
        @composer-submit=${(event: ComposerSubmitEvent) => submitPost(this, event)}
        @focusin=${prefetchPosting}
        @input=${prefetchPosting}
      ></colloquy-composer>`}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${own.length > 0 ? list(own, 'own-list') : nothing}
      ${newestFirst ? newComments : nothing}
      ${error
        ? html`<div part="status" class="status error" role="alert">
            <p>${m.loadError} ${this.localizer.error(error)}</p>
            ${this.setupError || error.code === 'origin_not_allowed'
              ? nothing
              : html`<button @click=${() => this.controller.state?.load().catch(() => undefined)}>${m.tryAgain}</button>`}
          </div>`
        : loading && visible.length === 0
          ? html`<p part="status" class="status" role="status">${m.loading}</p>`
          : visible.length === 0 && waitingCount === 0 && !snapshot?.closed
            ? html`<p part="status" class="status">${m.empty}</p>`
            : nothing}
      ${listed.length > 0 ? list(listed, 'list') : nothing}
      ${newestFirst ? nothing : newComments}
      ${snapshot?.hasMore
        ? html`<button part="load-more" class="load-more" ?disabled=${snapshot.loadingMore} @click=${() => loadMore(this)}>
            ${snapshot.loadingMore ? m.loadingMore : m.loadMore}
          </button>`
        : nothing}
      <colloquy-report-dialog
        .localizer=${this.localizer}
        ?busy=${this.reportBusy}
        max-details-length=${this.limits?.maxDetailsLength ?? 1000}
      ></colloquy-report-dialog>
      <span id="thread-end" tabindex="-1"></span>
    </section>`;
  }

  /** "Skip comments": focus moves past the thread (a fragment link cannot reach into a shadow root). */
  private skip(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('#thread-end')!.focus();
  }
}

/** "Load more comments": appends the next page and moves focus to its first comment. */
async function loadMore(host: ColloquyThread): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState) return;
  const before = new Set(threadState.getSnapshot().comments.map((node) => node.comment.id));
  try {
    await threadState.loadMore();
  } catch (error) {
    fail(host, error, 'load');
    return;
  }
  const first = threadState.getSnapshot().comments.find((node) => !before.has(node.comment.id));
  if (first) await focusOn(host, `#comment-${CSS.escape(first.comment.id)}`);
}
