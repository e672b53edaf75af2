import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { ColloquyError } from './errors.js';
import { renderMarkdown, renderMarkdownHtml } from './markdown.js';
import { LINK_REL, createSanitizer, type SanitizerWindow } from './sanitize.js';

const window = new JSDOM('<!doctype html><body></body>').window as unknown as SanitizerWindow;
const render = (source: string): string => renderMarkdown(source, window);
const rel = `rel="${LINK_REL}"`;

test('renders the inline subset', () => {
  assert.equal(
    render('**bold** _em_ ~~gone~~ `code` > not a quote'),
    '<p><strong>bold</strong> <em>em</em> <del>gone</del> <code>code</code> &gt; not a quote</p>',
  );
});

test('a single newline is a line break and a blank line a new paragraph', () => {
  assert.equal(render('one\ntwo\n\nthree'), '<p>one<br>two</p>\n<p>three</p>');
});

test('lists, quotes and fenced code blocks', () => {
  assert.equal(render('- a\n- b'), '<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
  assert.equal(render('1. a\n2. b'), '<ol>\n<li>a</li>\n<li>b</li>\n</ol>');
  assert.equal(render('> quoted'), '<blockquote>\n<p>quoted</p>\n</blockquote>');
  assert.equal(render('```js\nif (a < b) {}\n```'), '<pre><code>if (a &lt; b) {}\n</code></pre>');
});

test('links and bare URLs become safe links', () => {
  assert.equal(render('[Mayo Clinic](https://www.mayoclinic.org/)'), `<p><a href="https://www.mayoclinic.org/" ${rel}>Mayo Clinic</a></p>`);
  assert.equal(render('see https://e.test/x?y=1'), `<p>see <a href="https://e.test/x?y=1" ${rel}>https://e.test/x?y=1</a></p>`);
  assert.equal(render('mail a@example.com'), `<p>mail <a href="mailto:a@example.com" ${rel}>a@example.com</a></p>`);
});

test('a label that names another host shows the real host beside it, inside the link', () => {
  const spoof = (label: string, href: string, host: string) =>
    `<p><a href="${href}" ${rel}>${label} <small>(${host})</small></a></p>`;
  // The corpus probe: a URL as the label, another destination.
  assert.equal(render('[https://bank.example](https://evil.example)'), spoof('https://bank.example', 'https://evil.example/', 'evil.example'));
  assert.equal(render('[www.bank.example/login](https://evil.example/x)'), spoof('www.bank.example/login', 'https://evil.example/x', 'evil.example'));
  assert.equal(render('[bank.example](https://bank.example.evil.example/)'), spoof('bank.example', 'https://bank.example.evil.example/', 'bank.example.evil.example'));
  // A domain inside a longer label, and inside emphasis, counts too.
  assert.equal(render('[Log in at **bank.example**.](https://evil.example/)'), spoof('Log in at <strong>bank.example</strong>.', 'https://evil.example/', 'evil.example'));
  // Full-width letters and an ideographic full stop map to the host they imitate.
  assert.equal(render('[ｂａｎｋ。example](https://evil.example/)'), spoof('ｂａｎｋ。example', 'https://evil.example/', 'evil.example'));
  // A Cyrillic "а" in the label: it names another host than the Latin one it links to.
  assert.equal(render('[b\u0430nk.example](https://bank.example/)'), spoof('b\u0430nk.example', 'https://bank.example/', 'bank.example'));
  // Label and link both spell the mixed-script host: shown in its xn-- form, which cannot pass for "bank".
  assert.equal(render('[b\u0430nk.example](https://b\u0430nk.example/)'), spoof('b\u0430nk.example', 'https://xn--bnk-6cd.example/', 'xn--bnk-6cd.example'));
  // An image's alt text is its label.
  assert.equal(render('![https://bank.example](https://evil.example/a.png)'), spoof('https://bank.example', 'https://evil.example/a.png', 'evil.example'));
});

test('a label that names the host it links to, or no host at all, is left alone', () => {
  const plain = (label: string, href: string) => `<p><a href="${href}" ${rel}>${label}</a></p>`;
  assert.equal(render('[bank.example](https://www.bank.example/login)'), plain('bank.example', 'https://www.bank.example/login'));
  assert.equal(render('[https://BANK.example/a](https://bank.example/b)'), plain('https://BANK.example/a', 'https://bank.example/b'));
  assert.equal(render('[the guide](https://evil.example/)'), plain('the guide', 'https://evil.example/'));
  assert.equal(render('[version 1.2](https://evil.example/)'), plain('version 1.2', 'https://evil.example/'));
  assert.equal(render('<https://bank.example/a>'), plain('https://bank.example/a', 'https://bank.example/a'));
  assert.equal(render('www.bank.example'), plain('www.bank.example', 'http://www.bank.example/'));
  // A single-script IDN linking to itself is honest.
  assert.equal(render('[\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444](https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/)'), plain('\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444', 'https://xn--e1afmkfd.xn--p1ai/'));
});

test('the host beside a label survives the sanitizer, and the link keeps its rel', () => {
  const html = render('[https://bank.example](https://evil.example)');
  const holder = (window.document as Document).createElement('div');
  holder.append(createSanitizer(window).sanitizeToFragment(html));
  const link = holder.querySelector('a')!;
  assert.equal(link.getAttribute('rel'), LINK_REL);
  assert.equal(link.textContent, 'https://bank.example (evil.example)');
  assert.equal(link.querySelector('small')?.textContent, '(evil.example)');
});

test('links to anything but http, https and mailto keep only their text', () => {
  for (const source of [
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox)',
    '[x](//evil.example/)',
    '[x][r]\n\n[r]: javascript:alert(1)',
    '<javascript:alert(1)>',
  ]) {
    assert.doesNotMatch(render(source), /href|javascript:alert\(1\)<\/a/i, source);
  }
  assert.equal(render('[x](javascript:alert(1))'), '<p>x</p>');
});

