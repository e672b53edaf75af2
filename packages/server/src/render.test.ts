import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { renderPlainHtml } from '@colloquy/core/markdown';
import { createBodyRenderer, renderPlainBody } from './render.js';
import { startTestServer } from './test-support.js';

const markdown = createBodyRenderer({ markdownOnly: true });
after(() => markdown.close());

// A small seeded generator, so a failure can be reproduced.
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

// Pieces the plain path accepts, and pieces that must send a body down the markdown path.
const SAFE = ['walk', 'Café', 'ñandú', '中文', 'עברית', 'مرحبا', '2026', '42', ' ', ' ', ' ', ',', ';', '?', '!', "'", '"', '/', '(', ')',
  '%', '$', '€', '-', '--', '. ', 'e\u0301', '👩‍👩‍👧', '👋🏽', '❤️'];
const RISKY = ['.', 'x.y', '1.', '*', '_', '[', ']', '<', '>', '&', '#', '`', '~', ':', '@', 'www.example.org', 'http://a.b', '\u202E',
  '\u00A0', '\t', '=', '+', '|', '\\', '  ', '\n-', '\n1) ', '\n    code', '\n>'];

describe('body rendering', () => {
  test('the plain-text path gives exactly what the markdown path gives, or steps aside', async () => {
    const next = random(7);
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      const lines: string[] = [];
      const lineCount = 1 + Math.floor(next() * 4);
      for (let l = 0; l < lineCount; l++) {
        let line = next() < 0.7 ? 'Word' : '';
        const words = Math.floor(next() * 8);
        for (let w = 0; w < words; w++) {
          const pool = next() < 0.9 ? SAFE : RISKY;
          line += pool[Math.floor(next() * pool.length)];
        }
        lines.push(line);
      }
      const body = lines.join(next() < 0.3 ? '\n\n' : '\n');
      if (body.trim() === '') continue;
      const fast = renderPlainBody(body);
      if (fast === null) continue;
      plain++;
      assert.equal(fast, await markdown.render(body), `body ${JSON.stringify(body)}`);
    }
    // The generator must exercise the fast path, not only the fallback.
    assert.ok(plain > 300, `only ${plain} plain bodies`);
  });

  test('markup, links and controls take the full path and come out sanitized', async () => {
    for (const body of ['*em*', 'see www.example.org', 'a <b>b</b>', '1. one', '- item', 'x\u202Ey', 'tab\there', 'a & b', 'mail a@b.org']) {
      assert.equal(renderPlainBody(body), null, JSON.stringify(body));
    }
    const renderer = createBodyRenderer();
    try {
      assert.equal(await renderer.render('Hello **there**'), '<p>Hello <strong>there</strong></p>');
      assert.equal(await renderer.render('Plain words.\nNext line\n\nNew paragraph'), '<p>Plain words.<br>Next line</p>\n<p>New paragraph</p>');
      assert.doesNotMatch(await renderer.render('<img src=x onerror=alert(1)> [x](javascript:alert(1))'), /<img|href="javascript/);
    } finally {
      await renderer.close();
    }
  });

  test('a posted link whose label names another host is stored with the real host beside the label', async () => {
    const t = await startTestServer();
    try {
      const { token } = await t.identity('Mallory');
      const posted = await t.call('POST', '/comments', { token, body: { thread: '/links', body: 'Pay at [https://bank.example](https://evil.example/pay)' } });
      assert.equal(posted.status, 201);
      assert.equal(
        posted.json.comment.html,
        '<p>Pay at <a href="https://evil.example/pay" rel="nofollow ugc noopener">https://bank.example <small>(evil.example)</small></a></p>',
      );
      const honest = await t.call('POST', '/comments', { token, body: { thread: '/links', body: 'See [bank.example](https://www.bank.example/help)' } });
      assert.doesNotMatch(honest.json.comment.html, /<small>/);
      const read = await t.call('GET', '/comments?thread=/links');
      assert.match(read.json.comments[0].html, /<small>\(evil\.example\)<\/small><\/a>/);
    } finally {
      await t.stop();
    }
  });

  // Minutes of marked's time on the event loop before the parser moved to its own thread.
  const STALLING_BODY = '[a]('.repeat(2500);

  test('a body the parser cannot finish in time is shown as typed, and the next body is parsed', async () => {
    const renderer = createBodyRenderer({ deadlineMs: 250 });
    try {
      assert.equal(await renderer.render(STALLING_BODY), renderPlainHtml(STALLING_BODY));
      assert.equal(await renderer.render('Hello **there**'), '<p>Hello <strong>there</strong></p>');
      // Shown as typed means escaped: nothing in it can be markup.
      assert.equal(renderPlainHtml('<b>a</b>\nb\n\nc'), '<p>&lt;b&gt;a&lt;/b&gt;<br>b</p>\n<p>c</p>');
    } finally {
      await renderer.close();
    }
  });

  test('on Linux the deadline is the parser thread\'s own CPU time, not the wall clock', { skip: process.platform !== 'linux' }, async () => {
    // With a wall-clock limit of a minute, only the CPU clock can stop this body in time.
    const renderer = createBodyRenderer({ deadlineMs: 40, wallDeadlineMs: 60_000 });
    try {
      const started = performance.now();
      assert.equal(await renderer.render(STALLING_BODY), renderPlainHtml(STALLING_BODY));
      assert.ok(performance.now() - started < 30_000, 'stopped by the CPU clock long before the wall-clock limit');
      assert.equal(await renderer.render('Hello **there**'), '<p>Hello <strong>there</strong></p>');
    } finally {
      await renderer.close();
    }
  });

  test('bodies sent at once each get their own answer, stalling ones as typed', async () => {
    const renderer = createBodyRenderer({ deadlineMs: 250 });
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? STALLING_BODY : `Number *${i}*`));
      const html = await Promise.all(bodies.map((body) => renderer.render(body)));
      bodies.forEach((body, i) => assert.equal(html[i], body === STALLING_BODY ? renderPlainHtml(body) : `<p>Number <em>${i}</em></p>`));
    } finally {
      await renderer.close();
    }
  });

  test('an idle renderer never keeps the process alive, also after bodies ran out of time', { timeout: 120_000 }, async () => {
    // A process that rendered (some bodies past the deadline) and never closed its renderer ends
    // by itself, as a CLI import or a test file must.
    const render = new URL('./render.ts', import.meta.url).href;
    const script = `const { createBodyRenderer } = await import(${JSON.stringify(render)});
      const r = createBodyRenderer({ deadlineMs: 100 });
      const bodies = ['*a*', ${JSON.stringify(STALLING_BODY)}, '*b*', ${JSON.stringify(STALLING_BODY)}, '*c*'];
      const html = await Promise.all(bodies.map((body) => r.render(body)));
      console.log(html.filter((h) => h.includes('<em>')).length);`;
    const child = spawn(process.execPath, ['--conditions=colloquy-source', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // A hang is what this test is about: it fails by its own timeout rather than a clock here.
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.equal(out.trim(), '3');
  });

  test('while a stalling body is posted, other readers are answered', async () => {
    // A long deadline, so the stalling body surely outlasts the read even on a busy machine.
    const renderer = createBodyRenderer({ deadlineMs: 3000 });
    const t = await startTestServer({ renderer });
    try {
      const { token } = await t.identity('Mallory');
      const order: string[] = [];
      const post = t.call('POST', '/comments', { token, body: { thread: '/stall', body: STALLING_BODY } }).then((r) => {
        order.push('post');
        return r;
      });
      const read = t.call('GET', '/comments?thread=/other').then((r) => {
        order.push('read');
        return r;
      });
      const [posted, other] = await Promise.all([post, read]);
      assert.equal(other.status, 200);
      assert.equal(posted.status, 201);
      assert.equal(posted.json.comment.html, renderPlainHtml(STALLING_BODY));
      assert.deepEqual(order, ['read', 'post']);
    } finally {
      await t.stop();
      await renderer.close();
    }
  });
});
