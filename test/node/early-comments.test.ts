// Comments that arrive early, on a blog at another origin embedding the built widget from the
// real server (`colloquy-server demo`, SQLite), in Debian's Chromium:
// - embed.js asks for the first page while it is still being evaluated, before the tag is
//   defined (so before the element's upgrade and first render), and the thread adopts that
//   answer instead of asking again;
// - with the configurator's preload hints in <head>, the widget's request reuses the preload:
//   one request on the wire (and a hint that does not match, without `crossorigin`, is wasted:
//   that case shows the test can tell the difference);
// - a thread far below the fold opens no live stream until the reader scrolls near it, and a
//   comment posted in between still arrives live once the stream opens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startHostSite } from '../support/host-site.js';

const THREAD = '/articles/ten-minutes-outside';

let dir: string;
let server: ServerProcess;
let blog: Awaited<ReturnType<typeof startHostSite>>;
let blogUrl: string;
let browser: Browser;
/** The page each path of the blog serves; set by each test. */
const pages = new Map<string, string>();

function article(head: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title>${head}</head>
<body><main><h1>Ten minutes outside</h1>${body}
<colloquy-thread thread="${THREAD}"></colloquy-thread>
<script type="module" src="${server.url}/embed.js"></script></main></body></html>`;
}

/** The URL of the thread's first page exactly as the widget asks for it (docs/getting-started.md). */
function firstPageUrl(): string {
  return `${server.url}/api/v1/comments?${new URLSearchParams({ thread: THREAD, sort: 'oldest', limit: '20' })}`;
}

async function open(path: string): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${blogUrl}${path}`);
  return { page, requests };
}

const commentsShown = (page: Page) => page.locator('colloquy-thread [part~="comment"]').first().waitFor();
/** Two frames: an IntersectionObserver reports within the frame after it starts observing. */
const frames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'colloquy-early-'));
  const port = await freePort();
  blogUrl = `http://127.0.0.1:${port}`;
  server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'c.db')}`, COLLOQUY_ALLOWED_ORIGINS: blogUrl }, { command: 'demo' });
  blog = await startHostSite(port, pages);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await blog?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('comments arrive early', { timeout: 180_000 }, () => {
  test('embed.js asks for the first page before the tag is defined, and the thread adopts it', async () => {
    pages.set('/plain', article('', '<p>A short article.</p>'));
    const context = await browser.newContext();
    // Records, for every request for comments, whether the tag existed yet and whether the
    // thread had rendered anything.
    await context.addInitScript(() => {
      const seen: Array<{ url: string; defined: boolean; rendered: boolean }> = [];
      (window as unknown as { commentRequests: typeof seen }).commentRequests = seen;
      const original = window.fetch;
      window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/api/v1/comments')) {
          seen.push({
            url,
            defined: customElements.get('colloquy-thread') !== undefined,
            rendered: Boolean(document.querySelector('colloquy-thread')?.shadowRoot),
          });
        }
        return original.call(this, input, init);
      };
    });
    const page = await context.newPage();
    await page.goto(`${blogUrl}/plain`);
    await commentsShown(page);
    const seen = await page.evaluate(() => (window as unknown as { commentRequests: unknown[] }).commentRequests);
    assert.deepEqual(seen, [{ url: firstPageUrl(), defined: false, rendered: false }], 'one request, made before the element existed');
    assert.ok((await page.locator('colloquy-thread [part~="comment"]').count()) >= 3, 'the demo comments');
    await context.close();
  });

  test('with the preload hints, the widget reuses the preloaded page: one request on the wire', async () => {
    const hints = (crossorigin: boolean) =>
      `<link rel="modulepreload" href="${server.url}/embed.js">` +
      `<link rel="preload" as="fetch"${crossorigin ? ' crossorigin' : ''} href="${firstPageUrl().replace(/&/g, '&amp;')}">`;
    pages.set('/hinted', article(hints(true), '<p>A short article.</p>'));
    const hinted = await open('/hinted');
    await commentsShown(hinted.page);
    assert.equal(hinted.requests.filter((url) => url === firstPageUrl()).length, 1, hinted.requests.join('\n'));
    assert.equal(hinted.requests.filter((url) => url.includes('/api/v1/comments')).length, 1);
    assert.equal(hinted.requests.filter((url) => url.endsWith('/embed.js')).length, 1, 'the modulepreload is the script');
    await hinted.page.context().close();

    // The same hint without `crossorigin` fetches in another credentials mode: Chromium cannot
    // hand it to the widget, which asks again. This is why the snippet must match exactly.
    pages.set('/mismatched', article(hints(false), '<p>A short article.</p>'));
    const mismatched = await open('/mismatched');
    await commentsShown(mismatched.page);
    assert.equal(mismatched.requests.filter((url) => url === firstPageUrl()).length, 2);
    await mismatched.page.context().close();
  });

  test('a thread far below the fold opens its live stream only when scrolled near, and misses nothing', async () => {
    pages.set('/long', article('', '<p style="height: 2000px">A long article.</p>'.repeat(3)));
    const { page, requests } = await open('/long');
    const streams = () => requests.filter((url) => url.includes('/api/v1/events')).length;
    // The first page loads at once (the reader may scroll there soon), the stream does not.
    await commentsShown(page);
    await frames(page);
    assert.equal(streams(), 0, 'no EventSource for a thread 6,000 px down');

    // Someone comments while this reader is still reading the article.
    const identity = (await (await fetch(`${server.url}/api/v1/identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Early bird' }),
    }).then((r) => r.json())) as { token: string });
    const posted = await fetch(`${server.url}/api/v1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${identity.token}`, 'idempotency-key': 'early-1' },
      body: JSON.stringify({ thread: THREAD, body: 'Posted while you were reading' }),
    });
    assert.equal(posted.status, 201);
    await frames(page);
    assert.equal(streams(), 0, 'still none: the reader has not come near');

    const stream = page.waitForRequest((request) => request.url().includes('/api/v1/events'));
    // Scrolled to half a screen above the thread: not in view yet, but near (within one viewport).
    await page.evaluate(() => {
      const top = document.querySelector('colloquy-thread')!.getBoundingClientRect().top + scrollY;
      scrollTo(0, top - innerHeight * 1.5);
    });
    const opened = await stream;
    assert.match(opened.url(), /[?&]lastEventId=\d+/, 'the late stream asks for what changed since the page was read');
    // Held back behind "Show 1 new comment", as any live arrival from someone else.
    await page.locator('colloquy-thread [part="new-comments"]').waitFor();
    await page.locator('colloquy-thread [part="new-comments"]').click();
    await page.locator('colloquy-thread [part~="comment"]', { hasText: 'Posted while you were reading' }).waitFor();
    assert.equal(streams(), 1);
    await page.context().close();
  });
});