test('raw HTML is shown as the characters typed', () => {
  assert.equal(render('<b>hi</b> <img src=x onerror=alert(1)>'), '<p>&lt;b&gt;hi&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>');
  assert.equal(render('<div>\n<script>alert(1)</script>\n</div>'), '<p>&lt;div&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;/div&gt;</p>');
  assert.equal(render('&lt;img src=x&gt;'), '<p>&lt;img src=x&gt;</p>');
});

test('headings, images, tables, rules and task boxes degrade to readable text', () => {
  assert.equal(render('# Title\nbody'), '<p>Title</p>\n<p>body</p>');
  assert.equal(render('![a cat](https://e.test/cat.png)'), `<p><a href="https://e.test/cat.png" ${rel}>a cat</a></p>`);
  assert.equal(render('![x](data:image/svg+xml;base64,PHN2Zz4=)'), '<p>x</p>');
  assert.equal(render('| a | b |\n|---|---|\n| 1 | 2 |'), '<p>| a | b |<br>|---|---|<br>| 1 | 2 |</p>');
  assert.equal(render('---'), '<p>---</p>');
  assert.equal(render('- [x] done'), '<ul>\n<li>[x] done</li>\n</ul>');
});

test('output is already a fixed point of the sanitizer', () => {
  const { sanitize } = createSanitizer(window);
  for (const source of ['**a** [b](https://e.test)', '> - x\n>   ```\n>   y\n>   ```', '<select><a>', '![a](https://e.test "t")']) {
    const html = render(source);
    assert.equal(sanitize(html), html, source);
  }
});

// How long these take is measured by `node --conditions=colloquy-source --import tsx
// bench/pathological-inputs.mjs`, not asserted here: a time limit fails on a busy machine.
test('pathological inputs up to the body limit still render, keeping the typed text', () => {
  const { sanitize } = createSanitizer(window);
  const { document } = new JSDOM('<!doctype html><body></body>').window;
  const textOf = (html: string): string => {
    const element = document.createElement('div');
    element.innerHTML = html;
    return element.textContent ?? '';
  };
  // Deep quotes and lists exhaust the parser: the body falls back to the text as typed.
  for (const source of ['> '.repeat(4_999) + 'x', '- '.repeat(4_999) + 'x']) {
    assert.equal(textOf(render(source)), source, source.slice(0, 8));
  }
  // A link to a refused (relative) URL keeps its label.
  assert.equal(textOf(render('['.repeat(9_990) + 'x](y)')), '['.repeat(9_989) + 'x');
  // An unclosed fence is a code block whose info string is not shown.
  assert.equal(render('`'.repeat(9_999) + 'x'), '<pre><code>\n</code></pre>');
  const emphasis = render('*_'.repeat(4_999));
  assert.match(emphasis, /^<p><em>_<\/em><em>\*<\/em>/);
  assert.equal(sanitize(emphasis), emphasis);
});

test('refuses what is not text, and a window without a DOM', () => {
  assert.throws(() => render(42 as unknown as string), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
  assert.throws(
    () => renderMarkdown('x', {} as SanitizerWindow),
    (error: unknown) => error instanceof ColloquyError && error.code === 'unsupported',
  );
});

test('renderMarkdownHtml renders the subset without a DOM and emits nothing outside it', () => {
  assert.equal(
    renderMarkdownHtml('Hello *there*, see [docs](https://example.org/a?b=1) or [x](javascript:alert(1))'),
    '<p>Hello <em>there</em>, see <a href="https://example.org/a?b=1" rel="nofollow ugc noopener">docs</a> or x</p>',
  );
  assert.equal(renderMarkdownHtml('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  assert.equal(renderMarkdownHtml('```js\nconst a = "<b>";\n```'), '<pre><code>const a = &quot;&lt;b&gt;&quot;;\n</code></pre>');
  assert.equal(renderMarkdownHtml('invoice \u202Egnp.exe'), '<p>invoice gnp.exe</p>');
  assert.throws(() => renderMarkdownHtml(42 as unknown as string), { code: 'invalid_input' });
});
