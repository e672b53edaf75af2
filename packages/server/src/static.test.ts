// moderation.js, activity.js and the demo's moderation page, served like embed.js and the article.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './test-support.js';

describe('the moderator queue bundle and page', () => {
  for (const [bundle, source] of [['moderation.js', 'export const queue = 1;\n'], ['activity.js', 'export const activity = 1;\n']] as const) {
    test(`${bundle} is served from beside embed.js, with CORS and an ETag, or a clear 404 naming where it looked`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-bundle-js-'));
      writeFileSync(join(dir, 'embed.js'), 'export const widget = 1;\n');
      const server = await startTestServer({ embedPath: join(dir, 'embed.js') });
      try {
        const missing = await fetch(`${server.url}/${bundle}`);
        assert.equal(missing.status, 404);
        assert.match((await missing.json()).error.message, new RegExp(`${bundle.replace('.', '\\.')} is not built yet.*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        writeFileSync(join(dir, bundle), source);
        const served = await fetch(`${server.url}/${bundle}`);
        assert.equal(served.status, 200);
        assert.match(served.headers.get('content-type') ?? '', /text\/javascript/);
        assert.equal(served.headers.get('access-control-allow-origin'), '*');
        assert.equal(await served.text(), source);
        const etag = served.headers.get('etag')!;
        assert.equal((await fetch(`${server.url}/${bundle}`, { headers: { 'if-none-match': etag } })).status, 304);
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('/moderation is the demo page under the strict page policy, with its script; none of it without the demo', async () => {
    const server = await startTestServer();
    try {
      const page = await fetch(`${server.url}/moderation`);
      assert.equal(page.status, 200);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /require-trusted-types-for 'script'/);
      const html = await page.text();
      assert.match(html, /<colloquy-moderation[\s>]/);
      assert.match(html, /colloquy-server|cli\.js token --role moderator/);
      const script = await fetch(`${server.url}/moderation-page.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /text\/javascript/);
    } finally {
      await server.stop();
    }
    const bare = await startTestServer({ serveDemo: false });
    try {
      assert.equal((await fetch(`${bare.url}/moderation`)).status, 404);
    } finally {
      await bare.stop();
    }
  });
});
