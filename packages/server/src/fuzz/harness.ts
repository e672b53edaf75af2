import fc from 'fast-check';
import { ERROR_STATUS, isErrorCode } from '@colloquy/core';
import { ErrorSchema, matchesSchema, schemaErrors } from '@colloquy/protocol';
import { signJwt } from '../http-test-support.js';
import { startTestServer, type Database, type TestServer } from '../test-support.js';
import { requestFor, requestForPlainRoute, type CallerName, type FuzzRequest, type Hints } from './arbitraries.js';
import { openApiPath, operations, routeTable, type Operation } from './route-table.js';
import { sendWire, type WireRequest, type WireResponse } from './wire.js';

/** The fixture server's host-site JWT secret. */
export const FUZZ_JWT_SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret-0123';
const SECRET = FUZZ_JWT_SECRET;
const WRONG_SECRET = 'not-the-secret-not-the-secret-not-the-1';

/** A route the fuzzer aims at: an API operation with its schemas, or a plain route (static files, pages). */
export interface Target {
  name: string;
  requests: fc.Arbitrary<FuzzRequest>;
}

export interface FuzzFixture {
  server: TestServer;
  targets: Target[];
  /** API routes fastify answers that the OpenAPI document does not describe (should be none). */
  undocumented: string[];
  send(request: FuzzRequest): Promise<WireResponse>;
  stop(): Promise<void>;
}

export interface FuzzStats {
  requests: number;
  statuses: Map<number, number>;
  /** Per target: the property's failure with its shrunk counterexample. */
  failures: Array<{ target: string; seed: number; path: string | undefined; counterexample: string; error: string }>;
}

/**
 * A real server on the given database with something in it (comments, a report, a hidden
 * comment, an IP ban, audit entries, a stream ticket) and a caller of each role, and one
 * target per route in fastify's table, so every route is fuzzed.
 */
export async function startFuzzFixture(database: Database): Promise<FuzzFixture> {
  const server = await startTestServer({ jwtSecret: SECRET, serveDemo: true }, database);
  const port = server.server.port;
  const moderator = await signJwt({ sub: 'fuzz-moderator', name: 'Mod', role: 'moderator' }, { secret: SECRET, expiresAt: Math.floor(Date.now() / 1000) + 24 * 3600 });
  const staff = await signJwt({ sub: 'fuzz-staff', name: 'Staff', role: 'staff' }, { secret: SECRET, expiresAt: Math.floor(Date.now() / 1000) + 24 * 3600 });
  const tokens: Record<CallerName, string | null> = { anonymous: null, reader: null, nameless: null, moderator, staff };
  const identityIds: string[] = [];

  // Readers may erase themselves (DELETE /me) or be banned by the fuzzed moderator: fresh ones keep the runs deep.
  async function freshReaders() {
    const reader = await server.identity('Fuzz Reader');
    const nameless = await server.identity(null);
    tokens.reader = reader.token;
    tokens.nameless = nameless.token;
    identityIds.push(reader.id, nameless.id);
  }
  await freshReaders();

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const r = await server.call(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
    if (r.status >= 300) throw new Error(`fixture ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  const commentIds: string[] = [];
  for (const [thread, body] of [['/fuzz/a', 'first'], ['/fuzz/a', 'second'], ['/fuzz/b', 'other thread']] as const) {
    commentIds.push((await call('POST', '/comments', tokens.reader, { thread, body })).comment.id);
  }
  commentIds.push((await call('POST', '/comments', tokens.reader, { thread: '/fuzz/a', parentId: commentIds[0], body: 'a reply' })).comment.id);
  await call('POST', `/comments/${commentIds[1]}/reports`, tokens.nameless, { reason: 'spam' });
  await call('POST', `/moderation/comments/${commentIds[2]}`, moderator, { action: 'hide', reason: 'fuzz' });
  const ban = (await call('POST', '/moderation/bans', moderator, { cidr: '203.0.113.0/24', reason: 'fuzz' })).ban;
  const moderatorId = (await call('GET', '/identities/me', moderator)).identity.id;
  const ticket = (await call('POST', '/moderation/events/tickets', moderator)).ticket;
  const page = await call('GET', '/comments?thread=/fuzz/a&limit=1', null);
  const audit = await call('GET', '/moderation/audit?limit=1', moderator);

  const hints: Hints = {
    thread: ['/fuzz/a', '/fuzz/b', '/fuzz/empty'],
    id: [...commentIds, ban.id, ...identityIds.slice(0, 2), moderatorId],
    commentId: commentIds,
    parentId: commentIds,
    authorId: identityIds.slice(0, 2),
    moderatorId: [moderatorId],
    cursor: [],
    '/api/v1/comments cursor': [page.nextCursor],
    '/api/v1/moderation/audit cursor': [audit.nextCursor],
    cidr: ['198.51.100.0/24', '2001:db8::/48', '198.51.100.7', '10.0.0.0/33', '::/0x', '300.1.1.1'],
    ticket: [ticket, 'cqs_unknown'],
    lastEventId: [String(Date.now()), '0', '999999999999999'],
    body: ['a fuzzed comment', '**bold** and [a link](https://example.com)'],
    name: ['Fuzzy', 'Ünïcödé'],
  };

  const document = (await call('GET', '/openapi.json', null)) as Parameters<typeof operations>[0];
  const documented = new Map<string, Operation>(operations(document).map((o) => [`${o.method} ${o.path}`, o]));
  const targets: Target[] = [];
  const undocumented: string[] = [];
  for (const route of routeTable(server.server.fastify)) {
    const key = `${route.method} ${openApiPath(route.url)}`;
    const operation = documented.get(key);
    if (operation) targets.push({ name: key, requests: requestFor(operation, hints) });
    else if (route.url.startsWith('/api/')) undocumented.push(key);
    else targets.push({ name: `${route.method} ${route.url}`, requests: requestForPlainRoute(route.url) });
  }
  // Paths no route matches answer too.
  targets.push({ name: 'unmatched paths', requests: requestForPlainRoute('/api/v1/:nothing') });

  async function send(request: FuzzRequest): Promise<WireResponse> {
    const headers = [...request.headers];
    const { caller } = request;
    if (caller.kind === 'caller' && tokens[caller.name]) headers.push(['authorization', `Bearer ${tokens[caller.name]}`]);
    if (caller.kind === 'header') headers.push(['authorization', caller.value]);
    if (caller.kind === 'jwt') headers.push(['authorization', `Bearer ${await signJwt(caller.claims, { secret: caller.goodSecret ? SECRET : WRONG_SECRET })}`]);
    const wire: WireRequest = { method: request.method, target: request.target, headers, ...(request.body ? { body: request.body } : {}) };
    const response = await sendWire(port, wire);
    const erased = request.method === 'DELETE' && request.target.startsWith('/api/v1/me') && response.status === 200;
    if (erased || (request.target.startsWith('/api/v1/moderation/identities/') && response.status === 200)) await freshReaders();
    return response;
  }

  return { server, targets, undocumented, send, stop: () => server.stop() };
}

/** What must hold of every answer; returns why it does not, or null. */
export function answerProblem(request: FuzzRequest, response: WireResponse): string | null {
  if (response.status >= 500) return `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`;
  if (response.stream || request.method === 'HEAD' || response.status === 204 || response.status === 304) return null;
  const type = response.headers['content-type'] ?? '';
  const text = response.body.toString('utf8');
  if (response.status >= 400) {
    if (!/^application\/json/.test(type)) return `a ${response.status} answered as ${JSON.stringify(type)}: ${text.slice(0, 200)}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return `a ${response.status} whose body is not JSON: ${text.slice(0, 200)}`;
    }
    if (!matchesSchema(ErrorSchema, json)) return `a ${response.status} outside the error envelope (${schemaErrors(ErrorSchema, json).join('; ')}): ${text.slice(0, 200)}`;
    const { code, message } = json.error;
    if (!isErrorCode(code)) return `a ${response.status} with an unknown code ${JSON.stringify(code)}`;
    // Headers over Node's limit are "too large" too, with the status HTTP has for them.
    const allowed = code === 'too_large' ? [413, 431] : [ERROR_STATUS[code]];
    if (!allowed.includes(response.status)) return `code ${code} (${ERROR_STATUS[code]}) answered with status ${response.status}`;
    if (message.length === 0) return `a ${response.status} ${code} with an empty message`;
    return null;
  }
  if (/^application\/json/.test(type)) {
    try {
      JSON.parse(text);
    } catch {
      return `a ${response.status} JSON answer that does not parse: ${text.slice(0, 200)}`;
    }
  }
  return null;
}

