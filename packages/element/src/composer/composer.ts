import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { en, type Messages } from '../i18n/messages.js';
import { localizerFor, type Localizer } from '../i18n/locale.js';
import { pageStorage } from '../page-storage.js';
import { composerStyles } from './composer.styles.js';

/** Fired when the reader submits the form; the thread decides what to do with the text. */
export class ComposerSubmitEvent extends Event {
  static readonly type = 'composer-submit';
  constructor(
    readonly body: string,
    /** The screen name typed into the first-post prompt, if it was shown. */
    readonly name: string | null,
  ) {
    super(ComposerSubmitEvent.type, { bubbles: true });
  }
}

/** Fired when the reader cancels a reply or edit. */
export class ComposerCancelEvent extends Event {
  static readonly type = 'composer-cancel';
  constructor() {
    super(ComposerCancelEvent.type, { bubbles: true });
  }
}

let nextId = 0;

/**
 * @summary A labelled text box for a comment, reply or edit. Keeps its draft in
 * `localStorage` under `draft-key` until the thread says the text was posted.
 * @tagname colloquy-composer
 *
 * @csspart form - The form.
 * @csspart name - The screen-name field shown before a first post.
 * @csspart textarea - The text box.
 * @csspart submit - The submit button.
 * @csspart cancel - The cancel button of a reply or edit composer.
 * @csspart error - The message shown when posting failed.
 * @csspart preview-toggle - The Preview button (it opens the preview and formatting help).
 * @csspart preview - The preview and formatting help (an on-demand part).
 *
 * @cssproperty --colloquy-accent - Colour of the submit button.
 * @cssproperty --colloquy-border-color - Border of the fields.
 *
 * @event composer-submit - The reader submitted text (`ComposerSubmitEvent`, not composed).
 * @event composer-cancel - The reader cancelled a reply or edit.
 */
export class ColloquyComposer extends LitElement {
  static override styles = composerStyles;
  static override properties: PropertyDeclarations = {
    label: {},
    submitLabel: { attribute: 'submit-label' },
    draftKey: { attribute: 'draft-key' },
    initial: {},
    busy: { type: Boolean },
    cancellable: { type: Boolean },
    needsName: { type: Boolean, attribute: 'needs-name' },
    maxLength: { type: Number, attribute: 'max-length' },
    maxNameLength: { type: Number, attribute: 'max-name-length' },
    error: {},
    localizer: { attribute: false },
    text: { state: true },
    problem: { state: true },
    preview: { state: true },
  };

  /** Visible label of the text box. */
  label = en.composerLabel;
  submitLabel = en.post;
  /** Where the draft lives in `localStorage`; no key, no draft. */
  draftKey = '';
  /** Text to start from when no draft is stored (edits start from the comment's body). */
  initial = '';
  busy = false;
  cancellable = false;
  /** Shows the screen-name prompt above the text box. */
  needsName = false;
  maxLength = 10_000;
  maxNameLength = 64;
  /** A message to show under the form (an error from the last attempt). */
  error = '';
  localizer: Localizer = localizerFor('en');

