import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { http, HttpResponse } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import '../define-activity.js';
import type { ColloquyActivity } from './activity.js';
import type { ActivityClient, ActivityEntry, UnreadCounts } from './activity-client.js';
import { deepActiveElement } from '../testing/thread.fixture.js';

const SITE = 'https://news.example.org';

/** Items newest first, as the server pages them; an in-memory stand-in for the activity routes. */
function fakeClient(count: number) {
  const items: ActivityEntry[] = Array.from({ length: count }, (_, i) => {
    const n = count - i;
    return {
      id: `n${n}`,
      reason: n % 3 === 0 ? 'reply' : 'following',
      commentId: `c${n}`,
      thread: n === 1 ? '/no-page-known' : '/health/sleep',
      threadTitle: n === 1 ? null : 'Sleep and screens',
      url: n === 1 ? null : `${SITE}/health/sleep#comment-c${n}`,
      authorName: n === 2 ? null : `Writer ${n}`,
      excerpt: `Comment number ${n}`,
      createdAt: new Date(Date.UTC(2026, 10, 1, 12, n)).toISOString(),
      read: n === 4,
    };
  });
  const unread = (): UnreadCounts => {
    const open = items.filter((i) => !i.read);
    const reply = open.filter((i) => i.reason === 'reply').length;
    return { total: open.length, reply, following: open.length - reply };
  };
  const marked: Array<string[] | null> = [];
  const client: ActivityClient = {
    async list(cursor, limit) {
      const from = cursor ? Number(cursor) : 0;
      const page = items.slice(from, from + limit).map((i) => ({ ...i }));
      return { items: page, nextCursor: from + limit < items.length ? String(from + limit) : null, unread: unread() };
    },
    async markRead(ids) {
      marked.push(ids ? [...ids] : null);
      for (const item of items) if (!ids || ids.includes(item.id)) item.read = true;
      return unread();
    },
  };
  return { client, marked };
}

