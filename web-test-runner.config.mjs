// Browser tests for every package and the cross-package suites in test/, in Debian's Chromium.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { corpusPath } from './scripts/corpus.mjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const root = fileURLToPath(new URL('.', import.meta.url));
const mswWorker = new URL('./packages/adapter-rest/msw/mockServiceWorker.js', import.meta.url);

export const chromiumFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default {
  rootDir: root,
  files: process.env.WTR_FILES
    ? process.env.WTR_FILES.split(',')
    : ['packages/*/src/**/*.browser.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['colloquy-source', 'browser'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  browserStartTimeout: 60_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.base.json', import.meta.url)) })],
  middleware: [
    function serveMswWorker(context, next) {
      if (context.path === '/mockServiceWorker.js') {
        context.type = 'application/javascript';
        context.set('Service-Worker-Allowed', '/');
        context.body = readFileSync(mswWorker, 'utf8');
        return undefined;
      }
      return next();
    },
    function serveXssCorpus(context, next) {
      if (context.path === '/corpus/xss.jsonl') {
        // The shared security corpus lives beside the repository (scripts/corpus.mjs). Without
        // it the tests that fetch it fail with this message; the other suites still run.
        let file;
        try {
          file = corpusPath('xss.jsonl');
        } catch (error) {
          context.status = 404;
          context.type = 'text/plain';
          context.body = /** @type {Error} */ (error).message;
          return undefined;
        }
        context.type = 'application/x-ndjson';
        context.body = readFileSync(file, 'utf8');
        return undefined;
      }
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        args: chromiumFlags,
      },
    }),
  ],
};
