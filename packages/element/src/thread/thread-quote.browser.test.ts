import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ColloquyThread } from './thread.js';
import { adapterFor, comment, deepActiveElement, mountThread, root, seed, text } from '../testing/thread.fixture.js';

beforeEach(() => {
  localStorage.clear();
  getSelection()?.removeAllRanges();
});

function replyBox(el: ColloquyThread): HTMLTextAreaElement | null {
  return root(el).querySelector('#reply-composer')?.shadowRoot?.querySelector('textarea') ?? null;
}

describe('<colloquy-thread> quote-reply', () => {
  it('quotes the words selected in a comment into the reply composer, the caret after them', async () => {
    const { store, ids, ada } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const body = comment(el, ids.second!).querySelector('.body p')!;
    const words = body.firstChild!;
    const range = document.createRange();
    range.setStart(words, 0);
    range.setEnd(words, 'Moderator'.length);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-quote-for]')!.click();
    await waitUntil(() => replyBox(el)?.value, 'the reply composer did not get the quote');
    expect(replyBox(el)!.value).to.equal('> Moderator\n\n');
    expect(deepActiveElement()).to.equal(replyBox(el));
    expect(replyBox(el)!.selectionStart).to.equal('> Moderator\n\n'.length);
    await expect(el).to.be.accessible();
  });

  it('from the keyboard, with nothing selected, quotes the whole comment line by line', async () => {
    const { store, ada } = seed();
    store.create(ada.id, { thread: '/2026/11/article', body: 'Line one\nLine two', idempotencyKey: 'quote-two-lines' });
    const el = await mountThread(adapterFor(store, ada));
    const target = [...root(el).querySelectorAll('article')].find((article) => text(article).includes('Line one'))!;
    target.querySelector<HTMLButtonElement>('[data-reply-for]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()?.hasAttribute('data-quote-for'), 'Quote is next in the toolbar').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => replyBox(el)?.value, 'no quote');
    expect(replyBox(el)!.value).to.equal('> Line one\n> Line two\n\n');
  });

  it('says "Citar" in Spanish, right to left too; axe clean', async () => {
    const { store, ids, ada } = seed();
    const el = await mountThread(adapterFor(store, ada), { lang: 'es' });
    el.setAttribute('dir', 'rtl');
    await el.updateComplete;
    expect(text(comment(el, ids.first!).querySelector('[data-quote-for]'))).to.equal('Citar');
    await expect(el).to.be.accessible();
  });
});
