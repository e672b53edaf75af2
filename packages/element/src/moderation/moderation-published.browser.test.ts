import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ColloquyModeration } from './moderation.js';
import { $, deepActiveElement, text } from '../testing/thread.fixture.js';
import { announcement, fakeSource, item, items, makeComment, makeItem, mountModeration, sampleQueues } from './moderation.fixture.js';
import '../define-moderation.js';

beforeEach(() => localStorage.clear());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** The awaiting queues of `sampleQueues`, and four published comments nobody reported: a staff answer, a reply, two readers'. */
function withPublished() {
  const question = makeComment({ id: 'v1', name: 'Rosa', body: 'How do I turn on the dark theme?', createdAt: minutesAgo(50) });
  return {
    ...sampleQueues(),
    visible: [
      makeItem(question),
      makeItem(makeComment({ id: 'v2', name: 'Sam', role: 'staff', body: 'Staff answer: set theme="dark" on the element. Guía completa en la documentación.', createdAt: minutesAgo(40) })),
      makeItem(makeComment({ id: 'v3', name: 'Rosa', parentId: 'v1', body: 'Thanks, that works.', createdAt: minutesAgo(30) }), { parent: question }),
      makeItem(makeComment({ id: 'v4', name: 'Tom', body: 'Nice article.', createdAt: minutesAgo(20) })),
    ],
  };
}

const actionsOf = (el: ColloquyModeration, id: string) => [...item(el, id).querySelectorAll('[data-action]')].map((b) => b.getAttribute('data-action'));
const pinOf = (el: ColloquyModeration, id: string) => item(el, id).querySelector<HTMLButtonElement>('[data-pin-toggle]');

async function search(el: ColloquyModeration, q: string): Promise<void> {
  const field = $(el, '#search-q') as HTMLInputElement;
  field.value = q;
  (field.form as HTMLFormElement).requestSubmit();
}

describe('<colloquy-moderation> the Published tab', () => {
  it('lists published comments newest first once opened, finds one by search, pins it and unpins it; axe clean', async () => {
    const source = fakeSource(withPublished(), { pageSize: 10 });
    const el = await mountModeration(source);
    expect(text($(el, '#tab-visible'))).to.equal('Published', 'no count before it is opened');
    expect(source.queueCalls.some((call) => call.status === 'visible'), 'not loaded with the queues awaiting a decision').to.equal(false);

    ($(el, '#tab-visible') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'v4,v3,v2,v1', 'the published comments, newest first');
    expect($(el, '#tab-visible').getAttribute('aria-selected')).to.equal('true');
    expect(text($(el, '#tab-visible'))).to.equal('Published 4, 4 items');
    expect(text(item(el, 'v2').querySelector('.badge.status'))).to.equal('visible to readers');
    // A published comment nobody reported: nothing to approve; hide, spam or ban, and pin when top-level.
    expect(actionsOf(el, 'v2')).to.deep.equal(['hide', 'spam', 'ban-author']);
    expect(item(el, 'v2').querySelector('[part="reports"]')).to.equal(null);
    expect(text(pinOf(el, 'v2'))).to.equal('Pin in thread');
    expect(pinOf(el, 'v3'), 'a reply cannot be pinned').to.equal(null);
    await expect(el).to.be.accessible();

    await search(el, 'staff answer');
    await waitUntil(() => items(el).join() === 'v2', 'the search did not find the staff answer');
    expect(source.queueCalls.at(-1)).to.deep.include({ status: 'visible', search: { q: 'staff answer' } });
    pinOf(el, 'v2')!.click();
    await waitUntil(() => text(pinOf(el, 'v2')) === 'Unpin', 'the button did not turn into Unpin');
    expect(source.pinCalls).to.deep.equal([{ id: 'v2', pinned: true }]);
    expect(text(item(el, 'v2').querySelector('[data-pinned]'))).to.equal('(pinned: shown first)');
    await waitUntil(() => announcement(el).includes('Comment pinned: readers of'), 'no announcement');
    await expect(el).to.be.accessible();

    // Hiding a published comment takes it out of the tab.
    $(el, '[data-clear-search]').click();
    await waitUntil(() => items(el).length === 4, 'the whole queue is back');
    expect(source.queueCalls.at(-1)).to.deep.equal({ status: 'visible', cursor: null });
    (item(el, 'v4').querySelector('[data-action="hide"]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'v3,v2,v1', 'the hidden comment did not leave');
    expect(text($(el, '#tab-visible'))).to.equal('Published 3, 3 items');
  });

  it('opens from the keyboard, searches and pins in Spanish, right to left; axe clean', async () => {
    const source = fakeSource(withPublished());
    const el = await mountModeration(source, { lang: 'es' });
    el.setAttribute('dir', 'rtl');
    await el.updateComplete;
    ($(el, '#tab-reported') as HTMLButtonElement).focus();
    await sendKeys({ press: 'End' });
    await waitUntil(() => deepActiveElement()?.id === 'tab-visible' && items(el).length === 4, 'End did not open Publicados');
    expect(text($(el, '#tab-visible'))).to.equal('Publicados 4, 4 elementos');
    // Right to left, ArrowLeft moves on: from the last tab round to the first.
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => deepActiveElement()?.id === 'tab-reported', 'ArrowLeft did not wrap to the first tab');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => deepActiveElement()?.id === 'tab-visible' && items(el).length === 4, 'ArrowRight did not come back');

    ($(el, '#search-q') as HTMLInputElement).focus();
    await sendKeys({ type: 'guía completa' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => items(el).join() === 'v2', 'the search did not find the staff answer');
    const button = pinOf(el, 'v2')!;
    expect(text(button)).to.equal('Fijar en la conversación');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(pinOf(el, 'v2')) === 'Desfijar', 'Enter did not pin');
    expect(text(item(el, 'v2').querySelector('[data-pinned]'))).to.equal('(fijado: se muestra primero)');
    await waitUntil(() => announcement(el).includes('Comentario fijado'), 'no announcement in Spanish');
    expect(getComputedStyle($(el, '.tabs')).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });

  it('opened with queue="visible", loads the Published tab at once', async () => {
    const source = fakeSource(withPublished());
    const el = await fixture<ColloquyModeration>(html`<colloquy-moderation lang="en" queue="visible" refresh-seconds="0" .source=${source}></colloquy-moderation>`);
    await waitUntil(() => items(el).length === 4, 'the Published tab never loaded');
    expect($(el, '#tab-visible').getAttribute('aria-selected')).to.equal('true');
    expect(text($(el, '#tab-reported'))).to.equal('Reported 3, 3 items', 'the queues awaiting a decision are loaded too');
  });
});
