// The thread's header (its heading with the count, the sort, the reader's account button) and
// the account panel or the message that it could not be loaded, below it.
import { html, nothing, type TemplateResult } from 'lit';
import { SORT_ORDERS, type SortOrder, type ThreadSnapshot } from '@colloquy/core';
import { countShown } from './comment-index.js';
import type { ColloquyThread } from './thread.js';

export function renderHeader(host: ColloquyThread, snapshot: ThreadSnapshot | null): TemplateResult {
  const m = host.localizer.messages;
  const identity = snapshot?.identity ?? null;
  return html`<header part="header" class="header">
    <h2 part="heading" id="heading" tabindex="-1">
      <slot name="heading">${m.heading}</slot>
      ${snapshot && snapshot.status === 'ready'
        ? html`<span class="count">(${host.localizer.plural(m.count, countShown(snapshot.comments))})</span>`
        : nothing}
    </h2>
    <label class="sort">
      ${m.sortLabel}
      <select
        part="sort"
        .value=${snapshot?.sort ?? host.sort}
        @change=${(event: Event) => (host.sort = (event.target as HTMLSelectElement).value as SortOrder)}
      >
        ${SORT_ORDERS.map(
          (order) => html`<option value=${order} ?selected=${(snapshot?.sort ?? host.sort) === order}>${m.sort[order]}</option>`,
        )}
      </select>
    </label>
    <button part="account" class="account" aria-expanded=${host.account === true} @click=${() => void host.toggleAccount()}>
      ${identity?.name ? host.localizer.format(m.postingAs, { name: identity.name }) : m.signIn}
    </button>
  </header>
  ${host.account === true
    ? html`<colloquy-account .host=${host} .identity=${identity} @account-changed=${() => host.controller.state?.load().catch(() => undefined)}></colloquy-account>`
    : host.account
      ? html`<p class="status error" role="alert">${host.account}</p>`
      : nothing}`;
}
