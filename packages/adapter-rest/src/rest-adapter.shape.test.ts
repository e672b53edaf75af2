// Answers in the wrong shape become `bad_response` errors at the HTTP boundary, not crashes
// further in (a template reading `comment.author.name`).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ColloquyError, type ThreadEvent } from '@colloquy/core';
import { createRestAdapter } from './index.js';
import type { EventSourceLike } from './index.js';

const endpoint = 'http://colloquy.test';
const api = `${endpoint}/api/v1`;
const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const comment = {
  id: 'c_1',
  thread: '/a',
  parentId: null,
  author: { id: 'i_1', name: 'Ada', role: 'reader' },
  body: 'Hello',
  html: '<p>Hello</p>',
  createdAt: '2026-11-22T10:00:00.000Z',
  editedAt: null,
  status: 'visible',
  replies: [],
};
const { author: _author, ...anonymous } = comment;

function badResponse(error: unknown): true {
  assert.ok(error instanceof ColloquyError, `expected a ColloquyError, got ${String(error)}`);
  assert.equal(error.code, 'bad_response');
  assert.equal(error.retryable, false, 'the same answer would come again');
  assert.match(error.message, /cannot read/);
  return true;
}

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

describe('REST adapter: the shape of answers', () => {
  it('a page whose comment has no author is a bad_response', async () => {
    server.use(http.get(`${api}/comments`, () => HttpResponse.json({ comments: [anonymous], nextCursor: null, closed: false })));
    await assert.rejects(createRestAdapter({ endpoint }).listComments({ thread: '/a' }), badResponse);
  });

  it('a reply with an unknown status, deep in a page, is a bad_response', async () => {
    const reply = { ...comment, id: 'c_2', parentId: 'c_1', status: 'published' };
    server.use(http.get(`${api}/comments`, () => HttpResponse.json({ comments: [{ ...comment, replies: [reply] }], nextCursor: null, closed: false })));
    await assert.rejects(createRestAdapter({ endpoint }).listComments({ thread: '/a' }), badResponse);
  });

  it('a page without comments is a bad_response; a valid page still reads, replies filled in', async () => {
    server.use(http.get(`${api}/comments`, () => HttpResponse.json({ nextCursor: null })));
    const adapter = createRestAdapter({ endpoint });
    await assert.rejects(adapter.listComments({ thread: '/a' }), badResponse);
    const { replies: _replies, ...withoutReplies } = comment;
    server.use(http.get(`${api}/comments`, () => HttpResponse.json({ comments: [withoutReplies], nextCursor: 'next', closed: true })));
    assert.deepEqual(await adapter.listComments({ thread: '/a' }), { comments: [comment], nextCursor: 'next', closed: true });
  });

  it('a create answered with a comment of the wrong kind is a bad_response', async () => {
    server.use(http.post(`${api}/comments`, () => HttpResponse.json({ comment: { ...comment, body: 42 } }, { status: 201 })));
    const adapter = createRestAdapter({ endpoint, token: 'jwt' });
    await assert.rejects(adapter.createComment({ thread: '/a', body: 'Hello', idempotencyKey: 'k1' }), badResponse);
  });

  it('an identity answer without a token is a bad_response, and no token is kept', async () => {
    server.use(http.post(`${api}/identities`, () => HttpResponse.json({ identity: { id: 'i_1', name: 'Ada', role: 'reader' } }, { status: 201 })));
    const tokenStorage = memoryStorage();
    await assert.rejects(createRestAdapter({ endpoint, tokenStorage }).identify('Ada'), badResponse);
    assert.equal(tokenStorage.data.size, 0);
  });

  it('an identity with an unknown role is a bad_response', async () => {
    server.use(http.get(`${api}/identities/me`, () => HttpResponse.json({ identity: { id: 'i_1', name: 'Ada', role: 'admin' } })));
    await assert.rejects(createRestAdapter({ endpoint, token: 'jwt' }).getIdentity(), badResponse);
  });

  it('counts that are not whole numbers are a bad_response', async () => {
    server.use(http.get(`${api}/counts`, () => HttpResponse.json({ counts: { '/a': '3' } })));
    await assert.rejects(createRestAdapter({ endpoint }).countComments(['/a']), badResponse);
  });
});

describe('REST adapter: the shape of live events', () => {
  it('a malformed event is skipped and told to onError as bad_response; the next one arrives', async () => {
    const listeners = new Map<string, (event: MessageEvent) => void>();
    class FakeEventSource implements EventSourceLike {
      constructor(readonly url: string) {}
      addEventListener(type: string, listener: (event: MessageEvent) => void) {
        listeners.set(type, listener);
      }
      close() {}
    }
    const errors: ColloquyError[] = [];
    const adapter = createRestAdapter({ endpoint, EventSource: FakeEventSource, onError: (error) => errors.push(error) });
    const events: ThreadEvent[] = [];
    adapter.subscribe!('/a', (event) => events.push(event));
    // The stream's code comes on first use: the source opens a moment later.
    while (!listeners.has('created')) await new Promise((resolve) => setTimeout(resolve, 1));
    const send = (type: string, data: unknown) => listeners.get(type)!({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent);

    send('created', { comment: anonymous });
    send('edited', { comment: { ...comment, status: 'gone' } });
    send('created', '{not json');
    assert.equal(events.length, 0);
    assert.deepEqual(
      errors.map((error) => error.code),
      ['bad_response', 'bad_response', 'bad_response'],
    );

    const { replies: _replies, ...eventComment } = comment;
    send('created', { comment: eventComment });
    assert.deepEqual(events, [{ type: 'created', comment }]);
  });
});
