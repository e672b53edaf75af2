import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { before, describe, test } from 'node:test';
import { assertError, signJwt, arrivals, captureLog, listen } from './http-test-support.js';
import { DATABASES, EVERY_READER_COUNTS, serverStarter, startTestServer, tempPostgres, type TestServer } from './test-support.js';
import { openSse } from './sse-test-client.js';
import { verifyWebhook } from './webhooks.js';

const SECRET = 'moderation-secret-moderation-secret-moderation';
const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET });
const enc = encodeURIComponent;

for (const { name: driver, make } of DATABASES) {
  describe(`live moderation events and webhooks on ${driver}`, () => {
    // Each test starts its own server: the settings under test differ.
    // About the moderators' stream and webhook, not whose report counts: every reader's report weighs 1.
    const start = serverStarter(make, { jwtSecret: SECRET, ...EVERY_READER_COUNTS });

    let moderator: string;
    before(async () => {
      moderator = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
    });

    const post = (t: TestServer, token: string, thread: string, body: string, parentId?: string) =>
      t.call('POST', '/comments', { token, body: { thread, body, ...(parentId ? { parentId } : {}) } });
    const report = (t: TestServer, token: string, id: string, reason = 'spam', details?: string) =>
      t.call('POST', `/comments/${id}/reports`, { token, body: { reason, ...(details ? { details } : {}) } });
    const act = (t: TestServer, id: string, action: string, reason?: string) =>
      t.call('POST', `/moderation/comments/${id}`, { token: moderator, body: { action, ...(reason ? { reason } : {}) } });

    test('moderators get reported, held, hidden and moderated live, through a ticket (EventSource) or the Authorization header', async () => {
      const t = await start({ reportThreshold: 2, premoderatedThreads: ['/held/'] });
      const reader = await t.identity('Reader');
      assertError(await t.call('POST', '/moderation/events/tickets', { body: {} }), 401, 'unauthenticated');
      assertError(await t.call('POST', '/moderation/events/tickets', { token: reader.token }), 403, 'forbidden');
      assertError(await t.call('GET', '/moderation/events'), 401, 'unauthenticated');
      assertError(await t.call('GET', '/moderation/events?ticket=cqs_made-up'), 401, 'invalid_token');
      const issued = await t.call('POST', '/moderation/events/tickets', { token: moderator });
      assert.equal(issued.status, 201);
      assert.ok(Date.parse(issued.json.expiresAt) > Date.now());
      const byTicket = await openSse(`${t.url}/api/v1/moderation/events?ticket=${enc(issued.json.ticket)}`);
      const byHeader = await openSse(`${t.url}/api/v1/moderation/events`, { authorization: `Bearer ${moderator}` });
      assert.equal(byTicket.response.status, 200);
      assert.match(byTicket.response.headers.get('content-type') ?? '', /^text\/event-stream/);
      try {
        const author = await t.identity('Author');
        const c = (await post(t, author.token, '/live', 'watch this')).json.comment;
        await report(t, reader.token, c.id, 'harassment', 'rude');
        await report(t, (await t.identity('Second')).token, c.id);
        const held = (await post(t, author.token, '/held/topic', 'needs review')).json.comment;
        await act(t, c.id, 'approve', 'fine');
        for (const stream of [byTicket, byHeader]) {
          const events = await stream.waitFor(5);
          assert.deepEqual(
            events.map((e) => [e.event, e.data.comment.id]),
            [
              ['reported', c.id],
              ['reported', c.id],
              ['hidden', c.id],
              ['held', held.id],
              ['moderated', c.id],
            ],
          );
          assert.equal(events[0]!.data.comment.body, 'watch this');
          assert.deepEqual([events[0]!.data.report.reason, events[0]!.data.report.details, events[0]!.data.reportWeight, events[0]!.data.threshold], ['harassment', 'rude', 1, 2]);
          assert.equal(events[2]!.data.by, 'reports');
          assert.equal(events[3]!.data.comment.body, 'needs review');
          assert.deepEqual([events[4]!.data.action, events[4]!.data.reason, events[4]!.data.moderator.name, events[4]!.data.comment.status], ['approve', 'fine', 'Morgan', 'visible']);
        }
      } finally {
        await byTicket.close();
        await byHeader.close();
      }
    });

    test('signed webhooks reach a real receiver on loopback for reported, held and hidden, retried after a failure', async () => {
      const deliveries = arrivals<{ headers: IncomingHttpHeaders; body: string; answered: number }>();
      const received = deliveries.items;
      let failuresLeft = 1;
      const receiver = await listen((headers, body) => {
        const answered = failuresLeft-- > 0 ? 503 : 204;
        deliveries.push({ headers, body, answered });
        return answered;
      });
      const hookSecret = 'whsec-test-secret-0123456789';
      try {
        const t = await start({ reportThreshold: 2, premoderatedThreads: ['/held/'], webhook: { url: receiver.url, secret: hookSecret, retryDelaysMs: [50, 50] } });
        const author = await t.identity('Author');
        const c = (await post(t, author.token, '/hooks', 'page a moderator')).json.comment;
        await report(t, (await t.identity('R1')).token, c.id, 'hate', 'slur');
        await report(t, (await t.identity('R2')).token, c.id, 'hate');
        const held = (await post(t, author.token, '/held/x', 'held one')).json.comment;
        await deliveries.until((all) => all.filter((r) => r.answered === 204).length >= 4);
        for (const r of received) {
          // Verified here from first principles, as a receiver in any language would.
          const header = String(r.headers['colloquy-signature']);
          const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
          assert.ok(match, header);
          assert.ok(Math.abs(Number(match[1]) - Date.now() / 1000) < 60);
          assert.equal(match[2], createHmac('sha256', hookSecret).update(`${match[1]}.${r.body}`).digest('hex'));
          assert.equal(verifyWebhook(hookSecret, r.body, header), true);
          assert.equal(verifyWebhook('another-secret-entirely', r.body, header), false);
          assert.equal(verifyWebhook(hookSecret, r.body.replace('"type"', '"Type"'), header), false);
          assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        }
        const delivered = received.filter((r) => r.answered === 204).map((r) => JSON.parse(r.body));
        assert.deepEqual(delivered.map((d) => [d.type, d.data.comment.id]).sort(), [
          ['held', held.id],
          ['hidden', c.id],
          ['reported', c.id],
          ['reported', c.id],
        ].sort());
        // The first attempt failed with 503 and the same delivery came again.
        const firstAttempt = received[0]!;
        assert.equal(firstAttempt.answered, 503);
        assert.equal(received.filter((r) => r.headers['colloquy-delivery'] === firstAttempt.headers['colloquy-delivery']).length, 2);
        const reportedHook = delivered.find((d) => d.type === 'reported' && d.data.report.details === 'slur');
        assert.equal(reportedHook.data.comment.body, 'page a moderator');
        assert.equal(reportedHook.data.comment.html, undefined);
        assert.equal(reportedHook.data.threshold, 2);
        assert.equal(delivered.find((d) => d.type === 'hidden').data.by, 'reports');
        assert.deepEqual(delivered.find((d) => d.type === 'held').data.heldReasons, []);
      } finally {
        await receiver.close();
      }
    });
  });
}

