import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import { $, deepActiveElement, once, text } from '../testing/thread.fixture.js';
import { announcement, banDialog, fakeSource, item, items, mountModeration, sampleQueues } from './moderation.fixture.js';

beforeEach(() => localStorage.clear());

async function press(...keys: string[]): Promise<void> {
  for (const key of keys) await sendKeys({ press: key });
}

describe('<colloquy-moderation> by keyboard alone', () => {
  it('moves with the tab keys and j/k, decides with one key, announces it and keeps focus in the queue', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    ($(el, '#tab-reported') as HTMLButtonElement).focus();
    await press('ArrowRight');
    await waitUntil(() => deepActiveElement()?.id === 'tab-held' && items(el).join() === 'h1');
    await press('ArrowLeft');
    await waitUntil(() => deepActiveElement()?.id === 'tab-reported' && items(el).length === 3);
    // Tab from the tabs goes to the toolbar, then into the list (one stop: the current item).
    let guard = 0;
    while (deepActiveElement()?.getAttribute('data-item') !== 'r1' && guard++ < 15) await press('Tab');
    expect(deepActiveElement()).to.equal(item(el, 'r1'));
    const outline = getComputedStyle(item(el, 'r1')).outlineStyle;
    expect(outline, 'focus is visible').to.equal('solid');
    await press('j');
    expect(deepActiveElement()).to.equal(item(el, 'r2'));
    await press('k');
    expect(deepActiveElement()).to.equal(item(el, 'r1'));
    await press('j');
    // Approve r2 with "a": it leaves the queue, the decision is announced, focus moves on.
    const decided = once(el, 'colloquy-moderated');
    await press('a');
    const event = await decided;
    expect(event.action).to.equal('approve');
    expect(event.comment.id).to.equal('r2');
    await waitUntil(() => items(el).join() === 'r1,r3');
    await waitUntil(() => announcement(el) === 'Approved the comment by \u2068Grumpy\u2069.');
    expect(deepActiveElement()).to.equal(item(el, 'r3'));
    // "r" does not apply to a visible comment: nothing is sent, and the moderator hears why.
    await press('r');
    await waitUntil(() => announcement(el) === 'Restore does not apply to this comment.');
    expect(source.calls.map((c) => c.action)).to.deep.equal(['approve']);
    // Spam on the last one; focus falls back to the one before it.
    await press('s');
    await waitUntil(() => items(el).join() === 'r1');
    expect(deepActiveElement()).to.equal(item(el, 'r1'));
    // Restore the hidden one: the queue is empty and focus lands on the empty message.
    await press('r');
    await waitUntil(() => items(el).length === 0);
    expect(deepActiveElement()?.id).to.equal('queue-status');
    expect(source.calls).to.deep.equal([
      { id: 'r2', action: 'approve', reason: null },
      { id: 'r3', action: 'spam', reason: null },
      { id: 'r1', action: 'restore', reason: null },
    ]);
    // The spam went to the Hidden queue, and its tab says so.
    await waitUntil(() => text($(el, '#tab-hidden')) === 'Hidden 2, 2 items');
    await expect(el).to.be.accessible();
  });

  it('asks for a reason before banning, by keyboard, and returns focus on Escape', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    item(el, 'r2').focus();
    await press('b');
    const dialog = banDialog(el);
    await waitUntil(() => dialog.open && deepActiveElement()?.localName === 'textarea');
    expect(text(dialog.querySelector('h3'))).to.equal('Ban \u2068Grumpy\u2069');
    await expect(el).to.be.accessible();
    await press('Escape');
    await waitUntil(() => !dialog.open && deepActiveElement() === item(el, 'r2'));
    expect(source.calls).to.deep.equal([]);

    await press('b');
    await waitUntil(() => dialog.open && deepActiveElement()?.localName === 'textarea');
    // Sending without a reason is refused in place.
    await press('Tab', 'Tab', 'Enter');
    await waitUntil(() => text(dialog.querySelector('#reason-error')) === 'Give a reason for the ban.');
    expect(deepActiveElement()?.localName).to.equal('textarea');
    await sendKeys({ type: 'Repeated abuse' });
    await press('Tab', 'Tab', 'Enter');
    await waitUntil(() => items(el).join() === 'r1,r3');
    expect(source.calls).to.deep.equal([{ id: 'r2', action: 'ban-author', reason: 'Repeated abuse' }]);
    expect(dialog.open).to.equal(false);
    expect(deepActiveElement()).to.equal(item(el, 'r3'));
    expect(announcement(el)).to.equal('Banned \u2068Grumpy\u2069 and hid the comment.');
  });

  for (const lang of ['en', 'es'] as const) {
    it(`suspends an author for a chosen number of days instead of banning for good (${lang})`, async () => {
      const source = fakeSource(sampleQueues());
      const el = await mountModeration(source, { lang });
      item(el, 'r2').focus();
      await press('b');
      const dialog = banDialog(el);
      await waitUntil(() => dialog.open && deepActiveElement()?.localName === 'textarea');
      const lengths = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[data-ban-length] input[name="ban-length"]')];
      expect(lengths.find((input) => input.checked)?.value).to.equal('forever');
      const days = el.shadowRoot!.querySelector<HTMLInputElement>('[data-ban-length] input[name="ban-days"]')!;
      expect(days.closest('label')!.hidden).to.equal(true);
      lengths.find((input) => input.value === 'custom')!.click();
      await waitUntil(() => !days.closest('label')!.hidden, 'the days field never showed');
      expect(days.closest('label')!.textContent!.trim()).to.equal(lang === 'en' ? 'Days' : 'Días');
      days.value = '3';
      await expect(el).to.be.accessible();
      const textarea = dialog.querySelector('textarea')!;
      textarea.focus();
      await sendKeys({ type: 'Cool off' });
      (dialog.querySelector('[part="submit"]') as HTMLButtonElement).click();
      await waitUntil(() => source.calls.length === 1);
      expect(source.calls).to.deep.equal([{ id: 'r2', action: 'ban-author', reason: 'Cool off', duration: 3 * 86400 }]);
    });
  }

  it('selects with x and acts on the selection with Shift+key', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    item(el, 'r2').focus();
    await press('x', 'j', 'x');
    await el.updateComplete;
    expect(item(el, 'r2').getAttribute('part')).to.equal('item item-selected');
    expect(text($(el, '[part="toolbar"]'))).to.contain('2 selected');
    await waitUntil(() => announcement(el) === '2 selected');
    await expect(el).to.be.accessible();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'H' });
    await sendKeys({ up: 'Shift' });
    await waitUntil(() => items(el).join() === 'r1');
    expect(source.calls.map((c) => `${c.id}:${c.action}`)).to.deep.equal(['r2:hide', 'r3:hide']);
    await waitUntil(() => announcement(el) === 'Hid 2 comments.');
    expect(deepActiveElement()).to.equal(item(el, 'r1'));
  });

  it('offers select-all and bulk buttons, and skips comments an action does not fit', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    const all = $(el, '[part="toolbar"] input[type="checkbox"]') as HTMLInputElement;
    all.focus();
    await press('Space');
    await el.updateComplete;
    expect(text($(el, '[part="toolbar"]'))).to.contain('3 selected');
    ($(el, '[data-bulk="approve"]') as HTMLButtonElement).focus();
    await press('Enter');
    // r1 is hidden: Approve does not apply, so it stays selected for Restore.
    await waitUntil(() => items(el).join() === 'r1');
    await waitUntil(() => announcement(el) === 'Approved 2 comments.');
    expect(text($(el, '[part="toolbar"]'))).to.contain('1 selected');
    ($(el, '[data-bulk="restore"]') as HTMLButtonElement).click();
    await waitUntil(() => items(el).length === 0);
    expect(source.calls.map((c) => `${c.id}:${c.action}`)).to.deep.equal(['r2:approve', 'r3:approve', 'r1:restore']);
  });

  it('documents its keys, and lets the moderator turn single-key shortcuts off', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    item(el, 'r2').focus();
    await press('?');
    await el.updateComplete;
    const help = $(el, '[part="shortcuts"]');
    expect(help.hidden).to.equal(false);
    expect($(el, '[data-help]').getAttribute('aria-expanded')).to.equal('true');
    expect(text(help)).to.contain('Approve, hide, mark as spam, restore');
    expect(item(el, 'r2').querySelector('[data-action="approve"]')?.getAttribute('aria-keyshortcuts')).to.equal('a');
    await expect(el).to.be.accessible();
    (help.querySelector('input[type="checkbox"]') as HTMLInputElement).click();
    expect(localStorage.getItem('colloquy:moderation:shortcuts')).to.equal('off');
    item(el, 'r2').focus();
    await press('a');
    await el.updateComplete;
    expect(source.calls).to.deep.equal([]);
    // Arrow keys keep working without letter shortcuts.
    await press('ArrowDown');
    expect(deepActiveElement()).to.equal(item(el, 'r3'));
  });

  it('lifts a ban from the author history, leaving the comment in the queue', async () => {
    const queues = sampleQueues();
    queues.reported[0]!.authorHistory!.banned = true;
    const source = fakeSource(queues);
    const el = await mountModeration(source);
    const history = item(el, 'r1').querySelector('[part="history"]')!;
    expect(text(history.querySelector('h4'))).to.equal("Author's history Banned");
    (history.querySelector('[data-action="unban-author"]') as HTMLButtonElement).focus();
    await press('Enter');
    await waitUntil(() => announcement(el) === 'Lifted the ban on \u2068Troll\u2069.');
    expect(source.calls).to.deep.equal([{ id: 'r1', action: 'unban-author', reason: null }]);
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
    expect(item(el, 'r1').querySelector('[data-action="unban-author"]') === null).to.equal(true);
    expect(deepActiveElement()).to.equal(item(el, 'r1'));
  });

  it('keeps a failed decision on screen with the reason, as an alert', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    source.failNext = new ColloquyError('rate_limited', 'Slow down');
    item(el, 'r2').focus();
    const failed = once(el, 'colloquy-error');
    await press('h');
    expect((await failed).action).to.equal('moderate');
    await el.updateComplete;
    const alert = item(el, 'r2').querySelector('[role="alert"]');
    expect(text(alert)).to.equal('That did not work. Too many requests. Wait a moment and try again.');
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
    await expect(el).to.be.accessible();
  });
});
