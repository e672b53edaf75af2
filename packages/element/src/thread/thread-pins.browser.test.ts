import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ColloquyThread } from './thread.js';
import { $, THREAD, adapterFor, countingStreams, deepActiveElement, mountThread, root, seed, settled, text } from '../testing/thread.fixture.js';

beforeEach(() => {
  localStorage.clear();
});

/** The ids of the top-level comments, in the order the thread shows them. */
function shownOrder(el: ColloquyThread): string[] {
  return [...root(el).querySelectorAll('[part~="list"] > li > article')].map((article) => article.id.replace('comment-', ''));
}

function pinMark(el: ColloquyThread, id: string): HTMLElement | null {
  return root(el).querySelector(`#comment-${CSS.escape(id)} [part~="pinned"]`);
}

describe('<colloquy-thread> with pinned comments', () => {
  it('shows the pins first and marked "Pinned" in every sort; axe clean', async () => {
    const { store, ids, ada } = seed({ topLevel: 5 });
    store.setPinned(ids.c3!, true);
    for (const sort of ['oldest', 'newest', 'top']) {
      const el = await mountThread(adapterFor(store, ada), { sort });
      expect(shownOrder(el)[0], sort).to.equal(ids.c3);
      expect(text(pinMark(el, ids.c3!)), sort).to.equal('Pinned');
      expect(shownOrder(el).filter((id) => id === ids.c3), `${sort}: shown once`).to.have.length(1);
      expect(root(el).querySelectorAll('[part~="pinned"]'), `${sort}: only the pinned comment is marked`).to.have.length(1);
      await expect(el).to.be.accessible();
      el.remove();
    }
  });

  it('paging with "Load more" never shows a pinned comment twice', async () => {
    const { store, ids, ada } = seed({ topLevel: 6 });
    store.setPinned(ids.c5!, true);
    const el = await mountThread(adapterFor(store, ada), { pageSize: 2 });
    expect(shownOrder(el)).to.deep.equal([ids.c5, ids.first, ids.second]);
    for (let guard = 0; guard < 5 && root(el).querySelector('[part~="load-more"]'); guard++) {
      $(el, '[part~="load-more"]').click();
      await settled(el);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(shownOrder(el)).to.deep.equal([ids.c5, ids.first, ids.second, ids.c3, ids.c4, ids.c6]);
  });

  it('says "Fijado" in Spanish, right to left too; the pinned comment’s actions come first to the keyboard', async () => {
    const { store, ids, ada } = seed();
    store.setPinned(ids.second!, true);
    const el = await mountThread(adapterFor(store, ada), { lang: 'es' });
    el.setAttribute('dir', 'rtl');
    await el.updateComplete;
    expect(text(pinMark(el, ids.second!))).to.equal('Fijado');
    await expect(el).to.be.accessible();
    // From the top composer's last control, Tab reaches the pinned comment's first action.
    const firstAction = root(el).querySelector<HTMLElement>(`#comment-${CSS.escape(ids.second!)} [part~="actions"] button`)!;
    const before = [...root(el).querySelectorAll<HTMLElement>('button, a[href], textarea, input')].filter((node) => node.compareDocumentPosition(firstAction) & Node.DOCUMENT_POSITION_FOLLOWING);
    before.at(-1)!.focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(firstAction);
  });

  it('an open thread shows a pin and an unpin as they happen, without a reload; axe clean', async () => {
    const { store, ids, ada } = seed();
    const streams = countingStreams(adapterFor(store, ada));
    const el = await mountThread(streams.adapter, { lang: 'en' });
    await waitUntil(() => streams.open() === 1, 'the live stream opens');
    expect(shownOrder(el)).to.deep.equal([ids.first, ids.second, ids.c3]);
    store.setPinned(ids.c3!, true);
    await waitUntil(() => shownOrder(el)[0] === ids.c3, 'the pinned comment moves to the top');
    expect(text(pinMark(el, ids.c3!))).to.equal('Pinned');
    expect(shownOrder(el)).to.deep.equal([ids.c3, ids.first, ids.second]);
    expect(root(el).querySelector('[part~="new-comments"]'), 'not announced as a new comment').to.equal(null);
    await expect(el).to.be.accessible();
    store.setPinned(ids.second!, true);
    await waitUntil(() => shownOrder(el)[0] === ids.second, 'the latest pin comes first');
    expect(shownOrder(el)).to.deep.equal([ids.second, ids.c3, ids.first]);
    store.setPinned(ids.second!, false);
    store.setPinned(ids.c3!, false);
    await waitUntil(() => root(el).querySelector('[part~="pinned"]') === null, 'both marks go');
    expect(shownOrder(el).sort()).to.deep.equal([ids.first, ids.second, ids.c3].sort(), 'each comment still shown once');
  });

  it('an unpinned comment goes back to its place on the next load', async () => {
    const { store, ids, ada } = seed();
    store.setPinned(ids.c3!, true);
    const el = await mountThread(adapterFor(store, ada));
    expect(shownOrder(el)[0]).to.equal(ids.c3);
    store.setPinned(ids.c3!, false);
    el.thread = `${THREAD}/`;
    await settled(el);
    expect(shownOrder(el)).to.deep.equal([ids.first, ids.second, ids.c3]);
    expect(root(el).querySelector('[part~="pinned"]')).to.equal(null);
  });
});
