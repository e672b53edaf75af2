import assert from 'node:assert/strict';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { streamGroup } from './stream-limits.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const THREAD = '/floods';
const REQUEST_TIMEOUT_MS = 2000;
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

const moderatorToken = () =>
  new SignJWT({ name: 'Mod', role: 'moderator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mod-1').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body for an answer that ends (an error); empty for a live stream, which stays open. */
  text: string;
  response: IncomingMessage;
  request: ClientRequest;
}

/** One HTTP request over its own connection from a chosen loopback address (Linux routes all of 127/8 to lo). */
function send(server: TestServer, from: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const url = new URL(`/api/v1${path}`, server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: from, agent: false, headers: options.headers ?? {} },
      (response) => {
        if (String(response.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: response.statusCode!, headers: response.headers, text: '', response, request: req });
          return;
        }
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text, response, request: req }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const stream = (server: TestServer, from: string) => send(server, from, 'GET', `/events?thread=${encodeURIComponent(THREAD)}`);

/** A comment sent one byte at a time, every `everyMs`: headers at once, then a body that never finishes in time. */
function slowBody(server: TestServer, from: string, everyMs: number) {
  const url = new URL('/api/v1/comments', server.url);
  const body = JSON.stringify({ thread: THREAD, body: 'x'.repeat(200) });
  const started = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const done = new Promise<{ status: number | null; text: string; elapsedMs: number }>((resolve) => {
    const req = request(
      {
        host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'idempotency-key': `slow-${Math.random()}` },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (c: string) => (text += c));
        response.on('end', () => resolve({ status: response.statusCode!, text, elapsedMs: Date.now() - started }));
        response.on('error', () => resolve({ status: response.statusCode!, text, elapsedMs: Date.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: null, text: '', elapsedMs: Date.now() - started }));
    req.flushHeaders();
    let sent = 0;
    timer = setInterval(() => {
      if (sent < body.length - 1 && !req.destroyed) req.write(body[sent++]!);
    }, everyMs);
  });
  return done.finally(() => clearInterval(timer));
}

