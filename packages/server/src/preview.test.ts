// The composer's preview (decision 0037): the server's renderer on a body it does not store,
// for anyone, validated like a post, within a per-address rate limit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RATE_LIMITS } from './config.js';
import { assertError } from './http-test-support.js';
import { DATABASES, serverStarter } from './test-support.js';

for (const { name: driver, make } of DATABASES) {
  describe(`POST /preview, on ${driver}`, () => {
    const start = serverStarter(make, { rateLimits: { ...DEFAULT_RATE_LIMITS, preview: { perIp: { limit: 2, windowSeconds: 3600 } } } });

    test('renders the markdown subset as a post would, stores nothing, refuses what a post refuses, and is rate-limited per address', async () => {
      const t = await start();
      const preview = (body: unknown) => t.call('POST', '/preview', { body: { body } });
      const answer = await preview('Some *emphasis*, a [link](https://example.org) and <script>alert(1)</script>\n\n> a quote');
      assert.equal(answer.status, 200);
      assert.match(answer.json.html, /<em>emphasis<\/em>/);
      assert.match(answer.json.html, /<a [^>]*href="https:\/\/example.org\/?"/);
      assert.match(answer.json.html, /<blockquote>/);
      assert.doesNotMatch(answer.json.html, /<script/);
      const page = await t.call('GET', '/comments?thread=%2Fanything');
      assert.deepEqual(page.json.comments, [], 'nothing was stored');
      assertError(await preview('x'.repeat(10_001)), 400, 'body_too_long');
      assertError(await preview(42), 400, 'invalid_input');
      assert.equal((await preview('once more')).status, 200, 'refused bodies did not count');
      const limited = await preview('and again');
      assertError(limited, 429, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0, 'says when to try again');
    });
  });
}
