// Renders a 1,000-comment thread (100 top-level comments with 9 nested replies each) with the
// built embed.js in headless Chromium, and the same markup with the same stylesheets built by
// plain DOM code, and prints the medians. The baseline sanitizes each body with the sanitizer
// the widget uses (the core's platform sanitizer, `Element.setHTML`, where the browser has it;
// decision 0039), as the project's safety rules require of any view; the same with the core's
// DOMPurify sanitizer, one bare DOMPurify pass, and the raw `innerHTML` of the final markup (no
// sanitizing, no logic) are printed beside it for scale.
// Run `pnpm build` (core and element) first.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const RUNS = 11;
const dist = fileURLToPath(new URL('../packages/element/dist/', import.meta.url));
const purify = fileURLToPath(new URL('../packages/element/node_modules/dompurify/dist/purify.es.mjs', import.meta.url));
const coreDist = fileURLToPath(new URL('../packages/core/dist/', import.meta.url));

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>render-1000</title></head>
<script type="importmap">{"imports": {"dompurify": "/purify.js"}}</script>
<body><main id="host"></main><script type="module" src="/bench.js"></script></body></html>`;

// In-page code: a fixed 1,000-comment page, the widget run, the plain-DOM run, the floor.
const benchScript = `
import '/embed.js';
import DOMPurify from '/purify.js';
import { createSanitizer } from '/core/sanitize.js';
import { createPlatformSanitizer } from '/core/sanitize-platform.js';

const coreSanitizer = createSanitizer(window);
const widgetSanitizer = createPlatformSanitizer(window) ?? coreSanitizer;
let sheets = [];

const limits = { maxBodyLength: 10000, maxNameLength: 64, maxDetailsLength: 1000, maxDepth: 9, maxPageSize: 100, editWindowSeconds: 900 };
const start = Date.parse('2026-11-01T10:00:00Z');
let n = 0;
function make(parentId, depth) {
  const id = 'c' + (++n);
  return {
    id, thread: '/bench', parentId,
    author: { id: 'i' + (n % 37), name: 'Reader ' + (n % 37), role: n % 50 === 0 ? 'moderator' : 'reader' },
    body: 'Comment ' + n,
    html: '<p>Comment number ' + n + ' with <em>emphasis</em> and <a href="https://example.org/' + n + '">a link</a>.</p><p>Second paragraph.</p>',
    createdAt: new Date(start + n * 60000).toISOString(), editedAt: null, status: 'visible', replies: [],
  };
}
const comments = [];
for (let t = 0; t < 100; t++) {
  const top = make(null, 0);
  let parent = top;
  for (let r = 0; r < 9; r++) {
    const reply = make(parent.id, r + 1);
    parent.replies.push(reply);
    if (r % 3 === 2) parent = reply; // a mix of siblings and deeper chains
  }
  comments.push(top);
}
const adapter = {
  capabilities: { live: false, limits },
  getIdentity: async () => null,
  identify: async () => { throw new Error('read only'); },
  listComments: async () => structuredClone({ comments, nextCursor: null }),
  createComment: async () => { throw new Error('read only'); },
  editComment: async () => { throw new Error('read only'); },
  deleteComment: async () => { throw new Error('read only'); },
  reportComment: async () => { throw new Error('read only'); },
  countComments: async () => ({}),
};
const host = document.getElementById('host');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
// Every run is timed until the frame showing the result has been produced (style, layout and
// paint included), since the widget, which renders asynchronously, may pay for frames on the way.
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function widgetRun() {
  host.replaceChildren();
  const t0 = performance.now();
  const el = document.createElement('colloquy-thread');
  el.setAttribute('thread', '/bench');
  el.setAttribute('page-size', '100');
  el.adapter = adapter;
  host.append(el);
  while ((el.shadowRoot?.querySelectorAll('article').length ?? 0) < 1000) {
    await el.updateComplete;
    if ((el.shadowRoot?.querySelectorAll('article').length ?? 0) < 1000) await tick();
  }
  await painted();
  sheets = el.shadowRoot.adoptedStyleSheets;
  return { ms: performance.now() - t0, markup: el.shadowRoot.innerHTML };
}

