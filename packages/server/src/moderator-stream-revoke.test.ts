import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { openSse, type SseStream } from './sse-test-client.js';
import { DATABASES, serverStarter, startTestServer, tempPostgres, type TestServer } from './test-support.js';

const SECRET = 'stream-revoke-secret-stream-revoke-secret';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const enc = encodeURIComponent;

/** Resolves true when the stream ends within `ms`. */
async function endsWithin(stream: SseStream, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([stream.ended.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const { name: driver, make } of DATABASES) {
  describe(`a moderator's open event stream stops when the moderator no longer is one, on ${driver}`, () => {
    const start = serverStarter(make, { jwtSecret: SECRET });

    /** A moderator's stream opened with a ticket (as the queue's EventSource does), a comment, and a way to report it. */
    async function setUp(t: TestServer, sub: string) {
      const moderator = await jwt({ sub, name: 'Morgan', role: 'moderator' });
      const ticket = (await t.call('POST', '/moderation/events/tickets', { token: moderator })).json.ticket as string;
      const stream = await openSse(`${t.url}/api/v1/moderation/events?ticket=${enc(ticket)}`);
      assert.equal(stream.response.status, 200);
      const author = await t.identity('Author');
      const c = (await t.call('POST', '/comments', { token: author.token, body: { thread: '/revoke', body: 'a comment' } })).json.comment;
      const report = async (details: string) => {
        const reporter = await t.identity('Reporter');
        assert.equal((await t.call('POST', `/comments/${c.id}/reports`, { token: reporter.token, body: { reason: 'other', details } })).status, 201);
      };
      return { moderator, ticket, stream, report };
    }

    test('demoted: the next report is not sent, the stream ends, and its ticket no longer opens it', async () => {
      const t = await start();
      const { ticket, stream, report } = await setUp(t, 'mod-demoted');
      try {
        await report('seen while a moderator');
        await stream.waitFor(1);
        // The host site signs the same person in as a reader: the role is refreshed from the token.
        await t.call('GET', '/identities/me', { token: await jwt({ sub: 'mod-demoted', name: 'Morgan', role: 'reader' }) });
        await report('private details after the demotion');
        assert.equal(await endsWithin(stream, 5_000), true, 'the stream is closed');
        assert.deepEqual(
          stream.received.map((e) => e.data.report?.details),
          ['seen while a moderator'],
          'no report details after the demotion',
        );
        assertError(await t.call('GET', `/moderation/events?ticket=${enc(ticket)}`), 403, 'forbidden');
      } finally {
        await stream.close();
      }
    });

    test('erased through DELETE /me: the stream ends without the report', async () => {
      const t = await start();
      const { moderator, stream, report } = await setUp(t, 'mod-erased');
      try {
        assert.equal((await t.call('DELETE', '/me', { token: moderator })).status, 200);
        await report('private details after the erasure');
        assert.equal(await endsWithin(stream, 5_000), true);
        assert.deepEqual(stream.received, []);
      } finally {
        await stream.close();
      }
    });

    test('banned: the stream ends without the report', async () => {
      const t = await start();
      const { moderator, stream, report } = await setUp(t, 'mod-banned');
      try {
        const id = (await t.call('GET', '/identities/me', { token: moderator })).json.identity.id;
        const other = await jwt({ sub: 'mod-other', name: 'Olive', role: 'staff' });
        assert.equal((await t.call('POST', `/moderation/identities/${id}`, { token: other, body: { action: 'ban' } })).status, 200);
        await report('private details after the ban');
        assert.equal(await endsWithin(stream, 5_000), true);
        assert.deepEqual(stream.received, []);
      } finally {
        await stream.close();
      }
    });
  });
}

describe('on PostgreSQL, a demotion in one process ends the stream held open by another', () => {
  test('two processes over one database', async () => {
    const database = tempPostgres();
    const a = await startTestServer({ jwtSecret: SECRET }, database);
    const b = await startTestServer({ jwtSecret: SECRET }, database);
    try {
      const moderator = await jwt({ sub: 'mod-remote', name: 'Morgan', role: 'moderator' });
      const stream = await openSse(`${b.url}/api/v1/moderation/events`, { authorization: `Bearer ${moderator}` });
      try {
        const author = await a.identity('Author');
        const c = (await a.call('POST', '/comments', { token: author.token, body: { thread: '/remote', body: 'a comment' } })).json.comment;
        await a.call('GET', '/identities/me', { token: await jwt({ sub: 'mod-remote', name: 'Morgan', role: 'reader' }) });
        const reporter = await a.identity('Reporter');
        assert.equal((await a.call('POST', `/comments/${c.id}/reports`, { token: reporter.token, body: { reason: 'other', details: 'secret' } })).status, 201);
        assert.equal(await endsWithin(stream, 5_000), true);
        assert.deepEqual(stream.received, []);
      } finally {
        await stream.close();
      }
    } finally {
      await b.server.close();
      await a.stop();
    }
  });
});
