import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { ColloquyError } from './errors.js';
import { LINK_REL, createSanitizer, type SanitizerWindow } from './sanitize.js';

function newWindow(): SanitizerWindow {
  return new JSDOM('<!doctype html><body></body>').window as unknown as SanitizerWindow;
}
const dom = new JSDOM('<!doctype html><body></body>');
const window = dom.window as unknown as SanitizerWindow;
const { sanitize, sanitizeToFragment } = createSanitizer(window);

test('keeps the markdown subset and nothing else', () => {
  const html =
    '<p>a<br><em>b</em> <strong>c</strong> <del>d</del></p><ul><li>e</li></ul><ol><li>f</li></ol>' +
    '<blockquote>g</blockquote><pre><code>h</code></pre>';
  assert.equal(sanitize(html), html);
  assert.equal(sanitize('<h1>Title</h1><div class="x" style="color:red" id="y">body</div><span>s</span>'), 'Titlebodys');
  assert.equal(sanitize('<img src=x onerror=alert(1)>ok'), 'ok');
  assert.equal(sanitize('<script>alert(1)</script><style>p{}</style>ok'), 'ok');
  assert.equal(sanitize('<p onclick="alert(1)" title="t">x</p>'), '<p>x</p>');
  assert.equal(sanitize('<iframe src="https://e.test"></iframe><form><input name=a></form>x'), 'x');
  assert.equal(sanitize('<frameset onload=alert(1)><frame src="https://e.test"></frameset>'), '');
  assert.equal(sanitizeToFragment('<frameset onload=alert(1)></frameset>').childNodes.length, 0);
});

test('links keep http, https and mailto hrefs and always get the same rel', () => {
  assert.equal(
    sanitize('<a href="https://example.com/" target="_blank" rel="opener" title="t">x</a>'),
    `<a href="https://example.com/" rel="${LINK_REL}">x</a>`,
  );
  assert.equal(sanitize('<a href="mailto:a@example.com">m</a>'), `<a href="mailto:a@example.com" rel="${LINK_REL}">m</a>`);
  assert.equal(sanitize('<a href="HTTP://e.test">u</a>'), `<a href="HTTP://e.test" rel="${LINK_REL}">u</a>`);
});

test('links with any other destination become plain text', () => {
  for (const href of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '//evil.example/', '#top', '']) {
    assert.equal(sanitize(`<p><a href="${href}">click <em>here</em></a></p>`), '<p>click <em>here</em></p>', href);
  }
  assert.equal(sanitize('<a>no href</a>'), 'no href');
});

test('bidi overrides in text are removed so they cannot reorder what a reader sees', () => {
  assert.equal(sanitize('<p>invoice \u202egnp.exe \u2066x\u2069</p>'), '<p>invoice gnp.exe x</p>');
  assert.equal(sanitize('<p>\u200fמרחב\u200e</p>'), '<p>\u200fמרחב\u200e</p>');
});

test('sanitizing twice changes nothing, even for mutation-prone markup', () => {
  const inputs = [
    '<select><a>',
    '<form id="outer"><div></form><form id="inner"><input>',
    '<table><a>',
    '<p><table><ul>',
    '<h1><a><h2></a>',
    '<svg><p><style><img src=x onerror=alert(1)></style></p></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="https://e.test"><p>block in link</p></a>',
    '<em><p>x</p></em>',
    '<li>stray item</li>',
    '<pre>\n\nleading newlines</pre>',
  ];
  for (const input of inputs) {
    const once = sanitize(input);
    assert.equal(sanitize(once), once, input);
    assert.doesNotMatch(once, /<img|<style|onerror/i, input);
  }
});

test('sanitizeToFragment gives nodes with the same content as sanitize', () => {
  const fragment = sanitizeToFragment('<p>a <a href="https://e.test">b</a><img src=x></p>');
  const holder = dom.window.document.createElement('div');
  holder.appendChild(fragment);
  assert.equal(holder.innerHTML, `<p>a <a href="https://e.test" rel="${LINK_REL}">b</a></p>`);
});

test('one sanitizer per window, and windows do not share hooks', () => {
  const other = newWindow();
  assert.equal(createSanitizer(window), createSanitizer(window));
  assert.notEqual(createSanitizer(other), createSanitizer(window));
  assert.equal(createSanitizer(other).sanitize('<a href="https://e.test">x</a>'), `<a href="https://e.test" rel="${LINK_REL}">x</a>`);
  assert.equal(createSanitizer(window).sanitize('<a href="https://e.test">x</a>'), `<a href="https://e.test" rel="${LINK_REL}">x</a>`);
});

test('refuses to run without a DOM instead of passing HTML through', () => {
  for (const bad of [{}, { document: {} }, globalThis]) {
    assert.throws(
      () => createSanitizer(bad as unknown as SanitizerWindow),
      (error: unknown) => error instanceof ColloquyError && error.code === 'unsupported' && /DOMPurify/.test(error.message),
    );
  }
  for (const bad of [undefined, null, 'window']) {
    assert.throws(
      () => createSanitizer(bad as unknown as SanitizerWindow),
      (error: unknown) => error instanceof ColloquyError && error.code === 'unsupported',
    );
  }
  assert.throws(() => sanitize(7 as unknown as string), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
});
