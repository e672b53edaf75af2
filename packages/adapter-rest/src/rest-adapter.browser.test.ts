// The conformance suite in Chromium: the REST adapter with the browser's own fetch and
// EventSource, answered by the shipped msw handlers through the service worker.
import { setupWorker } from 'msw/browser';
import { createMemoryStore } from '@colloquy/adapter-memory';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createRestAdapter } from './index.js';
import { createHandlers } from './msw.js';

const endpoint = 'http://colloquy.test';
const worker = setupWorker();

before(async () => {
  await worker.start({
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
    // The test runner's own requests pass; any API request without a handler is an error.
    onUnhandledRequest(request, print) {
      if (new URL(request.url).origin === endpoint) print.error();
    },
  });
});
after(() => worker.stop());

runAdapterSuite({
  name: 'REST adapter in a browser over the msw handlers',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    const store = createMemoryStore();
    worker.resetHandlers(...createHandlers({ endpoint, store }));
    return {
      connect: () => createRestAdapter({ endpoint, retry: { retries: 0 } }),
      raw: store.raw,
      setThreadClosed: (thread, closed) => store.setThreadClosed(thread, closed),
      setPinned: (id, pinned) => store.setPinned(id, pinned),
    };
  },
});
