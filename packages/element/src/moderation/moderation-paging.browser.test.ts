import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import { $, deepActiveElement, once, root, text } from '../testing/thread.fixture.js';
import { announcement, fakeSource, item, items, makeComment, makeItem, mountModeration, report } from './moderation.fixture.js';

beforeEach(() => localStorage.clear());

async function press(...keys: string[]): Promise<void> {
  for (const key of keys) await sendKeys({ press: key });
}

describe('<colloquy-moderation> a queue longer than a page', () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  /** `n` reported comments, oldest first: q1, q2, … */
  const longQueue = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      makeItem(makeComment({ id: `q${i + 1}`, name: `Writer ${i + 1}`, createdAt: minutesAgo(100 - i) }), { reports: [report('spam', `Reader ${i + 1}`)] }),
    );

  it('counts the whole queue on its tab, loads the next page by keyboard, focuses its first item, announces it, and passes axe', async () => {
    const source = fakeSource({ reported: longQueue(5), held: [makeItem(makeComment({ id: 'h1', status: 'held' }))] }, { pageSize: 2 });
    const el = await mountModeration(source);
    expect(items(el)).to.deep.equal(['q1', 'q2']);
    expect(text($(el, '#tab-reported'))).to.equal('Reported 5, 5 items');
    expect(text($(el, '#tab-held'))).to.equal('Held 1, 1 item');
    const more = $(el, '[data-load-more]') as HTMLButtonElement;
    expect(text(more)).to.equal('Load more');
    expect(text($(el, '#load-more-progress'))).to.equal('Showing 2 of 5');
    await expect(el).to.be.accessible();

    more.focus();
    expect(deepActiveElement()).to.equal(more);
    await press('Enter');
    await waitUntil(() => items(el).length === 4, 'Enter on "Load more" did not load the next page');
    expect(items(el)).to.deep.equal(['q1', 'q2', 'q3', 'q4']);
    expect(source.queueCalls.filter((call) => call.status === 'reported' && call.cursor !== null)).to.have.length(1);
    await waitUntil(() => deepActiveElement() === item(el, 'q3'), 'focus did not move to the first new item');
    await waitUntil(() => announcement(el) === 'Loaded 2 more items. Showing 4 of 5');
    expect(text($(el, '#tab-reported'))).to.equal('Reported 5, 5 items');
    await expect(el).to.be.accessible();
    // The new items are part of the list for the keys too.
    await press('j');
    expect(deepActiveElement()).to.equal(item(el, 'q4'));

    ($(el, '[data-load-more]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).length === 5);
    await waitUntil(() => announcement(el) === 'Loaded 1 more item. Showing 5 of 5');
    expect(root(el).querySelector('[data-load-more]') === null, 'no "Load more" at the end of the queue').to.equal(true);
    expect(deepActiveElement()).to.equal(item(el, 'q5'));
  });

  it('keeps the counts true through decisions and arrivals, and a quiet refresh checks every loaded page', async () => {
    const source = fakeSource({ reported: longQueue(5) }, { pageSize: 2, live: true });
    const el = await mountModeration(source);
    ($(el, '[data-load-more]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).length === 4);

    // Decided here: the tab counts down from the queue's total, not from what is loaded.
    (item(el, 'q1').querySelector('[data-action="approve"]') as HTMLButtonElement).click();
    await waitUntil(() => !items(el).includes('q1'));
    expect(text($(el, '#tab-reported'))).to.equal('Reported 4, 4 items');

    // Decided elsewhere, on the second page: the refresh reaches it and marks it.
    source.decideElsewhere('q4');
    await waitUntil(() => item(el, 'q4').querySelector('.note'), 'an item on a later page was not checked');
    expect(text($(el, '#tab-reported'))).to.equal('Reported 3, 3 items');
    expect(text($(el, '#load-more-progress'))).to.equal('Showing 2 of 3');

    // A report on a newer comment lands past the loaded pages: counted, and reached by "Load more", not shown as new.
    source.add('reported', makeItem(makeComment({ id: 'late', createdAt: new Date().toISOString() }), { reports: [report('spam', 'Zed')] }));
    await waitUntil(() => text($(el, '#tab-reported')) === 'Reported 4, 4 items', 'the new report was not counted');
    expect(root(el).querySelector('[part="new-items"]') === null).to.equal(true);

    // A report on an older comment lands among the loaded ones: it waits behind "Show 1 new item".
    source.add('reported', makeItem(makeComment({ id: 'old', createdAt: minutesAgo(1000) }), { reports: [report('hate', 'Yan')] }));
    await waitUntil(() => root(el).querySelector('[part="new-items"]'), 'no new-items button');
    expect(text($(el, '#tab-reported'))).to.equal('Reported 5, 5 items');
    expect(items(el)).to.deep.equal(['q2', 'q3', 'q4']);

    ($(el, '[data-load-more]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'q2,q3,q4,q5,late', 'the next page did not follow the loaded ones');
    expect(root(el).querySelector('[data-load-more]') === null).to.equal(true);
    expect(text($(el, '[part="new-items"]'))).to.equal('Show 1 new item');
    await expect(el).to.be.accessible();
  });

  it('says when the next page fails, and leaves "Load more" focused once every loaded item is decided', async () => {
    const source = fakeSource({ reported: longQueue(3) }, { pageSize: 1 });
    const el = await mountModeration(source);
    source.failNext = new ColloquyError('unavailable', 'down');
    const failed = once(el, 'colloquy-error');
    ($(el, '[data-load-more]') as HTMLButtonElement).click();
    expect((await failed).error.code).to.equal('unavailable');
    await waitUntil(() => root(el).querySelector('[part="load-more"] [role="alert"]'), 'no alert for the failed page');
    expect(text($(el, '[part="load-more"] [role="alert"]'))).to.contain('The next items could not be loaded.');
    expect(items(el)).to.deep.equal(['q1']);
    await expect(el).to.be.accessible();

    item(el, 'q1').focus();
    await press('h');
    await waitUntil(() => items(el).length === 0);
    // More is waiting, so this is not an empty queue.
    expect(root(el).querySelector('#queue-status') === null).to.equal(true);
    await waitUntil(() => deepActiveElement() === $(el, '[data-load-more]'), '"Load more" did not get the focus');
    expect(text($(el, '#tab-reported'))).to.equal('Reported 2, 2 items');
    await press('Enter');
    await waitUntil(() => items(el).join() === 'q2');
    expect(deepActiveElement()).to.equal(item(el, 'q2'));
  });

  it('says it in Spanish', async () => {
    const el = await mountModeration(fakeSource({ reported: longQueue(5) }, { pageSize: 2 }), { lang: 'es' });
    expect(text($(el, '[data-load-more]'))).to.equal('Cargar más');
    expect(text($(el, '#load-more-progress'))).to.equal('Se muestran 2 de 5');
    ($(el, '[data-load-more]') as HTMLButtonElement).click();
    await waitUntil(() => announcement(el) === 'Se cargaron 2 elementos más. Se muestran 4 de 5');
  });
});
