import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColloquyError } from '@colloquy/core';
import { readThreadKeyMap, threadKeyFromUrl } from './index.js';

test('default rule: the path, without origin, fragment, query or trailing slash', () => {
  assert.equal(threadKeyFromUrl('https://blog.example/2014/test/'), '/2014/test');
  assert.equal(threadKeyFromUrl('http://blog.example/2014/test?utm_source=x#comments'), '/2014/test');
  assert.equal(threadKeyFromUrl('http://blog.example/'), '/');
  assert.equal(threadKeyFromUrl('http://blog.example'), '/');
  assert.equal(threadKeyFromUrl('/2011/03/post/'), '/2011/03/post');
  // The same page over http and https, or on another host, maps to one thread.
  assert.equal(threadKeyFromUrl('http://old.example/a/'), threadKeyFromUrl('https://www.example/a'));
  assert.equal(threadKeyFromUrl('https://radio-t.com/p/2011/03/05/Радио/'), '/p/2011/03/05/%D0%A0%D0%B0%D0%B4%D0%B8%D0%BE');
});

test('WordPress ids in the query are kept by default, and only they', () => {
  assert.equal(threadKeyFromUrl('http://example.tld/?p=4'), '/?p=4');
  assert.equal(threadKeyFromUrl('http://example.tld/?utm=1&p=4'), '/?p=4');
  assert.equal(threadKeyFromUrl('http://example.tld/?page_id=7&p=4'), '/?p=4&page_id=7');
  assert.equal(threadKeyFromUrl('http://example.tld/?p=4', { keepQuery: false }), '/');
});

test('options: keep the whole query, strip a prefix; keys are canonical, with no trailing slash', () => {
  assert.equal(threadKeyFromUrl('http://x.example/a/?z=1&b=2', { keepQuery: true }), '/a?b=2&z=1');
  assert.equal(threadKeyFromUrl('http://x.example/a?id=3&p=1', { keepQuery: ['id'] }), '/a?id=3');
  assert.equal(threadKeyFromUrl('http://x.example/blog/2020/post/', { stripPrefix: '/blog/' }), '/2020/post');
  assert.equal(threadKeyFromUrl('http://x.example/blog', { stripPrefix: '/blog' }), '/');
  assert.equal(threadKeyFromUrl('http://x.example/blogger/x', { stripPrefix: '/blog' }), '/blogger/x');
  assert.equal(threadKeyFromUrl('http://x.example/a//'), '/a');
  assert.equal(threadKeyFromUrl('http://x.example/'), '/');
  // Mapped keys too: the widget on `/closed-post/` asks for `/closed-post`.
  assert.equal(threadKeyFromUrl('http://x.example/old', { map: { 'http://x.example/old': '/closed-post/' } }), '/closed-post');
});

test('a map or a function overrides the default, matched by URL or by default key', () => {
  const map = { 'http://old.example/?p=4': '/hello-world', '/2014/test': '/test' };
  assert.equal(threadKeyFromUrl('http://old.example/?p=4', { map }), '/hello-world');
  assert.equal(threadKeyFromUrl('https://any.example/2014/test/', { map }), '/test');
  assert.equal(threadKeyFromUrl('https://any.example/other/', { map }), '/other');
  const rule = { map: (url: string, key: string) => (url.includes('legacy') ? `/archive${key}` : null) };
  assert.equal(threadKeyFromUrl('http://legacy.example/x/', rule), '/archive/x');
  assert.equal(threadKeyFromUrl('http://new.example/x/', rule), '/x');
  assert.throws(() => threadKeyFromUrl('http://x.example/', { map: () => '' }), /empty or non-string key/);
});

test('bad URLs are refused with invalid_input', () => {
  for (const bad of ['', '   ', 'mailto:a@b.example', 'javascript:alert(1)', 'http://[bad']) {
    assert.throws(() => threadKeyFromUrl(bad), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
  }
  assert.throws(() => threadKeyFromUrl(undefined as never), ColloquyError);
});

test('a JSON map file is read and checked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-keys-'));
  const good = join(dir, 'map.json');
  writeFileSync(good, JSON.stringify({ 'http://old.example/?p=4': ' /hello ' }));
  assert.deepEqual(await readThreadKeyMap(good), { 'http://old.example/?p=4': '/hello' });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"a": 1}');
  await assert.rejects(readThreadKeyMap(bad), /gives "a" a value that is not a non-empty string/);
  writeFileSync(bad, '[1]');
  await assert.rejects(readThreadKeyMap(bad), /must be one JSON object/);
  writeFileSync(bad, '{');
  await assert.rejects(readThreadKeyMap(bad), /is not valid JSON/);
  await assert.rejects(readThreadKeyMap(join(dir, 'missing.json')), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
});

test('a malformed rule is refused before any URL is read', () => {
  const rules = [
    { keepQuery: 'p' },
    { stripPrefix: 'blog' },
    { trailingSlash: 'keep' },
    { map: ['a'] },
    null,
  ] as never[];
  for (const rule of rules) {
    assert.throws(() => threadKeyFromUrl('http://x.example/a', rule), (error: unknown) => error instanceof ColloquyError && /Invalid thread-key rule/.test(error.message));
  }
});
