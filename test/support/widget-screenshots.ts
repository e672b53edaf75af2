// Screenshots of <colloquy-thread> for site owners (docs/screenshots/thread-*.png), taken from
// the real thing: `colloquy-server demo` on a fresh SQLite file serving the built embed.js and
// its demo article, in Debian's Chromium. Run after `pnpm build`:
//
//   pnpm --filter @colloquy/tests screenshots
//
// The same seeded thread, the same viewport and a fixed clock each time, so the pictures only
// change when the widget does.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startServerProcess } from './server-process.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const VIEWPORT = { width: 820, height: 1200 };
const MARGIN = 16;

interface Shot {
  file: string;
  colorScheme: 'light' | 'dark';
  /** Put the page in the state to photograph; answers what to capture. */
  prepare(page: Page): Promise<'thread' | 'viewport'>;
  dir?: 'rtl';
}

async function thread(page: Page) {
  const element = page.locator('colloquy-thread');
  // Every seeded comment rendered, times included.
  await element.locator('article.comment time').first().waitFor();
  await page.waitForFunction(() => {
    const root = document.querySelector('colloquy-thread')?.shadowRoot;
    return (root?.querySelectorAll('article.comment').length ?? 0) >= 7;
  });
  return element;
}

const SHOTS: Shot[] = [
  { file: 'thread-light.png', colorScheme: 'light', prepare: async () => 'thread' },
  { file: 'thread-dark.png', colorScheme: 'dark', prepare: async () => 'thread' },
  {
    file: 'thread-spanish.png',
    colorScheme: 'light',
    prepare: async (page) => {
      await page.locator('colloquy-thread').evaluate((element) => element.setAttribute('lang', 'es'));
      await page.locator('colloquy-thread').getByRole('heading', { name: 'Comentarios' }).waitFor();
      return 'thread';
    },
  },
  {
    file: 'thread-reply.png',
    colorScheme: 'light',
    prepare: async (page) => {
      const element = await thread(page);
      // By keyboard, as a reader without a mouse would: the focus ring shows where they are.
      await element.getByRole('button', { name: 'Reply' }).first().focus();
      await page.keyboard.press('Enter');
      const composer = element.locator('#reply-composer');
      await composer.getByRole('textbox', { name: 'Screen name' }).fill('Ana');
      await composer.getByRole('textbox', { name: /^Reply to/ }).fill('Same here: a walk after lunch made my afternoons calmer.');
      await composer.getByRole('textbox', { name: /^Reply to/ }).focus();
      return 'thread';
    },
  },
  {
    file: 'thread-report.png',
    colorScheme: 'light',
    prepare: async (page) => {
      const element = await thread(page);
      const report = element.getByRole('button', { name: 'Report abuse' }).nth(2);
      await report.scrollIntoViewIfNeeded();
      await report.focus();
      await page.keyboard.press('Enter');
      await element.getByRole('dialog').waitFor();
      await page.keyboard.press('ArrowDown'); // the reader picks "Harassment or bullying"
      return 'viewport';
    },
  },
  { file: 'thread-rtl.png', colorScheme: 'light', dir: 'rtl', prepare: async () => 'thread' },
];

async function take(browser: Browser, url: string, shot: Shot): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: shot.colorScheme, locale: 'en-GB', deviceScaleFactor: 1 });
  const page = await context.newPage();
  // A fixed "now", an hour or so after the seed, so relative times read the same every run.
  await page.clock.install({ time: Date.now() + 75 * 60_000 });
  await page.goto(url);
  if (shot.dir) await page.evaluate((dir) => document.documentElement.setAttribute('dir', dir), shot.dir);
  const element = await thread(page);
  const target = await shot.prepare(page);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300); // transitions and the live region settle
  if (target === 'thread') {
    // The widget with a margin of the page around it, so focus rings at its edges show whole.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = (await element.boundingBox())!;
    const clip = { x: box.x - MARGIN, y: box.y - MARGIN, width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN };
    await page.screenshot({ path: join(out, shot.file), clip, fullPage: true, animations: 'disabled' });
  } else {
    await page.screenshot({ path: join(out, shot.file), animations: 'disabled' });
  }
  console.log(`docs/screenshots/${shot.file}`);
  await context.close();
}

const dir = mkdtempSync(join(tmpdir(), 'colloquy-shots-'));
const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'colloquy.db')}` }, { command: 'demo' });
const browser = await launchChromium();
try {
  mkdirSync(out, { recursive: true });
  for (const shot of SHOTS) await take(browser, `${server.url}/`, shot);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
