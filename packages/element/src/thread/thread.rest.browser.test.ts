// The thread over the real REST adapter, against the shipped msw scenarios; and a sign-in or
// sign-out in another tab of the same site reaching a thread already open here, without a
// reload: the other document writes the REST adapter's stored token, the browser sends this
// window a `storage` event, and the thread loads again as whoever the reader now is.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { createHandlers } from '@colloquy/adapter-rest/msw';
import { createRestAdapter } from '@colloquy/adapter-rest';
import type { Identity } from '@colloquy/core';
import type { ColloquyThread } from './thread.js';
import { useMswWorker } from '../testing/msw.fixture.js';
import type { ColloquyAccount } from '../account/account.js';
import { $, THREAD, comment, once, root, seed, settled, submit, text, topComposer, typeInto } from '../testing/thread.fixture.js';

const ENDPOINT = 'https://comments.example.test';
const msw = useMswWorker();

async function mount(): Promise<ColloquyThread> {
  const adapter = createRestAdapter({ endpoint: ENDPOINT, tokenStorage: localStorage, EventSource: undefined });
  // The endpoint is where the account panel sends its own requests.
  const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" endpoint=${ENDPOINT} .adapter=${adapter}></colloquy-thread>`);
  await settled(el);
  return el;
}

describe('<colloquy-thread> over HTTP (msw scenarios)', () => {
  it('reads and posts through the protocol, talking to no origin but its endpoint', async () => {
    const { store, ids } = seed();
    msw.worker.use(...createHandlers({ endpoint: ENDPOINT, store }));
    // Every request the page makes goes through the service worker; msw sees them all.
    const seen: string[] = [];
    // Its own on-demand parts (posting, decision 0032) come from where its code is: here the test server.
    const ownCode = (url: URL) => url.origin === location.origin && /\.[jt]s$/.test(url.pathname);
    const listener = ({ request }: { request: Request }) => {
      if (!ownCode(new URL(request.url))) seen.push(request.url);
    };
    msw.worker.events.on('request:start', listener);
    const el = await mount();
    expect(text(comment(el, ids.first!).querySelector('.author'))).to.equal('Bea');
    const composer = topComposer(el);
    await typeInto(composer, 'Over the wire');
    await typeInto(composer, 'Wes', 'input[name="name"]');
    const posted = once(el, 'colloquy-posted');
    await submit(composer);
    const { comment: created } = await posted;
    expect(created.author.name).to.equal('Wes');
    expect(store.raw.getComment(created.id)?.body).to.equal('Over the wire');
    expect(localStorage.getItem('colloquy:token'), 'the pseudonymous token is kept').to.be.a('string');
    msw.worker.events.removeListener('request:start', listener);
    expect(seen.length).to.be.greaterThan(2);
    expect([...new Set(seen.map((url) => new URL(url).origin))]).to.deep.equal([ENDPOINT]);
  });

  it('shows the error scenario as an alert with Try again, and passes axe', async () => {
    msw.worker.use(...createHandlers({ endpoint: ENDPOINT, scenario: 'error' }));
    const el = await mount();
    const status = $(el, '[part="status"]');
    expect(status.getAttribute('role')).to.equal('alert');
    expect(text(status)).to.contain('Comments are temporarily unavailable.');
    await expect(el).to.be.accessible();
  });

  it('tells the reader to slow down under the rate-limited scenario, keeping the text', async () => {
    const { store } = seed();
    msw.worker.use(...createHandlers({ endpoint: ENDPOINT, store }));
    const el = await mount();
    msw.worker.resetHandlers(...createHandlers({ endpoint: ENDPOINT, scenario: 'rate-limited', retryAfterSeconds: 1 }));
    const composer = topComposer(el);
    await typeInto(composer, 'Patience');
    await typeInto(composer, 'Ola', 'input[name="name"]');
    await submit(composer);
    await waitUntil(() => text(root(composer)).includes('too often') || text(root(el)).includes('too often'), 'no rate-limit message', {
      timeout: 15_000,
    });
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`)).to.equal('Patience');
  });

  it('shows a refused screen name under the name field, in the reader’s language, keeping the text', async () => {
    const { store } = seed();
    msw.worker.use(
      http.post(`${ENDPOINT}/api/v1/identities`, () =>
        HttpResponse.json({ error: { code: 'name_not_allowed', message: 'That screen name looks like the name of a moderator.' } }, { status: 400 }),
      ),
      ...createHandlers({ endpoint: ENDPOINT, store }),
    );
    const el = await mount();
    el.lang = 'es';
    // The Spanish words are fetched on first use; the thread speaks Spanish once they are here.
    await el.updateComplete;
    const composer = topComposer(el);
    await typeInto(composer, 'Hola');
    await typeInto(composer, 'Moderadora Ana', 'input[name="name"]');
    await submit(composer);
    const error = $(composer, '[part="error"]');
    await waitUntil(() => !error.hidden, 'no error shown');
    expect(text(error)).to.equal('Ese nombre está reservado o se parece al de alguien del equipo. Elige otro.');
    const input = $(composer, 'input[name="name"]');
    expect(input.nextElementSibling, 'the error sits under the name field').to.equal(error);
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain(error.id);
    expect(($(composer, 'textarea') as HTMLTextAreaElement).value).to.equal('Hola');
    await expect(el).to.be.accessible();
  });

  it('shows a loading state under the slow scenario', async () => {
    const { store } = seed();
    msw.worker.use(...createHandlers({ endpoint: ENDPOINT, store, scenario: 'slow', delayMs: 400 }));
    const adapter = createRestAdapter({ endpoint: ENDPOINT, EventSource: undefined });
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="es" .adapter=${adapter}></colloquy-thread>`);
    expect(text($(el, '[part="status"]'))).to.equal('Cargando comentarios…');
    await expect(el).to.be.accessible();
    await settled(el);
    expect(root(el).querySelectorAll('article').length).to.equal(5);
  });
});

