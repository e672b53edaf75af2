// The built embed.js on a page with a strict Content Security Policy and Trusted Types
// enforced, in real Chromium against a real HTTP server: it must render, sanitize what the
// server sends, and trip no policy. Needs `pnpm build` first (dist/embed.js).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

const embed = readFileSync(fileURLToPath(new URL('../dist/embed.js', import.meta.url)));

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dompurify',
].join('; ');

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Strict page</title>
<link rel="canonical" href="/2026/strict-article">
<script type="module" src="/embed.js"></script></head>
<body><h1>Article</h1><colloquy-thread></colloquy-thread>
<p>Elsewhere: <colloquy-count thread="/2026/strict-article"></colloquy-count></p></body></html>`;

function comment(id: string, fields: Record<string, unknown>) {
  return {
    id,
    thread: '/2026/strict-article',
    parentId: null,
    author: { id: `i_${id}`, name: `Author ${id}`, role: 'reader' },
    body: '',
    createdAt: '2026-11-20T10:00:00.000Z',
    editedAt: null,
    status: 'visible',
    replies: [],
    ...fields,
  };
}

const comments = [
  // A compromised or buggy server sends dangerous html: the widget must sanitize it again.
  comment('c1', { body: 'Safe text', html: '<p>Safe <em>text</em></p><img src="x" onerror="window.pwned=1"><script>window.pwned=2</script>' }),
  // No html: the body is shown as text, whatever it contains.
  comment('c2', { body: 'Plain <script>window.pwned=3</script>\n\nSecond paragraph' }),
];

const seen: string[] = [];
let server: Server;
let browser: Browser;
let origin: string;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push(`${req.method} ${url.pathname}`);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/2026/strict-article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(page);
    } else if (url.pathname === '/es/2026/strict-article') {
      // The same article in Spanish (same canonical thread): the widget's Spanish is a chunk.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(page.replace('<html lang="en">', '<html lang="es">'));
    } else if (url.pathname === '/avatars/2026/strict-article') {
      // The same article with generated avatars turned on.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(page.replace('<colloquy-thread>', '<colloquy-thread avatars>'));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else if (url.pathname === '/embed.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(embed);
    } else if (/^\/chunks\/[\w.-]+\.js$/.test(url.pathname) && existsSync(fileURLToPath(new URL(`../dist${url.pathname}`, import.meta.url)))) {
      // The parts embed.js loads on demand (the report dialog), under the same policy.
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(fileURLToPath(new URL(`../dist${url.pathname}`, import.meta.url))));
    } else if (url.pathname === '/api/v1/comments' && url.searchParams.get('thread') === '/2026/strict-article') {
      json(200, { comments, nextCursor: null, closed: false });
    } else if (url.pathname === '/api/v1/counts') {
      json(200, { counts: Object.fromEntries(url.searchParams.getAll('thread').map((t) => [t, 2])) });
    } else if (url.pathname === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': ping\n\n');
    } else {
      json(404, { error: { code: 'not_found', message: `No route ${url.pathname}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

/** A new tab, and what its console and page errors report of the policy or of failures. */
async function watchedTab() {
  const tab = await browser.newPage();
  const problems: string[] = [];
  tab.on('console', (message) => {
    const text = message.text();
    // Chromium reports an inline handler when DOMPurify parses the hostile body in its inert
    // document; it is refused, never compiled, and the element never reaches the page (`pwned`
    // stays unset below). Anything else is a real problem.
    if (/inline event handler/.test(text)) return;
    if (message.type() === 'error' || /Content Security Policy|Trusted Type/i.test(text)) problems.push(text);
  });
  tab.on('pageerror', (error) => problems.push(error.message));
  return { tab, problems };
}

