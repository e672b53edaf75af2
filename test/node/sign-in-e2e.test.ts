// Sign-in by e-mail end to end (docs/decisions/0034): the server as a process, a real SMTP
// listener, the built embed.js on another origin's page, and real Chromium. A reader confirms
// an address in one browser, asks for a link from a second, opens it there and posts as the
// same identity (the tab that asked, still open, takes on the identity without a reload); the
// panel there shows and changes following on the real server; the link fails in a third
// browser, on second use and after it expires, and nothing goes to an address nobody confirmed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startHostSite } from '../support/host-site.js';
import { linkIn, startSmtpListener, type SmtpListener } from '../../packages/server/src/smtp-test-support.js';
import { createStore } from '../../packages/server/src/store/index.js';

const THREAD = '/health/sleep';

let dir: string;
let server: ServerProcess;
let smtp: SmtpListener;
let blog: Awaited<ReturnType<typeof startHostSite>>;
let blogUrl: string;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'colloquy-sign-in-'));
  smtp = await startSmtpListener();
  const port = await freePort();
  blogUrl = `http://127.0.0.1:${port}`;
  server = await startServerProcess({
    DATABASE_URL: `sqlite:${join(dir, 'c.db')}`,
    COLLOQUY_ALLOWED_ORIGINS: blogUrl,
    COLLOQUY_SMTP_URL: smtp.url,
    COLLOQUY_MAIL_FROM: 'Comments <comments@example.org>',
  });
  const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sleep</title></head>
