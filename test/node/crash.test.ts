// A server killed with SIGKILL in the middle of a write storm loses nothing it acknowledged,
// and clients retrying with the same idempotency keys create no duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../support/server-process.js';

interface Attempt {
  key: string;
  token: string;
  body: string;
  parentId: string | null;
  ackedId?: string;
}

async function post(url: string, attempt: Attempt): Promise<Response> {
  return fetch(`${url}/api/v1/comments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${attempt.token}`,
      'idempotency-key': attempt.key,
    },
    body: JSON.stringify({ thread: '/crash', parentId: attempt.parentId, body: attempt.body }),
  });
}

async function listAll(url: string): Promise<Map<string, { id: string; body: string }>> {
  const seen = new Map<string, { id: string; body: string }>();
  const visit = (comments: Array<{ id: string; body: string; replies: unknown[] }>) => {
    for (const comment of comments) {
      assert.ok(!seen.has(comment.id), `comment ${comment.id} listed twice`);
      seen.set(comment.id, comment);
      visit(comment.replies as typeof comments);
    }
  };
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ thread: '/crash', sort: 'oldest', limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`${url}/api/v1/comments?${query}`);
    assert.equal(response.status, 200);
    const page = (await response.json()) as { comments: Array<{ id: string; body: string; replies: unknown[] }>; nextCursor: string | null };
    visit(page.comments);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

test('SIGKILL mid-load loses no acknowledged comment and retries create no duplicates', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-crash-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'crash.db')}` };
  let server = await startServerProcess(env);
  try {
    const tokens: string[] = [];
    for (let i = 0; i < 16; i++) {
      const response = await fetch(`${server.url}/api/v1/identities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Poster ${i}` }),
      });
      assert.equal(response.status, 201);
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const root = await post(server.url, { key: 'root', token: tokens[0]!, body: 'root of the storm', parentId: null });
    assert.equal(root.status, 201);
    const rootId = ((await root.json()) as { comment: { id: string } }).comment.id;

    const attempts: Attempt[] = [];
    let killed = false;
    // The plug is pulled once 300 posts are acknowledged (the test's timeout bounds the wait).
    const ENOUGH = 300;
    let ackedCount = 0;
    let enoughAcked = (): void => {};
    const storming = new Promise<void>((resolve) => (enoughAcked = resolve));
    const killedServer = server;
    const workers = tokens.map(async (token, worker) => {
      for (let n = 0; !killed && n < 2_000; n++) {
        const attempt: Attempt = {
          key: `w${worker}-n${n}`,
          token,
          body: `storm comment w${worker}-n${n}`,
          parentId: n % 3 === 0 ? rootId : null,
        };
        attempts.push(attempt);
        try {
          const response = await post(killedServer.url, attempt);
          if (response.status === 201) {
            attempt.ackedId = ((await response.json()) as { comment: { id: string } }).comment.id;
            if (++ackedCount === ENOUGH) enoughAcked();
          }
        } catch {
          return; // the server died under this request: its outcome is unknown
        }
      }
    });
    // Let the storm build up, then pull the plug without warning. If every worker finishes
    // first, the assertion below reports how many posts were acknowledged.
    await Promise.race([storming, Promise.all(workers)]);
    killed = true;
    server.child.kill('SIGKILL');
    await Promise.all(workers);
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await new Promise((resolve) => server.child.once('exit', resolve));
    }

    const acknowledged = attempts.filter((a) => a.ackedId);
    assert.ok(acknowledged.length >= ENOUGH, `only ${acknowledged.length} posts were acknowledged before the kill`);

    server = await startServerProcess(env);
    const stored = await listAll(server.url);
    for (const attempt of acknowledged) {
      const comment = stored.get(attempt.ackedId!);
      assert.ok(comment, `acknowledged comment ${attempt.key} (${attempt.ackedId}) was lost`);
      assert.equal(comment.body, attempt.body);
    }

    // Every client retries everything it sent, acknowledged or not, with the same keys.
    for (const attempt of attempts) {
      const response = await post(server.url, attempt);
      assert.equal(response.status, 201, `retry of ${attempt.key} answered ${response.status}`);
      const id = ((await response.json()) as { comment: { id: string } }).comment.id;
      if (attempt.ackedId) assert.equal(id, attempt.ackedId, `retry of ${attempt.key} made a new comment`);
    }
    const after = await listAll(server.url);
    const bodies = [...after.values()].map((c) => c.body);
    assert.equal(new Set(bodies).size, bodies.length, 'a retried comment was duplicated');
    assert.equal(after.size, attempts.length + 1, 'every attempted comment exists exactly once after the retries');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
