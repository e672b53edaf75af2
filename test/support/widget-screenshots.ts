// Screenshots of <colloquy-thread> for site owners (docs/screenshots/thread-*.png), taken from
// the real thing: `colloquy-server demo` on a fresh SQLite file serving the built embed.js and
// its demo article, in Debian's Chromium. Run after `pnpm build`:
//
//   pnpm --filter @colloquy/tests screenshots
//   pnpm --filter @colloquy/tests screenshots thread-avatars   # only the pictures named
//
// The same seeded thread, the same viewport and a fixed clock each time, so the pictures only
// change when the widget does.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startServerProcess } from './server-process.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const cli = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));
/** Signs the moderator's token for the pinned picture; the server runs with the same secret. */
const JWT_SECRET = 'screenshots-only-secret-0123456789abcdef';
/** The demo server of this run, set once it is up. */
let serverUrl = '';
const VIEWPORT = { width: 820, height: 1200 };
const MARGIN = 16;

interface Shot {
  file: string;
  colorScheme: 'light' | 'dark';
  /** Put the page in the state to photograph; answers what to capture. */
  prepare(page: Page): Promise<'thread' | 'viewport'>;
  dir?: 'rtl';
}

async function thread(page: Page, comments = 7) {
  const element = page.locator('colloquy-thread');
  // Every comment rendered, times included.
  await element.locator('article.comment time').first().waitFor();
  await page.waitForFunction((count) => {
    const root = document.querySelector('colloquy-thread')?.shadowRoot;
    return (root?.querySelectorAll('article.comment time').length ?? 0) >= count;
  }, comments);
  return element;
}

/** A Spanish-speaking page's thread, written through the API by readers with screen names. */
const SPANISH_THREAD = '/es/articulos/diez-minutos-al-aire-libre';
const SPANISH_COMMENTS: { author: string; body: string; replyTo?: number }[] = [
  { author: 'Lucía', body: 'Desde hace un mes salgo a caminar diez minutos después de comer. Lo que más noto es que por la tarde ya no necesito otro café.' },
  { author: 'Andrés', replyTo: 0, body: 'A mí me pasa igual. ¿Lo haces aunque llueva?' },
  { author: 'Lucía', replyTo: 1, body: 'Si llueve, subo y bajo las escaleras del edificio. No es un parque, pero **despeja la cabeza**.' },
  { author: 'Marta', body: 'Con mi madre caminamos hasta la esquina y volvemos, despacio. Se ha convertido en el rato más tranquilo del día.' },
];

async function seedSpanishThread(url: string): Promise<void> {
  const tokens = new Map<string, string>();
  const ids: string[] = [];
  for (const [index, comment] of SPANISH_COMMENTS.entries()) {
    let token = tokens.get(comment.author);
    if (!token) {
      const answer = await api(url, '/identities', { name: comment.author });
      token = (answer as { token: string }).token;
      tokens.set(comment.author, token);
    }
    const parentId = comment.replyTo === undefined ? undefined : ids[comment.replyTo];
    const created = await api(url, '/comments', { thread: SPANISH_THREAD, body: comment.body, ...(parentId ? { parentId } : {}) }, token, `es-${index}`);
    ids.push((created as { comment: { id: string } }).comment.id);
  }
}

