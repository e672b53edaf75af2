// The server's real answers, one of each kind, checked against the protocol's schemas
// (@colloquy/protocol): a field renamed or dropped on either side fails here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import type { TSchema } from '@sinclair/typebox';
import * as P from '@colloquy/protocol';
import { openSse } from './sse-test-client.js';
import { EVERY_READER_COUNTS, startTestServer, type CallResult, type TestServer } from './test-support.js';

const SECRET = 'protocol-secret-protocol-secret-protocol-secret';

async function jwt(claims: Record<string, unknown>) {
  const at = Math.floor(Date.now() / 1000);
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(at).setExpirationTime(at + 3600).sign(new TextEncoder().encode(SECRET));
}

function conforms(result: CallResult, status: number, schema: TSchema) {
  assert.equal(result.status, status, JSON.stringify(result.json));
  assert.deepEqual(P.schemaErrors(schema, result.json), [], JSON.stringify(result.json));
}

describe('the server answers in the protocol’s shapes', () => {
  let t: TestServer;
  let moderator: string;
  before(async () => {
    t = await startTestServer({ jwtSecret: SECRET, reportThreshold: 1, ...EVERY_READER_COUNTS });
    moderator = await jwt({ sub: 'mod-1', name: 'Morgan', role: 'moderator' });
  });
  after(() => t.stop());

  test('reader endpoints: identities, comments, pages, reports, counts, config, live events and errors', async () => {
    const created = await t.call('POST', '/identities', { body: { name: 'Ada' } });
    conforms(created, 201, P.CreateIdentityResponse);
    const token: string = created.json.token;
    conforms(await t.call('GET', '/identities/me', { token }), 200, P.IdentityResponse);
    const nameless = await t.call('POST', '/identities', { body: {} });
    conforms(await t.call('PATCH', '/identities/me', { token: nameless.json.token, body: { name: 'Bea' } }), 200, P.IdentityResponse);

    const stream = await openSse(`${t.url}/api/v1/events?thread=${encodeURIComponent('/p')}`);
    try {
      const first = await t.call('POST', '/comments', { token, body: { thread: '/p', body: 'Hello *there*' } });
      conforms(first, 201, P.CommentResponse);
      const id: string = first.json.comment.id;
      conforms(await t.call('POST', '/comments', { token, body: { thread: '/p', parentId: id, body: 'A reply' } }), 201, P.CommentResponse);
      conforms(await t.call('PATCH', `/comments/${id}`, { token, body: { body: 'Edited' } }), 200, P.CommentResponse);
      const events = await stream.waitFor(3);
      assert.deepEqual(events.map((e) => e.event), ['created', 'created', 'edited']);
      for (const event of events) assert.deepEqual(P.schemaErrors(P.ThreadEventData, event.data), [], JSON.stringify(event.data));
    } finally {
      await stream.close();
    }

    const page = await t.call('GET', '/comments?thread=%2Fp&limit=1');
    conforms(page, 200, P.PageSchema);
    assert.equal(page.json.comments[0].replies.length, 1, 'replies nested, and checked by the schema');
    conforms(await t.call('GET', '/counts?thread=%2Fp&thread=%2Fq'), 200, P.CountsResponse);
    conforms(await t.call('GET', '/config'), 200, P.ConfigResponse);
    conforms(await t.call('GET', '/comments?thread=%2Fp&limit=0'), 400, P.ErrorSchema);
    conforms(await t.call('GET', '/comments?thread=%2Fp&sort=loudest'), 400, P.ErrorSchema);
  });

  test('moderation endpoints: queue, decisions, audit log, bans, tickets', async () => {
    const author = await t.identity('Author');
    const reader = await t.identity('Reader');
    const id: string = (await t.call('POST', '/comments', { token: author.token, body: { thread: '/m', body: 'Buy now' } })).json.comment.id;
    conforms(await t.call('POST', `/comments/${id}/reports`, { token: reader.token, body: { reason: 'spam', details: 'an ad' } }), 201, P.ReportResponse);

    const queue = await t.call('GET', '/moderation/queue?status=reported', { token: moderator });
    conforms(queue, 200, P.QueueResponse);
    assert.equal(queue.json.items.length, 1);
    conforms(await t.call('POST', `/moderation/comments/${id}`, { token: moderator, body: { action: 'hide', reason: 'advert' } }), 200, P.CommentResponse);
    conforms(await t.call('GET', '/moderation/queue?status=hidden', { token: moderator }), 200, P.QueueResponse);
    conforms(await t.call('GET', '/moderation/audit', { token: moderator }), 200, P.AuditPage);
    conforms(await t.call('GET', '/moderation/audit/export', { token: moderator }), 200, P.AuditExport);

    const ban = await t.call('POST', '/moderation/bans', { token: moderator, body: { cidr: '203.0.113.0/24', reason: 'flood' } });
    conforms(ban, 201, P.BanResponse);
    conforms(await t.call('POST', `/moderation/identities/${author.id}`, { token: moderator, body: { action: 'ban' } }), 200, P.IdentityBanResponse);
    conforms(await t.call('GET', '/moderation/bans', { token: moderator }), 200, P.BansResponse);
    conforms(await t.call('POST', '/moderation/threads', { token: moderator, body: { thread: '/closing', action: 'close' } }), 200, P.ThreadActionResponse);
    conforms(await t.call('DELETE', `/moderation/bans/${ban.json.ban.id}`, { token: moderator }), 200, P.BanResponse);
    conforms(await t.call('POST', '/moderation/events/tickets', { token: moderator }), 201, P.TicketResponse);
    conforms(await t.call('GET', '/moderation/queue', { token: reader.token }), 403, P.ErrorSchema);
  });

  test('data rights: a reader’s export and erasure', async () => {
    const reader = await t.identity('Leaving');
    await t.call('POST', '/comments', { token: reader.token, body: { thread: '/d', body: 'Goodbye' } });
    conforms(await t.call('GET', '/me/export', { token: reader.token }), 200, P.ReaderExportResponse);
    conforms(await t.call('DELETE', '/me', { token: reader.token }), 200, P.ErasureResponse);
  });
});
