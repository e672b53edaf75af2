import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import type { ColloquyModeration } from './moderation.js';
import { $, deepActiveElement, once, root, text } from '../testing/thread.fixture.js';
import { announcement, fakeSource, item, items, makeComment, makeItem, mountModeration, report, sampleQueues } from './moderation.fixture.js';

beforeEach(() => localStorage.clear());

async function press(...keys: string[]): Promise<void> {
  for (const key of keys) await sendKeys({ press: key });
}

describe('<colloquy-moderation> reading the queue', () => {
  it('shows each reported comment with its thread, parent, grouped reports and author history, sanitized, and passes axe', async () => {
    const el = await mountModeration(fakeSource(sampleQueues()));
    expect(items(el)).to.deep.equal(['r1', 'r2', 'r3']);
    const first = item(el, 'r1');
    expect(text(first.querySelector('.author'))).to.equal('Troll');
    expect(text(first.querySelector('.badge.status'))).to.equal('hidden by readers’ reports');
    expect(text(first.querySelector('.where'))).to.equal('Thread: /articles/walks');
    expect(text(first.querySelector('[part="context"] figcaption'))).to.match(/^In reply to \u2068Nadia\u2069/);
    expect(text(first.querySelector('[part="context"] blockquote'))).to.equal('Walking after lunch helps me.');
    // Bodies go through the sanitizer: markup survives, scripts and handlers do not.
    const body = first.querySelector('[part="body"]')!;
    expect(body.querySelector('em')?.textContent).to.equal('pills');
    expect(body.querySelector('script') === null).to.equal(true);
    expect(body.querySelector('img')?.hasAttribute('onerror') ?? false).to.equal(false);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    // Reports grouped by reason, with counts, details and who sent them.
    const reports = first.querySelector('[part="reports"]')!;
    expect(text(reports.querySelector('h4'))).to.equal('3 reports (weight 4; hides at 3)');
    const groups = [...reports.querySelectorAll('.groups > li')].map((li) => text(li.querySelector('strong')));
    expect(groups).to.deep.equal(['Spam or advertising', 'Harassment']);
    const spam = reports.querySelector('.groups > li')!;
    expect(text(spam)).to.contain('— 2 reports');
    expect(text(spam.querySelector('q'))).to.equal('Selling pills');
    expect(text(spam)).to.contain('No details given.');
    expect(text(reports)).to.contain('Cleo');
    expect(text(reports)).to.contain('(Mentor)');
    // The author's history.
    const history = first.querySelector('[part="history"]')!;
    expect(text(history)).to.contain('2 published · 1 hidden · 1 marked spam');
    expect(text(history)).to.contain('An earlier comment of theirs');
    expect(text(history.querySelector('.past li'))).to.match(/^Hidden — rule 2 ·/);
    // Tabs carry their counts.
    expect(text($(el, '#tab-reported'))).to.equal('Reported 3, 3 items');
    expect(text($(el, '#tab-held'))).to.equal('Held 1, 1 item');
    // A hidden-by-reports comment offers Restore, not Approve; a visible one the reverse.
    expect([...first.querySelectorAll('[data-action]')].map((b) => b.getAttribute('data-action'))).to.deep.equal(['restore', 'spam', 'ban-author']);
    expect([...item(el, 'r2').querySelectorAll('[data-action]')].map((b) => b.getAttribute('data-action'))).to.deep.equal([
      'approve',
      'hide',
      'spam',
      'ban-author',
    ]);
    await expect(el).to.be.accessible();
  });

  it('shows held comments with why they were held, and hidden ones, and passes axe on each tab', async () => {
    const el = await mountModeration(fakeSource(sampleQueues()));
    ($(el, '#tab-held') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'h1');
    expect(text(item(el, 'h1').querySelector('.held'))).to.contain('A new identity posting a link');
    expect(text(item(el, 'h1').querySelector('.badge.status'))).to.equal('held for review');
    expect(el.getAttribute('queue')).to.equal('held');
    await expect(el).to.be.accessible();
    ($(el, '#tab-hidden') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'x1');
    await expect(el).to.be.accessible();
  });

  it('shows loading, then an error the moderator can act on, and reports colloquy-error', async () => {
    const source = fakeSource(sampleQueues());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = source.queue.bind(source);
    source.queue = async (status) => {
      await gate;
      return real(status);
    };
    source.failNext = new ColloquyError('forbidden', 'Only moderators and staff can do this.');
    const el = await fixture<ColloquyModeration>(html`<colloquy-moderation lang="en" .source=${source}></colloquy-moderation>`);
    expect(text($(el, '[part="status"]'))).to.equal('Loading the queue…');
    await expect(el).to.be.accessible();
    const failed = once(el, 'colloquy-error');
    release();
    expect((await failed).error.code).to.equal('forbidden');
    await el.updateComplete;
    const status = $(el, '[part="status"]');
    expect(status.getAttribute('role')).to.equal('alert');
    expect(text(status)).to.contain('This account is not a moderator or staff member.');
    await expect(el).to.be.accessible();
    (status.querySelector('button') as HTMLButtonElement).click();
    await waitUntil(() => items(el).length === 3, 'Try again did not load the queue');
  });

  it('links thread keys to the host site only when they stay on it', async () => {
    const queues = sampleQueues();
    queues.reported[1]!.comment.thread = '@evil.example/x';
    const el = await mountModeration(fakeSource(queues));
    el.threadBase = 'https://news.example';
    await el.updateComplete;
    expect(item(el, 'r1').querySelector('.where a')?.getAttribute('href')).to.equal('https://news.example/articles/walks#comment-r1');
    expect(item(el, 'r2').querySelector('.where a') === null).to.equal(true);
    expect(text(item(el, 'r2').querySelector('.where'))).to.equal('Thread: @evil.example/x');
  });

  it('asks for a moderator sign-in when it has no token and no source', async () => {
    const el = await fixture<ColloquyModeration>(html`<colloquy-moderation lang="en"></colloquy-moderation>`);
    await el.updateComplete;
    expect(text($(el, '[part="status"]'))).to.contain('Sign in as a moderator to see the queue.');
    await expect(el).to.be.accessible();
  });

  it('shows an empty queue that passes axe in the dark theme', async () => {
    const el = await mountModeration(fakeSource({}), { theme: 'dark' });
    expect(text($(el, '[part="status"]'))).to.equal('No open reports. Nothing needs a decision.');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish completely, and passes axe', async () => {
    const el = await mountModeration(fakeSource(sampleQueues()), { lang: 'es' });
    expect(text($(el, 'h2'))).to.equal('Cola de moderación');
    expect(text($(el, '#tab-reported'))).to.equal('Denunciados 3, 3 elementos');
    const first = item(el, 'r1');
    expect(text(first.querySelector('[part="reports"] h4'))).to.equal('3 denuncias (peso 4; se oculta con 3)');
    expect(text(first.querySelector('.groups strong'))).to.equal('Spam o publicidad');
    expect(text(first.querySelector('[part="context"] figcaption'))).to.match(/^En respuesta a/);
    expect(text(first.querySelector('[data-action="restore"]'))).to.equal('Restaurar R');
    expect(text(first.querySelector('.where'))).to.match(/^Conversación:/);
    await expect(el).to.be.accessible();
  });
});

