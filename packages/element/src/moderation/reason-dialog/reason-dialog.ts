import { LitElement, html, nothing, type PropertyDeclarations } from 'lit';
import { reasonDialogStyles } from './reason-dialog.styles.js';

/** The moderator gave a reason and confirmed. */
export class ReasonSubmitEvent extends Event {
  static readonly type = 'reason-submit';
  constructor(readonly reason: string) {
    super(ReasonSubmitEvent.type, { bubbles: true });
  }
}

/** The dialog closed without confirming (Cancel or Escape). */
export class ReasonCloseEvent extends Event {
  static readonly type = 'reason-close';
  constructor() {
    super(ReasonCloseEvent.type, { bubbles: true });
  }
}

/**
 * @summary The moderation elements' one dialog: asks for the reason behind a decision (a ban,
 * say) before it is sent. A native modal `<dialog>`, so focus is trapped while open; the
 * element that opened it puts focus back after.
 * @tagname colloquy-reason-dialog
 *
 * @csspart dialog - The `<dialog>` element.
 * @csspart reason - The reason text box.
 * @csspart error - The message shown when the reason is missing.
 * @csspart submit - The confirm button.
 * @csspart cancel - The cancel button.
 *
 * @cssproperty --colloquy-background - Dialog background.
 * @cssproperty --colloquy-danger - The confirm button of a destructive decision.
 * @cssproperty --colloquy-radius - Corner radius.
 *
 * @slot extra - More fields of the decision, above the reason (the ban dialog's "for how long").
 * @event reason-submit - The moderator confirmed with a reason (`ReasonSubmitEvent`, not composed).
 * @event reason-close - The dialog closed without confirming (`ReasonCloseEvent`, not composed).
 */
export class ColloquyReasonDialog extends LitElement {
  static override styles = reasonDialogStyles;
  static override properties: PropertyDeclarations = {
    heading: {},
    intro: {},
    label: {},
    confirmLabel: { attribute: 'confirm-label' },
    cancelLabel: { attribute: 'cancel-label' },
    requiredMessage: { attribute: 'required-message' },
    destructive: { type: Boolean },
    maxLength: { type: Number, attribute: 'max-length' },
    error: { state: true },
  };

  heading = '';
  intro = '';
  /** The label of the reason box. */
  label = '';
  confirmLabel = '';
  cancelLabel = '';
  /** Shown (as an alert) when the moderator confirms without a reason. */
  requiredMessage = '';
  /** Paints the confirm button in the danger colour. */
  destructive = false;
  maxLength = 1000;
  private error = '';

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog with an empty reason; focus goes to the reason box. */
  async show(): Promise<void> {
    this.error = '';
    await this.updateComplete;
    this.renderRoot.querySelector('form')?.reset();
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector('textarea')?.focus();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const textarea = this.renderRoot.querySelector('textarea')!;
    const reason = textarea.value.trim();
    if (!reason) {
      this.error = this.requiredMessage;
      textarea.focus();
      return;
    }
    this.dialog.close('sent');
    this.dispatchEvent(new ReasonSubmitEvent(reason));
  }

  private onClose(): void {
    if (this.dialog.returnValue !== 'sent') this.dispatchEvent(new ReasonCloseEvent());
    this.dialog.returnValue = '';
  }

  override render() {
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @close=${this.onClose}>
      <form @submit=${this.onSubmit} novalidate>
        <h3 id="title">${this.heading}</h3>
        <p id="intro">${this.intro}</p>
        <slot name="extra"></slot>
        <label for="reason">${this.label}</label>
        <textarea
          part="reason"
          id="reason"
          name="reason"
          required
          maxlength=${this.maxLength}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby="reason-error"
        ></textarea>
        <p part="error" id="reason-error" class="error" role="alert" ?hidden=${!this.error}>${this.error || nothing}</p>
        <div class="row">
          <button part="cancel" type="button" @click=${() => this.dialog.close('cancel')}>${this.cancelLabel}</button>
          <button part="submit" type="submit" class=${this.destructive ? 'primary danger-fill' : 'primary'}>${this.confirmLabel}</button>
        </div>
      </form>
    </dialog>`;
  }
}