test('embed.js renders under a strict CSP with Trusted Types enforced, sanitizing what the server sent', async () => {
  const { tab, problems } = await watchedTab();
  await tab.goto(`${origin}/2026/strict-article`);
  await tab.waitForFunction(() => document.querySelector('colloquy-thread')?.shadowRoot?.querySelectorAll('article').length === 2, null, {
    timeout: 15_000,
  });
  await tab.waitForFunction(() => document.querySelector('colloquy-count')?.shadowRoot?.textContent?.trim() === '2 comments');
  const result = await tab.evaluate(() => {
    const root = document.querySelector('colloquy-thread')!.shadowRoot!;
    const [first, second] = [...root.querySelectorAll('article .body')];
    return {
      emphasis: first?.querySelector('em')?.textContent,
      dangerous: first?.querySelectorAll('img, script').length,
      secondParagraphs: second?.querySelectorAll('p').length,
      secondText: second?.textContent,
      pwned: (window as unknown as { pwned?: number }).pwned ?? null,
      count: document.querySelector('colloquy-count')?.shadowRoot?.textContent?.trim(),
      name: root.querySelector('bdi.author')?.textContent,
    };
  });
  // The report dialog is a chunk loaded on demand: it must load and render under the policy too.
  await tab.evaluate(() => {
    const button = document.querySelector('colloquy-thread')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-report-for]');
    button!.click();
  });
  await tab.waitForFunction(
    () => document.querySelector('colloquy-thread')?.shadowRoot?.querySelector('colloquy-report-dialog')?.shadowRoot?.querySelectorAll('input[type="radio"]').length === 6,
    null,
    { timeout: 15_000 },
  );
  assert.ok(seen.some((line) => /^GET \/chunks\/report-/.test(line)), 'the dialog came as a chunk');
  assert.ok(!seen.some((line) => /^GET \/chunks\/avatar-/.test(line)), 'no avatars without the attribute, and not their code either');
  const widgetProblems = [...problems];
  const sink = await tab.evaluate(() => {
    try {
      document.body.insertAdjacentHTML('beforeend', '<b>raw</b>');
      return 'allowed';
    } catch {
      return 'blocked';
    }
  });
  assert.equal(sink, 'blocked', 'Trusted Types are really enforced on this page');
  assert.equal(result.emphasis, 'text');
  assert.equal(result.dangerous, 0);
  assert.equal(result.secondParagraphs, 2);
  assert.match(result.secondText ?? '', /<script>window\.pwned=3<\/script>/);
  assert.equal(result.pwned, null);
  assert.equal(result.name, 'Author c1');
  assert.equal(result.count, '2 comments');
  assert.deepEqual(widgetProblems, []);
  assert.ok(seen.includes('GET /api/v1/comments'), 'the thread key came from the canonical link and the API from the script origin');
  assert.ok(!seen.some((line) => /^GET \/chunks\/dompurify-sanitizer-/.test(line)), 'this Chromium sanitizes with Element.setHTML: DOMPurify is not fetched');
  await tab.close();
});

test('in a browser without Element.setHTML, DOMPurify comes as a chunk under the policy before the first paint, and sanitizes', async () => {
  const { tab, problems } = await watchedTab();
  // Such a browser, and every state of the first comment's body from its first render on.
  await tab.addInitScript({
    content: `
      delete Element.prototype.setHTML;
      const bodies = (window.bodies = []);
      const watch = () => {
        const root = document.querySelector('colloquy-thread')?.shadowRoot;
        if (!root) return void setTimeout(watch, 0);
        const look = () => {
          const markup = root.querySelector('article .body')?.innerHTML.replace(/<!--[^]*?-->/g, '');
          if (markup !== undefined && bodies.at(-1) !== markup) bodies.push(markup);
        };
        look();
        new MutationObserver(look).observe(root, { subtree: true, childList: true, characterData: true });
      };
      watch();`,
  });
  const before = seen.length;
  await tab.goto(`${origin}/2026/strict-article`);
  await tab.waitForFunction(() => document.querySelector('colloquy-thread')?.shadowRoot?.querySelectorAll('article').length === 2, null, { timeout: 15_000 });
  const result = await tab.evaluate(() => ({
    setHTML: typeof (Element.prototype as unknown as { setHTML?: unknown }).setHTML,
    bodies: (window as unknown as { bodies: string[] }).bodies,
    pwned: (window as unknown as { pwned?: number }).pwned ?? null,
  }));
  assert.equal(result.setHTML, 'undefined', 'the page really lacks Element.setHTML');
  assert.ok(seen.slice(before).some((line) => /^GET \/chunks\/dompurify-sanitizer-/.test(line)), 'DOMPurify came as a chunk');
  // Painted sanitized from the first render: never as text first, never with the hostile parts.
  assert.deepEqual(result.bodies, ['<p>Safe <em>text</em></p>']);
  assert.equal(result.pwned, null);
  assert.deepEqual(problems, []);
  await tab.close();
});

