// The conformance suite through the REST adapter, answered by the memory-backed msw handlers:
// proves the adapter and the shipped handlers speak the same protocol.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setupServer } from 'msw/node';
import { NodeEventSource as EventSource } from './node-event-source.test-support.js';
import { createMemoryStore } from '@colloquy/adapter-memory';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createRestAdapter } from './index.js';
import { createHandlers } from './msw.js';

const endpoint = 'http://colloquy.test';
const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
after(() => server.close());

runAdapterSuite({
  name: 'REST adapter over the msw handlers',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    const store = createMemoryStore();
    server.resetHandlers(...createHandlers({ endpoint, store }));
    return {
      connect: () => createRestAdapter({ endpoint, EventSource, retry: { retries: 0 } }),
      raw: store.raw,
      setThreadClosed: (thread, closed) => store.setThreadClosed(thread, closed),
      setPinned: (id, pinned) => store.setPinned(id, pinned),
    };
  },
});
