import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signJwt } from './http-test-support.js';
import { answerProblem, describeRequest, FUZZ_JWT_SECRET, fuzzEndpoints, startFuzzFixture, type FuzzFixture } from './fuzz/harness.js';
import type { FuzzRequest } from './fuzz/arbitraries.js';
import type { WireResponse } from './fuzz/wire.js';
import { DATABASES } from './test-support.js';

/**
 * Property-based fuzzing of every route with a fixed seed and a bounded number of runs, so the
 * same requests go out on every run and each driver takes well under a minute. The longer run,
 * with any seed, is `bench/fuzz-endpoints.mjs` (docs/server.md, "Fuzzing").
 */
const SEED = 20261202;
const RUNS_PER_ROUTE = 30;

const moderatorToken = () => signJwt({ sub: 'fuzz-moderator', role: 'moderator' }, { secret: FUZZ_JWT_SECRET });

const request: FuzzRequest = { method: 'GET', target: '/api/v1/config', caller: { kind: 'caller', name: 'anonymous' }, headers: [] };
const answer = (status: number, body: string, type = 'application/json; charset=utf-8'): WireResponse => ({ status, headers: { 'content-type': type }, body: Buffer.from(body), stream: false });

describe('the fuzzer’s properties', () => {
  test('hold for a success and for an error in the envelope with its code’s status', () => {
    assert.equal(answerProblem(request, answer(200, '{"limits":{}}')), null);
    assert.equal(answerProblem(request, answer(404, '{"error":{"code":"not_found","message":"Nothing here."}}')), null);
    assert.equal(answerProblem(request, answer(431, '{"error":{"code":"too_large","message":"Headers too large."}}')), null);
  });

  test('fail for a 5xx, an error outside the envelope, a code at the wrong status, and JSON that does not parse', () => {
    assert.match(answerProblem(request, answer(500, '{"error":{"code":"server_error","message":"x"}}'))!, /status 500/);
    assert.match(answerProblem(request, answer(400, '{"error":"Bad Request","message":"Client Error","statusCode":400}'))!, /outside the error envelope/);
    assert.match(answerProblem(request, answer(400, 'Bad Request', 'text/plain'))!, /answered as "text\/plain"/);
    assert.match(answerProblem(request, answer(400, '{"error":{"code":"not_found","message":"x"}}'))!, /code not_found \(404\) answered with status 400/);
    assert.match(answerProblem(request, answer(400, '{"error":{"code":"made_up","message":"x"}}'))!, /unknown code/);
    assert.match(answerProblem(request, answer(200, '{"limits":'))!, /does not parse/);
  });
});

