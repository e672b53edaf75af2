// The account panel (decision 0034): loaded on first use, in English and Spanish, by keyboard,
// and with axe. Its REST endpoints are the reference server's, played here by msw handlers;
// test/node/sign-in-e2e.test.ts runs the same panel against the real server and SMTP.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { http, HttpResponse } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import type { ColloquyThread } from '../thread/thread.js';
import { parts } from '../thread/comment-actions.js';
import { $, THREAD, adapterFor, deepActiveElement, seed, settled, text } from '../testing/thread.fixture.js';
import type { ColloquyAccount } from './account.js';

const ENDPOINT = 'https://comments.example.test';
const api = (path: string) => `${ENDPOINT}/api/v1${path}`;
const realParts = { ...parts };
let worker: SetupWorker;

before(async () => {
  worker = setupWorker();
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
});
after(() => worker.stop());
beforeEach(() => {
  localStorage.clear();
  localStorage.setItem('colloquy:token', 'cq_bea');
  Object.assign(parts, realParts);
});
afterEach(() => worker.resetHandlers());

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

/** The server's answers: an address in `state`, erasure in `erasure` mode; every request noted. */
function serve(state: { email: unknown }, erasure: 'remove' | 'anonymise' = 'remove'): Seen[] {
  const seen: Seen[] = [];
  const note = async (request: Request) => {
    const body = request.method === 'GET' || request.method === 'DELETE' ? null : await request.clone().json();
    seen.push({ method: request.method, path: new URL(request.url).pathname.replace('/api/v1', ''), auth: request.headers.get('authorization'), body });
    return body as Record<string, string>;
  };
  worker.use(
    http.get(api('/config'), () => HttpResponse.json({ erasure })),
    http.get(api('/identities/me/email'), async ({ request }) => (await note(request), HttpResponse.json({ email: state.email }))),
    http.put(api('/identities/me/email'), async ({ request }) => {
      const body = await note(request);
      state.email = { address: body.address, confirmed: false, notify: 'immediate', language: body.language, mutedThreads: [] };
      return HttpResponse.json({ email: state.email });
    }),
    http.patch(api('/identities/me/notifications'), async ({ request }) => {
      const body = await note(request);
      state.email = { ...(state.email as object), notify: body.notify };
      return HttpResponse.json({ email: state.email });
    }),
    http.delete(api('/me'), async ({ request }) => (await note(request), HttpResponse.json({ erased: { identity: 'x', mode: erasure, removed: 1, placeholders: 0, anonymised: 0, reports: 0 } }))),
    http.post(api('/sign-in/email'), async ({ request }) => (await note(request), HttpResponse.json({ requested: true }, { status: 202 }))),
  );
  return seen;
}

