import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ColloquyError } from '@colloquy/core';
import { createMemoryStore } from '@colloquy/adapter-memory';
import { createRestAdapter } from './index.js';
import { createHandlers, scenarios } from './msw.js';

const endpoint = 'http://colloquy.test';
const api = `${endpoint}/api/v1`;
const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

function code(expected: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ColloquyError, `expected a ColloquyError, got ${String(error)}`);
    assert.equal(error.code, expected, error.message);
    return true;
  };
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const fast = { retries: 2, baseDelayMs: 20 };

describe('REST adapter: retries', () => {
  it('retries a GET on 503 with exponential backoff and then succeeds', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${api}/counts`, () => {
        times.push(Date.now());
        if (times.length < 3) return HttpResponse.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 });
        return HttpResponse.json({ counts: { '/a': 4 } });
      }),
    );
    const adapter = createRestAdapter({ endpoint, retry: fast });
    assert.deepEqual(await adapter.countComments(['/a']), { '/a': 4 });
    assert.equal(times.length, 3, 'two retries');
    assert.ok(times[1]! - times[0]! >= 18, 'first wait is the base delay');
    assert.ok(times[2]! - times[1]! >= 38, 'second wait doubles');
  });

  it('gives up after the configured retries with the last error', async () => {
    let requests = 0;
    server.use(
      http.get(`${api}/comments`, () => {
        requests++;
        return HttpResponse.json({ error: { code: 'server_error', message: 'boom' } }, { status: 500 });
      }),
    );
    const adapter = createRestAdapter({ endpoint, retry: fast });
    await assert.rejects(adapter.listComments({ thread: '/a' }), (error) => code('server_error')(error) && (error as ColloquyError).status === 500);
    assert.equal(requests, 3);
  });

  it('never retries PATCH, DELETE or a report', async () => {
    const counts = { patch: 0, delete: 0, report: 0 };
    server.use(
      http.patch(`${api}/comments/:id`, () => {
        counts.patch++;
        return HttpResponse.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 });
      }),
      http.delete(`${api}/comments/:id`, () => {
        counts.delete++;
        return HttpResponse.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 });
      }),
      http.post(`${api}/comments/:id/reports`, () => {
        counts.report++;
        return HttpResponse.error();
      }),
    );
    const adapter = createRestAdapter({ endpoint, token: 'tok', retry: fast });
    await assert.rejects(adapter.editComment('c1', 'x'), code('unavailable'));
    await assert.rejects(adapter.deleteComment('c1'), code('unavailable'));
    await assert.rejects(adapter.reportComment('c1', { reason: 'spam' }), code('network_error'));
    assert.deepEqual(counts, { patch: 1, delete: 1, report: 1 });
  });

  it('honours Retry-After on 429 and exposes it when the wait is too long', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${api}/counts`, () => {
        times.push(Date.now());
        if (times.length === 1) {
          return HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '1' } });
        }
        return HttpResponse.json({ counts: { '/a': 0 } });
      }),
    );
    const adapter = createRestAdapter({ endpoint, retry: { retries: 2, baseDelayMs: 10 } });
    await adapter.countComments(['/a']);
    assert.equal(times.length, 2);
    assert.ok(times[1]! - times[0]! >= 990, `waited ${times[1]! - times[0]!} ms for Retry-After: 1`);

    server.resetHandlers(...createHandlers({ endpoint, scenario: 'rate-limited', retryAfterSeconds: 120 }));
    // Every timer the adapter sets is recorded: the proof that it did not wait, whatever the
    // machine's speed (a stopwatch would be flaky on a busy machine).
    const timers: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = mock.method(globalThis, 'setTimeout', ((handler: () => void, ms?: number) => {
      timers.push(ms ?? 0);
      return realSetTimeout(handler, ms);
    }) as typeof setTimeout);
    try {
      await assert.rejects(adapter.countComments(['/a']), (error) => {
        code('rate_limited')(error);
        assert.equal((error as ColloquyError).retryAfter, 120);
        assert.equal((error as ColloquyError).status, 429);
        return true;
      });
    } finally {
      spy.mock.restore();
    }
    assert.ok(timers.length > 0, 'the request set its timeout timer');
    assert.ok(timers.every((ms) => ms < 120_000), `a wait beyond maxDelayMs is not taken (timers set: ${timers.join(', ')} ms)`);
  });

  it('retries a create with the same Idempotency-Key and stores one comment', async () => {
    const store = createMemoryStore();
    server.resetHandlers(...createHandlers({ endpoint, store }));
    const keys: (string | null)[] = [];
    let dropped = false;
    // The first create reaches the server and is stored, then its answer is lost on the way back.
    const flakyFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/comments')) {
        keys.push(new Headers(init.headers).get('Idempotency-Key'));
        if (!dropped) {
          dropped = true;
          throw new TypeError('connection reset');
        }
      }
      return response;
    };
    const adapter = createRestAdapter({ endpoint, retry: fast, fetch: flakyFetch });
    await adapter.identify('Ada');
    const comment = await adapter.createComment({ thread: '/a', body: 'once', idempotencyKey: 'key-1' });
    assert.deepEqual(keys, ['key-1', 'key-1'], 'the retry carries the same key');
    assert.equal(store.raw.countStored('/a'), 1, 'one stored comment');
    assert.equal(store.raw.getComment(comment.id)?.body, 'once');
  });
});