test('a Spanish page paints the widget in Spanish from its first render, its words and the other parts coming as chunks under the policy', async () => {
  const { tab, problems } = await watchedTab();
  // Every change to the thread's view, from its first render on: the heading and status line.
  // A string, not a function: the test's compiler would wrap named functions in a helper the page lacks.
  await tab.addInitScript({
    content: `
      const painted = (window.painted = []);
      const watch = () => {
        const root = document.querySelector('colloquy-thread')?.shadowRoot;
        if (!root) return void setTimeout(watch, 0);
        const look = () => {
          const words = [root.querySelector('h2 slot')?.textContent?.trim(), root.querySelector('[part="status"]')?.textContent?.trim()].filter(Boolean).join(' | ');
          if (words && painted.at(-1) !== words) painted.push(words);
        };
        look();
        new MutationObserver(look).observe(root, { subtree: true, childList: true, characterData: true });
      };
      watch();`,
  });
  const before = seen.length;
  await tab.goto(`${origin}/es/2026/strict-article`);
  await tab.waitForFunction(() => document.querySelector('colloquy-thread')?.shadowRoot?.querySelectorAll('article').length === 2, null, { timeout: 15_000 });
  await tab.waitForFunction(() => document.querySelector('colloquy-count')?.shadowRoot?.textContent?.trim() === '2 comentarios');
  const requested = seen.slice(before);
  const painted = await tab.evaluate(() => (window as unknown as { painted: string[] }).painted);
  assert.ok(painted.length > 0, 'the thread was seen painting');
  for (const words of painted) assert.match(words, /^Comentarios/, `never English first: ${painted.join(' / ')}`);
  assert.ok(requested.some((line) => /^GET \/chunks\/es-/.test(line)), 'the Spanish words came as a chunk');
  assert.ok(requested.some((line) => /^GET \/chunks\/count-batcher-/.test(line)), 'the count batching came as a chunk');
  // The live stream opens with the thread in view: its code, its merge and what shows its arrivals come as a chunk.
  const streamed = () => seen.slice(before).some((line) => line === 'GET /api/v1/events');
  for (let i = 0; i < 50 && !streamed(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(streamed(), 'the live stream opened');
  assert.ok(seen.slice(before).some((line) => /^GET \/chunks\/live-/.test(line)), 'the stream, its merge and the arrivals’ view came as a chunk');
  assert.deepEqual(problems, []);
  await tab.close();
});

test('generated avatars come as a chunk and draw under the policy, asking nothing of anyone', async () => {
  const { tab, problems } = await watchedTab();
  const before = seen.length;
  await tab.goto(`${origin}/avatars/2026/strict-article`);
  await tab.waitForFunction(() => document.querySelector('colloquy-thread')?.shadowRoot?.querySelectorAll('[part~="avatar"]').length === 2, null, { timeout: 15_000 });
  const drawn = await tab.evaluate(() => {
    const avatars = [...document.querySelector('colloquy-thread')!.shadowRoot!.querySelectorAll<SVGSVGElement>('[part~="avatar"]')];
    return avatars.map((avatar) => ({ look: `${avatar.getAttribute('class')} ${avatar.querySelector('path')?.getAttribute('d')}`, width: avatar.getBoundingClientRect().width }));
  });
  assert.notEqual(drawn[0]!.look, drawn[1]!.look, 'two authors, two avatars');
  // Sized by the part's adopted stylesheet (a bare inline SVG would be 300 pixels wide).
  for (const { width } of drawn) assert.ok(width > 10 && width < 40, `an avatar ${width}px wide`);
  const requested = seen.slice(before);
  assert.ok(requested.some((line) => /^GET \/chunks\/avatar-/.test(line)), 'the avatars’ code came as a chunk');
  for (const line of requested) assert.match(line, /^GET \/(avatars\/2026\/strict-article|embed\.js|chunks\/[\w.-]+\.js|api\/v1\/(comments|counts|events)|favicon\.ico)$/);
  assert.deepEqual(problems, []);
  await tab.close();
});