/** Runs `runs` requests against each target from `seed`; the failures come back shrunk. */
export async function fuzzEndpoints(fixture: FuzzFixture, { seed, runs, onTarget }: { seed: number; runs: number; onTarget?: (name: string) => void }): Promise<FuzzStats> {
  const stats: FuzzStats = { requests: 0, statuses: new Map(), failures: [] };
  for (const [index, target] of fixture.targets.entries()) {
    onTarget?.(target.name);
    // Each target has its own seed, derived from the run's, so adding a route does not reshuffle the others.
    const targetSeed = (seed + index * 7919) | 0;
    const property = fc.asyncProperty(target.requests, async (request) => {
      const response = await fixture.send(request);
      stats.requests++;
      stats.statuses.set(response.status, (stats.statuses.get(response.status) ?? 0) + 1);
      const problem = answerProblem(request, response);
      if (problem) throw new Error(problem);
    });
    const details = await fc.check(property, { seed: targetSeed, numRuns: runs, endOnFailure: false, markInterruptAsFailure: true });
    if (details.failed) {
      stats.failures.push({
        target: target.name,
        seed: targetSeed,
        path: details.counterexamplePath ?? undefined,
        counterexample: describeRequest(details.counterexample?.[0]),
        error: details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
      });
    }
  }
  return stats;
}

/** A request as a person reads it in a failure report. */
export function describeRequest(request: FuzzRequest | undefined): string {
  if (!request) return '(none)';
  const show = (value: string | Buffer) => (typeof value === 'string' ? JSON.stringify(value) : `bytes ${value.toString('hex')}`);
  const caller = request.caller.kind === 'caller' ? request.caller.name : request.caller.kind === 'jwt' ? `jwt ${JSON.stringify(request.caller.claims)}${request.caller.goodSecret ? '' : ' (wrong secret)'}` : `authorization ${show(request.caller.value)}`;
  const headers = request.headers.map(([name, value]) => `${name}: ${show(value)}`).join(', ');
  const body = request.body ? ` body ${JSON.stringify(request.body.toString('utf8').slice(0, 300))}${request.body.length > 300 ? ` (${request.body.length} bytes)` : ''}` : '';
  return `${request.method} ${request.target.slice(0, 300)} as ${caller}${headers ? ` with ${headers}` : ''}${body}`;
}