describe('webhooks never hold up readers', () => {
  test('a receiver that hangs or is gone neither delays the reader’s answer nor stops the server', async () => {
    const { lines, logStream } = captureLog();
    // A port with nobody listening, and a receiver that never answers.
    const gone = await listen(() => 204);
    await gone.close();
    const hangingDeliveries = arrivals<{ closed(): boolean }>();
    const hanging = await listen((_headers, _body, request) => {
      hangingDeliveries.push(request);
      return new Promise<number>(() => undefined);
    });
    const moderatorToken = await jwt({ sub: 'mod-dead', name: 'Dee', role: 'moderator' });
    const dead = await startTestServer({ jwtSecret: SECRET, logging: true, logStream, webhook: { url: gone.url, secret: 'x'.repeat(20), retryDelaysMs: [20, 20] } });
    const slow = await startTestServer({ jwtSecret: SECRET, webhook: { url: hanging.url, secret: 'y'.repeat(20), retryDelaysMs: [], timeoutMs: 10_000 } });
    const abandonedLine = (all: string[]) => all.find((l) => l.includes('webhook delivery abandoned'));
    try {
      for (const t of [dead, slow]) {
        const author = await t.identity('Author');
        const c = (await t.call('POST', '/comments', { token: author.token, body: { thread: '/dead', body: 'x' } })).json.comment;
        const reported = await t.call('POST', `/comments/${c.id}/reports`, { token: (await t.identity('R')).token, body: { reason: 'spam' } });
        assert.equal(reported.status, 201);
        if (t === dead) {
          // Three failed attempts 20 ms apart come after the answer, not before it.
          assert.equal(abandonedLine(lines.items), undefined, 'answered before the delivery was given up');
        } else {
          // Had the answer waited for the receiver, its delivery would have timed out and closed first.
          await hangingDeliveries.until((all) => all.length > 0);
          assert.equal(hangingDeliveries.items[0]!.closed(), false, 'answered while the delivery still hangs');
        }
        assert.equal((await t.call('GET', '/moderation/queue', { token: moderatorToken })).status, 200);
      }
      await lines.until((all) => abandonedLine(all) !== undefined);
      const abandoned = JSON.parse(abandonedLine(lines.items)!);
      assert.equal(abandoned.attempts, 3, 'the first try and two retries');
      assert.equal((await dead.call('GET', '/config')).status, 200, 'still serving');
      assert.equal(slow.server.config.webhook?.url, hanging.url);
    } finally {
      await dead.stop();
      await slow.stop();
      await hanging.close();
    }
  });
});