describe('<colloquy-moderation> right to left', () => {
  it('mirrors the tab keys and passes axe', async () => {
    const source = fakeSource(sampleQueues());
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl"><colloquy-moderation lang="es" refresh-seconds="0" .source=${source}></colloquy-moderation></div>`,
    );
    const el = wrapper.querySelector('colloquy-moderation')!;
    await waitUntil(() => items(el).length === 3);
    ($(el, '#tab-reported') as HTMLButtonElement).focus();
    await press('ArrowLeft');
    await waitUntil(() => deepActiveElement()?.id === 'tab-held' && items(el).join() === 'h1');
    await press('ArrowRight');
    await waitUntil(() => deepActiveElement()?.id === 'tab-reported');
    await expect(el).to.be.accessible();
  });
});

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
    const dialog = $(el, 'dialog.ban') as HTMLDialogElement;
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
    await waitUntil(() => text(dialog.querySelector('#ban-error')) === 'Give a reason for the ban.');
    expect(deepActiveElement()?.localName).to.equal('textarea');
    await sendKeys({ type: 'Repeated abuse' });
    await press('Tab', 'Tab', 'Enter');
    await waitUntil(() => items(el).join() === 'r1,r3');
    expect(source.calls).to.deep.equal([{ id: 'r2', action: 'ban-author', reason: 'Repeated abuse' }]);
    expect(dialog.open).to.equal(false);
    expect(deepActiveElement()).to.equal(item(el, 'r3'));
    expect(announcement(el)).to.equal('Banned \u2068Grumpy\u2069 and hid the comment.');
  });

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

