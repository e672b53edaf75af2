import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Localizer, loadLanguage, resolveLanguage } from './locale.js';
import { es } from './es.js';
import { en } from './messages.js';

test('picks the first supported language by primary subtag, English otherwise', () => {
  assert.equal(resolveLanguage(['fr', 'es-AR', 'en']), 'es');
  assert.equal(resolveLanguage([null, '', 'EN_gb']), 'en');
  assert.equal(resolveLanguage(['de', 'ja']), 'en');
});

test('Spanish has every message English has', () => {
  const shape = (value: unknown): unknown =>
    typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]))
      : typeof value;
  assert.deepEqual(shape(es), shape(en));
});

test('a language other than English speaks English until its table is fetched, then its own', async () => {
  assert.equal(new Localizer('es').lang, 'en');
  assert.equal(new Localizer('es').messages.heading, 'Comments');
  await loadLanguage('es');
  assert.equal(loadLanguage('es'), null, 'fetched once');
  assert.equal(new Localizer('es-MX').messages.heading, 'Comentarios');
});

test('plurals and relative times follow the language', async () => {
  await loadLanguage('es');
  const english = new Localizer('en');
  const spanish = new Localizer('es');
  assert.equal(english.plural(en.count, 1), '1 comment');
  assert.equal(english.plural(en.count, 1200), '1,200 comments');
  assert.equal(spanish.plural(es.count, 1), '1 comentario');
  assert.equal(spanish.plural(es.count, 0), '0 comentarios');
  const now = new Date('2026-11-22T12:00:00Z');
  assert.equal(english.relativeTime(new Date('2026-11-22T11:55:00Z'), now), '5 minutes ago');
  assert.equal(spanish.relativeTime(new Date('2026-11-21T12:00:00Z'), now), 'ayer');
  assert.equal(spanish.relativeTime(new Date('2026-11-22T11:00:00Z'), now), 'hace 1 hora');
});
