import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { toColloquyError, type StorageAdapter } from '@colloquy/core';
import { defaultThreadKey, elementDefaults } from '../config.js';
import { ColloquyErrorEvent } from '../events.js';
import { languageFor, localizerFor, whenLanguageReady } from '../i18n/locale.js';
import { countStyles } from './count.styles.js';

/**
 * @summary A thread's comment count ("12 comments") for article lists. Every count on a page
 * that shares an endpoint is fetched in one request.
 * @tagname colloquy-count
 *
 * @csspart count - The count text.
 *
 * @cssproperty --colloquy-color - Inherited text colour (the count has no colours of its own).
 *
 * @event colloquy-error - The count could not be fetched (`ColloquyErrorEvent`); the element stays empty.
 */
export class ColloquyCount extends LitElement {
  static override styles = countStyles;
  static override properties: PropertyDeclarations = {
    thread: {},
    endpoint: {},
    language: { attribute: 'lang' },
    adapter: { attribute: false },
    value: { state: true },
  };

  /** Thread key; defaults to the page's canonical path like `<colloquy-thread>`. */
  thread = '';
  endpoint = '';
  language: string | null = null;
  adapter: StorageAdapter | null = null;

  /** The fetched count, or null while loading or after a failure. */
  value: number | null = null;
  private requested: unknown[] = [];

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const thread = this.thread || defaultThreadKey(this.ownerDocument);
    const adapter =
      this.adapter ??
      elementDefaults.createAdapter?.({ endpoint: this.endpoint || elementDefaults.endpoint, authToken: null }) ??
      null;
    if (!adapter || (adapter === this.requested[0] && thread === this.requested[1])) return;
    this.requested = [adapter, thread];
    // The words of the reader's language, when fetched on first use, come beside the count.
    void whenLanguageReady(this);
    // The batching code comes on first use: every count upgraded in the same parse still asks
    // in the same task once it is here, so they share one request (docs/decisions/0038).
    import('./count-batcher.js')
      .then(({ batcherFor }) => batcherFor(adapter).count(thread))
      .then(
        (count) => {
          if (this.requested[0] === adapter && this.requested[1] === thread) this.value = count;
        },
        (error: unknown) => {
          const colloquyError = toColloquyError(error, 'network_error');
          this.dispatchEvent(new ColloquyErrorEvent(colloquyError, 'count', localizerFor(languageFor(this)).error(colloquyError)));
        },
      );
  }

  override render() {
    if (this.value === null) return nothing;
    // Shown in the reader's language or not yet: a table fetched on first use is waited for
    // here, not before the update, so the count still joins the page's one request.
    const loading = whenLanguageReady(this);
    if (loading) {
      void loading.then(() => this.requestUpdate());
      return nothing;
    }
    const localizer = localizerFor(languageFor(this));
    return html`<span part="count">${localizer.plural(localizer.messages.count, this.value)}</span>`;
  }
}