describe('REST adapter: error mapping', () => {
  it('maps the error envelope to ColloquyError with code and status', async () => {
    server.use(
      http.patch(`${api}/comments/:id`, () =>
        HttpResponse.json({ error: { code: 'edit_window_closed', message: 'Too late to edit.' } }, { status: 403 }),
      ),
    );
    const adapter = createRestAdapter({ endpoint, token: 't' });
    await assert.rejects(adapter.editComment('c1', 'x'), (error) => {
      code('edit_window_closed')(error);
      assert.equal((error as ColloquyError).status, 403);
      assert.equal((error as ColloquyError).message, 'Too late to edit.');
      return true;
    });
  });

  it('keeps a suspension’s end (`until`) from a 403 banned, and drops one that is not a string', async () => {
    const until = '2026-12-09T10:00:00.000Z';
    let answer: unknown = until;
    server.use(
      http.post(`${api}/comments`, () =>
        HttpResponse.json({ error: { code: 'banned', message: 'Suspended.', until: answer } }, { status: 403 }),
      ),
    );
    const adapter = createRestAdapter({ endpoint, token: 't' });
    const post = () => adapter.createComment({ thread: '/a', body: 'x', idempotencyKey: 'k' });
    await assert.rejects(post(), (error) => {
      code('banned')(error);
      assert.equal((error as ColloquyError).until, until);
      assert.equal((error as ColloquyError).retryable, false);
      return true;
    });
    answer = 1765274400000;
    await assert.rejects(post(), (error) => code('banned')(error) && (error as ColloquyError).until === undefined);
  });

  it('maps non-JSON answers and network failures', async () => {
    server.use(
      http.get(`${api}/comments`, () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })),
      http.get(`${api}/counts`, () => new HttpResponse('not json', { status: 200 })),
      http.get(`${api}/identities/me`, () => HttpResponse.error()),
    );
    const adapter = createRestAdapter({ endpoint, token: 't', retry: { retries: 0 } });
    await assert.rejects(adapter.listComments({ thread: '/a' }), (error) => code('server_error')(error) && (error as ColloquyError).status === 502);
    await assert.rejects(adapter.countComments(['/a']), code('server_error'));
    await assert.rejects(adapter.getIdentity(), code('network_error'));
  });

  it('answers the error scenario with 503 on reads and 500 on writes', async () => {
    server.resetHandlers(...createHandlers({ endpoint, scenario: 'error' }));
    const adapter = createRestAdapter({ endpoint, token: 't', retry: { retries: 0 } });
    await assert.rejects(adapter.listComments({ thread: '/a' }), code('unavailable'));
    await assert.rejects(adapter.createComment({ thread: '/a', body: 'x', idempotencyKey: 'k' }), code('server_error'));
  });

  it('answers the slow scenario after its delay', async () => {
    server.resetHandlers(...createHandlers({ endpoint, scenario: 'slow', delayMs: 300 }));
    const adapter = createRestAdapter({ endpoint });
    const started = Date.now();
    assert.deepEqual(await adapter.listComments({ thread: '/a' }), { comments: [], nextCursor: null, closed: false });
    assert.ok(Date.now() - started >= 290, 'the answer waited for the delay');
    assert.deepEqual(Object.keys(scenarios), ['default', 'error', 'slow', 'rate-limited']);
    assert.throws(() => createHandlers({ endpoint, scenario: 'flaky' as 'slow' }), code('invalid_input'));
  });

  it('times out a request that never answers', async () => {
    server.resetHandlers(...createHandlers({ endpoint, scenario: 'slow', delayMs: 2_000 }));
    const adapter = createRestAdapter({ endpoint, timeoutMs: 100, retry: { retries: 0 } });
    await assert.rejects(adapter.listComments({ thread: '/a' }), code('timeout'));
  });

  it('refuses bad options with ColloquyError', () => {
    assert.throws(() => createRestAdapter({} as { endpoint: string }), code('invalid_input'));
    assert.throws(() => createRestAdapter({ endpoint: 'http://[bad' }), code('invalid_input'));
  });
});

