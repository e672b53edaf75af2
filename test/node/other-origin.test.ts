// A site on another origin embeds the widget from the comments server, the way a blog does:
// the real server process (`colloquy-server demo` with COLLOQUY_ALLOWED_ORIGINS set), two tiny
// host pages on other ports, Debian's Chromium. The allowed blog loads comments (and the report
// dialog, a chunk loaded from the comments origin on demand); the other blog's reader is told
// plainly that this site is not accepted, and its owner is told in the console what to set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.js';
import { freePort, startServerProcess } from '../support/server-process.js';

const THREAD = '/articles/ten-minutes-outside';

async function hostBlog(port: number, comments: string): Promise<Server> {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title>
<script type="module" src="${comments}/embed.js"></script></head>
<body><main><h1>A post</h1><colloquy-thread thread="${THREAD}"></colloquy-thread></main></body></html>`;
  const server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('an allowed blog shows comments; a blog not allowed says so, and the console names the variable and origin', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-origin-'));
  const [allowedPort, otherPort] = [await freePort(), await freePort()];
  const allowed = `http://127.0.0.1:${allowedPort}`;
  const other = `http://127.0.0.1:${otherPort}`;
  const server = await startServerProcess(
    { DATABASE_URL: `sqlite:${join(dir, 'c.db')}`, COLLOQUY_ALLOWED_ORIGINS: allowed },
    { command: 'demo' },
  );
  const blogs = [await hostBlog(allowedPort, server.url), await hostBlog(otherPort, server.url)];
  const browser = await launchChromium();
  try {
    assert.match(server.output(), new RegExp(`pages on ${allowed.replace(/[.:]/g, '\\$&')} may embed comments \\(COLLOQUY_ALLOWED_ORIGINS\\)`));

    const good = await browser.newPage();
    // The report dialog is not in embed.js: it comes from the comments origin, prefetched when
    // the browser is idle or fetched when asked for, whichever comes first.
    const chunk = good.waitForResponse((response) => /\/chunks\/report-[^/]+\.js$/.test(response.url()), { timeout: 30_000 });
    chunk.catch(() => undefined);
    // The live stream opens once the first page is in.
    const stream = good.waitForRequest((request) => request.url().includes('/api/v1/events?'), { timeout: 30_000 });
    stream.catch(() => undefined);
    await good.goto(`${allowed}/`);
    const thread = good.locator('colloquy-thread');
    await thread.locator('[part~="comment"]').first().waitFor();
    assert.ok((await thread.locator('[part~="comment"]').count()) >= 3, 'the demo comments, read from another origin');
    await thread.locator('[part~="comment"]').first().getByRole('button', { name: 'Report abuse' }).first().click();
    assert.equal((await chunk).status(), 200);
    await good.getByRole('radio', { name: 'Spam or advertising' }).waitFor();
    await stream;

    const bad = await browser.newPage();
    const consoleErrors: string[] = [];
    bad.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const requested: string[] = [];
    bad.on('request', (request) => requested.push(request.url()));
    await bad.goto(`${other}/`);
    const alert = bad.locator('colloquy-thread [part~="status"][role="alert"]');
    await alert.waitFor();
    assert.equal(
      (await alert.innerText()).trim(),
      "Comments could not be loaded. The comment server does not accept this site.",
    );
    assert.equal(await bad.locator('colloquy-thread').getByRole('button', { name: 'Try again' }).count(), 0, 'retrying cannot help');
    assert.doesNotMatch(await bad.locator('colloquy-thread').innerText(), /offline/);
    const hint = consoleErrors.find((text) => text.includes('COLLOQUY_ALLOWED_ORIGINS'));
    assert.ok(hint, `a console message for the site owner; saw:\n${consoleErrors.join('\n')}`);
    assert.ok(hint.includes(`Add ${other} to COLLOQUY_ALLOWED_ORIGINS`), hint);
    assert.ok(hint.includes(server.url), hint);
    assert.equal(consoleErrors.filter((text) => text.startsWith('Colloquy:')).length, 1, 'told once, not per request');
    // A thread whose page the server refused opens no live stream (it would be refused too, and
    // only add a CORS error to the console), though it is in view and its stream's code is here.
    await bad.waitForResponse((response) => /\/chunks\/live-[^/]+\.js$/.test(response.url()), { timeout: 10_000 }).catch(() => undefined);
    await bad.waitForTimeout(1500);
    assert.deepEqual(requested.filter((url) => url.includes('/api/v1/events')), [], 'no live stream on a refused origin');
  } finally {
    await browser.close();
    await Promise.all(blogs.map((blog) => new Promise((resolve) => blog.close(resolve))));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
