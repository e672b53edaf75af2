// The built drop-in, as a site owner uses it: dist/embed.js loaded as a module, a bare
// <colloquy-thread>, the API answered by msw at the script's own origin.
// Needs `pnpm --filter @colloquy/element build` first (the test suite builds before it tests).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createHandlers } from '@colloquy/adapter-rest/msw';
import { createMemoryStore } from '@colloquy/adapter-memory';

let worker: SetupWorker;
const canonical = document.createElement('link');

before(async () => {
  worker = setupWorker();
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  canonical.rel = 'canonical';
  canonical.href = `${location.origin}/articles/built?utm_source=feed`;
  document.head.append(canonical);
  // @ts-expect-error The built bundle has no type declarations; it is loaded for its side effect.
  await import('/packages/element/dist/embed.js');
});
after(() => {
  canonical.remove();
  return worker.stop();
});

function authorizationsSeen(): { headers: string[]; stop: () => void } {
  const headers: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    const value = request.headers.get('Authorization');
    if (value) headers.push(value);
  };
  worker.events.on('request:start', listener);
  return { headers, stop: () => worker.events.removeListener('request:start', listener) };
}

function shadowText(el: Element | null | undefined): string {
  return (el?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('dist/embed.js', () => {
  it('defines the tags and renders a thread with no attributes from the canonical path and its own origin', async () => {
    const store = createMemoryStore();
    const bea = store.createIdentity({ name: 'Bea' });
    store.create(bea.id, { thread: '/articles/built', body: 'Built *bundle* body\n\nsecond <b>para</b>', idempotencyKey: 'k1' });
    store.create(bea.id, { thread: '/elsewhere', body: 'Other thread', idempotencyKey: 'k2' });
    worker.use(...createHandlers({ endpoint: location.origin, store }));
    const el = await fixture<HTMLElement>(html`<div lang="en"><colloquy-thread></colloquy-thread><colloquy-count thread="/elsewhere"></colloquy-count></div>`);
    const thread = el.querySelector('colloquy-thread')!;
    expect(customElements.get('colloquy-thread')).to.be.a('function');
    await waitUntil(() => thread.shadowRoot?.querySelector('article'), 'the built widget rendered no comment', { timeout: 10_000 });
    const body = thread.shadowRoot!.querySelector('.body')!;
    // The handlers send html as the server does: the markdown shows, markup a reader typed stays text.
    expect(body.querySelectorAll('p')).to.have.length(2);
    expect(body.querySelector('em')?.textContent).to.equal('bundle');
    expect(body.querySelector('b')).to.equal(null);
    expect(body.textContent).to.contain('<b>para</b>');
    await waitUntil(() => shadowText(el.querySelector('colloquy-count')) === '1 comment');
    await expect(thread).to.be.accessible();
  });

  it('sends the host site’s auth-token as the bearer token', async () => {
    worker.use(...createHandlers({ endpoint: location.origin, store: createMemoryStore() }));
    const seen = authorizationsSeen();
    const el = await fixture<HTMLElement>(html`<colloquy-thread thread="/jwt" lang="en" auth-token="header.payload.signature"></colloquy-thread>`);
    await waitUntil(() => seen.headers.length > 0, 'no authenticated request', { timeout: 10_000 });
    seen.stop();
    expect(seen.headers[0]).to.equal('Bearer header.payload.signature');
    expect(el.localName).to.equal('colloquy-thread');
  });

  it('reports a failure to the host page with its code and the reader’s wording as its message', async () => {
    // embed.js leaves the core's and the adapter's developer messages out (decision 0008).
    worker.use(http.all(`${location.origin}/api/v1/*`, () => HttpResponse.error()));
    const el = await fixture<HTMLElement>(html`<div lang="en"></div>`);
    const failed = new Promise<Event>((resolve) => el.addEventListener('colloquy-error', resolve, { once: true }));
    el.append(Object.assign(document.createElement('colloquy-thread'), { thread: '/offline' }));
    const event = (await failed) as Event & { error: { code: string; message: string }; action: string };
    expect(event.action).to.equal('load');
    expect(event.error.code).to.equal('network_error');
    expect(event.error.message).to.equal('You appear to be offline. Check your connection and try again.');
  });
});
