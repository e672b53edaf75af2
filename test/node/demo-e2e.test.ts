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

    // Reply to the first sample comment. The reader's own new comment is listed above the
    // thread, under the composer (part="own-list"), so the samples are those of part="list".
    const samples = thread.locator('[part="list"] [part~="comment"]');
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

test('the parts loaded on demand (edit and delete, report, account, helpful, permalink) work under the demo page’s strict CSP and Trusted Types', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-e2e-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'demo.db')}` }, { command: 'demo' });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    const chunks: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text()) || message.type() === 'error') refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    page.on('response', (response) => {
      // A chunk is `<name>-<8-character hash>.js`; the hash may hold `-` too, even first.
      const match = /\/chunks\/([a-z-]+)-[\w-]{8}\.js$/.exec(response.url());
      if (match) chunks.push(`${match[1]} ${response.status()}`);
    });
    await page.goto(`${server.url}/`);
    const thread = page.locator('colloquy-thread');
    await thread.locator('[part~="comment"]').first().waitFor();
    // The parts may already be arriving: they are prefetched once the browser is idle after the
    // first render (decision 0032). Each must load under the policy, whenever it is fetched.

    // Edit and delete (chunks/modify-*.js) on the reader's own comment.
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('Words to change.');
    await thread.getByRole('textbox', { name: 'Screen name' }).fill('Lee');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    const mine = thread.locator('[part="own-list"] [part~="comment"]').first();
    await mine.filter({ hasText: 'Words to change.' }).waitFor();
    await mine.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = thread.getByRole('textbox', { name: 'Edit your comment' });
    await editor.fill('Words, changed.');
    await thread.getByRole('button', { name: 'Save' }).click();
    await mine.filter({ hasText: 'Words, changed.' }).getByText('(edited)').waitFor();
    await mine.getByRole('button', { name: 'Delete', exact: true }).click();
    await thread.locator('[data-confirm-delete]').click();
    await thread.locator('[part~="comment"]').filter({ hasText: 'Words, changed.' }).waitFor({ state: 'detached' });

    // Report (chunks/report-*.js) on a sample comment: the dialog opens, and closes on Cancel.
    await thread.locator('[part="list"] [part~="comment"]').first().getByRole('button', { name: 'Report abuse' }).first().click();
    await page.getByRole('radio', { name: 'Spam or advertising' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).last().click();

    // The account panel (chunks/account-*.js, decision 0034): who the reader is, and an address
    // whose confirmation goes to the demo's local outbox.
    await thread.getByRole('button', { name: 'Posting as Lee' }).click();
    const account = thread.locator('colloquy-account');
    await account.getByText('You post as Lee.').waitFor();
    await account.getByRole('textbox', { name: 'E-mail address' }).fill('lee@example.org');
    await account.getByRole('button', { name: 'Send confirmation' }).click();
    await account.getByText('We sent a message to lee@example.org').waitFor();

    // Helpful (in chunks/writes-*.js) on a sample comment: pressed, counted.
    const helpful = thread.locator('[part="list"] [part~="comment"]').first().locator('[data-helpful-for]').first();
    await helpful.click();
    await thread.locator('[part="list"] [part~="comment"]').first().locator('[data-helpful-for][aria-pressed="true"]').first().waitFor();

    // A permalink (chunks/permalink-*.js) opened in a fresh tab: the comment is highlighted and focused.
    const href = await thread.locator('[part="list"] [part~="comment"]').nth(1).locator('a[part="permalink"]').first().getAttribute('href');
    assert.match(href ?? '', /^#comment-/);
    const id = decodeURIComponent(href!.slice('#comment-'.length));
    const linked = await (await browser.newContext()).newPage();
    linked.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text()) || message.type() === 'error') refused.push(message.text());
    });
    linked.on('pageerror', (error) => refused.push(error.message));
    linked.on('response', (response) => {
      if (/\/chunks\/permalink-[^/]+\.js$/.test(response.url())) chunks.push(`permalink ${response.status()}`);
    });
    await linked.goto(`${server.url}/${href}`);
    await linked.locator(`colloquy-thread [part~="comment-highlighted"]`).waitFor();
    assert.equal(await linked.locator('colloquy-thread [part~="comment-highlighted"]').getAttribute('id'), `comment-${id}`);

    // Every on-demand part (decisions 0032, 0038 and 0039 with its amendment), under the strict
    // CSP and Trusted Types: the live stream, its merge and the arrivals' view come as one `live`
    // chunk once the thread is in view; what only writing needs (posting, helpful marks, the
    // checks, the words) is one `writes` chunk; both import the bundler's small `rolldown-runtime`.
    // Reading a failed request (`failures`) is not fetched: nothing failed.
    assert.deepEqual([...new Set(chunks)].sort(), ['account 200', 'live 200', 'modify 200', 'permalink 200', 'report 200', 'rolldown-runtime 200', 'writes 200']);
    assert.deepEqual(refused, [], 'nothing refused by the CSP or Trusted Types, and no errors');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