describe('REST adapter: identity and tokens', () => {
  it('sends a static token or a token function as Bearer', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${api}/identities/me`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json({ identity: { id: 'i1', name: 'Site user', role: 'mentor' } });
      }),
    );
    const identity = await createRestAdapter({ endpoint, token: 'jwt-abc' }).getIdentity();
    assert.deepEqual(identity, { id: 'i1', name: 'Site user', role: 'mentor' });
    let current: string | null = 'jwt-1';
    const adapter = createRestAdapter({ endpoint, token: () => current });
    await adapter.getIdentity();
    current = 'jwt-2';
    await createRestAdapter({ endpoint, token: () => current }).getIdentity();
    assert.deepEqual(seen, ['Bearer jwt-abc', 'Bearer jwt-1', 'Bearer jwt-2']);
  });

  it('asks again for the identity when the host page swaps its token', async () => {
    server.use(
      http.get(`${api}/identities/me`, ({ request }) => {
        const who = request.headers.get('Authorization') === 'Bearer jwt-ada' ? 'Ada' : 'Bo';
        return HttpResponse.json({ identity: { id: who, name: who, role: 'reader' } });
      }),
    );
    let token = 'jwt-ada';
    const adapter = createRestAdapter({ endpoint, token: () => token });
    assert.equal((await adapter.getIdentity())?.name, 'Ada');
    assert.equal((await adapter.getIdentity())?.name, 'Ada');
    token = 'jwt-bo';
    assert.equal((await adapter.getIdentity())?.name, 'Bo');
  });

  it('keeps the pseudonymous token in tokenStorage so a reload keeps the identity', async () => {
    server.resetHandlers(...createHandlers({ endpoint }));
    const storage = memoryStorage();
    const first = createRestAdapter({ endpoint, tokenStorage: storage });
    assert.equal(await first.getIdentity(), null, 'no token, no identity, no request');
    const identity = await first.identify('Ada');
    assert.ok(storage.data.get('colloquy:token'), 'the token is stored');
    const reloaded = createRestAdapter({ endpoint, tokenStorage: storage });
    assert.deepEqual(await reloaded.getIdentity(), identity);
    const comment = await reloaded.createComment({ thread: '/a', body: 'after reload', idempotencyKey: 'k' });
    assert.equal(comment.author.id, identity.id);
  });

  it('names a nameless identity with PATCH /identities/me and drops a token the server rejects', async () => {
    server.resetHandlers(...createHandlers({ endpoint }));
    const storage = memoryStorage();
    const adapter = createRestAdapter({ endpoint, tokenStorage: storage });
    const nameless = await adapter.identify();
    assert.equal(nameless.name, null);
    const named = await adapter.identify('Bo');
    assert.equal(named.id, nameless.id);
    assert.equal(named.name, 'Bo');

    storage.setItem('colloquy:token', 'forgotten-by-the-server');
    assert.equal(await createRestAdapter({ endpoint, tokenStorage: storage }).getIdentity(), null);
    assert.equal(storage.getItem('colloquy:token'), null, 'the dead token is removed');
  });

  it('refuses to post without a token and says a name is needed', async () => {
    const adapter = createRestAdapter({ endpoint });
    await assert.rejects(adapter.createComment({ thread: '/a', body: 'x', idempotencyKey: 'k' }), code('name_required'));
  });

  it('is not live without an EventSource', () => {
    const adapter = createRestAdapter({ endpoint });
    assert.equal(adapter.capabilities.live, 'EventSource' in globalThis);
    assert.equal(typeof adapter.subscribe === 'function', adapter.capabilities.live);
  });
});

describe('REST adapter: previewHtml', () => {
  it('asks POST /preview without a token, checks the body first, and refuses an answer without html', async () => {
    const seen: { auth: string | null; body: unknown }[] = [];
    server.use(
      http.post(`${api}/preview`, async ({ request }) => {
        const body = (await request.json()) as { body: string };
        seen.push({ auth: request.headers.get('authorization'), body });
        return body.body === 'odd' ? HttpResponse.json({ rendered: 1 }) : HttpResponse.json({ html: '<p><em>hi</em></p>' });
      }),
    );
    const adapter = createRestAdapter({ endpoint, retry: { retries: 0 } });
    assert.equal(await adapter.previewHtml!('*hi*'), '<p><em>hi</em></p>');
    assert.deepEqual(seen, [{ auth: null, body: { body: '*hi*' } }]);
    await assert.rejects(adapter.previewHtml!('x'.repeat(10_001)), code('body_too_long'));
    await assert.rejects(adapter.previewHtml!('odd'), code('bad_response'));
    assert.equal(seen.length, 2, 'the over-long body never left the browser');
  });
});

describe('msw handlers: POST /preview', () => {
  const preview = (body: unknown, type = 'application/json') =>
    fetch(`${api}/preview`, { method: 'POST', headers: { 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const refusal = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];

  it('renders a body as its posted comment shows it, to anyone, and refuses what the server refuses', async () => {
    const store = createMemoryStore({ limits: { maxBodyLength: 20 } });
    server.resetHandlers(...createHandlers({ endpoint, store }));
    const answer = await preview({ body: '*hi* <b>x</b>' });
    assert.equal(answer.status, 200, 'no token needed');
    const { html } = (await answer.json()) as { html: string };
    assert.equal(html, '<p><em>hi</em> &lt;b&gt;x&lt;/b&gt;</p>');
    const adapter = createRestAdapter({ endpoint, retry: { retries: 0 } });
    await adapter.identify('Ada');
    const posted = await adapter.createComment({ thread: '/p', body: '*hi* <b>x</b>', idempotencyKey: 'k' });
    assert.equal(posted.html, html, 'the posted comment carries the same html');
    assert.equal((await adapter.listComments({ thread: '/p' })).comments[0]!.html, html, 'and lists with it');
    assert.deepEqual(await refusal(await preview({ body: 'x'.repeat(21) })), [400, 'body_too_long'], 'the store’s own limit');
    assert.deepEqual(await refusal(await preview({ body: ' \n ' })), [400, 'invalid_input']);
    assert.deepEqual(await refusal(await preview({ body: 42 })), [400, 'invalid_input']);
    assert.deepEqual(await refusal(await preview({})), [400, 'invalid_input']);
    assert.deepEqual(await refusal(await preview('[1]')), [400, 'invalid_input']);
    assert.deepEqual(await refusal(await preview('body=hi', 'application/x-www-form-urlencoded')), [415, 'unsupported_media_type']);
    assert.equal(store.raw.countStored('/p'), 1, 'previews stored nothing');
  });
});
