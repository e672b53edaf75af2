#!/usr/bin/env node
// Time to comments: from navigation to the first comment painted, on a blog at another origin
// that embeds the widget the way a site owner does (the script tag under the element), against
// the real server (`colloquy-server demo`, SQLite) on loopback. Cold runs use a fresh browser
// profile each (empty cache, no stored token); warm runs reload the page in the same profile.
// The server's first page is cached before each run (it keeps pages a few seconds).
//
// Besides the total it prints where the time goes, from Chromium's network events and marks set
// in the page: embed.js requested and loaded, the tag defined (script evaluated), the comments
// request started and answered, the element's first render, the first comment painted, and the
// bytes on the wire until then. Also: whether a live stream was opened (the thread is below
// the fold on purpose) and how many comment-page requests were made.
//
// Usage: pnpm build && node bench/time-to-comments.mjs [--runs 7] [--hints] [--below]
//   --hints  the host page carries the configurator's modulepreload and preload hints
//   --below  the thread sits far below the fold (live stream should wait for a scroll)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    hints: { type: 'boolean', default: false },
    below: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const THREAD = '/articles/ten-minutes-outside';
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Build first: pnpm build');
  process.exit(1);
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const [apiPort, blogPort] = [await freePort(), await freePort()];
const api = `http://127.0.0.1:${apiPort}`;
const blog = `http://127.0.0.1:${blogPort}`;
// What the configurator writes for this thread (docs/getting-started.md), when --hints.
const commentsUrl = `${api}/api/v1/comments?${new URLSearchParams({ thread: THREAD, sort: 'oldest', limit: '20' })}`;
const hints = values.hints
  ? `<link rel="modulepreload" href="${api}/embed.js">\n<link rel="preload" as="fetch" crossorigin href="${commentsUrl}">`
  : '';
const filler = values.below ? '<p>Paragraph of the article.</p>'.repeat(200) : '<p>A short article.</p>';
const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title>
<meta name="viewport" content="width=device-width">${hints}</head>
<body><main><h1>Ten minutes outside</h1>${filler}
<colloquy-thread thread="${THREAD}"></colloquy-thread>
<script type="module" src="${api}/embed.js"></script></main></body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'colloquy-ttc-'));
const server = spawn(process.execPath, [cli, 'demo'], {
  env: {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    DATABASE_URL: `sqlite:${join(dir, 'c.db')}`,
    COLLOQUY_ALLOWED_ORIGINS: blog,
    COLLOQUY_RATE_LIMITS: 'off',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let log = '';
  server.stdout.on('data', (chunk) => {
    log += chunk;
    if (log.includes('colloquy: listening on ')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const host = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article));
await new Promise((resolve) => host.listen(blogPort, '127.0.0.1', resolve));

// Marks in the page: the thread's shadow root first filled (first render) and the first comment
// in it painted (a frame after it appeared in the DOM).
const marks = () => {
  const mark = (name) => ((window.__ttc ??= {})[name] ??= performance.now());
  customElements.whenDefined('colloquy-thread').then(() => mark('defined'));
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    if (this.localName === 'colloquy-thread') {
      const observer = new MutationObserver(() => {
        if (root.childElementCount > 0) mark('firstRender');
        if (root.querySelector('[part~="comment"]')) {
          observer.disconnect();
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => mark('painted');
            channel.port2.postMessage(0);
          });
        }
      });
      observer.observe(root, { childList: true, subtree: true });
    }
    return root;
  };
};

async function measure(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  let navStart = 0;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.type === 'Document' && !navStart) navStart = e.timestamp;
    requests.set(e.requestId, { url: e.request.url, type: e.type, start: e.timestamp, end: 0, bytes: 0, cached: false });
  });
  cdp.on('Network.requestServedFromCache', (e) => requests.get(e.requestId) && (requests.get(e.requestId).cached = true));
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r && e.response.fromDiskCache) r.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  // Warm the server's page cache, as a site with readers has it.
  await fetch(commentsUrl);
  await page.goto(`${blog}/`);
  await page.waitForFunction(() => window.__ttc?.painted !== undefined);
  const t = await page.evaluate(() => window.__ttc);
  const ms = (ts) => (ts ? Math.round((ts - navStart) * 1000) : NaN);
  const all = [...requests.values()];
  const embed = all.find((r) => r.url.endsWith('/embed.js'));
  const pages = all.filter((r) => r.url.includes('/api/v1/comments?'));
  const stream = all.find((r) => r.url.includes('/api/v1/events?'));
  const paintedAt = navStart + t.painted / 1000;
  const bytes = all.filter((r) => r.start <= paintedAt).reduce((sum, r) => sum + r.bytes, 0);
  await cdp.detach();
  return {
    'embed.js start': ms(embed?.start),
    'embed.js loaded': ms(embed?.end),
    defined: Math.round(t.defined),
    'comments start': ms(pages[0]?.start),
    'comments loaded': ms(pages[0]?.end),
    'first render': Math.round(t.firstRender),
    painted: Math.round(t.painted),
    'KB on wire': Math.round(bytes / 102.4) / 10,
    'page requests': pages.length,
    'stream opened': stream ? 1 : 0,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summarise(rows) {
  const out = {};
  for (const key of Object.keys(rows[0])) out[key] = median(rows.map((r) => r[key]));
  return out;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const cold = [];
  const warm = [];
  // One throwaway run: the server compresses embed.js on its first request for it.
  for (let i = 0; i <= runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(marks);
    const page = await context.newPage();
    const first = await measure(page);
    const second = await measure(page);
    if (i > 0) {
      cold.push(first);
      warm.push(second);
    }
    await context.close();
  }
  console.log(`time to comments, ${runs} runs, medians in ms from navigation${values.hints ? ', with preload hints' : ''}${values.below ? ', thread below the fold' : ''}`);
  console.table({ cold: summarise(cold), warm: summarise(warm) });
} finally {
  await browser.close();
  host.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