describe('stream tickets and the request log', () => {
  test('a ticket in the stream URL never reaches the log', async () => {
    const { lines, logStream } = captureLog();
    const t = await startTestServer({ jwtSecret: SECRET, logging: true, logStream });
    try {
      const moderatorToken = await jwt({ sub: 'mod-log', name: 'Lou', role: 'moderator' });
      const ticket = (await t.call('POST', '/moderation/events/tickets', { token: moderatorToken })).json.ticket as string;
      const stream = await openSse(`${t.url}/api/v1/moderation/events?ticket=${enc(ticket)}`);
      assert.equal(stream.response.status, 200);
      await stream.close();
      await lines.until((all) => all.some((l) => l.includes('/moderation/events?ticket=')));
      const log = lines.items.join('');
      assert.ok(!log.includes(ticket), 'no ticket in the log');
      assert.match(log, /moderation\/events\?ticket=\[redacted\]/);
      const rows = await t.server.store.db.all('SELECT * FROM stream_tickets');
      assert.ok(!JSON.stringify(rows).includes(ticket), 'only its hash is stored');
    } finally {
      await t.stop();
    }
  });
});

describe('moderation events across processes', () => {
  test('on PostgreSQL, a moderator streaming from one process hears a report made through another', async () => {
    const database = tempPostgres();
    const first = await startTestServer({ jwtSecret: SECRET }, database);
    const second = await startTestServer({ jwtSecret: SECRET }, { ...database, cleanup: async () => {} });
    try {
      const moderatorToken = await jwt({ sub: 'mod-x', name: 'Xan', role: 'moderator' });
      const ticket = (await first.call('POST', '/moderation/events/tickets', { token: moderatorToken })).json.ticket;
      const stream = await openSse(`${first.url}/api/v1/moderation/events?ticket=${enc(ticket)}`);
      const author = await second.identity('Author');
      const c = (await second.call('POST', '/comments', { token: author.token, body: { thread: '/x', body: 'over there' } })).json.comment;
      await second.call('POST', `/comments/${c.id}/reports`, { token: (await second.identity('R')).token, body: { reason: 'off-topic' } });
      const [event] = await stream.waitFor(1);
      assert.equal(event!.event, 'reported');
      assert.equal(event!.data.comment.body, 'over there');
      assert.equal(event!.data.report.reason, 'off-topic');
      // A ticket issued by one process opens the stream on another.
      const elsewhere = await openSse(`${second.url}/api/v1/moderation/events?ticket=${enc(ticket)}`);
      assert.equal(elsewhere.response.status, 200);
      await elsewhere.close();
      await stream.close();
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
