#!/usr/bin/env node
// Time to comments through the production test bed (test/support/bed.ts): the host blog at
// https://blog.test, the widget and its API at https://comments.test, nginx terminating TLS in
// front of two server processes on PostgreSQL, Chromium on loopback. For each run it prints the
// time from navigation start to the first comment painted, when embed.js and the first comments
// page arrived, and the bytes transferred (encoded, as on the wire: headers and bodies, TLS
// excluded) by origin. The blog pages carry the two `<head>` hints getting started recommends
// (`modulepreload` for embed.js, `preload as=fetch` for the first comments page).
//
// - cold: a new browser context each time (no HTTP cache, new connections and TLS handshakes),
//   with the server's first page already cached: each server process is asked for the widget's
//   comments page just before, as another reader's visit would have (the cache keeps a page 5 s).
// - warm: the same context navigates to the page again (embed.js from the HTTP cache, connections
//   kept), also with the first page cached.
//
// Usage: pnpm build && node --conditions=colloquy-source --import tsx bench/time-to-comments-bed.mjs [--runs 7]
import { parseArgs } from 'node:util';
import { POSTS, startBed } from '../test/support/bed.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

// Records, in the page, the first animation frame in which a comment exists in the thread's
// shadow root: the frame that paints it. Times are performance.now(), from navigation start.
const PAINT_PROBE = `(() => {
  const look = () => {
    const root = document.querySelector('colloquy-thread')?.shadowRoot;
    if (root && root.querySelector('[part~="comment"]')) {
      window.__firstCommentPaint = performance.now();
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const bed = await startBed({ log: (line) => console.error(`bed: ${line}`) });
const browser = await bed.launchBrowser();
const url = bed.blogUrl(POSTS.wordpress.path);

/** One navigation in `page`; resolves with its figures once the first comment is painted. */
async function measure(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const bytes = { blog: 0, comments: 0, other: 0 };
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) => {
    const origin = new URL(urls.get(event.requestId) ?? 'about:blank').origin;
    const key = origin === bed.blogOrigin ? 'blog' : origin === bed.commentsOrigin ? 'comments' : 'other';
    bytes[key] += event.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__firstCommentPaint !== undefined, null, { timeout: 30_000, polling: 50 });
  const figures = await page.evaluate(() => {
    const entry = (pattern) => performance.getEntriesByType('resource').find((e) => pattern.test(e.name));
    return {
      paint: window.__firstCommentPaint,
      embed: entry(/\/embed\.js$/)?.responseEnd,
      comments: entry(/\/api\/v1\/comments\?/)?.responseEnd,
      commentsStart: entry(/\/api\/v1\/comments\?/)?.startTime,
      commentsUrl: entry(/\/api\/v1\/comments\?/)?.name,
    };
  });
  await cdp.detach();
  return { ...figures, bytes: { ...bytes } };
}

/** Asks every server process for the widget's first page, so it is in each one's page cache. */
async function primeFirstPage(commentsUrl) {
  const { pathname, search } = new URL(commentsUrl);
  await Promise.all(bed.servers.map(async (server) => {
    const response = await fetch(`${server.url}${pathname}${search}`, { headers: { origin: bed.blogOrigin, 'accept-encoding': 'br, gzip' } });
    await response.arrayBuffer();
  }));
}

const line = (label, r) =>
  `${label.padEnd(8)} first comment painted ${r.paint.toFixed(0).padStart(5)} ms` +
  `  (embed.js ${r.embed?.toFixed(0) ?? '?'} ms, comments request ${r.commentsStart?.toFixed(0) ?? '?'}→${r.comments?.toFixed(0) ?? '?'} ms)` +
  `  bytes: blog ${kb(r.bytes.blog)}, comments origin ${kb(r.bytes.comments)}${r.bytes.other ? `, other ${kb(r.bytes.other)}` : ''}`;

try {
  // One unmeasured visit learns the widget's comments URL and warms the servers' code paths.
  const first = await browser.newContext();
  const learn = await first.newPage();
  await learn.addInitScript(PAINT_PROBE);
  const { commentsUrl } = await measure(learn);
  await first.close();
  if (!commentsUrl) throw new Error('the widget made no comments request');

  const cold = [];
  for (let i = 0; i < runs; i++) {
    await primeFirstPage(commentsUrl);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(PAINT_PROBE);
    const result = await measure(page);
    cold.push(result);
    console.log(line(`cold ${i + 1}`, result));
    await context.close();
  }

  const warm = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PAINT_PROBE);
  await measure(page);
  for (let i = 0; i < runs; i++) {
    await primeFirstPage(commentsUrl);
    const result = await measure(page);
    warm.push(result);
    console.log(line(`warm ${i + 1}`, result));
  }
  await context.close();

  const summary = (label, list) =>
    `${label}: median ${median(list.map((r) => r.paint)).toFixed(0)} ms to the first comment painted` +
    ` (min ${Math.min(...list.map((r) => r.paint)).toFixed(0)}, max ${Math.max(...list.map((r) => r.paint)).toFixed(0)});` +
    ` median bytes ${kb(median(list.map((r) => r.bytes.blog + r.bytes.comments + r.bytes.other)))}` +
    ` (comments origin ${kb(median(list.map((r) => r.bytes.comments)))})`;
  console.log();
  console.log(`time to comments through the test bed (${runs} runs each; aim: cold under 300 ms with the first page cached)`);
  console.log(summary('cold', cold));
  console.log(summary('warm', warm));
} finally {
  await browser.close();
  await bed.stop();
}
