import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { toColloquyError, type Identity } from '@colloquy/core';
import { sharedStyles } from '../styles/shared.styles.js';
import { fail } from '../thread/feedback.js';
import type { ColloquyThread } from '../thread/thread.js';
import { FRAGMENT, TOKEN_KEY, VERIFIER_KEY, accountApi, storage, newVerifier, type AccountApi, type EmailState, type FollowingState, type NotifyMode } from './account-api.js';
import { addErrors } from '../i18n/locale.js';
import { accountErrors, accountMessages, type AccountMessages } from './account-messages.js';

addErrors(accountErrors);

/** The reader signed in, renamed, signed out or was erased: the thread loads again as whoever they are now. */
export class AccountChangedEvent extends Event {
  static readonly type = 'account-changed';
  constructor() {
    super(AccountChangedEvent.type, { bubbles: true });
  }
}

/**
 * @summary The reader's account panel, opened from the thread's "Posting as NAME" button and
 * loaded on first use (docs/decisions/0034): who they post as and renaming, sign-out, their
 * e-mail address and reply messages, following the thread and whether posting follows one
 * (0035), sign-in with an e-mail link, "Download my data" and "Delete my comments".
 * @tagname colloquy-account
 * @event account-changed - The reader's identity in this browser changed (`AccountChangedEvent`).
 */