/**
 * The seeded thread on a server (the shipped msw handlers) where Ada and Bea have tokens, and a
 * comment of Bea's; requests for the thread's first page counted.
 */
async function serve() {
  const { store } = seed();
  msw.worker.use(
    ...createHandlers({ endpoint: ENDPOINT, store }),
    http.get(`${ENDPOINT}/api/v1/identities/me/email`, () => HttpResponse.json({ email: null })),
    http.get(`${ENDPOINT}/api/v1/identities/me/following`, () => HttpResponse.json({ followOnPost: true, threads: [] })),
  );
  const reader = async (name: string) =>
    (await (await fetch(`${ENDPOINT}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })).json()) as {
      token: string;
      identity: Identity;
    };
  const ada = await reader('Ada');
  const bea = await reader('Bea');
  const beas = store.create(bea.identity.id, { thread: THREAD, body: 'Bea’s own comment', parentId: null, idempotencyKey: 'bea-own' }).comment.id;
  let loads = 0;
  const count = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/comments') && !url.searchParams.has('cursor')) loads++;
  };
  msw.worker.events.on('request:start', count);
  return { ada: ada.token, bea: bea.token, beas, loads: () => loads, stop: () => msw.worker.events.removeListener('request:start', count) };
}

/** Another document of this origin (a second tab would be the same to the browser): its localStorage is ours. */
async function otherTab(): Promise<Storage> {
  const frame = await fixture<HTMLIFrameElement>(html`<iframe title="another tab"></iframe>`);
  return frame.contentWindow!.localStorage;
}

const postingAs = (el: ColloquyThread) => text($(el, '[part="account"]'));

describe('<colloquy-thread> and a sign-in in another tab', () => {
  it('takes on the identity another tab signed in as, and a sign-out there, without a reload', async () => {
    const { ada, bea, beas, loads, stop } = await serve();
    localStorage.setItem('colloquy:token', ada);
    const el = await mount();
    const tab = await otherTab();
    expect(postingAs(el)).to.equal('Posting as Ada');
    expect(comment(el, beas).querySelector('[data-edit-for]'), 'Bea’s comment is not Ada’s to edit').to.equal(null);

    // A sign-in link opened in the other tab stores Bea's token there.
    tab.setItem('colloquy:token', bea);
    await waitUntil(() => postingAs(el) === 'Posting as Bea', 'the open thread kept the old identity');
    await waitUntil(() => comment(el, beas).querySelector('[data-edit-for]'), 'her own comment did not become hers to edit');

    // Something else stored by the other tab (a draft) is no change of identity.
    const before = loads();
    tab.setItem('colloquy:draft:elsewhere', 'typing…');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(loads(), 'no reload for another key').to.equal(before);

    tab.removeItem('colloquy:token');
    await waitUntil(() => postingAs(el) === 'Sign in', 'the sign-out in the other tab did not reach this one');
    expect(comment(el, beas).querySelector('[data-edit-for]')).to.equal(null);
    stop();
  });

  it('an open account panel shows the reader the other tab signed in as', async () => {
    const { bea, stop } = await serve();
    const el = await mount();
    const tab = await otherTab();
    expect(postingAs(el)).to.equal('Sign in');
    $(el, '[part="account"]').click();
    await waitUntil(() => el.shadowRoot!.querySelector('colloquy-account'), 'the panel never opened');
    const account = el.shadowRoot!.querySelector('colloquy-account') as ColloquyAccount;
    await waitUntil(() => text(account.shadowRoot).includes('You have not posted from this browser.'));
    tab.setItem('colloquy:token', bea);
    await waitUntil(() => text(account.shadowRoot).includes('You post as Bea.'), 'the panel kept the old identity');
    expect(postingAs(el)).to.equal('Posting as Bea');
    await expect(el).to.be.accessible();
    stop();
  });
});
