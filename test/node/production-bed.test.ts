// The production test bed (test/support/bed.ts): a site run the way docs/self-hosting.md and
// docs/deploy/ describe, from Debian's packages. nginx terminates TLS for comments.test and serves
// a static blog as blog.test (another origin); two `colloquy-server` processes share one
// PostgreSQL database, migrated and filled by the operator's commands (`migrate`, `import disqus`,
// `import wordpress`). Chromium reads an imported thread under its old URL, posts, replies,
// reports, sees comments posted through each server process arrive live through nginx, and a
// moderator signed in with `colloquy-server token` removes the reported one on /moderation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startBed, POSTS, type Bed } from '../support/bed.js';
import { callThrough } from '../support/nginx.js';
import { DOCUMENTED_NGINX_CONF, DOCUMENTED_SERVICE_UNIT } from '../support/deploy-config.js';

const THREAD = '/2014/test'; // the WordPress post's old URL path, in canonical form
const axePath = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));

function comment(page: Page, text: string) {
  return page.locator('colloquy-thread [part~="comment"]').filter({ hasText: text }).first();
}

/** A reader writing through one server process directly (not through nginx): the other process's reader must hear it live. */
async function postDirectly(serverUrl: string, token: string | null, body: Record<string, unknown>, path = '/comments') {
  const response = await fetch(`${serverUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.ok(response.ok, `POST ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'], resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')}`);
  });
}

test('self-hosting.md shows docs/deploy/nginx.conf and colloquy@.service as they are (the files the tests run)', () => {
  const guide = readFileSync(fileURLToPath(new URL('../../docs/self-hosting.md', import.meta.url)), 'utf8');
  const withoutHeader = (file: string) => readFileSync(file, 'utf8').replace(/^(#.*\n)+\n*/, '');
  assert.equal(/```nginx\n([^]*?)```/.exec(guide)?.[1], withoutHeader(DOCUMENTED_NGINX_CONF));
  assert.equal(/```ini\n([^]*?)```/.exec(guide)?.[1], withoutHeader(DOCUMENTED_SERVICE_UNIT));
});

test('systemd accepts docs/deploy/colloquy@.service', { skip: existsSync('/usr/bin/systemd-analyze') ? false : 'systemd-analyze is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-unit-'));
  try {
    // An instance of the template, as `systemctl enable colloquy@8787` makes.
    copyFileSync(DOCUMENTED_SERVICE_UNIT, join(dir, 'colloquy@8787.service'));
    const result = spawnSync('/usr/bin/systemd-analyze', ['verify', join(dir, 'colloquy@8787.service')], { encoding: 'utf8' });
    // Warnings (an unknown key, a misspelt section) come with status 0: none is allowed either.
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the production test bed: nginx and TLS, two server processes on PostgreSQL, a blog on another origin', () => {
  let bed: Bed;
  let browser: Browser;
  let readerContext: BrowserContext;
  let reader: Page;
  const requests: string[] = [];
  const refused: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    bed = await startBed();
    browser = await bed.launchBrowser();
    readerContext = await browser.newContext();
    reader = await readerContext.newPage();
    reader.on('request', (request) => requests.push(request.url()));
    reader.on('pageerror', (error) => pageErrors.push(error.message));
    reader.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text())) refused.push(message.text());
    });
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await bed?.stop();
  });

  test('the operator migrated a new database, then imported a Disqus and a WordPress export with the CLI', () => {
    assert.equal(bed.tablesBeforeMigrate, 0, 'the database starts empty');
    assert.ok(bed.tablesAfterMigrate > 5, `colloquy-server migrate made the tables (${bed.tablesAfterMigrate})`);
    const output = (command: string) => bed.operatorLog.find(([run]) => run.startsWith(`colloquy-server ${command}`))?.[1] ?? '';
    const [migrate, disqus, wordpress] = [output('migrate'), output('import disqus'), output('import wordpress')];
    assert.match(migrate, /colloquy: database schema is up to date/);
    // The remark42 sample's last post has an invalid date: skipped with its line, the rest imported.
    assert.match(disqus, /into postgres: 5 comments created, 0 already there, 1 skipped, 0 detached/);
    assert.match(disqus, /skipped record \S+ at line 135, column 5: createdAt "2011-x09-30T22:48:43Z" is not an ISO 8601 date/);
    assert.match(wordpress, /into postgres: 8 comments created, 0 already there, 0 skipped, 0 detached/);
    // Both server processes found the schema migrated and serve the same database.
    for (const server of bed.servers) assert.match(server.output(), /colloquy: listening on http:\/\/127\.0\.0\.1:\d+ \(postgres\)/);
    assert.match(bed.servers[0].output(), new RegExp(`pages on ${bed.blogOrigin.replace(/[.:]/g, '\\$&')} may embed comments`));
  });

  test('a reader opens the imported WordPress post under its old URL, over HTTPS, the widget from the comments origin', { timeout: 60_000 }, async () => {
    const embed = reader.waitForResponse((response) => response.url() === `${bed.commentsOrigin}/embed.js`);
    await reader.goto(bed.blogUrl(POSTS.wordpress.path));
    assert.equal(new URL(reader.url()).origin, bed.blogOrigin);
    // embed.js crossed nginx compressed, as the server sent it.
    assert.equal((await (await embed).allHeaders())['content-encoding'], 'br');
    await reader.getByRole('heading', { level: 1, name: POSTS.wordpress.title }).waitFor();
    await comment(reader, 'Erster!1').waitFor();
    for (const text of ['Zweiter.', 'Drölfter!', 'Yet another reply.', 'When you have a comment with multiple lines']) {
      await comment(reader, text).waitFor({ state: 'attached' });
    }
    // The reply chain of the export (6 ← 7 ← 8) is nested as it was.
    assert.ok((await comment(reader, 'Zweiter.').locator('[part~="comment"]').filter({ hasText: 'Drölfter!' }).count()) > 0, 'Drölfter! is a reply to Zweiter.');
    assert.ok((await comment(reader, 'Drölfter!').locator('[part~="comment"]').filter({ hasText: 'Yet another reply.' }).count()) > 0);
    assert.equal(await comment(reader, 'Erster!1').locator('[part~="comment"]').filter({ hasText: 'Zweiter.' }).count(), 0, 'top-level comments stay apart');
    assert.match((await comment(reader, 'Erster!1').textContent()) ?? '', /Ohai/);

    // The imported Disqus thread under its own old URL, in Cyrillic.
    const disqus = await readerContext.newPage();
    await disqus.goto(bed.blogUrl(POSTS.disqus.path));
    await comment(disqus, 'Google App Engine скоро выходит из превью статуса').waitFor();
    await comment(disqus, 'This comment had no ID').waitFor({ state: 'attached' });
    await disqus.close();
  });

  test('the reader posts, replies to an imported comment and reports one, through nginx', { timeout: 60_000 }, async () => {
    const thread = reader.locator('colloquy-thread');
    await thread.getByRole('textbox', { name: 'Add a comment' }).fill('Found this post at its old address; glad the comments moved with it.');
    await thread.getByRole('textbox', { name: 'Screen name' }).fill('Rosa');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await comment(reader, 'Found this post at its old address').waitFor();

    await comment(reader, 'Zweiter.').getByRole('button', { name: 'Reply', exact: true }).first().click();
    await thread.getByRole('textbox', { name: /^Reply to/ }).fill('Zweiter, years later: still reading.');
    await thread.getByRole('button', { name: 'Post reply' }).click();
    await comment(reader, 'still reading').waitFor();
    assert.ok((await comment(reader, 'Zweiter.').locator('[part~="comment"]').filter({ hasText: 'still reading' }).count()) > 0, 'the reply sits under the imported comment');

    const target = comment(reader, 'Multiline Author');
    await target.getByRole('button', { name: 'Report abuse' }).first().click();
    await reader.getByRole('radio', { name: 'Spam or advertising' }).check();
    await reader.getByRole('button', { name: 'Send report' }).click();
    await target.getByText('Reported').first().waitFor();

    // Written through nginx to one process, read back from each: one database.
    for (const server of bed.servers) {
      const page = (await (await fetch(`${server.url}/api/v1/comments?thread=${encodeURIComponent(THREAD)}&limit=100`)).json()) as { comments: Array<{ body: string }> };
      const bodies = JSON.stringify(page.comments);
      assert.match(bodies, /Found this post at its old address/);
      assert.match(bodies, /still reading/);
    }
  });

  let liveBodies: string[] = [];
  let moderatorToken = '';
  test('comments written through each server process arrive live in the reader’s page, through nginx', { timeout: 60_000 }, async () => {
    const { token } = (await postDirectly(bed.servers[0].url, null, { name: 'Ana' }, '/identities')) as { token: string };
    liveBodies = bed.servers.map((_, i) => `Posted through server process ${i + 1}, live.`);
    // One of the two processes holds the reader's stream; the other's comment crosses processes.
    for (const [i, server] of bed.servers.entries()) await postDirectly(server.url, token, { thread: THREAD, body: liveBodies[i] });
    const thread = reader.locator('colloquy-thread');
    // New top-level comments wait behind a button, so nothing moves under the reader.
    await thread.getByRole('button', { name: /Show 2 new comments/ }).click({ timeout: 20_000 });
    for (const body of liveBodies) await comment(reader, body).waitFor();
    assert.ok(
      requests.some((url) => url.startsWith(`${bed.commentsOrigin}/api/v1/events`)),
      'the live stream came through nginx on the comments origin',
    );
  });

  test('a moderator signed in with `colloquy-server token` removes the reported live comment on /moderation; the reader sees it go', { timeout: 90_000 }, async () => {
    // The moderator gets a token from the CLI and opens /moderation while the reader reports.
    const moderatorContext = await browser.newContext();
    const moderator = await moderatorContext.newPage();
    const moderatorRefused: string[] = [];
    moderator.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text())) moderatorRefused.push(message.text());
    });
    const signInReady = Promise.all([bed.cli(['token', '--role', 'moderator', '--name', 'Mia']), moderator.goto(`${bed.commentsOrigin}/moderation`)]);
    signInReady.catch(() => undefined);

    const spam = liveBodies[1]!;
    const target = comment(reader, spam);
    await target.getByRole('button', { name: 'Report abuse' }).first().click();
    await reader.getByRole('radio', { name: 'Spam or advertising' }).check();
    await reader.getByRole('button', { name: 'Send report' }).click();
    await target.getByText('Reported').first().waitFor();

    const [{ stdout }] = await signInReady;
    const token = stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    moderatorToken = token;
    await moderator.getByLabel('Moderator token').fill(token);
    await moderator.getByRole('button', { name: 'Open the queue' }).click();
    await moderator.locator('#sign-in-status').filter({ hasText: 'Signed in as Mia (moderator).' }).waitFor();
    const queue = moderator.locator('colloquy-moderation');
    const item = queue.locator('article[data-item]').filter({ hasText: spam });
    await item.waitFor({ timeout: 20_000 });
    assert.match(await item.locator('[part="reports"] h4').innerText(), /^1 report/);
    // The other reported comment, imported from WordPress, waits in the same queue.
    await queue.locator('article[data-item]').filter({ hasText: 'When you have a comment with multiple lines' }).waitFor();
    await item.focus();
    await moderator.keyboard.press('s');
    await item.waitFor({ state: 'detached' });

    // The reader, reading all along, sees it go; neither process lists it any more.
    await comment(reader, spam).waitFor({ state: 'detached', timeout: 20_000 });
    for (const server of bed.servers) {
      const page = (await (await fetch(`${server.url}/api/v1/comments?thread=${encodeURIComponent(THREAD)}&limit=100`)).json()) as { comments: unknown[] };
      assert.doesNotMatch(JSON.stringify(page.comments), new RegExp(spam));
    }

    // The queue's own live stream (/api/v1/moderation/events) comes through nginx too: a report
    // made now arrives without a reload.
    const late = comment(reader, 'Erster!1');
    await late.getByRole('button', { name: 'Report abuse' }).first().click();
    await reader.getByRole('radio', { name: 'Harassment or bullying' }).check();
    await reader.getByRole('button', { name: 'Send report' }).click();
    await late.getByText('Reported').first().waitFor();
    await queue.locator('[part="new-items"]').filter({ hasText: 'Show 1 new item' }).waitFor({ timeout: 20_000 });
    assert.deepEqual(moderatorRefused, [], 'the moderation page broke its content security policy');
    await moderatorContext.close();
  });

  test('the blog page kept its own Content Security Policy and talked only to its two origins', () => {
    const foreign = requests.filter((url) => !url.startsWith(bed.blogOrigin) && !url.startsWith(bed.commentsOrigin) && !url.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(refused, [], 'the documented CSP refused something the widget needs');
    assert.deepEqual(pageErrors, []);
  });

  test('axe finds no violations on the host blog at 390 px and at desktop width', { timeout: 60_000 }, async () => {
    // axe is injected as a script, which the blog's CSP rightly refuses.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, colorScheme: 'light' });
    const page = await context.newPage();
    const failures: string[] = [];
    const check = async (state: string) => failures.push(...(await axeViolations(page)).map((v) => `${state}: ${v}`));
    await page.goto(bed.blogUrl(POSTS.wordpress.path));
    await comment(page, 'Erster!1').waitFor();
    await check('390 px');
    // With a reply form open, at both widths (the open form adds to what the page shows).
    await comment(page, 'Zweiter.').getByRole('button', { name: 'Reply', exact: true }).first().click();
    await page.locator('colloquy-thread').getByRole('textbox', { name: /^Reply to/ }).waitFor();
    await check('390 px, replying');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check('1280 px, replying');
    await context.close();
    assert.deepEqual(failures, []);
  });

  // Last: the thread it closes is the one the tests above read and reply in.
  test('a moderator closes the thread: the reader is told, the text kept; neither process takes a post; the page reads on', { timeout: 60_000 }, async () => {
    const closed = await callThrough(bed.nginx, 'POST', '/moderation/threads', {
      from: '127.0.0.1',
      token: moderatorToken,
      body: { thread: THREAD, action: 'close', reason: 'Old post: conversation closed.' },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.json));
    assert.equal(closed.json.thread.closed, true);

    // The reader, the page still open from before, tries to post: refused, told why, text kept.
    const thread = reader.locator('colloquy-thread');
    const composer = thread.getByRole('textbox', { name: 'Add a comment' });
    await composer.fill('One more thought, just after it closed.');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await thread.getByText('Comments are closed.').first().waitFor();
    if ((await composer.count()) > 0) assert.equal(await composer.inputValue(), 'One more thought, just after it closed.');

    // Each process refuses a post, whichever the reader reaches.
    const { token } = (await postDirectly(bed.servers[1].url, null, { name: 'Late' }, '/identities')) as { token: string };
    for (const server of bed.servers) {
      const response = await fetch(`${server.url}/api/v1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${token}` },
        body: JSON.stringify({ thread: THREAD, body: 'Too late?' }),
      });
      assert.equal(response.status, 403);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'thread_closed');
    }

    // A reader arriving now reads the conversation, with "Comments are closed." where the
    // composer was. (The other process's cached first page may say open for up to 5 s.)
    const newcomer = await (await browser.newContext()).newPage();
    const deadline = Date.now() + 20_000;
    for (;;) {
      await newcomer.goto(bed.blogUrl(POSTS.wordpress.path));
      await comment(newcomer, 'Erster!1').waitFor();
      if ((await newcomer.locator('colloquy-thread [part~="closed"]').count()) > 0) break;
      assert.ok(Date.now() < deadline, 'the thread still offered a composer 20 s after it was closed');
    }
    assert.equal((await newcomer.locator('colloquy-thread [part~="closed"]').innerText()).trim(), 'Comments are closed.');
    assert.equal(await newcomer.locator('colloquy-thread').getByRole('textbox', { name: 'Add a comment' }).count(), 0);

    // The Disqus thread that was closed on the old site is closed here too.
    await newcomer.goto(bed.blogUrl(POSTS.disqusClosed.path));
    await comment(newcomer, 'Alexander Blah').waitFor();
    await newcomer.locator('colloquy-thread [part~="closed"]').waitFor();
    await newcomer.context().close();
  });
});
