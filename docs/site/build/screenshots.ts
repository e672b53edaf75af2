// Screenshots of the built site for docs/screenshots/, reproducibly: the same pages, sizes and
// a fresh browser profile (so the sample conversation is the seeded one) every time.
//   pnpm docs:build && pnpm --filter @colloquy/docs-site screenshots
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../../test/support/browser.js';
import { SITE_CSP } from './layout.js';
import { repoRoot, siteRoot } from './sources.js';
import { startStaticServer } from './static-server.js';

interface Shot {
  name: string;
  page: string;
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** Runs on the page before the picture: make a choice, open something. */
  prepare?: (page: import('playwright-core').Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  { name: 'getting-started', page: 'index.html', height: 1500 },
  {
    name: 'configurator',
    page: 'configurator.html',
    height: 1100,
    prepare: async (page) => {
      await page.getByLabel('Comment server').fill('https://talk.example.net');
      await page.getByLabel('Order').selectOption('newest');
      await page.getByLabel('Language').selectOption('es');
      await page.getByLabel('Theme').selectOption('dark');
    },
  },
  {
    name: 'theming',
    page: 'theming.html',
    height: 1300,
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Newsprint' }).click();
      await page.getByLabel('Generated avatars').check();
      await page.locator('#theming-preview [part~="avatar"]').first().waitFor();
      await page.locator('#theming-playground').scrollIntoViewIfNeeded();
    },
  },
  { name: 'components', page: 'components.html', height: 1200 },
  { name: 'protocol', page: 'protocol.html', height: 1200 },
  { name: 'protocol-operation', page: 'protocol.html#post-api-v1-comments', height: 1000 },
  { name: 'self-hosting', page: 'self-hosting.html', height: 1200 },
  { name: 'adapters', page: 'adapters.html', height: 1000 },
  { name: 'getting-started-dark', page: 'index.html', height: 1500, colorScheme: 'dark' },
  { name: 'getting-started-mobile', page: 'index.html', width: 390, height: 1400 },
];

const out = join(repoRoot, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const server = await startStaticServer({ root: join(siteRoot, 'dist'), headers: { 'content-security-policy': SITE_CSP } });
const browser = await launchChromium();
try {
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      viewport: { width: shot.width ?? 1280, height: shot.height ?? 1000 },
      colorScheme: shot.colorScheme ?? 'light',
      deviceScaleFactor: 1,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${server.url}/${shot.page}`);
    await page.waitForLoadState('networkidle');
    const live = page.locator('colloquy-thread[data-live]');
    if ((await live.count()) > 0) await live.first().locator('[part~="comment"]').first().waitFor();
    await shot.prepare?.(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${shot.name}.png`) });
    if (errors.length) throw new Error(`${shot.page}: ${errors.join('\n')}`);
    console.log(`docs/screenshots/${shot.name}.png`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