async function api(url: string, path: string, body: unknown, token?: string, idempotencyKey?: string, method = 'POST'): Promise<unknown> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const SHOTS: Shot[] = [
  { file: 'thread-light.png', colorScheme: 'light', prepare: async () => 'thread' },
  { file: 'thread-dark.png', colorScheme: 'dark', prepare: async () => 'thread' },
  {
    file: 'thread-spanish.png',
    colorScheme: 'light',
    prepare: async (page) => {
      await page.locator('colloquy-thread').evaluate((element, key) => {
        element.setAttribute('lang', 'es');
        element.setAttribute('thread', key);
      }, SPANISH_THREAD);
      await page.locator('colloquy-thread').getByRole('heading', { name: 'Comentarios' }).waitFor();
      await thread(page, SPANISH_COMMENTS.length);
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
  {
    file: 'thread-preview.png',
    colorScheme: 'light',
    prepare: async (page) => {
      const element = await thread(page);
      const composer = element.locator('#top-composer');
      await composer.getByRole('textbox', { name: 'Screen name' }).fill('Ana');
      await composer.getByRole('textbox', { name: 'Add a comment' }).fill('A walk after lunch made my afternoons **calmer**.\n\n> the afternoon slump\n\nMore on [the study](https://example.org/study).');
      await composer.getByRole('button', { name: 'Preview' }).focus();
      await page.keyboard.press('Enter');
      await composer.locator('[part~="preview"] .body strong').waitFor();
      return 'viewport';
    },
  },
  {
    file: 'thread-quote.png',
    colorScheme: 'light',
    prepare: async (page) => {
      const element = await thread(page);
      // By keyboard: arrow from Reply to Quote, then Enter quotes the whole comment.
      await element.getByRole('button', { name: 'Reply' }).first().focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await element.locator('#reply-composer').getByRole('textbox', { name: /^Reply to/ }).waitFor();
      return 'viewport';
    },
  },
  {
    file: 'thread-avatars.png',
    colorScheme: 'dark',
    prepare: async (page) => {
      await page.locator('colloquy-thread').evaluate((element) => element.setAttribute('avatars', ''));
      await page.locator('colloquy-thread [part~="avatar"]').first().waitFor();
      await thread(page);
      return 'thread';
    },
  },
  {
    // Last: a moderator's pin and readers' helpful marks, made through the API as they would
    // be, change the thread for any picture after this one.
    file: 'thread-pinned.png',
    colorScheme: 'light',
    prepare: async (page) => {
      const ids = await page.locator('colloquy-thread').evaluate((element) =>
        (element as unknown as { threadState: { getSnapshot(): { comments: { comment: { id: string } }[] } } }).threadState.getSnapshot().comments.map((node) => node.comment.id),
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=colloquy-source', '--import', 'tsx', cli, 'token', '--role', 'staff', '--name', 'Dr. Okafor'], {
        env: { ...process.env, COLLOQUY_JWT_SECRET: JWT_SECRET },
      });
      await api(serverUrl, `/moderation/comments/${encodeURIComponent(ids.at(-1)!)}/pin`, { pinned: true }, stdout.trim());
      for (const name of ['Ana', 'Ben', 'Chidi']) {
        const { token } = (await api(serverUrl, '/identities', { name })) as { token: string };
        for (const id of ids.slice(0, name === 'Chidi' ? 1 : 2)) await api(serverUrl, `/comments/${encodeURIComponent(id)}/helpful`, { helpful: true }, token, undefined, 'PUT');
      }
      await page.reload();
      await thread(page);
      await page.locator('colloquy-thread [part~="pinned"]').waitFor();
      return 'thread';
    },
  },
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
    // Comments below the fold skip rendering (content-visibility: auto) and would come out
    // blank in a full-page picture: make the viewport as tall as the page, then let it paint.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, height) });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
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
// Every reader's mark counts (a fresh identity's, or a second one from the same network, would
// not by default; decision 0036), so the pinned picture shows the marks made just before it.
const server = await startServerProcess(
  { DATABASE_URL: `sqlite:${join(dir, 'colloquy.db')}`, COLLOQUY_JWT_SECRET: JWT_SECRET, COLLOQUY_TRUST_MIN_AGE_HOURS: '0', COLLOQUY_TRUST_MIN_COMMENTS: '0', COLLOQUY_TRUST_NETWORKS: 'off' },
  { command: 'demo' },
);
serverUrl = server.url;
const browser = await launchChromium();
try {
  mkdirSync(out, { recursive: true });
  await seedSpanishThread(server.url);
  const wanted = process.argv.slice(2);
  for (const shot of SHOTS) if (wanted.length === 0 || wanted.includes(shot.file.replace(/\.png$/, ''))) await take(browser, `${server.url}/`, shot);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
