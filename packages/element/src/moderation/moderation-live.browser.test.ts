import { expect, waitUntil } from '@open-wc/testing';
import { ColloquyError } from '@colloquy/core';
import { $, deepActiveElement, root, text } from '../testing/thread.fixture.js';
import { announcement, fakeSource, item, items, makeComment, makeItem, mountModeration, report, sampleQueues } from './moderation.fixture.js';

beforeEach(() => localStorage.clear());

describe('<colloquy-moderation> live arrivals', () => {
  it('holds new reports behind a button, announces them, and never moves the list', async () => {
    const source = fakeSource(sampleQueues(), { live: true });
    const el = await mountModeration(source);
    item(el, 'r2').focus();
    source.add('reported', makeItem(makeComment({ id: 'n1', name: 'Late' }), { reports: [report('hate', 'Fay')] }));
    await waitUntil(() => root(el).querySelector('[part="new-items"]'), 'no new-items button');
    expect(text($(el, '[part="new-items"]'))).to.equal('Show 1 new item');
    await waitUntil(() => announcement(el) === '1 new item in the queue');
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
    expect(deepActiveElement()).to.equal(item(el, 'r2'));
    expect(text($(el, '#tab-reported'))).to.equal('Reported 4, 4 items');
    await expect(el).to.be.accessible();
    ($(el, '[part="new-items"]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).includes('n1') && deepActiveElement() === item(el, 'n1'));
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3', 'n1']);
  });

  it('updates report counts in place and marks items another moderator decided on', async () => {
    const source = fakeSource(sampleQueues(), { live: true });
    const el = await mountModeration(source);
    source.queues.reported[1]!.reports.push(report('hate', 'Gus', 'Slur'));
    source.decideElsewhere('r3');
    await waitUntil(() => item(el, 'r3').querySelector('.note'));
    expect(text(item(el, 'r3').querySelector('.note'))).to.contain('Already handled elsewhere');
    expect((item(el, 'r3').querySelector('[data-action="approve"]') as HTMLButtonElement).disabled).to.equal(true);
    expect(text(item(el, 'r2').querySelector('[part="reports"] h4'))).to.equal('2 reports (weight 2; hides at 3)');
    ($(el, '[data-refresh]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'r1,r2');
  });

  it('keeps the list through a failed background refresh, but says so when the sign-in expired', async () => {
    const source = fakeSource(sampleQueues(), { live: true });
    const el = await mountModeration(source);
    source.failNext = new ColloquyError('unavailable', 'down');
    source.add('held', makeItem(makeComment({ id: 'n3', status: 'held' })));
    await waitUntil(() => source.failNext === null);
    await el.updateComplete;
    expect(root(el).querySelector('[part="status"]') === null).to.equal(true);
    source.failNext = new ColloquyError('token_expired', 'expired');
    source.add('held', makeItem(makeComment({ id: 'n4', status: 'held' })));
    await waitUntil(() => root(el).querySelector('[part="status"][role="alert"]'), 'no alert for the expired sign-in');
    expect(text($(el, '[part="status"]'))).to.contain('The moderator sign-in has expired. Sign in again.');
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
    await expect(el).to.be.accessible();
  });

  it('closes its live subscription when removed, and catches up when put back', async () => {
    const source = fakeSource(sampleQueues(), { live: true });
    let open = 0;
    const subscribe = source.subscribe!;
    source.subscribe = (listener) => {
      open++;
      const stop = subscribe(listener);
      return () => {
        open--;
        stop();
      };
    };
    const el = await mountModeration(source);
    expect(open).to.equal(1);
    const parent = el.parentElement!;
    el.remove();
    expect(open).to.equal(0);
    source.add('reported', makeItem(makeComment({ id: 'n5', name: 'Away' }), { reports: [report('spam', 'Ivy')] }));
    parent.append(el);
    expect(open).to.equal(1);
    await waitUntil(() => root(el).querySelector('[part="new-items"]'), 'no catch-up after coming back');
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
  });

  it('refreshes politely on a timer when the source has no live stream', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source, { refresh: 1 });
    source.add('reported', makeItem(makeComment({ id: 'n2', name: 'Polled' }), { reports: [report('spam', 'Hal')] }));
    await waitUntil(() => root(el).querySelector('[part="new-items"]'), 'the timer never refreshed', { timeout: 5000 });
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
  });
});
