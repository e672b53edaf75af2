import { ColloquyError } from '@colloquy/core';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { $, deepActiveElement, root, text } from '../testing/thread.fixture.js';
import { announcement, fakeSource, part, item, items, mountModeration, sampleQueues } from './moderation.fixture.js';

beforeEach(() => localStorage.clear());

async function press(...keys: string[]): Promise<void> {
  for (const key of keys) await sendKeys({ press: key });
}

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
    const log = part(el, 'colloquy-audit-log');
    await waitUntil(() => root(log).querySelector('tbody tr'), 'the audit log never loaded');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const rows = () => [...root(log).querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => text(cell)));
    expect(rows()).to.deep.equal([
      ['Mia', 'Hidden', 'comment r2', ''],
      ['Mia', 'Address range banned', 'addresses 203.0.113.0/24', 'Spam wave'],
    ]);
    await expect(el).to.be.accessible();
    ($(log, '[data-audit-more]') as HTMLButtonElement).focus();
    await press('Enter');
    await waitUntil(() => rows().length === 4);
    expect(rows()[2]).to.deep.equal(['Report threshold', 'Hidden by reports', 'comment r1', 'Report weight 3 reached the threshold of 3.']);
    expect(root(log).querySelector('[data-audit-more]') === null).to.equal(true);
    expect(deepActiveElement()?.localName).to.equal('table');

    const clicked: HTMLAnchorElement[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      ($(log, '[data-audit-export]') as HTMLButtonElement).click();
      await waitUntil(() => clicked.length === 1);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(source.exports).to.equal(1);
    expect(clicked[0]!.download).to.match(/^colloquy-audit-\d{4}-\d\d-\d\d\.json$/);
    expect(clicked[0]!.href).to.match(/^blob:/);
    await waitUntil(() => announcement(log) === 'The audit log was downloaded.');
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
    const list = part(el, 'colloquy-ban-list');
    await waitUntil(() => root(list).querySelector('.ban-list'), 'the ban list never loaded');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const panel = $(list, '.bans');
    expect(text(panel)).to.contain('Spammer');
    expect(text(panel)).to.contain('203.0.113.0/24 — Spam wave');
    expect(text(panel)).to.contain('198.51.100.0/24 · set in the server configuration');
    await expect(el).to.be.accessible();

    // A range: empty, malformed, then a good one.
    ($(list, '#range-cidr') as HTMLInputElement).focus();
    await press('Enter');
    await waitUntil(() => text($(list, '#range-error')) === 'Enter an address or a range.');
    await sendKeys({ type: 'not-a-range' });
    await press('Enter');
    await waitUntil(() => text($(list, '#range-error')) === 'That is not an address or a range in CIDR form.');
    expect(deepActiveElement()?.id).to.equal('range-cidr');
    await expect(el).to.be.accessible();
    ($(list, '#range-cidr') as HTMLInputElement).value = '';
    await sendKeys({ type: '192.0.2.7' });
    await press('Tab');
    await sendKeys({ type: 'Bot' });
    await press('Enter');
    await waitUntil(() => announcement(list) === 'Banned 192.0.2.7/32.');
    await waitUntil(() => text($(list, '.bans')).includes('192.0.2.7/32 — Bot'));

    // Lift the author's ban: the held comment's history no longer says Banned.
    ($(list, '[data-lift-author="a-Spammer"]') as HTMLButtonElement).focus();
    await press('Enter');
    await waitUntil(() => announcement(list) === 'Lifted the ban on \u2068Spammer\u2069.');
    await waitUntil(() => text($(list, '.bans')).includes('No banned authors.'));
    expect(deepActiveElement()?.id).to.equal('bans-heading');
    expect(source.calls).to.deep.equal([{ id: 'a-Spammer', action: 'unban-author', reason: null }]);
    ($(el, '#tab-held') as HTMLButtonElement).click();
    await waitUntil(() => items(el).join() === 'h1');
    // (A boolean: chai would try to print a whole element if this failed.)
    expect(item(el, 'h1').querySelector('[data-action="unban-author"]') === null).to.equal(true);

    // Lift a range.
    ($(list, '[data-lift-range="b1"]') as HTMLButtonElement).click();
    await waitUntil(() => announcement(list) === 'Lifted the ban on 203.0.113.0/24.');
    expect(text($(list, '.bans'))).to.not.contain('Spam wave');
  });
});

