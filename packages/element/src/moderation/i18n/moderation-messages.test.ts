import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_STATUS } from '@colloquy/core';
import { Localizer } from '../../i18n/locale.js';
import { moderationEn } from './en.js';
import { moderationEs } from './es.js';
import { moderationMessagesFor } from './moderation-messages.js';

const shape = (value: unknown): unknown =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]))
    : typeof value;

function strings(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => strings(inner, `${path}.${key}`));
}

test('the queue speaks Spanish wherever it speaks English, and no message is left empty or untranslated', () => {
  assert.deepEqual(shape(moderationEs), shape(moderationEn));
  for (const [path, text] of [...strings(moderationEn), ...strings(moderationEs)]) assert.ok(text.trim().length > 0, `empty message at ${path}`);
  const english = new Map(strings(moderationEn));
  // Words that read the same in both languages are fine; whole sentences left in English are not.
  const same = strings(moderationEs).filter(([path, text]) => english.get(path) === text && text.includes(' '));
  assert.deepEqual(same, []);
});

test('the error messages a moderator can meet have their own wording', () => {
  for (const code of ['unauthenticated', 'invalid_token', 'token_expired', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'network_error', 'origin_not_allowed'] as const) {
    assert.ok(code in ERROR_STATUS);
    assert.ok(moderationEn.errors[code], code);
    assert.ok(moderationEs.errors[code], code);
  }
});

test('languages without a catalog fall back to English; plurals follow the language', () => {
  assert.equal(moderationMessagesFor('fr'), moderationEn);
  assert.equal(moderationMessagesFor('es'), moderationEs);
  assert.equal(new Localizer('en').plural(moderationEn.bulkDone.hide, 1), 'Hid 1 comment.');
  assert.equal(new Localizer('es').plural(moderationEs.bulkDone.hide, 3), '3 comentarios ocultados.');
  assert.equal(new Localizer('es').plural(moderationEs.newItems, 1), 'Mostrar 1 elemento nuevo');
});
