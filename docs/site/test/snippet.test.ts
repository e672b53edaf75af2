import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHints, buildSnippet, firstPageUrl, normaliseEndpoint } from '../src/snippet.js';

const defaults = { endpoint: 'https://comments.example.org', thread: '', lang: '', theme: '', sort: '' };

test('the default choices give the two-line drop-in with no attributes', () => {
  assert.equal(
    buildSnippet(defaults),
    '<script type="module" src="https://comments.example.org/embed.js"></script>\n<colloquy-thread></colloquy-thread>',
  );
});

test('each choice becomes its attribute, in a stable order', () => {
  const snippet = buildSnippet({ endpoint: 'https://talk.example.net/', thread: ' /2026/rivers ', lang: 'es', theme: 'dark', sort: 'newest' });
  assert.equal(
    snippet,
    '<script type="module" src="https://talk.example.net/embed.js"></script>\n<colloquy-thread thread="/2026/rivers" lang="es" theme="dark" sort="newest"></colloquy-thread>',
  );
});

test('a server under a path is named in the endpoint attribute too', () => {
  const snippet = buildSnippet({ ...defaults, endpoint: 'https://example.org/comments/' });
  assert.match(snippet, /src="https:\/\/example\.org\/comments\/embed\.js"/);
  assert.match(snippet, /<colloquy-thread endpoint="https:\/\/example\.org\/comments">/);
});

test('a thread key cannot break out of its attribute', () => {
  const snippet = buildSnippet({ ...defaults, thread: '/a"><script>alert(1)</script>' });
  assert.ok(!snippet.includes('<script>alert'), snippet);
  assert.match(snippet, /thread="\/a&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
});

test('only plain http(s) addresses are accepted as the server', () => {
  assert.equal(normaliseEndpoint('http://127.0.0.1:8787'), 'http://127.0.0.1:8787');
  for (const bad of ['javascript:alert(1)', 'comments.example.org', '', 'https://user:pw@example.org', 'https://example.org/?x=1']) {
    assert.equal(normaliseEndpoint(bad), null, bad);
  }
});

test('the head hints preload embed.js, and with a thread key its first page as the widget asks for it', () => {
  assert.equal(buildHints(defaults), '<link rel="modulepreload" href="https://comments.example.org/embed.js">');
  assert.equal(
    buildHints({ ...defaults, thread: ' /2026/rivers & lakes ', sort: 'top' }),
    '<link rel="modulepreload" href="https://comments.example.org/embed.js">\n' +
      '<link rel="preload" as="fetch" crossorigin href="https://comments.example.org/api/v1/comments?thread=%2F2026%2Frivers+%26+lakes&amp;sort=top&amp;limit=20">',
  );
  // The same URL the REST adapter builds (packages/adapter-rest: thread, sort, limit).
  assert.equal(
    firstPageUrl('https://example.org/comments', '/a', ''),
    `https://example.org/comments/api/v1/comments?${new URLSearchParams({ thread: '/a', sort: 'oldest', limit: '20' })}`,
  );
});