for (const { name: driver, make } of DATABASES) {
  describe(`fuzzing every route on ${driver}`, () => {
    let fixture: FuzzFixture;
    before(async () => {
      fixture = await startFuzzFixture(make());
    });
    after(() => fixture.stop());

    test('every API route in fastify’s table is in the OpenAPI document, so it is fuzzed with its schemas', () => {
      assert.deepEqual(fixture.undocumented, []);
      const names = fixture.targets.map((t) => t.name);
      for (const route of ['GET /api/v1/moderation/audit', 'DELETE /api/v1/moderation/bans/{id}', 'GET /api/v1/events', 'GET /:file']) assert.ok(names.includes(route), route);
    });

    test(`no 5xx and every error in the envelope (seed ${SEED}, ${RUNS_PER_ROUTE} requests per route)`, async () => {
      const stats = await fuzzEndpoints(fixture, { seed: SEED, runs: RUNS_PER_ROUTE });
      const failures = stats.failures.map((f) => `${f.target} (seed ${f.seed}): ${f.error}\n  ${f.counterexample}`);
      assert.deepEqual(failures, []);
      assert.equal(stats.requests, fixture.targets.length * RUNS_PER_ROUTE);
      // The requests reach past validation and auth: successes and refusals of several kinds.
      for (const status of [200, 201, 400, 401, 403, 404]) assert.ok((stats.statuses.get(status) ?? 0) > 0, `no ${status} among ${[...stats.statuses.keys()].join(', ')}`);
    });

    test('NUL in a path id, an audit filter, a cursor, a body field or a JWT sub is 400, not a database error', async () => {
      const moderator = { kind: 'caller', name: 'moderator' } as const;
      const cases: FuzzRequest[] = [
        { method: 'GET', target: '/api/v1/moderation/audit?commentId=a%00b', caller: moderator, headers: [] },
        { method: 'GET', target: '/api/v1/moderation/audit/export?authorId=%00', caller: moderator, headers: [] },
        { method: 'GET', target: '/api/v1/moderation/audit?cursor=%00', caller: moderator, headers: [] },
        { method: 'GET', target: '/api/v1/comments?thread=/fuzz/a&cursor=x%00', caller: moderator, headers: [] },
        { method: 'DELETE', target: '/api/v1/moderation/bans/b%00', caller: moderator, headers: [] },
        { method: 'POST', target: '/api/v1/moderation/identities/i%00', caller: moderator, headers: [['content-type', 'application/json']], body: Buffer.from('{"action":"ban"}') },
        { method: 'POST', target: '/api/v1/moderation/bans', caller: moderator, headers: [['content-type', 'application/json']], body: Buffer.from('{"cidr":"198.51.100.0/24","reason":"a\\u0000"}') },
      ];
      for (const c of cases) {
        const r = await fixture.send(c);
        assert.equal(r.status, 400, describeRequest(c));
        assert.equal(JSON.parse(r.body.toString()).error.code, 'invalid_input', describeRequest(c));
      }
      const nulSub: FuzzRequest = { method: 'GET', target: '/api/v1/identities/me', caller: { kind: 'jwt', claims: { sub: 'user\u00001' }, goodSecret: true }, headers: [] };
      const r = await fixture.send(nulSub);
      assert.equal(r.status, 401);
      assert.equal(JSON.parse(r.body.toString()).error.code, 'invalid_token');
    });

    test('a JWT sub with a lone surrogate is refused rather than stored as another subject', async () => {
      const token = await signJwt({ sub: 'user-\ud800' }, { secret: FUZZ_JWT_SECRET });
      const r = await fixture.server.call('GET', '/identities/me', { token });
      assert.equal(r.status, 401);
      assert.equal(r.json.error.code, 'invalid_token');
    });

    test('HEAD on a live stream answers its headers at once instead of holding the connection', async () => {
      const ticket = (await fixture.server.call('POST', '/moderation/events/tickets', { token: await moderatorToken() })).json.ticket;
      for (const path of ['/events?thread=/fuzz/a', `/moderation/events?ticket=${ticket}`]) {
        const r = await fetch(`${fixture.server.url}/api/v1${path}`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
        assert.equal(r.status, 200, path);
        assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/, path);
      }
    });

    test('a header Node’s parser refuses and headers over its limit answer in the envelope', async () => {
      const nulHeader: FuzzRequest = { method: 'GET', target: '/api/v1/config', caller: { kind: 'caller', name: 'anonymous' }, headers: [['x-note', Buffer.from([0x61, 0x00, 0x62])]] };
      const refused = await fixture.send(nulHeader);
      assert.equal(refused.status, 400);
      assert.equal(JSON.parse(refused.body.toString()).error.code, 'invalid_input');
      const huge: FuzzRequest = { method: 'GET', target: `/api/v1/config?x=${'x'.repeat(20_000)}`, caller: { kind: 'caller', name: 'anonymous' }, headers: [] };
      const tooLarge = await fixture.send(huge);
      assert.equal(tooLarge.status, 431);
      assert.equal(JSON.parse(tooLarge.body.toString()).error.code, 'too_large');
      const badUrl: FuzzRequest = { method: 'PATCH', target: '/api/v1/comments/%ED%A0%80', caller: { kind: 'caller', name: 'reader' }, headers: [] };
      const bad = await fixture.send(badUrl);
      assert.equal(bad.status, 400);
      assert.equal(JSON.parse(bad.body.toString()).error.code, 'invalid_input');
      assert.equal(bad.headers['cache-control'], 'no-store');
      // The preflight route is added by the CORS plugin; it refuses a body it cannot read like any other route.
      const preflight: FuzzRequest = { method: 'OPTIONS', target: '/api/v1/comments', caller: { kind: 'caller', name: 'anonymous' }, headers: [['content-type', 'text/plain']], body: Buffer.from('x') };
      const unsupported = await fixture.send(preflight);
      assert.equal(unsupported.status, 415);
      assert.equal(JSON.parse(unsupported.body.toString()).error.code, 'unsupported_media_type');
    });
  });
}
