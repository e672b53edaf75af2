// Screenshots of the host blog with the widget (docs/screenshots/host-blog-desktop.png and
// host-blog-390.png), taken through the production test bed (test/support/bed.ts): the
// WordPress post imported from its export, read at https://blog.test on its old URL, the
// comments served from https://comments.test through nginx. Run after `pnpm build`:
//
//   pnpm --filter @colloquy/tests screenshots:bed
import { fileURLToPath } from 'node:url';
import { startBed, POSTS } from './bed.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const SHOTS = [
  { file: 'host-blog-desktop.png', viewport: { width: 1280, height: 900 } },
  { file: 'host-blog-390.png', viewport: { width: 390, height: 844 } },
];

const bed = await startBed({ log: (line) => console.log(`bed: ${line}`) });
const browser = await bed.launchBrowser();
try {
  for (const shot of SHOTS) {
    const context = await browser.newContext({ viewport: shot.viewport, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(bed.blogUrl(POSTS.wordpress.path));
    // Every imported comment rendered, times included.
    await page.waitForFunction(() => (document.querySelector('colloquy-thread')?.shadowRoot?.querySelectorAll('article.comment time').length ?? 0) >= 6);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${out}${shot.file}`, fullPage: true });
    console.log(`wrote docs/screenshots/${shot.file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await bed.stop();
}