  private text = '';
  /** The field left empty at the last submit, told under it until the reader types. */
  private problem: '' | 'name' | 'body' = '';
  private get textarea(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('textarea')!;
  }
  private get nameInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input[name="name"]');
  }
  private readonly uid = `c${++nextId}`;
  /** The preview part once fetched and shown; null while closed, `false` when it could not be fetched. */
  private preview: typeof import('./composer-preview.js') | null | false = null;

  /** Opens the preview and formatting help (fetching their part the first time), or closes them. */
  private async togglePreview(): Promise<void> {
    if (this.preview) return void (this.preview = null);
    this.preview = await import('./composer-preview.js').catch(() => false as const);
  }

  private get messages(): Messages {
    return this.localizer.messages;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draftKey') || (changed.has('initial') && !this.text)) {
      this.text = this.readDraft() ?? this.initial;
    }
  }

  /** Moves keyboard focus into the composer (the name field first when it is asked for). */
  override async focus(): Promise<void> {
    await this.updateComplete;
    (this.nameInput ?? this.textarea)?.focus();
  }

  /** Puts text back into the box (and the draft), e.g. after a failed post is taken back. */
  restore(text: string): void {
    this.text = text;
    this.writeDraft(text);
  }

  /** Empties the box; the stored draft stays until `forgetDraft` confirms the post. */
  clear(): void {
    this.text = '';
  }

  /** Drops the stored draft if it still holds `posted` (the reader may have typed anew). */
  forgetDraft(posted: string): void {
    const storage = pageStorage();
    if (!storage || !this.draftKey) return;
    const stored = storage.getItem(this.draftKey);
    if (stored === null || stored === posted || stored === '') storage.removeItem(this.draftKey);
  }

  private readDraft(): string | null {
    if (!this.draftKey) return null;
    return pageStorage()?.getItem(this.draftKey) ?? null;
  }

  private writeDraft(text: string): void {
    if (!this.draftKey) return;
    try {
      if (text) pageStorage()?.setItem(this.draftKey, text);
      else pageStorage()?.removeItem(this.draftKey);
    } catch {
      // A full or blocked storage must not stop the reader typing.
    }
  }

  private onInput(event: Event): void {
    this.problem = '';
    this.text = (event.target as HTMLTextAreaElement).value;
    this.writeDraft(this.text);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    // Busy: the button stays focusable (aria-disabled), so focus never drops to the page.
    if (this.busy) return;
    const body = this.text.trim();
    const name = this.needsName ? (this.nameInput?.value.trim() ?? '') : null;
    this.problem = name === '' ? 'name' : body ? '' : 'body';
    if (this.problem) {
      (this.problem === 'name' ? this.nameInput : this.textarea)?.focus();
      return;
    }
    this.dispatchEvent(new ComposerSubmitEvent(body, name));
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.cancellable) {
      event.stopPropagation();
      this.dispatchEvent(new ComposerCancelEvent());
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.shadowRoot?.querySelector('form')?.requestSubmit();
    }
  }

  override render() {
    const m = this.messages;
    const left = this.maxLength - [...this.text].length;
    // From 80% of the limit, so a writer can plan; said aloud only every 5%, then each of the last ten.
    const showCounter = left <= this.maxLength / 5;
    const step = Math.ceil(this.maxLength / 20);
    const { problem, uid } = this;
    // Before a first post, an error can only be about the name (the post waits for it): shown under the name field.
    const nameError = problem === 'name' ? m.errors.name_required! : this.needsName ? this.error : '';
    const bodyError = problem === 'body' ? m.emptyBody : this.preview === false ? m.partFailed : this.needsName ? '' : this.error;
    const describedBy = [showCounter ? `${uid}-counter` : '', bodyError ? `${uid}-error` : ''].filter(Boolean).join(' ');
    const error = (id: string, text: string) =>
      html`<p part="error" class="error" id=${id} role="alert" ?hidden=${!text}>${text}</p>`;
    return html`
      <form part="form" @submit=${this.onSubmit} @keydown=${this.onKeydown} novalidate>
        ${this.needsName
          ? html`<label for="${this.uid}-name">${m.nameLabel}</label>
              <input
                part="name"
                id="${this.uid}-name"
                name="name"
                autocomplete="nickname"
                required
                maxlength=${this.maxNameLength}
                aria-describedby="${uid}-name-error ${uid}-hint"
                aria-invalid=${!!nameError}
              />
              ${error(`${uid}-name-error`, nameError)}
              <span class="hint" id="${this.uid}-hint"><bdi>${m.nameHint}</bdi></span>`
          : nothing}
        <label for="${this.uid}-text">${this.label}</label>
        <textarea
          part="textarea"
          id="${this.uid}-text"
          name="body"
          required
          placeholder=${m.placeholder}
          .value=${this.text}
          @input=${this.onInput}
          aria-describedby=${describedBy || nothing}
          aria-invalid=${left < 0 || !!bodyError}
        ></textarea>
        ${error(`${uid}-error`, bodyError)} ${this.preview ? this.preview.renderPreview(this, this.text, `${uid}-preview`) : nothing}
        <div class="row">
          <button part="submit" class="primary" type="submit" ?disabled=${left < 0} aria-disabled=${this.busy}>
            ${this.busy ? m.posting : this.submitLabel}
          </button>
          ${this.cancellable
            ? html`<button part="cancel" type="button" @click=${() => this.dispatchEvent(new ComposerCancelEvent())}>
                ${m.cancel}
              </button>`
            : nothing}
          <button part="preview-toggle" type="button" aria-expanded=${!!this.preview} aria-controls="${uid}-preview" @click=${this.togglePreview}>
            ${m.preview}
          </button>
          <span class="counter" id="${uid}-counter" ?hidden=${!showCounter}>${this.localizer.plural(m.charactersLeft, Math.max(0, left))}</span>
          <span class="visually-hidden" aria-live="polite">
            ${showCounter ? this.localizer.plural(m.charactersLeft, Math.max(0, left > 10 ? Math.ceil(left / step) * step : left)) : ''}
          </span>
        </div>
      </form>
    `;
  }
}
