// What the queue element shows around its list: the audit log and ban list panels, the ban
// reason dialog, and the queue's status line (loading, empty, failed).
import { html, nothing, type TemplateResult } from 'lit';
import type { ColloquyError, ModerationSource, QueueStatus } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import type { ColloquyBanLiftedEvent } from './moderation-events.js';
import { describeError, isolate } from './moderation-format.js';
import type { ReasonSubmitEvent } from './reason-dialog/reason-dialog.js';

export interface PanelsView {
  source: ModerationSource | null;
  lang: string;
  theme: string;
  auditOpen: boolean;
  bansOpen: boolean;
  onBanLifted(event: ColloquyBanLiftedEvent): void;
}

/** `<colloquy-audit-log>` and `<colloquy-ban-list>`, when the source offers them; hidden until opened. */
export function renderPanels(view: PanelsView): TemplateResult {
  const { source, lang, theme } = view;
  return html`${source?.auditLog
    ? html`<colloquy-audit-log part="audit" id="audit" lang=${lang} theme=${theme} ?hidden=${!view.auditOpen} .source=${source}></colloquy-audit-log>`
    : nothing}
  ${source?.bans
    ? html`<colloquy-ban-list
        part="bans"
        id="bans"
        lang=${lang}
        theme=${theme}
        ?hidden=${!view.bansOpen}
        .source=${source}
        @colloquy-ban-lifted=${view.onBanLifted}
      ></colloquy-ban-list>`
    : nothing}`;
}

export interface BanDialogView {
  localizer: Localizer;
  messages: ModerationMessages;
  /** Whom the ban is about, as shown. */
  name: string;
  onSubmit(event: ReasonSubmitEvent): void;
  onClose(): void;
  /** Whether "a number of days" is chosen, which shows the days field. */
  customLength: boolean;
  onLengthChange(event: Event): void;
}

/** The shared reason dialog, asking why an author is banned. */
/** The ban dialog's lengths: a value (seconds, `custom` or `forever`) and its message key. */
const BAN_LENGTHS = [
  ['86400', 'day'],
  ['604800', 'week'],
  ['2592000', 'month'],
  ['custom', 'custom'],
  ['forever', 'forever'],
] as const;

/** The length chosen in the ban dialog inside `root`, in seconds; undefined bans for good. */
export function chosenBanLength(root: ParentNode): number | undefined {
  const checked = root.querySelector<HTMLInputElement>('[data-ban-length] input[name="ban-length"]:checked');
  if (!checked || checked.value === 'forever') return undefined;
  if (checked.value !== 'custom') return Number(checked.value);
  const days = Math.round(Number(root.querySelector<HTMLInputElement>('[data-ban-length] input[name="ban-days"]')?.value));
  return Number.isFinite(days) && days >= 1 ? Math.min(days, 3650) * 86400 : 86400;
}

export function renderBanDialog(view: BanDialogView): TemplateResult {
  const m = view.messages;
  return html`<colloquy-reason-dialog
    exportparts="dialog: ban-dialog"
    destructive
    heading=${view.localizer.format(m.banTitle, { name: isolate(view.name) })}
    intro=${m.banIntro}
    label=${m.banReason}
    confirm-label=${m.banConfirm}
    cancel-label=${m.cancel}
    required-message=${m.banReasonRequired}
    @reason-submit=${view.onSubmit}
    @reason-close=${view.onClose}
  >
    <fieldset slot="extra" class="ban-length" data-ban-length>
      <legend>${m.banLength.label}</legend>
      ${BAN_LENGTHS.map(
        ([value, key]) => html`<label
          ><input type="radio" name="ban-length" value=${value} ?checked=${value === 'forever'} @change=${view.onLengthChange} /> ${m.banLength[key]}</label
        >`,
      )}
      <label class="ban-days" ?hidden=${!view.customLength}
        >${m.banLength.days} <input type="number" name="ban-days" min="1" max="3650" step="1" value="3" inputmode="numeric"
      /></label>
    </fieldset>
  </colloquy-reason-dialog>`;
}

export interface StatusView {
  messages: ModerationMessages;
  queue: QueueStatus;
  error: ColloquyError | null;
  loaded: boolean;
  /** Nothing on screen and nothing more to load. */
  empty: boolean;
  /** A search is on, so an empty queue means no matches. */
  searching: boolean;
  /** Null when there is nothing to try again with. */
  retry: (() => void) | null;
}

/** Loading, the failure (with "Try again"), or the empty queue's message; focusable for `focusAt`. */
export function renderStatus(view: StatusView): TemplateResult | typeof nothing {
  const m = view.messages;
  if (view.error) {
    return html`<div part="status" class="status error" role="alert" id="queue-status" tabindex="-1">
      <p>${m.loadError} ${describeError(m, view.error)}</p>
      ${view.retry ? html`<button @click=${view.retry}>${m.tryAgain}</button>` : nothing}
    </div>`;
  }
  if (!view.loaded) return html`<p part="status" class="status" role="status" id="queue-status" tabindex="-1">${m.loading}</p>`;
  if (view.empty) {
    return html`<p part="status" class="status" id="queue-status" tabindex="-1">${view.searching ? m.search.noMatches : m.empty[view.queue]}</p>`;
  }
  return nothing;
}
