import { LitElement, html, nothing, type PropertyDeclarations } from 'lit';
import { REPORT_REASONS, type ReportReason } from '@colloquy/core';
import { localizerFor, type Localizer } from '../i18n/locale.js';
import type { Messages } from '../i18n/messages.js';
import { reportMessages, type ReportMessages } from './report-messages.js';
import { reportDialogStyles } from './report-dialog.styles.js';

/** The reader chose a reason and sent the form. */
export class ReportSubmitEvent extends Event {
  static readonly type = 'report-submit';
  constructor(
    readonly commentId: string,
    readonly reason: ReportReason,
    readonly details: string,
  ) {
    super(ReportSubmitEvent.type, { bubbles: true });
  }
}

/** The dialog closed without a report being sent (Cancel or Escape). */
export class ReportCloseEvent extends Event {
  static readonly type = 'report-close';
  constructor(readonly commentId: string) {
    super(ReportCloseEvent.type, { bubbles: true });
  }
}

/**
 * @summary The "Report abuse" dialog: six reasons, optional details. A native modal
 * `<dialog>`, so focus is trapped while open; the thread returns focus to the comment after.
 * @tagname colloquy-report-dialog
 *
 * @csspart dialog - The `<dialog>` element.
 * @csspart reasons - The group of reason choices.
 * @csspart details - The details text box.
 * @csspart submit - The send button.
 * @csspart cancel - The cancel button.
 * @csspart error - The message shown when the report could not be sent.
 *
 * @cssproperty --colloquy-background - Dialog background.
 * @cssproperty --colloquy-radius - Corner radius.
 *
 * @event report-submit - The reader sent a report (`ReportSubmitEvent`, not composed).
 * @event report-close - The dialog closed without sending.
 */
export class ColloquyReportDialog extends LitElement {
  static override styles = reportDialogStyles;
  static override properties: PropertyDeclarations = {
    localizer: { attribute: false },
    busy: { type: Boolean },
    error: {},
    maxDetailsLength: { type: Number, attribute: 'max-details-length' },
    commentId: { state: true },
  };

  localizer: Localizer = localizerFor('en');
  busy = false;
  error = '';
  maxDetailsLength = 1000;
  /** The comment being reported while the dialog is open. */
  commentId = '';
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }
  private get form(): HTMLFormElement {
    return this.renderRoot.querySelector('form')!;
  }

  /** Opens the dialog for one comment, with a fresh form; focus goes to the first reason. */
  async show(commentId: string): Promise<void> {
    this.commentId = commentId;
    this.error = '';
    await this.updateComplete;
    this.form.reset();
    if (!this.dialog.open) this.dialog.showModal();
    this.shadowRoot?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
  }

  /** Closes the dialog (after a successful report). */
  close(): void {
    if (this.dialog?.open) this.dialog.close('sent');
  }

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(this.form);
    const reason = data.get('reason');
    if (typeof reason !== 'string' || !REPORT_REASONS.includes(reason as ReportReason)) {
      // Told in the alert under the form, tied to the group by aria-describedby.
      this.error = this.words.reasonRequired;
      this.shadowRoot?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    const details = String(data.get('details') ?? '').trim();
    this.dispatchEvent(new ReportSubmitEvent(this.commentId, reason as ReportReason, details));
  }

  private onClose(): void {
    if (this.dialog.returnValue !== 'sent') this.dispatchEvent(new ReportCloseEvent(this.commentId));
    this.dialog.returnValue = '';
  }

  private get words(): Messages & ReportMessages {
    return { ...this.localizer.messages, ...(reportMessages[this.localizer.lang] ?? reportMessages.en!) };
  }

  override render() {
    const m = this.words;
    const missing = this.error === m.reasonRequired;
    return html`
      <dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @close=${this.onClose}>
        <form @submit=${this.onSubmit} novalidate>
          <h2 id="title">${m.reportTitle}</h2>
          <p id="intro">${m.reportIntro}</p>
          <fieldset
            part="reasons"
            aria-describedby=${missing ? 'error' : nothing}
            @change=${() => missing && (this.error = '')}
          >
            <legend>${m.reportReason}</legend>
            ${REPORT_REASONS.map(
              (reason) => html`<label class="choice">
                <input type="radio" name="reason" value=${reason} required aria-invalid=${missing} />
                ${m.reasons[reason]}
              </label>`,
            )}
          </fieldset>
          <label class="details" for="details">${m.reportDetails}</label>
          <textarea part="details" id="details" name="details" maxlength=${this.maxDetailsLength}></textarea>
          <p part="error" class="error" id="error" role="alert" ?hidden=${!this.error}>${this.error || nothing}</p>
          <div class="row">
            <button part="cancel" type="button" @click=${() => this.dialog.close('cancel')}>${m.cancel}</button>
            <button part="submit" class="primary" type="submit" ?disabled=${this.busy}>${m.reportSubmit}</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