export class ColloquyAccount extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        margin-block: 0.5rem;
      }
      h3,
      h4 {
        margin-block: 0 0.5rem;
      }
      section + section {
        margin-block-start: var(--_space);
      }
      form,
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin-block: 0.5rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      label.check {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      input,
      select {
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) / 1.5);
        background: var(--_bg);
        padding: 0.35em;
      }
      .hint,
      .status {
        color: var(--_muted);
      }
      .error {
        color: var(--_danger);
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    host: { attribute: false },
    identity: { attribute: false },
    email: { state: true },
    follows: { state: true },
    said: { state: true },
    error: { state: true },
    busy: { state: true },
    confirming: { state: true },
  };

  /** The thread the panel belongs to: its endpoint, token, language and the reader's identity. */
  host: ColloquyThread | null = null;
  /** Who the reader is in this browser (the thread's snapshot), or null. */
  identity: Identity | null = null;
  email: EmailState | null | undefined = undefined;
  /** Whether the reader follows this thread (undefined while asked; a reader with no identity follows nothing). */
  follows: FollowingState | undefined = undefined;
  /** Moved by every change of following: a read answered after one began is out of date. */
  private followTurn = 0;
  private running = 0;
  /** What the panel last said (a polite status). */
  said = '';
  error = '';
  busy = false;
  /** The erasure's confirmation, with the server's own mode, while it waits for an answer. */
  confirming: 'remove' | 'anonymise' | null = null;

  private get t(): AccountMessages {
    return accountMessages[this.host?.localizer.lang ?? 'en'] ?? accountMessages.en!;
  }
  private get hostToken(): string | null {
    return this.host?.authToken || null;
  }
  /** The thread's key as its state has it (validated, canonical). */
  private get thread(): string | undefined {
    return this.host?.threadState?.getSnapshot().thread;
  }
  private get api(): AccountApi {
    const kept = storage();
    return accountApi(this.host!.apiEndpoint, () => this.hostToken ?? kept?.getItem(TOKEN_KEY) ?? null);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (location.hash.includes(FRAGMENT)) void this.redeem();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Signed in, out or erased: the address and following shown are the new identity's.
    if (!this.hasUpdated || (changed.has('identity') && changed.get('identity')?.id !== this.identity?.id)) void this.load();
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Runs a request: busy until every one running has answered, its error shown, what it says said. */
  private async run(work: () => Promise<string | void>): Promise<void> {
    this.busy = true;
    this.running++;
    this.error = '';
    try {
      const said = await work();
      if (said) this.said = said;
    } catch (error) {
      this.error = this.host ? fail(this.host, error, 'account') : toColloquyError(error).message;
    } finally {
      if (--this.running === 0) this.busy = false;
    }
  }

  private async load(): Promise<void> {
    const identity = this.identity;
    const thread = this.thread;
    this.email = identity ? undefined : null;
    if (!identity) {
      this.follows = { following: false, followOnPost: true };
      return;
    }
    // Until the server answers for a new identity the controls are busy, the last state kept.
    const turn = this.followTurn;
    await this.run(async () => {
      const follows = thread ? this.api.following(thread) : Promise.resolve(undefined);
      // Asked at once, and the address shows even when this fails (the failure is then the error).
      follows.catch(() => undefined);
      this.email = await this.api.email();
      const now = await follows;
      if (turn === this.followTurn) this.follows = now;
    });
  }

  /**
   * A change of following, shown only once the server answered (a failure leaves the state as
   * it was, with the error). Turns the read in flight, if any, out of date, before and after.
   */
  private changeFollowing(work: () => Promise<FollowingState>, said: (state: FollowingState) => string): void {
    if (this.busy) return;
    this.followTurn++;
    void this.run(async () => {
      try {
        this.follows = await work();
        return said(this.follows);
      } finally {
        this.followTurn++;
      }
    });
  }

  private toggleFollow = () => {
    const thread = this.thread;
    if (!thread) return;
    const follow = !this.follows?.following;
    this.changeFollowing(
      async () => {
        // A reader with no identity here gets a nameless one first, as a report or a helpful mark does.
        if (!this.identity && !this.hostToken) await this.host!.threadState!.identify();
        return this.api.setFollowing(thread, follow);
      },
      (state) => (state.following ? this.t.followed : this.t.unfollowed),
    );
  };

  private setFollowOnPost = (event: Event) => {
    const box = event.target as HTMLInputElement;
    const wanted = box.checked;
    // The box shows what the server has: it changes when the server says so.
    box.checked = !wanted;
    const follows = this.follows;
    if (!follows) return;
    this.changeFollowing(async () => ({ ...follows, followOnPost: await this.api.setFollowOnPost(wanted) }), () => this.t.notifySaved);
  };

  private changed(): void {
    this.dispatchEvent(new AccountChangedEvent());
  }

  /** A sign-in link opened here: trade its code and this browser's verifier for a token. */
  private async redeem(): Promise<void> {
    const t = this.t;
    const code = decodeURIComponent(location.hash.slice(location.hash.indexOf(FRAGMENT) + FRAGMENT.length));
    // The code leaves the address bar (and history) at once: it is spent either way.
    history.replaceState(history.state, '', location.pathname + location.search);
    const kept = storage();
    const verifier = kept?.getItem(VERIFIER_KEY);
    if (!kept || !verifier) return void (this.error = t.signInOtherBrowser);
    this.busy = true;
    this.said = t.signingIn;
    try {
      const { token, identity } = await this.api.redeem(code, verifier);
      // The verifier stays: a second use of the link is then told "used", not "another browser".
      kept.setItem(TOKEN_KEY, token);
      this.said = this.host!.localizer.format(t.signedIn, { name: identity.name ?? '' });
      this.changed();
    } catch (error) {
      this.said = '';
      const { code } = toColloquyError(error);
      this.error = code === 'forbidden' ? t.signInOtherBrowser : code === 'not_found' ? t.signInExpired : fail(this.host!, error, 'sign-in');
    } finally {
      this.busy = false;
    }
  }

  private field(event: Event, name: string): string {
    return (new FormData(event.target as HTMLFormElement).get(name) as string | null)?.trim() ?? '';
  }

  private rename = (event: Event) => {
    event.preventDefault();
    const name = this.field(event, 'name');
    void this.run(async () => {
      await this.api.rename(name);
      this.changed();
      return this.t.renamed;
    });
  };

  private signOut = () => {
    storage()?.removeItem(TOKEN_KEY);
    this.said = this.t.signedOut;
    this.changed();
  };

  private saveEmail = (event: Event) => {
    event.preventDefault();
    const address = this.field(event, 'address');
    void this.run(async () => void (this.email = await this.api.setEmail(address, this.host?.localizer.lang ?? 'en')));
  };

  private removeEmail = () =>
    void this.run(async () => {
      await this.api.removeEmail();
      this.email = null;
      return this.t.emailRemoved;
    });

  private setNotify = (event: Event) => {
    const notify = (event.target as HTMLSelectElement).value as NotifyMode;
    void this.run(async () => {
      this.email = await this.api.setNotify(notify);
      return this.t.notifySaved;
    });
  };

  private askForLink = (event: Event) => {
    event.preventDefault();
    const address = this.field(event, 'address');
    void this.run(async () => {
      const { verifier, challenge } = await newVerifier();
      storage()?.setItem(VERIFIER_KEY, verifier);
      await this.api.requestSignIn(address, challenge, location.origin + location.pathname, this.host?.localizer.lang ?? 'en');
      return this.host!.localizer.format(this.t.signInSent, { address });
    });
  };

  private download = () =>
    void this.run(async () => {
      const blob = await this.api.exportData();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'colloquy-data.json';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    });

  /** Shows the confirmation in the words of what this server does (its COLLOQUY_ERASURE), and moves focus to it. */
  private askToErase = async () => {
    await this.run(async () => void (this.confirming = await this.api.erasureMode()));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-erase')?.focus();
  };

  private erase = () =>
    void this.run(async () => {
      await this.api.erase();
      this.confirming = null;
      storage()?.removeItem(TOKEN_KEY);
      this.changed();
      return this.t.deleted;
    });

  private cancelErase = async () => {
    this.confirming = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#erase')?.focus();
  };

  /** The thread's Follow/Unfollow and "Follow conversations I comment in" (0035's API). */
  private renderFollowing(t: AccountMessages) {
    const follows = this.follows;
    if (!this.thread) return nothing;
    // aria-disabled, not disabled: the control keeps keyboard focus while the server answers.
    const busy = this.busy ? 'true' : 'false';
    return html`<section aria-labelledby="follow-title">
      <h4 id="follow-title">${t.followTitle}</h4>
      ${follows
        ? html`<p id="follow-state">${follows.following ? t.following : t.notFollowing}</p>
            <div class="row">
              <button id="follow" aria-describedby="follow-state" aria-disabled=${busy} @click=${this.toggleFollow}>${follows.following ? t.unfollow : t.follow}</button>
            </div>
            ${this.identity
              ? html`<label class="check"
                  ><input id="follow-on-post" type="checkbox" .checked=${follows.followOnPost} aria-disabled=${busy} @change=${this.setFollowOnPost} />${t.followOnPost}</label
                >`
              : nothing}
            ${this.email?.confirmed ? nothing : html`<p class="hint">${t.followNeedsAddress}</p>`}`
        : html`<p class="status">${t.loading}</p>`}
    </section>`;
  }

  override render() {
    const t = this.t;
    const format = (text: string, values: Record<string, string>) => this.host?.localizer.format(text, values) ?? text;
    const identity = this.identity;
    const hosted = this.hostToken !== null;
    const email = this.email;
    const limits = this.host?.limits;
    return html`<h3 tabindex="-1">${t.title}</h3>
      <div role="status" class="status">${this.said}</div>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      <section aria-labelledby="who">
        <p id="who">${identity?.name ? format(t.postingAs, { name: identity.name }) : t.noIdentity}</p>
        ${hosted
          ? html`<p class="hint">${t.hostAccount}</p>`
          : identity
            ? html`<form @submit=${this.rename}>
                  <label>${t.nameLabel}<input name="name" required maxlength=${limits?.maxNameLength ?? 64} .value=${identity.name ?? ''} autocomplete="nickname" /></label>
                  <button ?disabled=${this.busy}>${t.rename}</button>
                </form>
                <div class="row"><button @click=${this.signOut}>${t.signOut}</button></div>
                <p class="hint">${email?.confirmed ? t.signOutHint : t.signOutNoAddress}</p>`
            : nothing}
      </section>
      ${identity
        ? html`<section aria-labelledby="email-title">
            <h4 id="email-title">${t.emailTitle}</h4>
            ${email === undefined ? html`<p class="status">${t.loading}</p>` : nothing}
            ${email
              ? html`<p>${format(email.confirmed ? t.emailConfirmed : t.emailUnconfirmed, { address: email.address })}</p>
                  ${email.confirmed
                    ? html`<label
                        >${t.notifyLabel}
                        <select @change=${this.setNotify} .value=${email.notify} ?disabled=${this.busy}>
                          ${(['immediate', 'digest', 'off'] as const).map((mode) => html`<option value=${mode} ?selected=${email.notify === mode}>${t.notify[mode]}</option>`)}
                        </select></label
                      >`
                    : nothing}
                  <div class="row"><button @click=${this.removeEmail} ?disabled=${this.busy}>${t.emailRemove}</button></div>`
              : email === null
                ? html`<form @submit=${this.saveEmail}>
                    <label>${t.emailLabel}<input name="address" type="email" required autocomplete="email" /></label>
                    <button ?disabled=${this.busy}>${t.emailSave}</button>
                  </form>`
                : nothing}
          </section>`
        : nothing}
      ${this.renderFollowing(t)}
      ${hosted || identity?.name
        ? nothing
        : html`<section aria-labelledby="sign-in-title">
            <h4 id="sign-in-title">${t.signInTitle}</h4>
            <p class="hint">${t.signInIntro}</p>
            <form @submit=${this.askForLink}>
              <label>${t.emailLabel}<input name="address" type="email" required autocomplete="email" /></label>
              <button class="primary" ?disabled=${this.busy}>${t.signInSend}</button>
            </form>
          </section>`}
      ${identity
        ? html`<section aria-labelledby="data-title">
            <h4 id="data-title">${t.dataTitle}</h4>
            <div class="row">
              <button @click=${this.download} ?disabled=${this.busy}>${t.download}</button>
              <button id="erase" class="danger" @click=${this.askToErase} ?disabled=${this.busy || this.confirming !== null}>${t.deleteAll}</button>
            </div>
            ${this.confirming
              ? html`<div role="alertdialog" aria-labelledby="erase-text" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.cancelErase()}>
                  <p id="erase-text">${this.confirming === 'anonymise' ? t.confirmAnonymise : t.confirmRemove}</p>
                  <div class="row">
                    <button id="confirm-erase" class="danger" @click=${this.erase} ?disabled=${this.busy}>${t.confirmDeleteButton}</button>
                    <button @click=${this.cancelErase}>${t.cancel}</button>
                  </div>
                </div>`
              : nothing}
          </section>`
        : nothing}`;
  }
}

if (!customElements.get('colloquy-account')) customElements.define('colloquy-account', ColloquyAccount);
