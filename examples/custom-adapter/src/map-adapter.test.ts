// Proves the example: the whole conformance suite against the Map adapter.
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createMapAdapter, MapBackend } from './map-adapter.js';

runAdapterSuite({
  name: 'example Map adapter',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    const backend = new MapBackend();
    let offset = 0;
    backend.now = () => new Date(Date.now() + offset);
    return {
      connect: () => createMapAdapter(backend),
      advanceTime: (seconds) => void (offset += seconds * 1000),
      raw: {
        getComment: (id) => backend.rows.get(id) ?? null,
        countStored: (thread) => [...backend.rows.values()].filter((row) => row.thread === thread).length,
      },
    };
  },
});
