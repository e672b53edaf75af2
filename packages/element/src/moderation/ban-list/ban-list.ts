import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { displayText, toColloquyError, type BanList, type ModerationSource } from '@colloquy/core';
import { ColloquyErrorEvent } from '../../events.js';
import { languageFor, localizerFor, type Localizer } from '../../i18n/locale.js';
import { updateWhenReady } from '../../ready.js';
import { moderationMessagesFor, type ModerationMessages } from '../i18n/moderation-messages.js';
import { ColloquyBanLiftedEvent } from '../moderation-events.js';
import { announceIn, describeError, isolate } from '../moderation-format.js';
import { banListStyles } from './ban-list.styles.js';

type Theme = 'auto' | 'light' | 'dark';

/**
 * @summary The ban list: banned authors and address ranges (those set in the server's
 * configuration too), with a "Lift ban" button each and a form that bans a range. It loads
 * when first shown (not `hidden`).
 * @tagname colloquy-ban-list
 *
 * @csspart base - The ban list panel.
 * @csspart badge - A role badge.
 *
 * @cssproperty --colloquy-color - Text colour.
 * @cssproperty --colloquy-muted-color - Secondary text (times, empty lists).
 * @cssproperty --colloquy-background - Background.
 * @cssproperty --colloquy-surface - Background of buttons and badges.
 * @cssproperty --colloquy-border-color - Lines and field borders.
 * @cssproperty --colloquy-danger - Errors and the ban button.
 * @cssproperty --colloquy-focus-ring - The keyboard focus outline.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-spacing - Base spacing unit.
 *
 * @event colloquy-ban-lifted - An author's ban was lifted (`ColloquyBanLiftedEvent`).
 * @event colloquy-error - Loading the list or a change to it failed; the moderator has been told (`ColloquyErrorEvent`, action `moderate`).
 */
export class ColloquyBanList extends LitElement {
  static override styles = banListStyles;
  static override properties: PropertyDeclarations = {
    language: { attribute: 'lang' },
    theme: { reflect: true },
    hidden: { type: Boolean, reflect: true },
    source: { attribute: false },
    bans: { state: true },
    busy: { state: true },
    error: { state: true },
    rangeError: { state: true },
    announcement: { state: true },
  };

  /** Language (`en`, `es`); defaults to the page's `<html lang>`, then the browser's. */
  language: string | null = null;
  /** `auto` follows `prefers-color-scheme`. */
  theme: Theme = 'auto';
  /** A hidden list does not load until it is shown. */
  override hidden = false;
  /** Any `ModerationSource` with `bans` (and `unbanIdentity`, `banRange`, `liftRange` for changes). */
  source: ModerationSource | null = null;

  private bans: BanList | null = null;
  private busy = false;
  private error = '';
  private rangeError = '';
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
      this.bans = null;
      this.error = '';
      this.busy = false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Shown (again after a failure, too), or given a new source while shown.
    if (this.hidden || this.bans !== null) return;
    if (changed.has('hidden') || (changed.has('source') && !this.error)) void this.load();
  }

  /** Reads the list again now if it is shown, else when it next is (after a ban from the queue). */
  async reload(): Promise<void> {
    if (this.hidden) {
      this.bans = null;
      this.error = '';
    } else await this.load();
  }

  private async load(): Promise<void> {
    const source = this.source;
    if (!source?.bans || this.busy) return;
    const mine = this.loads;
    this.busy = true;
    this.error = '';
    try {
      const bans = await source.bans();
      if (mine === this.loads) this.bans = bans;
    } catch (error) {
      if (mine === this.loads) this.error = this.failure(error);
    } finally {
      if (mine === this.loads) this.busy = false;
    }
  }

  private say(text: string): void {
    announceIn((said) => (this.announcement = said), text);
  }

  private failure(error: unknown): string {
    const colloquyError = toColloquyError(error);
    this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'moderate'));
    return `${this.messages.bans.error} ${describeError(this.messages, colloquyError)}`;
  }

  private async liftAuthor(identityId: string, name: string): Promise<void> {
    const source = this.source;
    if (!source?.unbanIdentity) return;
    try {
      await source.unbanIdentity(identityId, null);
    } catch (error) {
      this.error = this.failure(error);
      return;
    }
    this.dispatchEvent(new ColloquyBanLiftedEvent(identityId));
    this.say(this.localizer.format(this.messages.bans.liftedAuthor, { name: isolate(name) }));
    await this.load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#bans-heading')?.focus();
  }

  private async liftRange(rangeId: string, cidr: string): Promise<void> {
    const source = this.source;
    if (!source?.liftRange) return;
    try {
      await source.liftRange(rangeId, null);
    } catch (error) {
      this.error = this.failure(error);
      return;
    }
    this.say(this.localizer.format(this.messages.bans.liftedRange, { cidr }));
    await this.load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#bans-heading')?.focus();
  }

  private async onRangeSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const source = this.source;
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
      this.say(this.localizer.format(b.bannedRange, { cidr: range.cidr }));
      await this.load();
    } catch (error) {
      const colloquyError = toColloquyError(error);
      this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'moderate'));
      this.rangeError =
        colloquyError.code === 'invalid_input'
          ? b.invalidRange
          : colloquyError.code === 'conflict'
            ? b.alreadyBanned
            : describeError(this.messages, colloquyError);
      cidrField.focus();
    }
  }

  private renderLists(source: ModerationSource, bans: BanList): TemplateResult {
    const m = this.messages;
    const b = m.bans;
    const now = new Date();
    return html`<h4>${b.authors}</h4>
      ${bans.identities.length === 0
        ? html`<p class="muted">${b.noAuthors}</p>`
        : html`<ul class="ban-list">
            ${bans.identities.map((identity) => {
              const name = displayText(identity.name ?? '', m.anonymous);
              return html`<li>
                <bdi class="author">${name}</bdi>
                ${identity.role !== 'reader' ? html`<span part="badge" class="badge">${m.roles[identity.role]}</span>` : nothing}
                ${source.unbanIdentity
                  ? html`<button data-lift-author=${identity.id} @click=${() => this.liftAuthor(identity.id, name)}>
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
                <span class="muted">· ${this.localizer.format(b.since, { time: this.localizer.relativeTime(new Date(range.createdAt), now) })}</span>
                ${source.liftRange
                  ? html`<button data-lift-range=${range.id} @click=${() => this.liftRange(range.id, range.cidr)}>
                      ${b.lift}<span class="visually-hidden"> — ${range.cidr}</span>
                    </button>`
                  : nothing}
              </li>`,
            )}
            ${bans.configured.map((cidr) => html`<li><code>${cidr}</code> <span class="muted">· ${b.configured}</span></li>`)}
          </ul>`}`;
  }

  private renderRangeForm(): TemplateResult {
    const b = this.messages.bans;
    return html`<form class="range-form" novalidate @submit=${this.onRangeSubmit}>
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
    </form>`;
  }

  override render() {
    const source = this.source;
    if (!source?.bans) return nothing;
    const b = this.messages.bans;
    const bans = this.bans;
    return html`<section part="base" class="bans" aria-labelledby="bans-heading" lang=${this.localizer.lang}>
      <h3 id="bans-heading" tabindex="-1">${b.heading}</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${bans === null && this.busy ? html`<p role="status">${b.loading}</p>` : nothing}
      ${bans ? html`${this.renderLists(source, bans)} ${source.banRange ? this.renderRangeForm() : nothing}` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </section>`;
  }
}