async function mount(lang = 'en'): Promise<ColloquyThread> {
  const { store, bea } = seed();
  const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang=${lang} endpoint=${ENDPOINT} .adapter=${adapterFor(store, bea)}></colloquy-thread>`);
  await settled(el);
  return el;
}

const panel = (el: ColloquyThread) => el.shadowRoot!.querySelector('colloquy-account') as ColloquyAccount | null;

async function openPanel(el: ColloquyThread): Promise<ColloquyAccount> {
  $(el, '[part="account"]').focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => panel(el), 'the panel never opened');
  const account = panel(el)!;
  await account.updateComplete;
  // The panel reads the reader's address first; its buttons are disabled (unfocusable) meanwhile.
  await waitUntil(() => !account.shadowRoot!.querySelector('button[disabled]'), 'the panel never finished loading');
  return account;
}

describe('<colloquy-account>', () => {
  it('opens by keyboard from "Posting as NAME", shows the address, and changes reply messages', async () => {
    const seen = serve({ email: { address: 'bea@example.org', confirmed: true, notify: 'immediate', language: 'en', mutedThreads: [] } });
    const el = await mount();
    expect(text($(el, '[part="account"]'))).to.equal('Posting as Bea');
    const account = await openPanel(el);
    expect($(el, '[part="account"]').getAttribute('aria-expanded')).to.equal('true');
    expect(deepActiveElement(), 'focus moves to the panel heading').to.equal($(account, 'h3'));
    await waitUntil(() => text(account.shadowRoot).includes('bea@example.org is confirmed.'));
    expect(text(account.shadowRoot)).to.contain('You post as Bea.');
    expect(seen[0]).to.deep.include({ method: 'GET', path: '/identities/me/email', auth: 'Bearer cq_bea' });
    const select = $(account, 'select') as HTMLSelectElement;
    select.value = 'digest';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => text($(account, '[role="status"]')) === 'Saved.');
    expect(seen.at(-1)).to.deep.include({ method: 'PATCH', path: '/identities/me/notifications', body: { notify: 'digest' } });
    await expect(el).to.be.accessible();
  });

  it('says exactly what "Delete my comments" does on this server, by keyboard, and Cancel or Escape returns focus', async () => {
    serve({ email: null }, 'anonymise');
    const el = await mount();
    const account = await openPanel(el);
    const erase = $(account, '#erase');
    erase.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement() === account.shadowRoot!.querySelector('#confirm-erase'), 'focus never reached the confirmation');
    expect(text($(account, '[role="alertdialog"]'))).to.contain('Your comments stay on this site, shown with no author. This cannot be undone.');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActiveElement() === erase, 'Escape did not return focus');
    expect(account.shadowRoot!.querySelector('[role="alertdialog"]')).to.equal(null);
  });

  it('erases after the confirmation and forgets the identity in this browser', async () => {
    const seen = serve({ email: null });
    const el = await mount();
    const account = await openPanel(el);
    $(account, '#erase').click();
    await waitUntil(() => account.shadowRoot!.querySelector('#confirm-erase'));
    expect(text($(account, '[role="alertdialog"]'))).to.contain('Comments that others replied to stay as “deleted”');
    $(account, '#confirm-erase').click();
    await waitUntil(() => text($(account, '[role="status"]')) === 'Done: your data was deleted.');
    expect(seen.at(-1)).to.deep.include({ method: 'DELETE', path: '/me' });
    expect(localStorage.getItem('colloquy:token')).to.equal(null);
  });

  it('adds an address and says a confirmation is on its way, in Spanish', async () => {
    const seen = serve({ email: null });
    const el = await mount('es');
    expect(text($(el, '[part="account"]'))).to.equal('Publicas como Bea');
    const account = await openPanel(el);
    expect(text($(account, 'h3'))).to.equal('Tu cuenta');
    await waitUntil(() => account.shadowRoot!.querySelector('input[name="address"]'));
    ($(account, 'input[name="address"]') as HTMLInputElement).value = 'bea@example.org';
    ($(account, 'input[name="address"]').closest('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => text(account.shadowRoot).includes('Enviamos un mensaje a bea@example.org.'));
    expect(seen.at(-1)).to.deep.include({ method: 'PUT', path: '/identities/me/email', body: { address: 'bea@example.org', language: 'es' } });
    await expect(el).to.be.accessible();
  });

  it('asks for a sign-in link with a challenge it keeps the verifier of; a link opened without one says so', async () => {
    localStorage.clear();
    const seen = serve({ email: null });
    const { store } = seed();
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" endpoint=${ENDPOINT} .adapter=${adapterFor(store)}></colloquy-thread>`);
    await settled(el);
    expect(text($(el, '[part="account"]'))).to.equal('Sign in');
    const account = await openPanel(el);
    ($(account, 'input[name="address"]') as HTMLInputElement).value = 'bea@example.org';
    ($(account, 'input[name="address"]').closest('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => text($(account, '[role="status"]')).startsWith('If bea@example.org is confirmed'));
    const asked = seen.at(-1)!.body as { challenge: string; page: string };
    const verifier = localStorage.getItem('colloquy:sign-in-verifier')!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    expect(asked.challenge).to.equal(btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    expect(asked.page).to.equal(location.origin + location.pathname);
    await expect(el).to.be.accessible();

    localStorage.clear();
    history.replaceState(null, '', '#colloquy-sign-in=cqs_code');
    const other = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" endpoint=${ENDPOINT} .adapter=${adapterFor(store)}></colloquy-thread>`);
    await waitUntil(() => panel(other) && text(panel(other)!.shadowRoot).includes('asked for in another browser'));
    expect(location.hash, 'the code leaves the address bar').to.equal('');
  });

  it('says so when its part cannot be fetched, and opens when asked again', async () => {
    serve({ email: null });
    const el = await mount();
    parts.account = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    $(el, '[part="account"]').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(text($(el, '[role="alert"]'))).to.equal('This could not be loaded. Check your connection and try again.');
    parts.account = realParts.account;
    $(el, '[part="account"]').click();
    await waitUntil(() => panel(el), 'the panel did not open on the second try');
  });
});
