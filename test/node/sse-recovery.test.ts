// Live streams that recover, in a real browser: two readers have the demo article open on the
// real server (a SQLite file, the built embed.js, Debian's Chromium) while (a) the server
// process restarts and (b) one reader's network is cut and given back, and another reader
// posts through the API meanwhile. Each page must end up showing every comment exactly once:
// the server replays what a returning stream missed (docs/protocol.md, "Event ids and replay")
// and the page merges by comment id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const THREAD = '/articles/ten-minutes-outside';

interface Reader {
  page: Page;
  /** The page's requests for the live stream, with the position each one resumed from. */
  streams: Array<{ url: string; lastEventId: string | undefined }>;
}

/** Ids of the comments the page shows, in DOM order; opens "Show N new comments" first. */
function shownIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('colloquy-thread')?.shadowRoot;
    root?.querySelector<HTMLElement>('[part~="new-comments"]')?.click();
    return [...(root?.querySelectorAll('article[id^="comment-"]') ?? [])].map((article) => article.id.slice('comment-'.length));
  });
}

/** Waits until the page shows every one of `ids`, then checks that it shows each exactly once. */
async function showsEachOnce(reader: Reader, ids: readonly string[], when: string): Promise<void> {
  try {
    await reader.page.waitForFunction(
      (wanted) => {
        const root = document.querySelector('colloquy-thread')?.shadowRoot;
        root?.querySelector<HTMLElement>('[part~="new-comments"]')?.click();
        return wanted.every((id) => root?.querySelector(`article[id="comment-${id}"]`));
      },
      ids,
      { polling: 100, timeout: 20_000 },
    );
  } catch (error) {
    assert.fail(`${when}: the page shows ${JSON.stringify(await shownIds(reader.page))}, expected ${JSON.stringify(ids)} (${String(error)})`);
  }
  const shown = await shownIds(reader.page);
  const twice = shown.filter((id, index) => shown.indexOf(id) !== index);
  assert.deepEqual(twice, [], `${when}: shown more than once`);
  assert.deepEqual(
    ids.filter((id) => !shown.includes(id)),
    [],
    `${when}: missing`,
  );
}

test('readers see every comment posted while the server restarts or their connection is cut, exactly once', { timeout: 180_000 }, async (t) => {
  const started = Date.now();
  const step = (what: string) => t.diagnostic(`${what}: ${Date.now() - started} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-sse-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'colloquy.db')}` };
  const port = await freePort();
  let server: ServerProcess = await startServerProcess(env, { port });
  const proxy = await startTcpProxy(port);
  const browser = await launchChromium();
  try {
    const identity = await (
      await fetch(`${server.url}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Writer"}' })
    ).json();
    let n = 0;
    const post = async (body: string, parentId?: string): Promise<string> => {
      const response = await fetch(`${server.url}/api/v1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${identity.token}`, 'idempotency-key': `sse-${++n}` },
        body: JSON.stringify({ thread: THREAD, body, ...(parentId ? { parentId } : {}) }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return (await response.json()).comment.id;
    };
    const open = async (origin: string): Promise<Reader> => {
      const page = await (await browser.newContext()).newPage();
      const streams: Reader['streams'] = [];
      page.on('request', (request) => {
        if (!request.url().includes('/api/v1/events?')) return;
        const entry: Reader['streams'][number] = { url: request.url(), lastEventId: undefined };
        streams.push(entry);
        // The header EventSource adds shows only in the full list of what went out.
        void request.allHeaders().then((headers) => (entry.lastEventId = headers['last-event-id']), () => {});
      });
      await page.goto(`${origin}/`);
      await page.locator('colloquy-thread').getByRole('textbox', { name: 'Add a comment' }).waitFor();
      return { page, streams };
    };
    // One reader's network runs through the proxy the test can cut; the other's goes straight to the server.
    step('server and browser up');
    const cutOff = await open(proxy.url);
    const steady = await open(server.url);
    const readers = { 'the reader whose network is cut': cutOff, 'the steady reader': steady };

    const posted: string[] = [];
    posted.push(await post('Before anything goes wrong.'));
    for (const [who, reader] of Object.entries(readers)) await showsEachOnce(reader, posted, `live, ${who}`);
    step('pages open and live');

    // (a) The server process restarts on the same SQLite file; the writer posts as soon as it is back.
    await server.stop('SIGTERM');
    step('server stopped');
    server = await startServerProcess(env, { port });
    step('server started again');
    posted.push(await post('Posted right after the restart.'));
    posted.push(await post('A reply right after the restart.', posted[0]));
    posted.push(await post('Another one after the restart.'));
    for (const [who, reader] of Object.entries(readers)) await showsEachOnce(reader, posted, `after the restart, ${who}`);
    step('both pages caught up after the restart');

    // (b) One reader's network drops; comments are posted and reach the other reader live.
    proxy.cut();
    posted.push(await post('Posted while one reader is offline.'));
    posted.push(await post('A reply while one reader is offline.', posted[1]));
    posted.push(await post('Another while one reader is offline.'));
    await showsEachOnce(steady, posted, 'during the cut, the steady reader');
    step('the steady page has the comments posted during the cut');
    const before = cutOff.streams.length;
    proxy.restore();
    await showsEachOnce(cutOff, posted, 'after the cut, the reader whose network was cut');
    step('the page that was cut off caught up');
    // It caught up by resuming its stream from the last id, not by reloading the page.
    const resumed = cutOff.streams.slice(before);
    assert.ok(
      resumed.some((stream) => /^\d+$/.test(stream.lastEventId ?? '') || /[?&]lastEventId=\d+/.test(stream.url)),
      `streams opened after the cut: ${JSON.stringify(resumed)}`,
    );
    t.diagnostic(`streams opened after the cut: ${JSON.stringify(resumed)}`);

    // Live events follow a replay on the same stream; one more comment, seen once, closes the
    // window in which a repeated event could still arrive.
    posted.push(await post('Everyone is back.'));
    for (const [who, reader] of Object.entries(readers)) await showsEachOnce(reader, posted, `at the end, ${who}`);
  } finally {
    await browser.close();
    await proxy.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
