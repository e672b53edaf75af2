import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ColloquyThread } from './thread.js';
import { parts } from './comment-actions.js';
import { ColloquyError } from '@colloquy/core';
import { $, THREAD, adapterFor, comment, countingStreams, deepActiveElement, mountThread, root, seed, settled, text } from '../testing/thread.fixture.js';

const realParts = { ...parts };

beforeEach(() => {
  localStorage.clear();
});
afterEach(() => {
  Object.assign(parts, realParts);
});

function toggle(el: ColloquyThread, id: string): HTMLButtonElement {
  // The comment's own toolbar, not one of its replies'.
  return comment(el, id).querySelector<HTMLButtonElement>(':scope > .actions > [data-helpful-for]')!;
}

describe('<colloquy-thread> helpful marks', () => {
  it('a Helpful toggle with its count and pressed state: marked, counted, stored, taken back; axe clean', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const button = toggle(el, ids.second!);
    expect(text(button)).to.equal('Helpful');
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    button.click();
    await waitUntil(() => toggle(el, ids.second!).getAttribute('aria-pressed') === 'true', 'pressed at once');
    await waitUntil(() => store.list(ada.id, { thread: THREAD }).comments[1]?.helpful?.mine === true, 'stored');
    expect(text(toggle(el, ids.second!))).to.equal('Helpful 1');
    await expect(el).to.be.accessible();
    toggle(el, ids.second!).click();
    await waitUntil(() => toggle(el, ids.second!).getAttribute('aria-pressed') === 'false', 'taken back');
    expect(text(toggle(el, ids.second!))).to.equal('Helpful');
    await waitUntil(() => store.list(ada.id, { thread: THREAD }).comments[1]?.helpful?.count === 0, 'and stored so');
  });

  it('is reached with the arrow keys inside the toolbar, toggles with Enter and Space, and keeps focus', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const second = comment(el, ids.second!);
    second.querySelector<HTMLElement>('.permalink')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(second.querySelector('[data-reply-for]'));
    expect(toggle(el, ids.second!).tabIndex, 'not a Tab stop of its own').to.equal(-1);
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()?.hasAttribute('data-quote-for'), 'Quote comes first').to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()).to.equal(toggle(el, ids.second!));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => toggle(el, ids.second!).getAttribute('aria-pressed') === 'true', 'Enter marks');
    expect(deepActiveElement(), 'focus stays on the toggle').to.equal(toggle(el, ids.second!));
    await sendKeys({ press: 'Space' });
    await waitUntil(() => toggle(el, ids.second!).getAttribute('aria-pressed') === 'false', 'Space takes it back');
    expect(deepActiveElement()).to.equal(toggle(el, ids.second!));
  });

  it('in Spanish, right to left: “Útil”, the arrows mirrored, the “Mejores” sort; axe clean', async () => {
    const { store, ada, mod, ids } = seed();
    store.mark(mod.id, ids.c3!, true);
    const wrapper = await fixture<HTMLElement>(html`<div dir="rtl">
      <colloquy-thread thread=${THREAD} lang="es" .adapter=${adapterFor(store, ada)}></colloquy-thread>
    </div>`);
    const el = wrapper.querySelector('colloquy-thread') as ColloquyThread;
    await settled(el);
    const second = comment(el, ids.second!);
    expect(text(toggle(el, ids.second!))).to.equal('Útil');
    second.querySelector<HTMLElement>('[data-reply-for]')!.focus();
    await sendKeys({ press: 'ArrowLeft' });
    expect(deepActiveElement()?.hasAttribute('data-quote-for'), 'ArrowLeft moves forward under RTL').to.equal(true);
    await sendKeys({ press: 'ArrowLeft' });
    expect(deepActiveElement()).to.equal(toggle(el, ids.second!));
    const sort = $(el, '[part="sort"]') as HTMLSelectElement;
    expect([...sort.options].map((o) => o.textContent?.trim())).to.include('Mejores');
    sort.value = 'best';
    sort.dispatchEvent(new Event('change'));
    await waitUntil(() => el.threadState?.getSnapshot().sort === 'best' && el.threadState.getSnapshot().status === 'ready', 'sorted by best');
    await el.updateComplete;
    const first = root(el).querySelector('article.comment');
    expect(first?.id, 'the marked comment first').to.equal(`comment-${ids.c3}`);
    expect(text(toggle(el, ids.c3!))).to.equal('Útil 1');
    await expect(el).to.be.accessible();
  });

  it('the author sees the count on their own comment but no toggle; others’ marks arrive live', async () => {
    const { store, ada, bea, ids } = seed();
    const streams = countingStreams(adapterFor(store, bea));
    const el = await mountThread(streams.adapter);
    await waitUntil(() => streams.open() === 1, 'the live stream opens');
    const own = comment(el, ids.first!);
    expect(own.querySelector(':scope > .actions > [data-helpful-for]') === null, 'no toggle on one’s own comment').to.equal(true);
    store.mark(ada.id, ids.first!, true);
    await waitUntil(() => text(comment(el, ids.first!).querySelector('.actions')).includes('Helpful 1'), 'the count arrives live');
    store.mark(ada.id, ids.second!, true);
    await waitUntil(() => text(toggle(el, ids.second!)) === 'Helpful 1', 'on others’ comments too');
    expect(toggle(el, ids.second!).getAttribute('aria-pressed'), 'not the reader’s mark').to.equal('false');
  });

  it('says so under the comment when the toggle’s part cannot be fetched, and marks when pressed again', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    parts.helpful = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    toggle(el, ids.second!).click();
    await waitUntil(() => comment(el, ids.second!).querySelector('[role="alert"]'), 'the message shows');
    expect(text(comment(el, ids.second!).querySelector('[role="alert"]'))).to.equal('This could not be loaded. Check your connection and try again.');
    expect(toggle(el, ids.second!).getAttribute('aria-pressed')).to.equal('false');
    parts.helpful = realParts.helpful;
    toggle(el, ids.second!).click();
    await waitUntil(() => toggle(el, ids.second!).getAttribute('aria-pressed') === 'true', 'marked');
    expect(comment(el, ids.second!).querySelector('[role="alert"]')).to.equal(null);
  });

  it('a refused mark returns the toggle to how it was and says why', async () => {
    const { store, ada, ids } = seed();
    const adapter = adapterFor(store, ada);
    const refusing = Object.assign(Object.create(adapter) as typeof adapter, {
      markHelpful: () => Promise.reject(new ColloquyError('rate_limited', 'Too many requests.')),
    });
    const el = await mountThread(refusing);
    toggle(el, ids.second!).click();
    await waitUntil(() => comment(el, ids.second!).querySelector('[role="alert"]'), 'the reason shows');
    expect(text(comment(el, ids.second!).querySelector('[role="alert"]'))).to.not.equal('');
    expect(toggle(el, ids.second!).getAttribute('aria-pressed')).to.equal('false');
    expect(text(toggle(el, ids.second!))).to.equal('Helpful');
    await expect(el).to.be.accessible();
  });
});
