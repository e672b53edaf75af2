import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import type { ColloquyModeration } from './moderation.js';
import { $, deepActiveElement, once, text } from '../testing/thread.fixture.js';
import { fakeSource, item, items, mountModeration, sampleQueues } from './moderation.fixture.js';

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

  it('links to the comment on the page the server knows its thread from, else thread-base and the key', async () => {
    const queues = sampleQueues();
    queues.reported[0]!.threadUrl = 'https://news.example/2026/walks';
    queues.reported[1]!.threadUrl = 'javascript:alert(1)';
    const el = await mountModeration(fakeSource(queues));
    el.threadBase = 'https://blog.example';
    await el.updateComplete;
    expect(item(el, 'r1').querySelector('.where a')?.getAttribute('href')).to.equal('https://news.example/2026/walks#comment-r1');
    expect(item(el, 'r2').querySelector('.where a')?.getAttribute('href'), 'a URL that is no page falls back').to.equal('https://blog.example/articles/walks#comment-r2');
    expect(item(el, 'r3').querySelector('.where a')?.getAttribute('href')).to.equal('https://blog.example/articles/walks#comment-r3');
    el.threadBase = '';
    await el.updateComplete;
    expect(item(el, 'r1').querySelector('.where a')?.getAttribute('href'), 'no thread-base needed when the URL is known').to.equal('https://news.example/2026/walks#comment-r1');
    expect(item(el, 'r3').querySelector('.where a')).to.equal(null);
  });

  it('closes and reopens an item’s thread, says so, and marks every item of that thread; axe clean in en and es', async () => {
    const queues = sampleQueues();
    for (const entry of queues.reported) entry.threadClosed = false;
    queues.reported[2]!.comment.thread = '/articles/other';
    const source = fakeSource(queues);
    const el = await mountModeration(source);
    const toggle = (id: string) => item(el, id).querySelector<HTMLButtonElement>('[data-thread-toggle]')!;
    expect(text(toggle('r1'))).to.equal('Close thread');
    await expect(el).to.be.accessible();
    toggle('r1').click();
    await waitUntil(() => source.threadCalls.length === 1, 'the thread was not closed');
    expect(source.threadCalls[0]).to.deep.equal({ thread: '/articles/walks', closed: true });
    await waitUntil(() => text(toggle('r1')) === 'Reopen thread', 'the button did not turn into Reopen');
    expect(text(item(el, 'r2').querySelector('.where'))).to.contain('(closed to new comments)');
    expect(text(toggle('r2')), 'the other item of the same thread').to.equal('Reopen thread');
    expect(text(toggle('r3')), 'another thread stays open').to.equal('Close thread');
    await waitUntil(() => text(el.shadowRoot!.querySelector('.visually-hidden[role="status"]')).includes('closed: readers can no longer comment.'), 'no announcement');
    await expect(el).to.be.accessible();
    toggle('r2').click();
    await waitUntil(() => source.threadCalls.length === 2, 'the thread was not reopened');
    expect(source.threadCalls[1]).to.deep.equal({ thread: '/articles/walks', closed: false });
    await waitUntil(() => text(toggle('r1')) === 'Close thread');

    el.setAttribute('lang', 'es');
    await el.updateComplete;
    expect(text(toggle('r1'))).to.equal('Cerrar conversación');
    source.failNext = new ColloquyError('forbidden', 'no');
    toggle('r1').click();
    await waitUntil(() => text(el.shadowRoot!.querySelector('.visually-hidden[role="status"]')).length > 0 && source.failNext === null, 'the failure was not said');
    expect(text(toggle('r1')), 'a refused close changes nothing').to.equal('Cerrar conversación');
    await expect(el).to.be.accessible();
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
