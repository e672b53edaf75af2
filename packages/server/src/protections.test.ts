import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { startTestServer, type TestServer } from './test-support.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const jwt = (claims: Record<string, unknown>, { at = Date.now() }: { at?: number } = {}) => signJwt(claims, { secret: SECRET, at });

describe('CORS and pages', () => {
  let open: TestServer;
  let restricted: TestServer;
  before(async () => {
    open = await startTestServer();
    restricted = await startTestServer({ allowedOrigins: ['https://news.example.org'] });
  });
  after(async () => {
    await open.stop();
    await restricted.stop();
  });

  test('only allowed origins get CORS headers; preflight allows the protocol headers', async () => {
    const allowed = await restricted.call('GET', '/config', { headers: { origin: 'https://news.example.org' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://news.example.org');
    assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    // The widget opens a late live stream from when it read the page (docs/decisions/0028).
    assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /\bDate\b/);
    const other = await restricted.call('GET', '/config', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const loopbackWhenRestricted = await restricted.call('GET', '/config', { headers: { origin: 'http://localhost:3000' } });
    assert.equal(loopbackWhenRestricted.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${restricted.url}/api/v1/comments`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://news.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://news.example.org');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    // Unset: loopback development origins only.
    assert.equal((await open.call('GET', '/config', { headers: { origin: 'http://localhost:5173' } })).headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal((await open.call('GET', '/config', { headers: { origin: 'https://news.example.org' } })).headers.get('access-control-allow-origin'), null);
  });

  test('the demo page is served under a strict CSP whose frame-ancestors follow the allowed origins', async () => {
    const r = await fetch(`${restricted.url}/`);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.match(csp, /frame-ancestors 'self' https:\/\/news\.example\.org/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers.get('x-frame-options'), null);
    const html = await r.text();
    assert.match(html, /<script type="module" src="\/embed\.js"><\/script>/);
    assert.match(html, /<colloquy-thread/);
    assert.doesNotMatch(html, /<script>|style="/);
    const list = await fetch(`${restricted.url}/articles.html`);
    assert.match(await list.text(), /<colloquy-count thread="/);
    assert.equal((await fetch(`${restricted.url}/nope.html`)).status, 404);
    const traversal = await fetch(`${restricted.url}/%2e%2e%2fpackage.json`);
    assert.equal(traversal.status, 404);
  });

  test('embed.js is served with caching headers, an ETag and CORS, or a clear 404 when not built', async () => {
    const missing = await startTestServer({ embedPath: '/nonexistent/embed.js' });
    try {
      const r = await fetch(`${missing.url}/embed.js`);
      assert.equal(r.status, 404);
      assert.match((await r.json()).error.message, /not built/);
    } finally {
      await missing.stop();
    }
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'colloquy-embed-'));
    writeFileSync(join(dir, 'embed.js'), 'export const widget = 1;\n');
    const served = await startTestServer({ embedPath: join(dir, 'embed.js') });
    try {
      const r = await fetch(`${served.url}/embed.js`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /text\/javascript/);
      assert.match(r.headers.get('cache-control') ?? '', /max-age=\d+/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const etag = r.headers.get('etag');
      assert.ok(etag);
      assert.equal(await r.text(), 'export const widget = 1;\n');
      const again = await fetch(`${served.url}/embed.js`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
    } finally {
      await served.stop();
    }
  });
});

describe('rate limits', () => {
  test('writes past the per-identity limit get 429 with Retry-After; identities are limited per IP', async () => {
    const limited = await startTestServer({
      rateLimits: {
        write: { perIdentity: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
        reports: { perIdentity: { limit: 1, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
        identities: { perIp: { limit: 3, windowSeconds: 3600 } },
      },
    });
    try {
      const ada = await limited.identity('Ada');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await limited.call('POST', '/comments', { token: ada.token, body: { thread: '/rl', body: `n${i}` } }));
      assert.deepEqual(
        results.map((r) => r.status),
        [201, 201, 429],
      );
      assertError(results[2]!, 429, 'rate_limited');
      const retryAfter = Number(results[2]!.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      // Another identity is not affected by Ada's limit.
      const bo = await limited.identity('Bo');
      assert.equal((await limited.call('POST', '/comments', { token: bo.token, body: { thread: '/rl', body: 'hi' } })).status, 201);
      assert.equal((await limited.call('POST', '/identities', { body: { name: 'Third' } })).status, 201);
      assertError(await limited.call('POST', '/identities', { body: { name: 'Fourth' } }), 429, 'rate_limited');
    } finally {
      await limited.stop();
    }
  });
});

describe('spam filter', () => {
  test('holds a new reader’s link with reasons for the moderator, and learns from decisions', async () => {
    const t = await startTestServer({ spamFilter: true, jwtSecret: SECRET });
    try {
      const ada = await t.identity('Ada');
      const plain = await t.call('POST', '/comments', { token: ada.token, body: { thread: '/spam', body: 'Walking after dinner helps me sleep.' } });
      assert.equal(plain.json.comment.status, 'visible');
      const linky = await t.call('POST', '/comments', {
        token: ada.token,
        body: { thread: '/spam', body: 'Cheap pills at https://bit.ly/xyz and https://pills.example.com' },
      });
      assert.equal(linky.status, 201);
      assert.equal(linky.json.comment.status, 'held');
      assert.equal((await t.call('GET', '/comments?thread=/spam')).json.comments.length, 1);
      const mod = await jwt({ sub: 'spam-mod', name: 'Mo', role: 'moderator' }, { at: Date.now() });
      // Moderators' own comments are never held.
      const fromMod = await t.call('POST', '/comments', { token: mod, body: { thread: '/spam', body: 'See https://example.org/guide' } });
      assert.equal(fromMod.json.comment.status, 'visible');
      const queue = await t.call('GET', '/moderation/queue?status=held', { token: mod });
      const item = queue.json.items.find((i: { comment: { id: string } }) => i.comment.id === linky.json.comment.id);
      assert.ok(item.heldReasons.length > 0, 'reasons shown');
      assert.ok(item.heldReasons.some((r: string) => /link/.test(r)));
      assert.equal(await t.server.store.loadSpamModel(), null);
      // The filter learns after the moderator's answer; the test waits for the model to be written.
      const store = t.server.store;
      const save = store.saveSpamModel.bind(store);
      const learned = new Promise<void>((resolve) => {
        store.saveSpamModel = async (model) => {
          await save(model);
          resolve();
        };
      });
      await t.call('POST', `/moderation/comments/${linky.json.comment.id}`, { token: mod, body: { action: 'spam' } });
      await learned;
      const saved = JSON.parse((await t.server.store.loadSpamModel())!);
      assert.equal(saved.format, 'colloquy-spam-nb');
    } finally {
      await t.stop();
    }
  });
});

describe('secrets', () => {
  test('tokens are stored only as hashes and never written to the log', async () => {
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startTestServer({ logging: true, logStream, jwtSecret: SECRET });
    try {
      const ada = await t.identity('Ada');
      const host = await jwt({ sub: 'log-1', name: 'Lin' }, { at: Date.now() });
      await t.call('POST', '/comments', { token: ada.token, body: { thread: '/log', body: 'hi' } });
      await t.call('GET', '/comments?thread=/log', { token: host });
      await t.call('POST', '/comments', { token: 'cq_wrong-token-value', body: { thread: '/log', body: 'hi' } });
      const log = lines.join('');
      assert.match(log, /"url":"\/api\/v1\/comments/, 'requests are logged');
      for (const secret of [ada.token, host, 'cq_wrong-token-value']) assert.ok(!log.includes(secret), 'no token in the log');
      const rows = await t.server.store.db.all('SELECT * FROM identities');
      assert.ok(!JSON.stringify(rows).includes(ada.token), 'no token in the database');
    } finally {
      await t.stop();
    }
  });
});
