// Smoke tests of the built examples in Debian's Chromium, each under its page's strict CSP:
// the plain HTML page against the real server (the CLI, a SQLite file), and the React, Vue
// and Svelte apps with the localStorage adapter. A reader posts and sees the comment; the
// apps show that they heard the typed `colloquy-posted` event and drive the element's
// properties from their own state. Needs `pnpm build` and `pnpm examples:build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startStaticServer } from '@colloquy/docs-site/static-server';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

function builtExample(name: string): string {
  const dist = join(examples, name, 'dist');
  assert.ok(existsSync(join(dist, 'index.html')), `examples/${name} is not built: run pnpm examples:build first`);
  return dist;
}

/** Opens a page in a fresh profile, recording errors, CSP refusals and requests. */
async function open(url: string) {
  const context = await browser.newContext({ colorScheme: 'light', locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported with their address below.
    if (message.text().startsWith('Failed to load resource')) return;
    if (message.type() === 'error' || /Content Security Policy|Trusted Type/i.test(message.text())) problems.push(message.text());
  });
  page.on('response', (response) => {
    // The examples have no favicon; the browser asks anyway.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  return { page, context, problems, requests };
}

async function post(page: Page, name: string, text: string) {
  const thread = page.locator('colloquy-thread');
  await thread.getByRole('textbox', { name: 'Add a comment' }).fill(text);
  await thread.getByRole('textbox', { name: 'Screen name' }).fill(name);
  await thread.getByRole('button', { name: 'Post comment' }).click();
  const comment = thread.locator('[part~="comment"]').filter({ hasText: text });
  await comment.waitFor();
  // textContent: a comment below the fold skips rendering (content-visibility: auto), and
  // Chromium gives such content an empty innerText.
  assert.match((await comment.textContent()) ?? '', new RegExp(name));
}

test('plain HTML: the script-tag page talks to the real server and keeps the comment', { timeout: 120_000 }, async () => {
  const dist = builtExample('html');
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-example-html-'));
  const api = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'comments.db')}` });
  // The page names the server as http://127.0.0.1:8787; here it runs on a free port.
  const site = await startStaticServer({ root: dist, transformHtml: (html) => html.replaceAll('http://127.0.0.1:8787', api.url) });
  try {
    const { page, context, problems, requests } = await open(`${site.url}/index.html?utm_source=newsletter`);
    await page.locator('colloquy-count').getByText('0 comments').waitFor();
    await post(page, 'Marta', 'We saw them jumping at the old weir last week!');
    await page.reload();
    await page.locator('colloquy-thread [part~="comment"]').filter({ hasText: 'jumping at the old weir' }).waitFor();
    await page.locator('colloquy-count').getByText('1 comment').waitFor();
    // The thread key is the canonical path, not the address with its query string.
    const listed = (await (await fetch(`${api.url}/api/v1/comments?thread=/2026/11/rivers-that-came-back`)).json()) as { comments: unknown[] };
    assert.equal(listed.comments.length, 1);
    const foreign = requests.filter((url) => !url.startsWith(site.url) && !url.startsWith(api.url));
    assert.deepEqual(foreign, [], 'requests went only to the page and the comment server');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await site.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const framework of ['react', 'vue', 'svelte']) {
  test(`${framework}: the app sets the element's properties and hears its typed events`, { timeout: 90_000 }, async () => {
    const site = await startStaticServer({ root: builtExample(framework) });
    try {
      const { page, context, problems, requests } = await open(`${site.url}/index.html`);
      const thread = page.locator('colloquy-thread');
      await thread.getByRole('textbox', { name: 'Add a comment' }).waitFor({ timeout: 15_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\n${problems.join('\n')}`);
      });
      await post(page, 'Kofi', `Hello from the ${framework} example.`);
      await page.locator('#activity li').filter({ hasText: `Posted by Kofi: Hello from the ${framework} example.` }).waitFor();

      // The app's own controls drive the element's properties.
      await page.locator('#sort').selectOption('newest');
      const property = (name: string, value: string) =>
        page.waitForFunction(([n, v]: readonly [string, string]) => (document.querySelector('colloquy-thread') as unknown as Record<string, unknown>)[n] === v, [name, value] as const);
      await property('sort', 'newest');
      await page.locator('#theme').selectOption('dark');
      await property('theme', 'dark');

      // localStorage: the comment is still there after a reload.
      await page.reload();
      await thread.locator('[part~="comment"]').filter({ hasText: `Hello from the ${framework} example.` }).waitFor();
      assert.deepEqual(requests.filter((url) => !url.startsWith(site.url)), [], 'no server, no third parties');
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await site.close();
    }
  });
}
