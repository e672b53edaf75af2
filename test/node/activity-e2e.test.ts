// <colloquy-activity> on the demo as a reader meets it: the real server (`colloquy-server demo`)
// on a SQLite file, the built activity.js and embed.js, Debian's Chromium. A reader posts on
// the article; someone replies and someone comments; the reader's activity page, another page
// of the site, lists both with the unread count and leads to the comment in place.
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';

const THREAD = '/articles/ten-minutes-outside';

test('the demo’s activity page lists a reply and a comment in a followed thread and links to the comment in place', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-activity-e2e-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'demo.db')}` }, { command: 'demo' });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text()) || message.type() === 'error') refused.push(message.text());
    });
    await page.goto(`${server.url}/`);
    const thread = page.locator('colloquy-thread');
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('Does the time of day matter for these walks?');
    await thread.getByRole('textbox', { name: 'Screen name' }).fill('Rosa');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('[part~="comment"]').filter({ hasText: 'Does the time of day matter' }).first().waitFor();
    const listed = (await (await fetch(`${server.url}/api/v1/comments?thread=${encodeURIComponent(THREAD)}&sort=newest`)).json()) as { comments: Array<{ id: string; body: string }> };
    const mine = listed.comments.find((c) => c.body.startsWith('Does the time of day matter'))!.id;

    // Another reader answers Rosa and comments in the thread she now follows (posting followed it).
    const api = async (path: string, token: string | null, body: unknown) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      assert.ok(response.ok, await response.clone().text());
      return (await response.json()) as { token: string; comment: { id: string } };
    };
    const tomas = (await api('/identities', null, { name: 'Tomás' })).token;
    const reply = (await api('/comments', tomas, { thread: THREAD, body: 'Mornings worked best for me.', parentId: mine, url: `${server.url}${THREAD}` })).comment;
    await api('/comments', tomas, { thread: THREAD, body: 'Has anyone tried walking meetings?', url: `${server.url}${THREAD}` });

    // Another page of the site, without the thread: the activity lists both, newest first.
    await page.goto(`${server.url}/activity.html`);
    const activity = page.locator('colloquy-activity');
    const items = activity.locator('li');
    for (let attempt = 0; (await items.count()) < 2 && attempt < 20; attempt++) {
      // The notifications are written by the outbox a moment after each post.
      await page.waitForTimeout(250);
      await page.reload();
      await activity.locator('h2').waitFor();
    }
    assert.equal(await items.count(), 2);
    assert.match((await items.nth(0).textContent()) ?? '', /Tomás commented in .*Has anyone tried walking meetings\?/s);
    assert.match((await items.nth(1).textContent()) ?? '', /Tomás replied to you.*Mornings worked best for me\./s);
    assert.equal(await activity.locator('[part="unread"]').textContent(), '2 unread');

    // The link opens the article at the reply.
    const link = items.nth(1).getByRole('link');
    assert.equal(await link.getAttribute('href'), `${server.url}${THREAD}#comment-${reply.id}`);
    await link.click();
    await page.waitForURL(`${server.url}${THREAD}#comment-${reply.id}`);
    await page.locator(`#comment-${reply.id}`).waitFor();

    // Back on the activity page, the reply is read.
    await page.goto(`${server.url}/activity.html`);
    await activity.locator('[part="unread"]').filter({ hasText: '1 unread' }).waitFor();
    assert.deepEqual(refused, [], 'nothing refused by the page policy, no errors');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
