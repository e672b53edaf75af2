// The thread over the real REST adapter, against the shipped msw scenarios.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { createHandlers } from '@colloquy/adapter-rest/msw';
import { createRestAdapter } from '@colloquy/adapter-rest';
import type { ColloquyThread } from './thread.js';
import { useMswWorker } from '../testing/msw.fixture.js';
import { $, THREAD, comment, once, root, seed, settled, submit, text, topComposer, typeInto } from '../testing/thread.fixture.js';

const ENDPOINT = 'https://comments.example.test';
const msw = useMswWorker();

async function mount(): Promise<ColloquyThread> {
  const adapter = createRestAdapter({ endpoint: ENDPOINT, tokenStorage: localStorage, EventSource: undefined });
  const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" .adapter=${adapter}></colloquy-thread>`);
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
