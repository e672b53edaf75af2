// Several `colloquy-server` processes over one PostgreSQL database, as a site behind a load
// balancer runs them: a reader connected to one process sees, live, what a writer posts through
// another, and an Idempotency-Key retried against the other process creates no duplicate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventSource } from 'eventsource';
import { ADMIN_URL, pgAdmin } from '../support/pg-admin.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';



test('three server processes share one PostgreSQL: live events and idempotency cross them', { timeout: 300_000 }, async () => {
  const name = `colloquy_procs_${randomBytes(5).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const servers: ServerProcess[] = [];
  try {
    // One at a time, so the first runs the migrations and the others find them done.
    for (let i = 0; i < 3; i++) servers.push(await startServerProcess({ DATABASE_URL: url.href }));
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];

    // Readers on A and C listen; the writer talks to B.
    const received: Record<string, string[]> = { a: [], c: [] };
    const firstEvents: Promise<void>[] = [];
    const sources = (['a', 'c'] as const).map((key) => {
      const source = new EventSource(`${(key === 'a' ? a : c).url}/api/v1/events?thread=${encodeURIComponent('/shared/article')}`);
      let heard = (): void => {};
      firstEvents.push(new Promise<void>((resolve) => (heard = resolve)));
      source.addEventListener('created', (event) => {
        received[key]!.push(JSON.parse(event.data).comment.body);
        heard();
      });
      return source;
    });
    await Promise.all(sources.map((s) => new Promise((resolve, reject) => ((s.onopen = resolve), (s.onerror = reject)))));

    const identity = await (await fetch(`${b.url}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Ada"}' })).json();
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${identity.token}`, 'idempotency-key': 'one-comment' };
    const body = JSON.stringify({ thread: '/shared/article', body: 'Posted through process B.' });
    const first = await fetch(`${b.url}/api/v1/comments`, { method: 'POST', headers, body });
    assert.equal(first.status, 201);
    const created = (await first.json()).comment;

    // The same request retried against another process (a load balancer's retry) replays it.
    const retry = await fetch(`${c.url}/api/v1/comments`, { method: 'POST', headers, body });
    assert.ok(retry.status === 201 || retry.status === 200, `retry answered ${retry.status}`);
    assert.equal((await retry.json()).comment.id, created.id);

    // Both readers hear the comment live (the test's timeout bounds the wait).
    await Promise.all(firstEvents);
    assert.deepEqual(received.a, ['Posted through process B.'], 'the reader on A saw it live');
    assert.deepEqual(received.c, ['Posted through process B.'], 'the reader on C saw it live, once');
    for (const source of sources) source.close();

    // Every process lists exactly one comment.
    for (const server of servers) {
      const page = await (await fetch(`${server.url}/api/v1/comments?thread=${encodeURIComponent('/shared/article')}`)).json();
      assert.deepEqual(page.comments.map((comment: { id: string }) => comment.id), [created.id]);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