describe('<colloquy-moderation> audit log', () => {
  it('lists decisions newest first by keyboard, pages back, and exports the log as a JSON download', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    item(el, 'r2').focus();
    await press('h');
    await waitUntil(() => items(el).join() === 'r1,r3');
    const button = $(el, '[data-audit]') as HTMLButtonElement;
    button.focus();
    await press('Enter');
    await waitUntil(() => root(el).querySelector('#audit tbody tr'), 'the audit log never loaded');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const rows = () => [...root(el).querySelectorAll('#audit tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => text(cell)));
    expect(rows()).to.deep.equal([
      ['Mia', 'Hidden', 'comment r2', ''],
      ['Mia', 'Address range banned', 'addresses 203.0.113.0/24', 'Spam wave'],
    ]);
    await expect(el).to.be.accessible();
    ($(el, '[data-audit-more]') as HTMLButtonElement).focus();
    await press('Enter');
    await waitUntil(() => rows().length === 4);
    expect(rows()[2]).to.deep.equal(['Report threshold', 'Hidden by reports', 'comment r1', 'Report weight 3 reached the threshold of 3.']);
    expect(root(el).querySelector('[data-audit-more]') === null).to.equal(true);
    expect(deepActiveElement()?.localName).to.equal('table');

    const clicked: HTMLAnchorElement[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      ($(el, '[data-audit-export]') as HTMLButtonElement).click();
      await waitUntil(() => clicked.length === 1);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(source.exports).to.equal(1);
    expect(clicked[0]!.download).to.match(/^colloquy-audit-\d{4}-\d\d-\d\d\.json$/);
    expect(clicked[0]!.href).to.match(/^blob:/);
    await waitUntil(() => announcement(el) === 'The audit log was downloaded.');
  });
});

describe('<colloquy-moderation> bans', () => {
  it('lists banned authors and ranges, lifts them, and bans a range, by keyboard, passing axe', async () => {
    const queues = sampleQueues();
    queues.held[0]!.comment.author.id = 'a-Spammer';
    queues.held[0]!.authorHistory = { counts: { hidden: 1 }, recent: [], actions: [], banned: true, since: null };
    const source = fakeSource(queues);
    const el = await mountModeration(source);
    const button = $(el, '[data-bans]') as HTMLButtonElement;
    button.focus();
    await press('Enter');
    await waitUntil(() => root(el).querySelector('#bans .ban-list'), 'the ban list never loaded');
    const panel = $(el, '#bans');
    expect(text(panel)).to.contain('Spammer');
    expect(text(panel)).to.contain('203.0.113.0/24 — Spam wave');
    expect(text(panel)).to.contain('198.51.100.0/24 · set in the server configuration');
    await expect(el).to.be.accessible();

    // A range: empty, malformed, then a good one.
    ($(el, '#range-cidr') as HTMLInputElement).focus();
    await press('Enter');
    await waitUntil(() => text($(el, '#range-error')) === 'Enter an address or a range.');
    await sendKeys({ type: 'not-a-range' });
    await press('Enter');
    await waitUntil(() => text($(el, '#range-error')) === 'That is not an address or a range in CIDR form.');
    expect(deepActiveElement()?.id).to.equal('range-cidr');
    await expect(el).to.be.accessible();
    ($(el, '#range-cidr') as HTMLInputElement).value = '';
    await sendKeys({ type: '192.0.2.7' });
    await press('Tab');
    await sendKeys({ type: 'Bot' });
    await press('Enter');
    await waitUntil(() => announcement(el) === 'Banned 192.0.2.7/32.');
    await waitUntil(() => text($(el, '#bans')).includes('192.0.2.7/32 — Bot'));

    // Lift the author's ban: the held comment's history no longer says Banned.
    ($(el, '[data-lift-author="a-Spammer"]') as HTMLButtonElement).focus();
    await press('Enter');
    await waitUntil(() => announcement(el) === 'Lifted the ban on \u2068Spammer\u2069.');
    await waitUntil(() => text($(el, '#bans')).includes('No banned authors.'));
    expect(deepActiveElement()?.id).to.equal('bans-heading');
    expect(source.calls).to.deep.equal([{ id: 'a-Spammer', action: 'unban-author', reason: null }]);
    ($(el, '#tab-held') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'h1');
    // (A boolean: chai would try to print a whole element if this failed.)
    expect(item(el, 'h1').querySelector('[data-action="unban-author"]') === null).to.equal(true);

    // Lift a range.
    ($(el, '[data-lift-range="b1"]') as HTMLButtonElement).click();
    await waitUntil(() => announcement(el) === 'Lifted the ban on 203.0.113.0/24.');
    expect(text($(el, '#bans'))).to.not.contain('Spam wave');
  });
});

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