async function plainDomRun(sanitize) {
  host.replaceChildren();
  const t0 = performance.now();
  const page = structuredClone({ comments, nextCursor: null });
  const shell = document.createElement('div');
  const root = shell.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = sheets;
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const dtf = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' });
  const now = Date.now();
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const renderComment = (c) => {
    const date = new Date(c.createdAt);
    const header = el('header', { class: 'comment-header' },
      el('bdi', { class: 'author' }, c.author.name),
      ...(c.author.role !== 'reader' ? [el('span', { class: 'badge' }, 'Moderator')] : []),
      el('a', { href: '#comment-' + c.id }, el('time', { datetime: c.createdAt, title: dtf.format(date) }, rtf.format(Math.round((date - now) / 86400000), 'day'))));
    const body = el('div', { class: 'body', dir: 'auto' }, sanitize(c.html));
    const actions = el('div', { class: 'actions' }, el('button', {}, 'Reply'), el('button', {}, 'Report abuse'));
    const article = el('article', { id: 'comment-' + c.id, tabindex: '-1' }, header, body, actions);
    if (c.replies.length) {
      article.append(el('button', { 'aria-expanded': 'true' }, 'Hide replies'), el('ol', {}, ...c.replies.map(renderComment)));
    }
    return el('li', {}, article);
  };
  root.append(el('section', {}, el('h2', {}, 'Comments'), el('ol', {}, ...page.comments.map(renderComment))));
  host.append(shell);
  await painted();
  return performance.now() - t0;
}

async function floorRun(markup) {
  host.replaceChildren();
  const t0 = performance.now();
  const shell = document.createElement('div');
  const root = shell.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = sheets;
  root.innerHTML = markup;
  host.append(shell);
  await painted();
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withWidgets = (html) => widgetSanitizer.sanitizeToFragment(html);
const withCore = (html) => coreSanitizer.sanitizeToFragment(html);
const onePass = (html) => DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
window.runBench = async (runs) => {
  const widget = [], plain = [], purified = [], bare = [], floor = [];
  let markup = '';
  await widgetRun(); await plainDomRun(withWidgets); await plainDomRun(withCore); await plainDomRun(onePass); // warm up every code path
  for (let i = 0; i < runs; i++) {
    const result = await widgetRun();
    widget.push(result.ms);
    markup = result.markup;
    plain.push(await plainDomRun(withWidgets));
    purified.push(await plainDomRun(withCore));
    bare.push(await plainDomRun(onePass));
    floor.push(await floorRun(markup));
  }
  const articles = (markup.match(/<article/g) || []).length;
  return { widget: median(widget), plain: median(plain), purified: median(purified), bare: median(bare), floor: median(floor), articles, platform: widgetSanitizer !== coreSanitizer };
};
window.benchReady = true;
`;

const server = createServer((req, res) => {
  const routes = {
    '/': ['text/html', page],
    '/bench.js': ['text/javascript', benchScript],
    '/embed.js': ['text/javascript', () => readFileSync(dist + 'embed.js')],
    '/purify.js': ['text/javascript', () => readFileSync(purify)],
  };
  const path = new URL(req.url, 'http://x').pathname;
  const route = path.startsWith('/core/') && /^[\w-]+\.js$/.test(path.slice(6))
    ? ['text/javascript', () => readFileSync(coreDist + path.slice(6))]
    : routes[path];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const body = typeof route[1] === 'function' ? route[1]() : route[1];
  res.writeHead(200, { 'content-type': route[0] }).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (error) => console.error('page error:', error.message));
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.benchReady === true);
  const result = await tab.evaluate((runs) => window.runBench(runs), RUNS);
  const ratio = result.widget / result.plain;
  console.log(`render-1000: ${result.articles} comments rendered, median of ${RUNS} runs`);
  console.log(`  <colloquy-thread> (embed.js):         ${result.widget.toFixed(1)} ms`);
  console.log(`  plain DOM, the widget's sanitizer (${result.platform ? 'Element.setHTML' : 'DOMPurify'}; baseline): ${result.plain.toFixed(1)} ms`);
  console.log(`  plain DOM, the core's DOMPurify sanitizer: ${result.purified.toFixed(1)} ms`);
  console.log(`  plain DOM, one bare DOMPurify pass:   ${result.bare.toFixed(1)} ms`);
  console.log(`  innerHTML of final markup (floor):    ${result.floor.toFixed(1)} ms`);
  console.log(`  ratio widget / baseline: ${ratio.toFixed(2)}× (aim ≤ 1.5×)`);
} finally {
  await browser.close();
  server.close();
}
