// The account panel (decision 0034): loaded on first use, in English and Spanish, by keyboard,
// and with axe. Its REST endpoints are the reference server's, played here by msw handlers;
// test/node/sign-in-e2e.test.ts runs the same panel against the real server and SMTP.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { http, HttpResponse } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createRestAdapter } from '@colloquy/adapter-rest';
import { createHandlers } from '@colloquy/adapter-rest/msw';
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

interface ServerState {
  email: unknown;
  /** The threads followed and the follow-on-post switch (both as the server keeps them). */
  following?: { followOnPost: boolean; threads: string[] };
  /** While set, changes of following wait for it (the server has not answered yet). */
  gate?: Promise<void>;
  /** Changes of following fail with this answer. */
  failure?: { status: number; code: string };
}

/** The server's answers: an address in `state`, erasure in `erasure` mode; every request noted. */
function serve(state: ServerState, erasure: 'remove' | 'anonymise' = 'remove'): Seen[] {
  const seen: Seen[] = [];
  const note = async (request: Request) => {
    const body = request.method === 'GET' || request.method === 'DELETE' ? null : await request.clone().json();
    const url = new URL(request.url);
    seen.push({ method: request.method, path: url.pathname.replace('/api/v1', '') + url.search, auth: request.headers.get('authorization'), body });
    return body as Record<string, string>;
  };
  const following = (state.following ??= { followOnPost: true, threads: [] });
  const view = (only?: string | null) => HttpResponse.json({ followOnPost: following.followOnPost, threads: following.threads.filter((t) => !only || t === only).map((thread) => ({ thread, title: null, url: null, since: new Date().toISOString() })) });
  const change = async (request: Request, apply: (body: Record<string, string | boolean>) => void) => {
    const body = await note(request);
    await state.gate;
    if (state.failure) return HttpResponse.json({ error: { code: state.failure.code, message: 'The server is down for a moment.' } }, { status: state.failure.status });
    apply(body);
    return view();
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
    http.get(api('/identities/me/following'), async ({ request }) => (await note(request), view(new URL(request.url).searchParams.get('thread')))),
    http.put(api('/identities/me/following'), ({ request }) =>
      change(request, (body) => {
        following.threads = following.threads.filter((t) => t !== body.thread);
        if (body.following) following.threads.unshift(String(body.thread));
      }),
    ),
    http.patch(api('/identities/me/following'), ({ request }) => change(request, (body) => (following.followOnPost = body.followOnPost === true))),
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
  // The panel reads the reader's address and following first; its buttons are disabled (unfocusable) meanwhile.
  await waitUntil(() => !account.busy && account.shadowRoot!.querySelector('button[disabled]') === null && account.shadowRoot!.querySelector('#follow'), 'the panel never finished loading');
  return account;
}

async function mountIn(wrapper: ReturnType<typeof html>): Promise<ColloquyThread> {
  const outer = await fixture<HTMLElement>(wrapper);
  const el = outer.querySelector('colloquy-thread')!;
  await settled(el);
  return el;
}

/** The panel's following section as a reader sees it: the state line, the button, the switch and the hint. */
function followView(account: ColloquyAccount) {
  const section = $(account, 'section[aria-labelledby="follow-title"]');
  return {
    state: text(section.querySelector('#follow-state')),
    button: text(section.querySelector('#follow')),
    onPost: (section.querySelector('#follow-on-post') as HTMLInputElement | null)?.checked ?? null,
    hint: text(section.querySelector('.hint')),
  };
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
    expect(seen.find((r) => r.path === '/identities/me/email')).to.deep.include({ method: 'GET', auth: 'Bearer cq_bea' });
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

describe('<colloquy-account>: following this conversation', () => {
  it('follows and unfollows by keyboard; the state changes only once the server answers; focus stays on the button', async () => {
    let open = (): void => undefined;
    const state: ServerState = { email: null, gate: new Promise<void>((resolve) => (open = resolve)) };
    const seen = serve(state);
    const el = await mount();
    const account = await openPanel(el);
    expect(seen.find((r) => r.path.startsWith('/identities/me/following'))).to.deep.include({
      method: 'GET',
      path: `/identities/me/following?thread=${encodeURIComponent(THREAD)}`,
      auth: 'Bearer cq_bea',
    });
    expect(followView(account)).to.deep.equal({
      state: 'Not following this conversation.',
      button: 'Follow',
      onPost: true,
      hint: 'Messages about new comments need a confirmed e-mail address.',
    });
    const button = $(account, '#follow');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => seen.some((r) => r.method === 'PUT'), 'no request');
    await account.updateComplete;
    expect(followView(account).state, 'nothing flips before the server answers').to.equal('Not following this conversation.');
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    open();
    await waitUntil(() => followView(account).state === 'Following this conversation.', 'never followed');
    expect(seen.at(-1)).to.deep.include({ method: 'PUT', path: '/identities/me/following', body: { thread: THREAD, following: true } });
    expect(followView(account).button).to.equal('Unfollow');
    expect(text($(account, '[role="status"]'))).to.equal('You follow this conversation now: new comments show in your activity.');
    expect(deepActiveElement(), 'focus stays on the button').to.equal(button);
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => followView(account).state === 'Not following this conversation.', 'never unfollowed');
    expect(seen.at(-1)).to.deep.include({ method: 'PUT', body: { thread: THREAD, following: false } });
    expect(followView(account).button).to.equal('Follow');
    expect(text($(account, '[role="status"]'))).to.equal('You no longer follow this conversation.');
    expect(state.following!.threads).to.deep.equal([]);
  });

  it('turns off "Follow conversations I comment in" with Space, and the panel shows it off when opened again', async () => {
    const state: ServerState = { email: { address: 'bea@example.org', confirmed: true, notify: 'immediate', language: 'en', mutedThreads: [] } };
    const seen = serve(state);
    const el = await mount();
    let account = await openPanel(el);
    expect(followView(account).hint, 'a confirmed address needs no hint').to.equal('');
    $(account, '#follow-on-post').focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => text($(account, '[role="status"]')) === 'Saved.', 'never saved');
    expect(seen.at(-1)).to.deep.include({ method: 'PATCH', path: '/identities/me/following', body: { followOnPost: false } });
    expect(followView(account).onPost).to.equal(false);
    expect(deepActiveElement()).to.equal($(account, '#follow-on-post'));

    // Closed and opened again, the panel asks the server and shows what it kept.
    $(el, '[part="account"]').click();
    await waitUntil(() => !panel(el), 'the panel did not close');
    const asked = seen.length;
    account = await openPanel(el);
    expect(seen.slice(asked).some((r) => r.method === 'GET' && r.path.startsWith('/identities/me/following'))).to.equal(true);
    expect(followView(account).onPost).to.equal(false);
  });

  it('keeps the old state and shows the server’s error when a change fails', async () => {
    const state: ServerState = { email: null, failure: { status: 503, code: 'unavailable' } };
    serve(state);
    const el = await mount();
    const errors: string[] = [];
    el.addEventListener('colloquy-error', (event) => errors.push(event.error.code));
    const account = await openPanel(el);
    $(account, '#follow').click();
    await waitUntil(() => account.shadowRoot!.querySelector('[role="alert"]'), 'no error shown');
    expect(text($(account, '[role="alert"]'))).to.equal('Comments are temporarily unavailable.');
    expect(followView(account)).to.deep.include({ state: 'Not following this conversation.', button: 'Follow' });
    const box = $(account, '#follow-on-post') as HTMLInputElement;
    box.click();
    expect(box.checked, 'the box waits for the server').to.equal(true);
    await waitUntil(() => !account.busy);
    expect(box.checked).to.equal(true);
    expect(text($(account, '[role="alert"]'))).to.equal('Comments are temporarily unavailable.');
    expect(errors).to.deep.equal(['unavailable', 'unavailable']);
  });

  for (const [lang, words, unchanged] of [
    ['en', 'You follow as many conversations as one reader may. Unfollow one to follow this one.', 'Not following this conversation.'],
    ['es', 'Ya sigues todas las conversaciones que se permiten. Deja de seguir alguna para seguir esta.', 'No sigues esta conversación.'],
  ] as const) {
    it(`says in ${lang} what to do when the reader follows as many conversations as the server allows`, async () => {
      serve({ email: null, failure: { status: 409, code: 'follow_limit' } });
      const el = await mount(lang);
      const errors: string[] = [];
      el.addEventListener('colloquy-error', (event) => errors.push(event.error.code));
      const account = await openPanel(el);
      $(account, '#follow').click();
      await waitUntil(() => account.shadowRoot!.querySelector('[role="alert"]'), 'no error shown');
      expect(text($(account, '[role="alert"]'))).to.equal(words);
      expect(followView(account).state).to.equal(unchanged);
      expect(errors).to.deep.equal(['follow_limit']);
    });
  }

  it('speaks Spanish and lays out right to left', async () => {
    serve({ email: null });
    const { store, bea } = seed();
    const el = await mountIn(html`<div dir="rtl"><colloquy-thread thread=${THREAD} lang="es" endpoint=${ENDPOINT} .adapter=${adapterFor(store, bea)}></colloquy-thread></div>`);
    const account = await openPanel(el);
    expect(text($(account, '#follow-title'))).to.equal('Esta conversación');
    expect(followView(account)).to.deep.equal({
      state: 'No sigues esta conversación.',
      button: 'Seguir',
      onPost: true,
      hint: 'Los avisos de comentarios nuevos necesitan una dirección de correo confirmada.',
    });
    expect(text($(account, 'label.check'))).to.equal('Seguir las conversaciones en las que comento');
    expect(getComputedStyle($(account, 'section[aria-labelledby="follow-title"]')).direction).to.equal('rtl');
    const row = $(account, '#follow').closest('.row')!.getBoundingClientRect();
    const button = $(account, '#follow').getBoundingClientRect();
    expect(row.right - button.right, 'the button starts at the right edge').to.be.lessThan(1);
    $(account, '#follow').click();
    await waitUntil(() => followView(account).state === 'Sigues esta conversación.');
    expect(followView(account).button).to.equal('Dejar de seguir');
    expect(text($(account, '[role="status"]'))).to.equal('Ahora sigues esta conversación: los comentarios nuevos aparecen en tu actividad.');
    await expect(el).to.be.accessible();
  });

  it('a reader with no identity here follows: a nameless identity is made first, as for a report', async () => {
    localStorage.clear();
    const { store } = seed();
    worker.use(...createHandlers({ endpoint: ENDPOINT, store }));
    const state: ServerState = { email: null };
    const seen = serve(state);
    const adapter = createRestAdapter({ endpoint: ENDPOINT, tokenStorage: localStorage, EventSource: undefined });
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" endpoint=${ENDPOINT} .adapter=${adapter}></colloquy-thread>`);
    await settled(el);
    expect(text($(el, '[part="account"]'))).to.equal('Sign in');
    const account = await openPanel(el);
    expect(followView(account)).to.deep.include({ state: 'Not following this conversation.', button: 'Follow', onPost: null });
    $(account, '#follow').click();
    await waitUntil(() => followView(account).state === 'Following this conversation.', 'never followed');
    const token = localStorage.getItem('colloquy:token');
    expect(token, 'the new identity’s token is kept').to.be.a('string');
    expect(seen.find((r) => r.method === 'PUT')).to.deep.include({ auth: `Bearer ${token}`, body: { thread: THREAD, following: true } });
    expect(state.following!.threads).to.deep.equal([THREAD]);
    await waitUntil(() => followView(account).onPost === true, 'the switch shows once there is an identity');
    expect(followView(account).state, 'the read for the new identity does not undo the follow').to.equal('Following this conversation.');
  });
});
