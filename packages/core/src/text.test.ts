import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError } from './errors.js';
import { displayText, safeUrl } from './text.js';

test('displayText removes bidi controls so a name cannot pose as "Alice (Moderator)"', () => {
  assert.equal(displayText('Alice \u202e)rotaredoM('), 'Alice )rotaredoM(');
  assert.equal(displayText('Bob\u202e'), 'Bob');
  assert.equal(displayText('\u2067Eve\u2069 \u2066(admin)\u2069'), 'Eve (admin)');
  assert.equal(displayText('a\u200eb\u200fc\u061cd'), 'abcd');
});

test('displayText falls back when a name is made only of invisible characters', () => {
  for (const name of ['\u200d\u200d\u200d', '\ufeff', '\u3164', '\u00a0\u00a0\u00a0', '\u00ad\u2060', ' \ufe0f ', '']) {
    assert.equal(displayText(name, 'Anonymous'), 'Anonymous', JSON.stringify(name));
  }
  assert.equal(displayText('\u200b'), '');
});

test('displayText turns line breaks and controls into a single clean line', () => {
  assert.equal(displayText('Bob\r\nBcc: victim@example.com'), 'Bob Bcc: victim@example.com');
  assert.equal(displayText('Bob\u0000Admin'), 'BobAdmin');
  assert.equal(displayText('  Ada \t\u2028 Lovelace\u0085 '), 'Ada Lovelace');
  assert.equal(displayText('x\u009b31m'), 'x31m');
  assert.equal(displayText('bro\ud800ken'), 'broken');
});

test('displayText keeps real names, emoji, homoglyphs and markup-looking text as typed', () => {
  for (const name of ['Zoë O’Brien-Nakamura 山田', 'محمد علي', 'Moderator ✔️', '<b>Bold Name</b>', 'Аdmin', 'Ａｄｍｉｎ', '__proto__']) {
    assert.equal(displayText(name), name);
  }
});

test('displayText refuses what is not text with a ColloquyError', () => {
  for (const value of [undefined, null, 42, {}, ['a']]) {
    assert.throws(() => displayText(value as unknown as string), (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input');
  }
});

test('safeUrl keeps http, https and mailto and normalises them', () => {
  assert.equal(safeUrl('http://example.com/path?x=1&y=2#frag'), 'http://example.com/path?x=1&y=2#frag');
  assert.equal(safeUrl('  https://例え.テスト/ '), 'https://xn--r8jz45g.xn--zckzah/');
  assert.equal(safeUrl('mailto:alice@example.com'), 'mailto:alice@example.com');
  assert.equal(safeUrl('HTTPS://EXAMPLE.COM'), 'https://example.com/');
  assert.equal(safeUrl('https://example.com/\u202egnp.exe'), 'https://example.com/%E2%80%AEgnp.exe');
});

test('safeUrl refuses script, data, relative and disguised URLs', () => {
  const refused = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    '\tjavascript:alert(1)',
    '\u0000javascript:alert(1)',
    'java\rscript:alert(1)',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '%6A%61%76%61%73%63%72%69%70%74:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example\\share',
    'https:',
    'https://example.com@evil.example/',
    'https://user:pass@example.com/',
    'example.com',
    '',
  ];
  for (const url of refused) assert.equal(safeUrl(url), null, JSON.stringify(url));
  assert.throws(() => safeUrl(5 as unknown as string), ColloquyError);
});
