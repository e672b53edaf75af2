import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPageCache } from './page-cache.js';

describe('page cache', () => {
  test('a page read before a change is not kept after it', () => {
    const cache = createPageCache();
    const before = cache.generation('/t');
    cache.invalidate('/t'); // a write lands while the read is in flight
    cache.set('/t', 'k', before, '{"old":true}');
    assert.equal(cache.get('/t', 'k'), undefined);
    cache.set('/t', 'k', cache.generation('/t'), '{"new":true}');
    assert.equal(cache.get('/t', 'k'), '{"new":true}');
  });

  test('invalidating a thread drops only its pages', () => {
    const cache = createPageCache();
    cache.set('/a', 'k', cache.generation('/a'), 'a');
    cache.set('/b', 'k', cache.generation('/b'), 'b');
    cache.invalidate('/a');
    assert.equal(cache.get('/a', 'k'), undefined);
    assert.equal(cache.get('/b', 'k'), 'b');
  });

  test('entries expire and the oldest go first past the size limit', () => {
    let clock = 0;
    const cache = createPageCache({ maxEntries: 2, ttlMs: 100, now: () => clock });
    cache.set('/t', '1', 0, 'one');
    cache.set('/t', '2', 0, 'two');
    cache.set('/t', '3', 0, 'three');
    assert.equal(cache.size, 2);
    assert.equal(cache.get('/t', '1'), undefined);
    clock = 101;
    assert.equal(cache.get('/t', '3'), undefined);
  });

  test('forgetting old thread stamps never lets a stale page in', () => {
    const cache = createPageCache({ maxEntries: 1 });
    const stale = cache.generation('/x');
    for (let i = 0; i < 10; i++) cache.invalidate(`/other-${i}`);
    cache.set('/x', 'k', stale, 'stale');
    assert.equal(cache.get('/x', 'k'), undefined);
  });
});
