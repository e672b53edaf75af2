// Pins are live, in a real browser: two readers have the demo article open on the real server (a
// SQLite file, the built embed.js, Debian's Chromium). A moderator pins a comment through the
// API and both pages move it to the top with its "Pinned" mark without a reload; one reader's
// network is then cut while the moderator pins another and unpins the first, and once it is
// back that page catches up from its last event id (docs/protocol.md, "Event ids and replay").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { freePort, startServerProcess } from '../support/server-process.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const SECRET = 'live-pins-e2e-secret-live-pins-e2e-secret';

/** What the page shows: the top-level comments in order, and which of them carry the "Pinned" mark. */
function shown(page: Page): Promise<{ order: string[]; pinned: string[] }> {
  return page.evaluate(() => {
    const root = document.querySelector('colloquy-thread')?.shadowRoot;
    // No named functions in here: the page runs this source as it is, without tsx's helpers.
    const articles = [...(root?.querySelectorAll<HTMLElement>('[part~="list"] > li > article') ?? [])];
    return {
      order: articles.map((article) => article.id.slice('comment-'.length)),
      pinned: articles
        .filter((article) => article.querySelector('[part~="pinned"]')?.textContent?.trim() === 'Pinned')
        .map((article) => article.id.slice('comment-'.length)),
    };
  });
}

async function showsPins(page: Page, order: string[], pinned: string[], when: string): Promise<void> {
  try {
    await page.waitForFunction(
      ({ order, pinned }) => {
        const root = document.querySelector('colloquy-thread')?.shadowRoot;
        const articles = [...(root?.querySelectorAll('[part~="list"] > li > article') ?? [])];
        const ids = articles.map((article) => article.id.slice('comment-'.length));
        const marked = articles.filter((article) => article.querySelector('[part~="pinned"]')).map((article) => article.id.slice('comment-'.length));
        return JSON.stringify(ids) === JSON.stringify(order) && JSON.stringify(marked) === JSON.stringify(pinned);
      },
      { order, pinned },
      { polling: 100, timeout: 20_000 },
    );
  } catch (error) {
    assert.fail(`${when}: the page shows ${JSON.stringify(await shown(page))}, expected ${JSON.stringify({ order, pinned })} (${String(error)})`);
  }
}

test('an open thread shows pins and unpins as a moderator makes them, also after its connection was cut', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-live-pins-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'colloquy.db')}`, COLLOQUY_JWT_SECRET: SECRET }, { port: await freePort() });
  const proxy = await startTcpProxy(server.port);
  const browser = await launchChromium();
  try {
    const moderator = await new SignJWT({ sub: 'mod-e2e', name: 'Mina', role: 'moderator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    const call = async (path: string, token: string, body: unknown) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      assert.ok(response.ok, `${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    const writer = (await (await fetch(`${server.url}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Writer"}' })).json()).token;
    // The demo article's thread, as the page computes its key.
    const thread = '/articles/ten-minutes-outside';
    const ids: string[] = [];
    for (const body of ['The first comment.', 'The second comment.', 'The third comment.']) ids.push((await call('/comments', writer, { thread, body })).comment.id);
    const pin = (id: string, pinned: boolean) => call(`/moderation/comments/${id}/pin`, moderator, { pinned });

    const open = async (origin: string) => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${origin}/`);
      await page.locator('colloquy-thread').getByRole('textbox', { name: 'Add a comment' }).waitFor();
      // The live stream opens once the thread is near the viewport.
      await page.locator('colloquy-thread').scrollIntoViewIfNeeded();
      return page;
    };
    const steady = await open(server.url);
    const cutOff = await open(proxy.url);
    const loaded = (await shown(steady)).order;
    for (const id of ids) assert.ok(loaded.includes(id), `the page lists ${id}`);
    const others = loaded.filter((id) => !ids.includes(id));
    // Under the demo's default sort (oldest first) the three come last, after the demo's own comments.
    const inOrder = (pinned: string[]) => [...pinned, ...[...others, ...ids].filter((id) => !pinned.includes(id))];

    // Let both streams open before the pin: a page that has not subscribed yet would catch up on its own.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await pin(ids[2]!, true);
    for (const [who, page] of [['steady', steady], ['cut off later', cutOff]] as const) {
      await showsPins(page, inOrder([ids[2]!]), [ids[2]!], `after the pin, the ${who} page`);
    }

    proxy.cut();
    await pin(ids[1]!, true);
    await pin(ids[2]!, false);
    // The page had all three from its sorted first page: unpinned, the third is back in its place.
    const afterCut = inOrder([ids[1]!]);
    await showsPins(steady, afterCut, [ids[1]!], 'while the other is cut off, the steady page');
    proxy.restore();
    await showsPins(cutOff, afterCut, [ids[1]!], 'once its connection is back, the page that was cut off');

    const reloaded = await open(server.url);
    await showsPins(reloaded, inOrder([ids[1]!]), [ids[1]!], 'a page loaded afresh');
  } finally {
    await browser.close();
    await proxy.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
