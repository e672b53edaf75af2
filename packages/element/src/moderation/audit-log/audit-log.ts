import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { displayText, toColloquyError, type AuditEntry, type ModerationSource } from '@colloquy/core';
import { ColloquyErrorEvent } from '../../events.js';
import { languageFor, localizerFor, type Localizer } from '../../i18n/locale.js';
import { updateWhenReady } from '../../ready.js';
import { moderationMessagesFor, type ModerationMessages } from '../i18n/moderation-messages.js';
import { announceIn, describeError, renderTime } from '../moderation-format.js';
import { auditLogStyles } from './audit-log.styles.js';

type Theme = 'auto' | 'light' | 'dark';

/**
 * @summary The moderation audit log: who decided what, on which comment or address range, when
 * and why, newest first, a page at a time, and the whole log as a JSON download. It loads when
 * first shown (not `hidden`).
 * @tagname colloquy-audit-log
 *
 * @csspart base - The log panel.
 *
 * @cssproperty --colloquy-color - Text colour.
 * @cssproperty --colloquy-muted-color - Secondary text (the caption, automatic decisions).
 * @cssproperty --colloquy-background - Background.
 * @cssproperty --colloquy-border-color - Lines and table rules.
 * @cssproperty --colloquy-focus-ring - The keyboard focus outline.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-spacing - Base spacing unit.
 *
 * @event colloquy-error - Loading or exporting the log failed; the moderator has been told (`ColloquyErrorEvent`, action `load`).
 */
export class ColloquyAuditLog extends LitElement {
  static override styles = auditLogStyles;
  static override properties: PropertyDeclarations = {
    language: { attribute: 'lang' },
    theme: { reflect: true },
    hidden: { type: Boolean, reflect: true },
    source: { attribute: false },
    entries: { state: true },
    cursor: { state: true },
    busy: { state: true },
    error: { state: true },
    announcement: { state: true },
  };

  /** Language (`en`, `es`); defaults to the page's `<html lang>`, then the browser's. */
  language: string | null = null;
  /** `auto` follows `prefers-color-scheme`. */
  theme: Theme = 'auto';
  /** A hidden log does not load until it is shown. */
  override hidden = false;
  /** Any `ModerationSource` with `auditLog` (and `exportAuditLog` for the download). */
  source: ModerationSource | null = null;

  private entries: AuditEntry[] | null = null;
  private cursor: string | null = null;
  private busy = false;
  private error = '';
  private announcement = '';
  private localizer: Localizer = localizerFor('en');
  private messages: ModerationMessages = moderationMessagesFor('en');
  private loads = 0;

  /** Renders once the words of its language are at hand (the page's, fetched on first use). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    return updateWhenReady(this, () => super.scheduleUpdate(), false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.localizer = localizerFor(languageFor(this));
    this.messages = moderationMessagesFor(this.localizer.lang);
    if (changed.has('source')) {
      this.loads++;
      this.entries = null;
      this.cursor = null;
      this.error = '';
      this.busy = false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Shown for the first time, or again after a failed load, or with a new source.
    if ((changed.has('hidden') || changed.has('source')) && !this.hidden && this.entries === null) void this.load(false);
  }

  /** Loads the newest page again, or the next older one. */
  async load(more: boolean): Promise<void> {
    const source = this.source;
    if (!source?.auditLog || this.busy) return;
    const mine = this.loads;
    this.busy = true;
    this.error = '';
    try {
      const page = await source.auditLog(more ? this.cursor : null);
      if (mine !== this.loads) return;
      this.entries = more ? [...(this.entries ?? []), ...page.entries] : page.entries;
      this.cursor = page.nextCursor;
    } catch (error) {
      if (mine === this.loads) this.error = this.failure(error);
    } finally {
      if (mine === this.loads) this.busy = false;
    }
    // The "older entries" button is gone after the last page: keep focus in the log.
    if (more && !this.cursor) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('table')?.focus();
    }
  }

  private failure(error: unknown): string {
    const colloquyError = toColloquyError(error);
    this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'load'));
    return `${this.messages.audit.error} ${describeError(this.messages, colloquyError)}`;
  }

  private async export(): Promise<void> {
    const source = this.source;
    if (!source?.exportAuditLog) return;
    try {
      const blob = await source.exportAuditLog();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `colloquy-audit-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announceIn((text) => (this.announcement = text), this.messages.audit.exported);
    } catch (error) {
      this.error = this.failure(error);
    }
  }

  private target(entry: AuditEntry): string {
    const a = this.messages.audit;
    const cidr = entry.detail?.cidr;
    if (typeof cidr === 'string') return this.localizer.format(a.range, { cidr });
    const thread = entry.detail?.thread;
    if (typeof thread === 'string') return this.localizer.format(a.thread, { thread });
    return entry.commentId ? this.localizer.format(a.comment, { id: entry.commentId }) : '—';
  }

  private renderTable(entries: AuditEntry[]): TemplateResult {
    const m = this.messages;
    const a = m.audit;
    const now = new Date();
    return html`<div class="table-scroll">
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
              <td>${renderTime(this.localizer, entry.createdAt, now)}</td>
              <td>
                ${entry.moderator
                  ? html`<bdi>${displayText(entry.moderator.name ?? '', m.anonymous)}</bdi>`
                  : html`<span class="muted">${a.automatic}</span>`}
              </td>
              <td>${m.auditActions[entry.action] ?? entry.action}</td>
              <td><bdi class="thread-key">${this.target(entry)}</bdi></td>
              <td dir="auto">${entry.reason ? displayText(entry.reason) : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const source = this.source;
    if (!source?.auditLog) return nothing;
    const a = this.messages.audit;
    const entries = this.entries ?? [];
    return html`<section part="base" class="audit" aria-labelledby="audit-heading" lang=${this.localizer.lang}>
      <div class="audit-header">
        <h3 id="audit-heading">${a.heading}</h3>
        ${source.exportAuditLog ? html`<button data-audit-export @click=${this.export}>${a.export}</button>` : nothing}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.entries === null && this.busy ? html`<p role="status">${a.loading}</p>` : nothing}
      ${this.entries !== null && entries.length === 0 ? html`<p>${a.empty}</p>` : nothing}
      ${entries.length > 0 ? this.renderTable(entries) : nothing}
      ${this.cursor ? html`<button data-audit-more ?disabled=${this.busy} @click=${() => this.load(true)}>${a.loadMore}</button>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </section>`;
  }
}