test('streams are counted per IPv4 address and per IPv6 /64', () => {
  assert.equal(streamGroup('203.0.113.7'), '203.0.113.7');
  assert.equal(streamGroup('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(streamGroup('2001:db8:1:2::1'), streamGroup('2001:db8:1:2:ffff:ffff:ffff:ffff'));
  assert.notEqual(streamGroup('2001:db8:1:2::1'), streamGroup('2001:db8:1:3::1'));
});

for (const { name, make } of DATABASES) {
  describe(`connection limits on a real server (${name})`, () => {
    let server: TestServer;
    const open: Answer[] = [];
    before(async () => {
      server = await startTestServer({ streams: { perAddress: 20, total: 45 }, requestTimeoutMs: REQUEST_TIMEOUT_MS, jwtSecret: SECRET }, make());
    });
    after(async () => {
      for (const answer of open) answer.request.destroy();
      await server.stop();
    });

    test('one address flooding with streams and slow bodies: it gets 429 with Retry-After, another reader reads and posts', async () => {
      const slow = [slowBody(server, '127.0.0.3', 500), slowBody(server, '127.0.0.3', 500), slowBody(server, '127.0.0.3', 500)];
      const flood = await Promise.all(Array.from({ length: 60 }, () => stream(server, '127.0.0.3')));
      open.push(...flood.filter((a) => a.status === 200));
      assert.equal(flood.filter((a) => a.status === 200).length, 20);
      const refused = flood.filter((a) => a.status !== 200);
      assert.equal(refused.length, 40);
      for (const answer of refused) {
        assert.equal(answer.status, 429);
        assert.equal(answer.headers['retry-after'], '30');
        assert.equal(JSON.parse(answer.text).error.code, 'rate_limited');
      }

      // A moderator's stream counts with the thread streams of its address.
      const authorization = `Bearer ${await moderatorToken()}`;
      const moderatorRefused = await send(server, '127.0.0.3', 'GET', '/moderation/events', { headers: { authorization } });
      assert.equal(moderatorRefused.status, 429, moderatorRefused.text);
      assert.equal(moderatorRefused.headers['retry-after'], '30');
      const moderator = await send(server, '127.0.0.7', 'GET', '/moderation/events', { headers: { authorization } });
      assert.equal(moderator.status, 200);
      open.push(moderator);

      // Meanwhile, from another address: a stream, a page, a new reader and a comment.
      const other = await stream(server, '127.0.0.2');
      assert.equal(other.status, 200);
      open.push(other);
      const page = await send(server, '127.0.0.2', 'GET', `/comments?thread=${encodeURIComponent(THREAD)}`);
      assert.equal(page.status, 200, page.text);
      const identity = await send(server, '127.0.0.2', 'POST', '/identities', { headers: { 'content-type': 'application/json' }, body: '{"name":"Calm"}' });
      assert.equal(identity.status, 201, identity.text);
      const posted = await send(server, '127.0.0.2', 'POST', '/comments', {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${JSON.parse(identity.text).token}`, 'idempotency-key': 'calm-1' },
        body: JSON.stringify({ thread: THREAD, body: 'Still here' }),
      });
      assert.equal(posted.status, 201, posted.text);

      // The slow bodies are cut off with 408 once the request time is up, not left open.
      for (const result of await Promise.all(slow)) {
        assert.equal(result.status, 408, result.text);
        assert.equal(JSON.parse(result.text).error.code, 'timeout');
        assert.ok(result.elapsedMs >= REQUEST_TIMEOUT_MS - 100, `cut after ${result.elapsedMs} ms`);
        assert.ok(result.elapsedMs < REQUEST_TIMEOUT_MS + 2000, `cut after ${result.elapsedMs} ms`);
      }
    });

    test('a stream outlives the request timeout and still delivers events', async () => {
      const reader = await stream(server, '127.0.0.6');
      assert.equal(reader.status, 200);
      open.push(reader);
      let received = '';
      reader.response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + 1500));
      assert.equal(reader.response.destroyed, false);
      const author = await server.identity('Later');
      const posted = await server.call('POST', '/comments', { token: author.token, body: { thread: THREAD, body: 'After the timeout' } });
      assert.equal(posted.status, 201, posted.text);
      const deadline = Date.now() + 5000;
      while (!received.includes('After the timeout') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(received, /event: created\ndata: .*After the timeout/);
    });

    test('past the total cap every address gets 503 with Retry-After; a closed stream gives its slot back', async () => {
      // 20 from .3, 1 from .2, 1 from .6 and the moderator's from .7 are open: 22 more fit under 45.
      const more = await Promise.all(Array.from({ length: 20 }, () => stream(server, '127.0.0.4')));
      assert.ok(more.every((a) => a.status === 200));
      open.push(...more);
      const last = await Promise.all(Array.from({ length: 6 }, () => stream(server, '127.0.0.5')));
      assert.equal(last.filter((a) => a.status === 200).length, 2);
      open.push(...last.filter((a) => a.status === 200));
      for (const answer of last.filter((a) => a.status !== 200)) {
        assert.equal(answer.status, 503);
        assert.equal(answer.headers['retry-after'], '30');
        assert.equal(JSON.parse(answer.text).error.code, 'unavailable');
      }
      // Reading pages is not a stream: it still works at the cap.
      assert.equal((await send(server, '127.0.0.5', 'GET', `/comments?thread=${encodeURIComponent(THREAD)}`)).status, 200);

      const leaving = more.slice(0, 2);
      for (const answer of leaving) answer.request.destroy();
      const deadline = Date.now() + 5000;
      let again = await stream(server, '127.0.0.5');
      while (again.status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await stream(server, '127.0.0.5');
      }
      assert.equal(again.status, 200);
      open.push(again);
    });
  });
}