const shadow = (el: ColloquyActivity) => el.shadowRoot!;
const links = (el: ColloquyActivity) => [...shadow(el).querySelectorAll('li')];
const button = (el: ColloquyActivity, label: string) => [...shadow(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === label)!;
const unreadText = (el: ColloquyActivity) => shadow(el).querySelector('[part="unread"]')?.textContent?.trim();

async function mount(template: ReturnType<typeof html>): Promise<ColloquyActivity> {
  const host = await fixture<HTMLElement>(template);
  const el = (host.localName === 'colloquy-activity' ? host : host.querySelector('colloquy-activity')!) as ColloquyActivity;
  await waitUntil(() => el.status === 'ready' || el.status === 'signed-out');
  await el.updateComplete;
  return el;
}

describe('<colloquy-activity>', () => {
  it('lists replies and followed conversations newest first with the unread count, links each comment in place, pages and marks read', async () => {
    const { client, marked } = fakeClient(5);
    const el = await mount(html`<colloquy-activity lang="en" page-size="3" .client=${client}></colloquy-activity>`);
    expect(unreadText(el)).to.equal('4 unread');
    expect(links(el).map((li) => li.querySelector('a')!.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Unread: Writer 5 commented in Sleep and screens',
      'Writer 4 commented in Sleep and screens',
      'Unread: Writer 3 replied to you',
    ]);
    expect(links(el)[0]!.querySelector('a')!.getAttribute('href')).to.equal(`${SITE}/health/sleep#comment-c5`);
    expect(links(el)[0]!.querySelector('.excerpt')!.textContent).to.equal('Comment number 5');
    await expect(el).to.be.accessible();

    button(el, 'Show older').click();
    await waitUntil(() => links(el).length === 5);
    // No page known for the thread: the thread key is a path of this site.
    expect(links(el)[4]!.querySelector('a')!.getAttribute('href')).to.equal(`${location.origin}/no-page-known#comment-c1`);
    expect(links(el)[3]!.textContent).to.contain('Someone commented');
    expect(button(el, 'Show older')).to.equal(undefined);

    const first = links(el)[0]!.querySelector('a')!;
    first.addEventListener('click', (event) => event.preventDefault());
    first.click();
    await waitUntil(() => unreadText(el) === '3 unread');
    expect(marked).to.deep.equal([['n5']]);
    expect(links(el)[0]!.classList.contains('read')).to.equal(true);
    button(el, 'Mark all as read').click();
    await waitUntil(() => unreadText(el) === '0 unread');
    expect(marked[1]).to.equal(null);
    expect(button(el, 'Mark all as read')).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish', async () => {
    const { client } = fakeClient(3);
    const el = await mount(html`<colloquy-activity lang="es" .client=${client}></colloquy-activity>`);
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Tu actividad');
    expect(unreadText(el)).to.equal('3 sin leer');
    expect(links(el)[0]!.querySelector('a')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Sin leer: Writer 3 te respondió');
    expect(button(el, 'Marcar todo como leído')).to.not.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('works by keyboard alone: Tab reaches "Mark all as read", every item and "Show older"; Enter uses them', async () => {
    const { client, marked } = fakeClient(4);
    const el = await mount(html`<colloquy-activity lang="en" page-size="2" .client=${client}></colloquy-activity>`);
    button(el, 'Mark all as read').focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(links(el)[0]!.querySelector('a'));
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(links(el)[1]!.querySelector('a'));
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(button(el, 'Show older'));
    expect(getComputedStyle(deepActiveElement()!).outlineStyle, 'focus is visible').to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => links(el).length === 4);
    button(el, 'Mark all as read').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => marked.length === 1);
  });

  it('lays out right to left under dir="rtl"', async () => {
    const { client } = fakeClient(2);
    const el = await mount(html`<div dir="rtl" lang="es"><colloquy-activity .client=${client}></colloquy-activity></div>`);
    const style = getComputedStyle(links(el)[0]!);
    expect(style.direction).to.equal('rtl');
    expect(style.borderRightWidth, 'the unread mark is on the start side').to.equal('3px');
    expect(style.borderLeftWidth).to.equal('0px');
    await expect(el).to.be.accessible();
  });

  describe('over HTTP', () => {
    const ENDPOINT = 'https://comments.example.test';
    let worker: SetupWorker;
    before(async () => {
      worker = setupWorker();
      await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
    });
    after(() => worker.stop());
    beforeEach(() => localStorage.clear());
    afterEach(() => worker.resetHandlers());

    it('asks as the identity the widget stored for the site, and says what to do when there is none', async () => {
      const seen: Array<string | null> = [];
      worker.use(
        http.get(`${ENDPOINT}/api/v1/identities/me/activity`, ({ request }) => {
          seen.push(request.headers.get('authorization'));
          return HttpResponse.json({ items: [], nextCursor: null, unread: { total: 0, reply: 0, following: 0 } });
        }),
      );
      const signedOut = await mount(html`<colloquy-activity lang="en" endpoint=${ENDPOINT}></colloquy-activity>`);
      expect(signedOut.status).to.equal('signed-out');
      expect(shadow(signedOut).textContent).to.contain('Comment once on this site');
      expect(seen).to.deep.equal([]);

      localStorage.setItem('colloquy:token', 'stored-token');
      const el = await mount(html`<colloquy-activity lang="en" endpoint=${ENDPOINT}></colloquy-activity>`);
      expect(seen).to.deep.equal(['Bearer stored-token']);
      expect(shadow(el).textContent).to.contain('Nothing yet.');
      await expect(el).to.be.accessible();
    });

    it('shows a failure with a retry', async () => {
      localStorage.setItem('colloquy:token', 'stored-token');
      let fail = true;
      worker.use(
        http.get(`${ENDPOINT}/api/v1/identities/me/activity`, () =>
          fail
            ? HttpResponse.json({ error: { code: 'server_error', message: 'down' } }, { status: 503 })
            : HttpResponse.json({ items: [], nextCursor: null, unread: { total: 0, reply: 0, following: 0 } }),
        ),
      );
      const host = await fixture<HTMLElement>(html`<colloquy-activity lang="en" endpoint=${ENDPOINT}></colloquy-activity>`);
      const el = host as ColloquyActivity;
      await waitUntil(() => el.status === 'failed');
      await el.updateComplete;
      expect(shadow(el).querySelector('[role="alert"]')!.textContent).to.contain('Your activity could not be loaded.');
      fail = false;
      button(el, 'Try again').click();
      await waitUntil(() => el.status === 'ready');
    });
  });
});