<body><main><h1>Sleep</h1><colloquy-thread thread="${THREAD}"></colloquy-thread>
<script type="module" src="${server.url}/embed.js"></script></main></body></html>`;
  blog = await startHostSite(port, new Map([[THREAD, article]]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await blog?.close();
  await server?.stop();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A new browser (its own storage) on the article, or a new tab of `same` (as a link opened from mail). */
async function reader(url = `${blogUrl}${THREAD}`, same?: Page): Promise<{ page: Page; thread: Locator }> {
  const page = await (same ? same.context() : await browser.newContext()).newPage();
  await page.goto(url);
  const thread = page.locator('colloquy-thread');
  await thread.getByRole('textbox', { name: 'Add a comment' }).waitFor();
  return { page, thread };
}

const mailTo = (address: string) => smtp.mail.items.filter((m) => m.to === address);
async function nextMail(address: string, before: number) {
  await smtp.mail.until(() => mailTo(address).length > before);
  return mailTo(address).at(-1)!;
}

/** Posts as a new reader named `name`, then sets `address` from the account panel (a confirmation is sent). */
async function postAndAddAddress(thread: Locator, name: string, address: string): Promise<void> {
  await thread.getByRole('textbox', { name: 'Add a comment' }).fill(`Hello from ${name}.`);
  await thread.getByRole('textbox', { name: 'Screen name' }).fill(name);
  await thread.getByRole('button', { name: 'Post comment' }).click();
  await thread.getByRole('button', { name: `Posting as ${name}` }).click();
  const panel = thread.locator('colloquy-account');
  await panel.getByRole('textbox', { name: 'E-mail address' }).fill(address);
  await panel.getByRole('button', { name: 'Send confirmation' }).click();
  await panel.getByText(`We sent a message to ${address}`).waitFor();
}

async function askForLink(thread: Locator, address: string): Promise<void> {
  await thread.getByRole('button', { name: 'Sign in' }).click();
  const panel = thread.locator('colloquy-account');
  await panel.getByRole('textbox', { name: 'E-mail address' }).fill(address);
  await panel.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await panel.getByRole('status').filter({ hasText: 'a link is on its way' }).waitFor();
}

describe('sign-in by e-mail in real browsers', { timeout: 240_000 }, () => {
  test('a confirmed reader signs in on a second browser, posts as themselves there, and the link works nowhere else', async () => {
    // First browser: Ana posts, then adds and confirms her address from the account panel.
    const first = await reader();
    await postAndAddAddress(first.thread, 'Ana', 'ana@example.org');
    const confirmation = await nextMail('ana@example.org', 0);
    const confirmPage = await first.page.context().newPage();
    await confirmPage.goto(linkIn(confirmation.text, '/email/confirm'));
    await confirmPage.getByRole('button', { name: 'Confirm' }).click();
    await confirmPage.getByText('Your address is confirmed').waitFor();
    const anaId = await first.page.evaluate(async (url) => {
      const response = await fetch(`${url}/api/v1/identities/me`, { headers: { authorization: `Bearer ${localStorage.getItem('colloquy:token')}` } });
      return ((await response.json()) as { identity: { id: string } }).identity.id;
    }, server.url);

    // Second browser: asks for a link, opens it, is Ana there.
    const second = await reader();
    await askForLink(second.thread, 'ana@example.org');
    const signIn = await nextMail('ana@example.org', 1);
    assert.equal(signIn.subject, 'Your sign-in link for comments');
    const link = linkIn(signIn.text, '#colloquy-sign-in=');
    assert.ok(link.startsWith(`${blogUrl}${THREAD}#colloquy-sign-in=`), link);

    // Third browser first: it did not ask, so the link does nothing there (and is not spent).
    const third = await reader(link);
    await third.thread.getByRole('alert').filter({ hasText: 'asked for in another browser' }).waitFor();
    assert.equal(new URL(third.page.url()).hash, '', 'the code leaves the address bar');
    await third.thread.getByRole('button', { name: 'Sign in' }).waitFor();

    const opened = await reader(link, second.page);
    await opened.thread.locator('colloquy-account').getByRole('status').filter({ hasText: 'You are signed in as Ana.' }).waitFor();
    await opened.thread.getByRole('button', { name: 'Posting as Ana' }).waitFor();
    assert.equal(new URL(opened.page.url()).hash, '');
    // The tab that asked for the link is still open: it is Ana too now, without a reload.
    await second.thread.getByRole('button', { name: 'Posting as Ana' }).waitFor();

    // Her first comment followed the thread; she stops following it from the panel.
    const panel = opened.thread.locator('colloquy-account');
    await panel.getByText('Following this conversation.').waitFor();
    assert.equal(await panel.getByRole('checkbox', { name: 'Follow conversations I comment in' }).isChecked(), true);
    await panel.getByRole('button', { name: 'Unfollow' }).click();
    await panel.getByText('Not following this conversation.').waitFor();
    const followed = await opened.page.evaluate(async (url) => {
      const response = await fetch(`${url}/api/v1/identities/me/following`, { headers: { authorization: `Bearer ${localStorage.getItem('colloquy:token')}` } });
      return ((await response.json()) as { threads: unknown[] }).threads;
    }, server.url);
    assert.deepEqual(followed, []);
    await opened.thread.getByRole('textbox', { name: 'Add a comment' }).fill('Answering from my phone.');
    assert.equal(await opened.thread.locator('colloquy-composer').getByRole('textbox', { name: 'Screen name' }).count(), 0, 'no name to pick: she is Ana');
    await opened.thread.getByRole('button', { name: 'Post comment' }).click();
    const mine = opened.thread.locator('[part~="comment"]').filter({ hasText: 'Answering from my phone.' });
    await mine.locator('[part~="author"]').filter({ hasText: 'Ana' }).waitFor();
    const authors = await opened.page.evaluate(async (url) => {
      const response = await fetch(`${url}/api/v1/comments?thread=/health/sleep`);
      return ((await response.json()) as { comments: Array<{ author: { id: string } }> }).comments.map((c) => c.author.id);
    }, server.url);
    assert.deepEqual(authors, [anaId, anaId], 'both comments are the same identity’s');

    // Second use, in the browser that asked: used.
    const twice = await reader(link, second.page);
    await twice.thread.getByRole('alert').filter({ hasText: 'used or expired' }).waitFor();

    // An expired link, in the browser that asked.
    const again = await reader();
    await askForLink(again.thread, 'ana@example.org');
    const late = linkIn((await nextMail('ana@example.org', 2)).text, '#colloquy-sign-in=');
    const store = await createStore(`sqlite:${join(dir, 'c.db')}`);
    try {
      // Sixteen minutes later, as far as the link is concerned.
      await store.db.run(`UPDATE sign_in_links SET expires_at = expires_at - ? WHERE used_at IS NULL`, [16 * 60_000]);
    } finally {
      await store.close();
    }
    const expired = await reader(late, again.page);
    await expired.thread.getByRole('alert').filter({ hasText: 'used or expired' }).waitFor();
    await expired.thread.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  test('nothing is sent to an address nobody confirmed, and the answer is the same', async () => {
    const owner = await reader();
    await postAndAddAddress(owner.thread, 'Ben', 'ben@example.org');
    await nextMail('ben@example.org', 0);

    const other = await reader();
    await askForLink(other.thread, 'ben@example.org');
    await askForLink((await reader()).thread, 'nobody@example.org');
    // A later message to someone else shows the outbox has moved past these requests.
    await postAndAddAddress((await reader()).thread, 'Carl', 'carl@example.org');
    await nextMail('carl@example.org', 0);
    assert.equal(mailTo('ben@example.org').length, 1, 'only the confirmation');
    assert.equal(mailTo('nobody@example.org').length, 0);
  });
});