describe('<colloquy-moderation> search', () => {
  for (const lang of ['en', 'es'] as const) {
    it(`finds comments by their words or author across the queues, says a search is on, and clears it (${lang})`, async () => {
      const source = fakeSource(sampleQueues());
      const el = await mountModeration(source, { lang });
      const field = $(el, '#search-q') as HTMLInputElement;
      expect(field.labels?.[0]?.textContent).to.equal(lang === 'en' ? 'Search' : 'Buscar');
      field.focus();
      await sendKeys({ type: 'walking' });
      await press('Enter');
      await waitUntil(() => items(el).join() === 'r3', 'the search never narrowed the queue');
      expect(source.queueCalls.at(-1)?.search).to.deep.equal({ q: 'walking' });
      expect(text($(el, '[data-searching]'))).to.equal(lang === 'en' ? 'Showing only comments matching “walking”.' : 'Solo se muestran los comentarios que coinciden con «walking».');
      await expect(el).to.be.accessible();

      // Held: nothing matches, and the empty state says so rather than "nothing is waiting".
      ($(el, '#tab-held') as HTMLButtonElement).click();
      await waitUntil(() => root(el).querySelector('#queue-status'), 'the held tab never showed its state');
      expect(text($(el, '#queue-status'))).to.equal(
        lang === 'en' ? 'No comment in this queue matches the search.' : 'Ningún comentario de esta cola coincide con la búsqueda.',
      );
      ($(el, '#tab-reported') as HTMLButtonElement).click();
      ($(el, '[data-clear-search]') as HTMLButtonElement).click();
      await waitUntil(() => items(el).join() === 'r1,r2,r3', 'clearing the search never brought the whole queue back');
      expect(root(el).querySelector('[data-searching]')).to.equal(null);
    });
  }
});

describe('<colloquy-moderation> notes on authors', () => {
  for (const lang of ['en', 'es'] as const) {
    it(`saves a note on an author from the item and lists it under the history (${lang})`, async () => {
      const source = fakeSource(sampleQueues());
      const el = await mountModeration(source, { lang });
      const form = () => item(el, 'r1').querySelector<HTMLFormElement>('[data-note-form]')!;
      const field = form().querySelector('textarea')!;
      expect(field.labels?.[0]?.textContent).to.equal(
        lang === 'en' ? 'Add a note on this author (seen by moderators only)' : 'Añadir una nota sobre este autor (solo la ven los moderadores)',
      );
      field.focus();
      // Letters typed in the note are text, not the queue's one-letter shortcuts.
      await sendKeys({ type: 'Warned about spam links' });
      expect(items(el).join()).to.equal('r1,r2,r3');
      (form().querySelector('button[type=submit]') as HTMLButtonElement).click();
      await waitUntil(() => item(el, 'r1').querySelector('[data-notes]'), 'the note never showed');
      expect(text(item(el, 'r1').querySelector('[data-notes] li')!)).to.contain('Warned about spam links');
      expect(form().querySelector('textarea')!.value).to.equal('');
      await waitUntil(() => announcement(el) === (lang === 'en' ? 'Note saved.' : 'Nota guardada.'));
      await expect(el).to.be.accessible();
    });
  }

  it('keeps the typed note and says why when it could not be saved', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    const field = item(el, 'r1').querySelector<HTMLTextAreaElement>('[data-note-form] textarea')!;
    field.value = 'Second warning';
    source.failNext = new ColloquyError('unavailable', 'down');
    (item(el, 'r1').querySelector('[data-note-form] button') as HTMLButtonElement).click();
    await waitUntil(() => announcement(el).startsWith('The note could not be saved.'));
    expect(field.value).to.equal('Second warning');
  });
});
