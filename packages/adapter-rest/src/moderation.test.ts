import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColloquyError } from '@colloquy/core';
import { createModerationClient } from './moderation.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}

/** A fetch answering from a list of responses in turn, recording each request. */
function scripted(...answers: Array<() => Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    seen.push({
      method: init.method ?? 'GET',
      url: String(input),
      authorization: headers.get('authorization'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const comment = { id: 'c1', thread: '/t', parentId: null, author: { id: 'a1', name: 'Ann', role: 'reader' }, body: 'Hi', createdAt: '2026-01-01T00:00:00Z', editedAt: null, status: 'hidden', replies: [] };

test('reads a queue page with the token, the author history and the totals', async () => {
  const { fetch, seen } = scripted(
    json(200, {
      items: [{ comment, reports: [{ reason: 'spam', details: null, weight: 2, createdAt: '2026-01-01T00:00:00Z', reporter: { id: 'r', name: null, role: 'mentor' } }], author: { counts: { hidden: 1 }, identity: { banned: true } }, hiddenBy: 'reports', threshold: 3 }],
      nextCursor: 'next',
      total: 7,
    }),
  );
  const client = createModerationClient({ endpoint: 'https://c.example/', token: 'jwt', fetch });
  const page = await client.queue('reported', 'abc');
  assert.equal(seen[0]!.url, 'https://c.example/api/v1/moderation/queue?status=reported&cursor=abc');
  assert.equal(seen[0]!.authorization, 'Bearer jwt');
  assert.ok(!Array.isArray(page));
  assert.equal(page.total, 7);
  assert.equal(page.nextCursor, 'next');
  const [item] = page.items;
  assert.equal(item?.reportWeight, 2);
  assert.equal(item?.authorHistory?.banned, true);
  assert.equal(item?.hiddenBy, 'reports');
  assert.deepEqual(item?.heldReasons, []);
});

test('sends a search with the queue page, dropping blank filters', async () => {
  const { fetch, seen } = scripted(json(200, { items: [], nextCursor: null, total: 0 }));
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch });
  await client.queue('held', 'abc', { q: ' cheap & pills ', thread: '/a b/', authorId: '' });
  assert.equal(seen[0]!.url, 'https://c.example/api/v1/moderation/queue?status=held&cursor=abc&q=cheap+%26+pills&thread=%2Fa+b%2F');
});

test('reads the published queue (status=visible) with a search: items without reports, in the server’s order', async () => {
  const published = (id: string, createdAt: string) => ({ comment: { ...comment, id, status: 'visible', createdAt }, reports: [], reportGroups: [], reportWeight: 0, heldReasons: [], hiddenBy: null, actions: [] });
  const { fetch, seen } = scripted(json(200, { items: [published('c3', '2026-01-03T00:00:00Z'), published('c2', '2026-01-02T00:00:00Z')], nextCursor: 'older', total: 5 }));
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch });
  const page = await client.queue('visible', null, { q: 'staff answer', thread: '/t' });
  assert.equal(seen[0]!.url, 'https://c.example/api/v1/moderation/queue?status=visible&q=staff+answer&thread=%2Ft');
  assert.ok(!Array.isArray(page));
  assert.deepEqual(page.items.map((item) => item.comment.id), ['c3', 'c2'], 'newest first, as the server sent them');
  assert.deepEqual([page.items[0]!.reports, page.items[0]!.reportWeight, page.items[0]!.hiddenBy], [[], 0, null]);
  assert.deepEqual([page.nextCursor, page.total], ['older', 5]);
});

test('retries a read the server could not answer, but never repeats a decision', async () => {
  const { fetch, seen } = scripted(json(503, { error: { code: 'unavailable', message: 'busy' } }), json(200, { entries: [], nextCursor: null }), json(503, { error: { code: 'unavailable', message: 'busy' } }));
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch, retry: { baseDelayMs: 1 } });
  assert.deepEqual(await client.auditLog!(null), { entries: [], nextCursor: null });
  assert.equal(seen.length, 2);
  await assert.rejects(client.act('c1', 'ban-author', 'Abuse'), (error: unknown) => error instanceof ColloquyError && error.code === 'unavailable');
  assert.equal(seen.length, 3, 'one attempt for a decision');
  assert.deepEqual(seen[2]!.body, { action: 'ban-author', reason: 'Abuse' });
});

test('turns the error envelope into a ColloquyError with the server code and status', async () => {
  const { fetch } = scripted(json(403, { error: { code: 'forbidden', message: 'Only moderators and staff can do this.' } }), () => new Response('oops', { status: 500 }));
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch, retry: { retries: 0 } });
  await assert.rejects(client.bans!(), (error: unknown) => error instanceof ColloquyError && error.code === 'forbidden' && error.status === 403 && /moderators/.test(error.message));
  await assert.rejects(client.queue('held'), (error: unknown) => error instanceof ColloquyError && error.code === 'server_error');
});

test('bans and lifts ranges, lifts identity bans, and exports the log as a JSON blob', async () => {
  const range = { id: 'b1', cidr: '192.0.2.0/24', reason: 'Bots', createdAt: '2026-01-01T00:00:00Z' };
  const { fetch, seen } = scripted(json(201, { ban: range }), json(200, { ok: true }), json(200, { identity: {} }), json(200, { format: 'colloquy-audit-log', version: 1, entries: [{ action: 'hide' }] }));
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch });
  assert.deepEqual(await client.banRange!('192.0.2.0/24', 'Bots'), range);
  await client.liftRange!('b1', 'Over');
  await client.unbanIdentity!('a 1', null);
  const blob = await client.exportAuditLog!();
  assert.equal(blob.type, 'application/json');
  assert.equal(JSON.parse(await blob.text()).format, 'colloquy-audit-log');
  assert.deepEqual(
    seen.map((request) => `${request.method} ${request.url.replace('https://c.example/api/v1/moderation', '')}`),
    ['POST /bans', 'DELETE /bans/b1?reason=Over', 'POST /identities/a%201', 'GET /audit/export'],
  );
  assert.deepEqual(seen[2]!.body, { action: 'unban' });
});

test('opens the live stream with a ticket and tells the listener which queue moved', async () => {
  const { fetch, seen } = scripted(json(201, { ticket: 'tk' }));
  const opened: FakeEventSource[] = [];
  class FakeEventSource extends EventTarget {
    static readonly CLOSED = 2;
    readyState = 1;
    closed = false;
    constructor(readonly url: string) {
      super();
      opened.push(this);
    }
    close() {
      this.closed = true;
    }
  }
  const client = createModerationClient({ endpoint: 'https://c.example', token: 't', fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
  const heard: Array<string | null> = [];
  const stop = client.subscribe!((queue) => heard.push(queue));
  for (let i = 0; i < 50 && opened.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(seen[0]!.url, 'https://c.example/api/v1/moderation/events/tickets');
  assert.equal(opened[0]!.url, 'https://c.example/api/v1/moderation/events?ticket=tk');
  opened[0]!.dispatchEvent(new Event('reported'));
  opened[0]!.dispatchEvent(new Event('moderated'));
  assert.deepEqual(heard, ['reported', null]);
  stop();
  assert.equal(opened[0]!.closed, true);
});
