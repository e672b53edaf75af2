import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { toColloquyError } from '@colloquy/core';
import { ColloquyErrorEvent } from '../events.js';
import { httpActivityClient, storedToken, type ActivityClient, type ActivityEntry, type UnreadCounts } from './activity-client.js';
import { activityLanguage as languageFor, activityMessages } from './activity-messages.js';
import { activityStyles } from './activity.styles.js';

const REFRESH_MS = 60_000;

/**
 * The server when an element has no `endpoint`: `activity.js` sets its own origin. Not the
 * thread's shared defaults (config.ts), which would bring the body renderer into this bundle.
 */
export const activityDefaults = { endpoint: '' };

/**
 * @summary The signed-in reader's activity across the site: replies to them and new comments in
 * the conversations they follow, newest first, with the unread count; each links to the comment
 * in place. Works on any page of the host site. Loaded by `activity.js`.
 * @tagname colloquy-activity
 *
 * @attr endpoint - The Colloquy server's origin; defaults to the origin `activity.js` came from.
 * @attr auth-token - A host-site token (JWT); without it, the identity the widget stored for the site.
 * @attr page-size - Items per page (1–50, default 10).
 *
 * @cssproperty --colloquy-accent - The unread mark and focus ring.
 * @cssproperty --colloquy-color - Text colour (inherited by default).
 *
 * @event colloquy-error - The activity could not be loaded or marked read (`ColloquyErrorEvent`).
 */
export class ColloquyActivity extends LitElement {
  static override styles = activityStyles;
  static override properties: PropertyDeclarations = {
    endpoint: {},
    authToken: { attribute: 'auth-token' },
    pageSize: { attribute: 'page-size', type: Number },
    client: { attribute: false },
    items: { state: true },
    unread: { state: true },
    nextCursor: { state: true },
    status: { state: true },
  };

  endpoint = '';
  authToken: string | null = null;
  pageSize = 10;
  /** How the element reaches the server; HTTP to `endpoint` unless set. */
  client: ActivityClient | null = null;

  items: ActivityEntry[] = [];
  unread: UnreadCounts = { total: 0, reply: 0, following: 0 };
  nextCursor: string | null = null;
  status: 'loading' | 'ready' | 'signed-out' | 'failed' = 'loading';
  private loads = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly refresh = () => {
    if (document.visibilityState === 'visible' && this.status !== 'loading') void this.load(null);
  };

  private api(): ActivityClient {
    return this.client ?? httpActivityClient(this.endpoint || activityDefaults.endpoint || location.origin, () => this.authToken || storedToken());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // New activity is not pushed (live streams are per thread): the list is fetched again when
    // the page comes back into view and every minute while it is visible.
    window.addEventListener('focus', this.refresh);
    document.addEventListener('visibilitychange', this.refresh);
    this.timer = setInterval(this.refresh, REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('focus', this.refresh);
    document.removeEventListener('visibilitychange', this.refresh);
    clearInterval(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('endpoint') || changed.has('authToken') || changed.has('client') || changed.has('pageSize')) void this.load(null);
  }

  /** Loads the first page again (`cursor` null) or the next one. */
  async load(cursor: string | null): Promise<void> {
    const load = ++this.loads;
    if (!cursor) this.status = 'loading';
    try {
      const page = await this.api().list(cursor, Math.min(50, Math.max(1, this.pageSize || 10)));
      if (load !== this.loads) return;
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.unread = page.unread;
      this.nextCursor = page.nextCursor;
      this.status = 'ready';
    } catch (error) {
      if (load !== this.loads) return;
      const problem = toColloquyError(error);
      if (problem.code === 'unauthenticated' || problem.code === 'invalid_token') {
        this.status = 'signed-out';
        return;
      }
      this.status = 'failed';
      this.dispatchEvent(new ColloquyErrorEvent(problem, 'activity', activityMessages(languageFor(this)).failed));
    }
  }

  private async markRead(ids: string[] | null): Promise<void> {
    const marked = new Set(ids ?? this.items.map((i) => i.id));
    this.items = this.items.map((i) => (marked.has(i.id) ? { ...i, read: true } : i));
    try {
      this.unread = await this.api().markRead(ids);
    } catch (error) {
      const problem = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(problem, 'activity', activityMessages(languageFor(this)).failed));
    }
  }

  /** The comment in place: the page the server knows, else the thread key as a path of this site. */
  private href(item: ActivityEntry): string | null {
    if (item.url) return item.url;
    return item.thread.startsWith('/') ? `${location.origin}${item.thread}#comment-${encodeURIComponent(item.commentId)}` : null;
  }

  private renderItem(item: ActivityEntry, lang: string) {
    const t = activityMessages(lang);
    const name = item.authorName || t.someone;
    const what = item.reason === 'reply' ? t.replied(name) : t.commented(name, item.threadTitle || t.thisConversation);
    const href = this.href(item);
    const when = new Date(item.createdAt);
    const label = html`${item.read ? nothing : html`<span class="sr-only">${t.unreadMark} </span>`}${what}`;
    return html`<li class=${item.read ? 'read' : 'unread'}>
      ${href ? html`<a href=${href} @click=${() => (item.read ? undefined : this.markRead([item.id]))}>${label}</a>` : html`<span>${label}</span>`}
      <p class="excerpt">${item.excerpt}</p>
      <time datetime=${item.createdAt}>${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(when)}</time>
    </li>`;
  }

  override render() {
    const lang = languageFor(this);
    const t = activityMessages(lang);
    const header = html`<header>
      <h2 id="title">${t.title}</h2>
      ${this.status === 'ready' ? html`<span part="unread">${t.unread(this.unread.total)}</span>` : nothing}
      ${this.status === 'ready' && this.unread.total > 0 ? html`<button type="button" @click=${() => this.markRead(null)}>${t.markAllRead}</button>` : nothing}
    </header>`;
    let body;
    if (this.status === 'signed-out') body = html`<p>${t.signedOut}</p>`;
    else if (this.status === 'failed') body = html`<p role="alert">${t.failed} <button type="button" @click=${() => this.load(null)}>${t.retry}</button></p>`;
    else if (this.status === 'loading') body = html`<p role="status">${t.loading}</p>`;
    else if (this.items.length === 0) body = html`<p>${t.empty}</p>`;
    else {
      body = html`<ul aria-labelledby="title">${this.items.map((item) => this.renderItem(item, lang))}</ul>
        ${this.nextCursor ? html`<button type="button" @click=${() => this.load(this.nextCursor)}>${t.loadMore}</button>` : nothing}`;
    }
    return html`<section aria-labelledby="title" lang=${lang}>${header}${body}</section>`;
  }
}
