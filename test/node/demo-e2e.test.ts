// The demo as a new reader meets it: the real server (`colloquy-server demo`) on a SQLite
// file, the built embed.js, Debian's Chromium. A reader posts under a screen name, replies,
// reports, reloads and still sees it all; a second browser sees a new comment arrive live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';

async function comment(page: Page, text: string) {
  return page.locator('[part~="comment"]').filter({ hasText: text }).first();
}

test('a new reader posts, replies, reports and reloads on the demo; another reader sees it live', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-e2e-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'demo.db')}` }, { command: 'demo' });
  const browser = await launchChromium();
  const requests: string[] = [];
  try {
    const reader = await browser.newContext();
    const page = await reader.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${server.url}/`);
    const thread = page.locator('colloquy-thread');
    await thread.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    // The seeded conversation is there before anyone posts (the composer can render before the list).
    await thread.locator('[part~="comment"]').first().waitFor();
    const seeded = await thread.locator('[part~="comment"]').count();
    assert.ok(seeded >= 3, `expected the demo's sample comments, saw ${seeded}`);

    // Post under a new screen name.
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('First time here. This article *helped* me a lot.');
    await thread.getByRole('textbox', { name: 'Screen name' }).fill('Rosa');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    const mine = await comment(page, 'First time here.');
    await mine.waitFor();
    // textContent, not innerText: comments below the fold skip rendering (content-visibility:
    // auto) until scrolled to, and Chromium gives such content an empty innerText.
    assert.match((await mine.textContent()) ?? '', /Rosa/);
    assert.equal(await mine.locator('em').textContent(), 'helped', 'markdown emphasis is rendered');

    // Reply to the first sample comment (the reader's own comment is listed above the others, decision 0027).
    const samples = thread.locator('[part~="list"] [part~="comment"]').filter({ hasNot: page.locator('[part~="own"]') });
    const first = samples.first();
    await first.getByRole('button', { name: 'Reply', exact: true }).first().click();
    await thread.getByRole('textbox', { name: /^Reply to/ }).fill('Thank you for sharing this, it matches what our group found.');
    await thread.getByRole('button', { name: 'Post reply' }).click();
    await (await comment(page, 'it matches what our group found')).waitFor();

    // Report another reader's comment.
    const target = samples.nth(1);
    const targetText = (await target.locator('[part~="body"]').first().innerText()).slice(0, 30);
    await target.getByRole('button', { name: 'Report abuse' }).first().click();
    await page.getByRole('radio', { name: 'Spam or advertising' }).check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await target.getByText('Reported').first().waitFor();

    // Reload: the comment, the reply and the reported state are all still there.
    await page.reload();
    await thread.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    await (await comment(page, 'First time here.')).waitFor();
    await (await comment(page, 'it matches what our group found')).waitFor();
    const reportedAgain = thread.locator('[part~="comment"]').filter({ hasText: targetText }).first();
    await reportedAgain.getByText('Reported').first().waitFor();

    // A second reader, in another browser context, has the page open when a new comment lands.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${server.url}/`);
    const otherThread = otherPage.locator('colloquy-thread');
    await (await comment(otherPage, 'First time here.')).waitFor();
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('Posting while someone else is reading.');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await (await comment(page, 'Posting while someone else is reading.')).waitFor();
    // Without a reload: new top-level comments wait behind a button so nothing moves.
    await otherThread.getByRole('button', { name: /Show 1 new comment/ }).click({ timeout: 15_000 });
    await (await comment(otherPage, 'Posting while someone else is reading.')).waitFor();

    // No ads, no trackers: every request went to the server itself.
    const foreign = requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'the demo page made requests to other origins');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
