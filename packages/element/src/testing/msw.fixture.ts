// One msw service worker for a browser test file (or a `describe`): started before its tests,
// its handlers reset after each, stopped after all; `localStorage` cleared before each test.
import { setupWorker, type SetupWorker } from 'msw/browser';

/** Registers the hooks in the current suite; `worker` is there once the suite's tests run. */
export function useMswWorker(): { readonly worker: SetupWorker } {
  let worker: SetupWorker | undefined;
  before(async () => {
    worker = setupWorker();
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  });
  after(() => worker?.stop());
  beforeEach(() => localStorage.clear());
  afterEach(() => worker?.resetHandlers());
  return {
    get worker() {
      if (!worker) throw new Error('the msw worker starts in a before hook; use it inside a test');
      return worker;
    },
  };
}
