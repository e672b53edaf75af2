// The built documentation site as a site owner meets it, in Debian's Chromium under the
// site's strict CSP: the getting-started widget and the configurator's preview work with the
// localStorage adapter (no server), the configurator's snippet follows every choice, and the
// theming playground restyles its widget live.
// Needs `pnpm docs:build` first (CI runs it before the tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SITE_CSP } from '@colloquy/docs-site/layout';
import { startStaticServer, type StaticServer } from '@colloquy/docs-site/static-server';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../docs/site/dist/', import.meta.url));

let server: StaticServer;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(`${dist}index.html`), 'docs/site/dist is not built: run pnpm docs:build first');
  server = await startStaticServer({ root: dist, headers: { 'content-security-policy': SITE_CSP } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh reader (empty localStorage) whose console errors and foreign requests are recorded. */
async function openPage(path: string): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ colorScheme: 'light', locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Trusted Type/i.test(message.text())) problems.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) problems.push(`request to ${request.url()}`);
  });
  await page.goto(`${server.url}/${path}`);
  return { page, context, problems };
}

test('getting started: the live widget shows its sample thread, takes a comment and keeps it across a reload', { timeout: 90_000 }, async () => {
  const { page, context, problems } = await openPage('index.html');
  try {
    await page.getByRole('heading', { name: 'Getting started in one minute' }).waitFor();
    const snippet = await page.locator('pre code').filter({ hasText: 'embed.js' }).first().innerText();
    assert.match(snippet, /<script type="module" src="[^"]+\/embed\.js"><\/script>\s*<colloquy-thread><\/colloquy-thread>/);

    const thread = page.locator('#getting-started-demo');
    await thread.locator('[part~="comment"]').filter({ hasText: 'Dropped the script tag' }).waitFor();
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('Trying it from the docs: *so* quick.');
    await thread.getByRole('textbox', { name: 'Screen name' }).fill('Noor');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    const mine = thread.locator('[part~="comment"]').filter({ hasText: 'Trying it from the docs' });
    await mine.waitFor();
    // textContent: a comment below the fold skips rendering (content-visibility: auto), and
    // Chromium gives such content an empty innerText.
    assert.match((await mine.textContent()) ?? '', /Noor/);
    assert.equal(await mine.locator('em').textContent(), 'so', 'markdown is rendered');
    // The page heard the element's typed event.
    await page.locator('#demo-events').filter({ hasText: /colloquy-posted: comment \S+ by Noor/ }).waitFor();

    await page.reload();
    await thread.locator('[part~="comment"]').filter({ hasText: 'Trying it from the docs' }).waitFor();
    assert.equal(await thread.locator('[part~="comment"]').filter({ hasText: 'Dropped the script tag' }).count(), 1, 'the sample is seeded once');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('configurator: each choice changes the snippet and the live preview', { timeout: 90_000 }, async () => {
  const { page, context, problems } = await openPage('configurator.html');
  try {
    const snippet = page.locator('#snippet');
    const preview = page.locator('#configurator-preview');
    await preview.locator('[part~="comment"]').first().waitFor();
    assert.equal(
      await snippet.innerText(),
      '<script type="module" src="https://comments.example.org/embed.js"></script>\n<colloquy-thread></colloquy-thread>',
    );
    const background = () =>
      preview.evaluate((el) => getComputedStyle(el.shadowRoot?.querySelector('[part~="base"]') ?? el).backgroundColor);
    const lightBackground = await background();

    await page.getByLabel('Theme').selectOption('dark');
    assert.match(await snippet.innerText(), /<colloquy-thread theme="dark"><\/colloquy-thread>/);
    assert.equal(await preview.getAttribute('theme'), 'dark');
    await page.waitForFunction(
      ([before]) => {
        const el = document.querySelector('#configurator-preview');
        const base = el?.shadowRoot?.querySelector('[part~="base"]') ?? el;
        return !!base && getComputedStyle(base).backgroundColor !== before;
      },
      [lightBackground],
    );

    await page.getByLabel('Language').selectOption('es');
    assert.match(await snippet.innerText(), /lang="es" theme="dark"/);
    await preview.getByRole('button', { name: 'Publicar comentario' }).waitFor();

    await page.getByLabel('Order').selectOption('newest');
    assert.match(await snippet.innerText(), /sort="newest"/);

    await page.getByLabel('Comment server').fill('https://talk.example.net/');
    assert.match(await snippet.innerText(), /^<script type="module" src="https:\/\/talk\.example\.net\/embed\.js"><\/script>/);
    await page.getByLabel('Comment server').fill('not a server');
    await page.getByRole('alert').filter({ hasText: 'Enter the server’s address' }).waitFor();
    assert.match(await snippet.innerText(), /talk\.example\.net/, 'the last valid server stays in the snippet');
    await page.getByLabel('Comment server').fill('https://talk.example.net');

    // A thread key of its own: the preview opens that (empty) thread and takes a comment there.
    await page.getByLabel('Thread key').fill('/2026/11/rivers');
    assert.match(await snippet.innerText(), /<colloquy-thread thread="\/2026\/11\/rivers" lang="es" theme="dark" sort="newest">/);
    // The head hints: the script, and this thread's first page as the widget will ask for it.
    assert.equal(
      await page.locator('#hints').innerText(),
      '<link rel="modulepreload" href="https://talk.example.net/embed.js">\n' +
        '<link rel="preload" as="fetch" crossorigin href="https://talk.example.net/api/v1/comments?thread=%2F2026%2F11%2Frivers&amp;sort=newest&amp;limit=20">',
    );
    await preview.getByText('Todavía no hay comentarios').waitFor();
    await preview.getByRole('textbox', { name: 'Añadir un comentario' }).fill('Hola desde la vista previa.');
    await preview.getByRole('textbox', { name: 'Nombre visible' }).fill('Inés');
    await preview.getByRole('button', { name: 'Publicar comentario' }).click();
    await preview.locator('[part~="comment"]').filter({ hasText: 'Hola desde la vista previa.' }).waitFor();

    // The address keeps the choices: opening it again gives the same snippet.
    const shared = page.url();
    assert.match(shared, /\?.*theme=dark/);
    const again = await context.newPage();
    await again.goto(shared);
    await again.locator('#snippet').filter({ hasText: 'thread="/2026/11/rivers" lang="es" theme="dark" sort="newest"' }).waitFor();
    await again.close();

    // Back to the page's own thread: the sample conversation, not the comment just posted.
    await page.getByLabel('Thread key').fill('');
    await preview.locator('[part~="comment"]').filter({ hasText: 'Dropped the script tag' }).waitFor();
    assert.equal(await preview.locator('[part~="comment"]').filter({ hasText: 'Hola desde la vista previa.' }).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('theming: custom properties and part rules apply to the live widget and are written out as CSS', { timeout: 90_000 }, async () => {
  const { page, context, problems } = await openPage('theming.html');
  try {
    const preview = page.locator('#theming-preview');
    const author = preview.locator('[part~="author"]').first();
    await author.waitFor();
    const style = (locator: Locator, property: string) =>
      locator.evaluate((el, name) => getComputedStyle(el).getPropertyValue(name), property);

    await page.locator('[data-property="--colloquy-accent"]').fill('#ff0000');
    await page.waitForFunction(() => {
      const thread = document.querySelector('#theming-preview');
      const composer = thread?.shadowRoot?.querySelector('colloquy-composer');
      const button = composer?.shadowRoot?.querySelector('[part~="submit"]');
      return !!button && getComputedStyle(button).backgroundColor === 'rgb(255, 0, 0)';
    });
    assert.match(await page.locator('#theme-css').innerText(), /colloquy-thread \{\n {2}--colloquy-accent: #ff0000;\n\}/);

    await page.locator('#parts-css').fill('colloquy-thread::part(author) { text-transform: uppercase; }');
    assert.equal(await style(author, 'text-transform'), 'uppercase');
    assert.match(await page.locator('#theme-css').innerText(), /::part\(author\) \{ text-transform: uppercase; \}/);

    await page.getByRole('button', { name: 'badge', exact: true }).click();
    assert.match(await page.locator('#parts-css').inputValue(), /colloquy-thread::part\(badge\) \{/);

    await page.getByRole('button', { name: 'Newsprint' }).click();
    assert.match(await style(preview, '--colloquy-font-family'), /Georgia/);
    await page.getByRole('button', { name: 'Reset all' }).click();
    assert.equal((await style(preview, '--colloquy-accent')).trim(), '');

    // Avatars are off, as on a site's tag without the attribute, until the switch turns them on.
    const avatars = preview.locator('[part~="avatar"]');
    const toggle = page.getByLabel('Generated avatars');
    assert.equal(await toggle.isChecked(), false);
    assert.equal(await avatars.count(), 0, 'no avatar before the switch');
    await toggle.check();
    await avatars.first().waitFor();
    assert.equal(await preview.getAttribute('avatars'), '', 'the previewed thread has the attribute');
    assert.equal(await avatars.count(), await preview.locator('[part~="author"]').count(), 'one avatar beside each author');
    await page.locator('[data-property="--colloquy-avatar-size"]').fill('40px');
    await page.locator('#parts-css').fill('colloquy-thread::part(avatar) { border-radius: 50%; }');
    await page.waitForFunction(() => {
      const avatar = document.querySelector('#theming-preview')?.shadowRoot?.querySelector('[part~="avatar"]');
      return avatar?.getBoundingClientRect().width === 40;
    });
    assert.equal(await style(avatars.first(), 'border-radius'), '50%', 'the avatar part takes the typed rule');
    await toggle.uncheck();
    await page.waitForFunction(() => !document.querySelector('#theming-preview')?.shadowRoot?.querySelector('[part~="avatar"]'));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('every page of the site passes axe (WCAG 2.1 A and AA), live widgets included', { timeout: 180_000 }, async () => {
  const { NAV } = await import('@colloquy/docs-site/layout');
  const axe = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
  // axe is injected as a script, which the site's own CSP would rightly refuse.
  const context = await browser.newContext({ bypassCSP: true, colorScheme: 'light' });
  const failures: string[] = [];
  try {
    for (const { file } of NAV) {
      const page = await context.newPage();
      await page.goto(`${server.url}/${file}`);
      const live = page.locator('colloquy-thread[data-live]');
      if ((await live.count()) > 0) await live.first().locator('[part~="comment"]').first().waitFor();
      await page.addScriptTag({ path: axe });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document, {
          runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
        });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')}`);
      });
      failures.push(...violations.map((v) => `${file} ${v}`));
      await page.close();
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, []);
});
