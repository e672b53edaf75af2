import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';
import { DEFAULT_RATE_LIMITS } from './config.js';
import { hashToken } from './identity.js';
import { confirmAddress, linkIn, mailTo, startSmtpListener } from './smtp-test-support.js';

const THREAD = '/articles/data-rights';

async function post(server: TestServer, token: string, body: string, parentId: string | null = null) {
  const r = await server.call('POST', '/comments', { token, body: { thread: THREAD, parentId, body } });
  assert.equal(r.status, 201, r.text);
  return r.json.comment as { id: string };
}

async function page(server: TestServer) {
  const r = await server.call('GET', `/comments?thread=${encodeURIComponent(THREAD)}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.json.comments;
}

for (const { name, make } of DATABASES) {
  describe(`reader data rights (${name})`, () => {
    test('export and erasure need the caller’s own valid token', async () => {
      const server = await startTestServer({}, make());
      try {
        for (const [method, path] of [['GET', '/me/export'], ['DELETE', '/me']] as const) {
          const anonymous = await server.call(method, path);
          assert.equal(anonymous.status, 401);
          assert.equal(anonymous.json.error.code, 'unauthenticated');
          const forged = await server.call(method, path, { token: 'cq_notATokenThisServerGaveOut' });
          assert.equal(forged.status, 401);
          assert.equal(forged.json.error.code, 'invalid_token');
        }
      } finally {
        await server.stop();
      }
    });

    test('GET /me/export: the identity, every comment in any state, every report; nothing of anyone else', async () => {
      const server = await startTestServer({}, make());
      try {
        const ana = await server.identity('Ana');
        const ben = await server.identity('Ben');
        const first = await post(server, ana.token, 'My first comment');
        const reply = await post(server, ben.token, 'Ben answers', first.id);
        const gone = await post(server, ana.token, 'Written, then deleted');
        assert.equal((await server.call('DELETE', `/comments/${gone.id}`, { token: ana.token })).status, 200);
        assert.equal((await server.call('POST', `/comments/${reply.id}/reports`, { token: ana.token, body: { reason: 'off-topic', details: 'not about the article' } })).status, 201);

        const r = await server.call('GET', '/me/export', { token: ana.token });
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="colloquy-data-${ana.id}\\.json"$`));
        assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
        const data = r.json;
        assert.equal(data.format, 'colloquy-reader-export');
        assert.equal(data.version, 1);
        assert.deepEqual(
          { id: data.identity.id, name: data.identity.name, kind: data.identity.kind, role: data.identity.role, banned: data.identity.banned },
          { id: ana.id, name: 'Ana', kind: 'pseudonymous', role: 'reader', banned: false },
        );
        assert.deepEqual(
          data.comments.map((c: { id: string; status: string; body: string }) => [c.id, c.status, c.body]),
          [[first.id, 'visible', 'My first comment'], [gone.id, 'deleted', '']],
        );
        assert.deepEqual(
          data.reports.map((x: { commentId: string; reason: string; details: string; network: string | null }) => [x.commentId, x.reason, x.details, x.network]),
          [[reply.id, 'off-topic', 'not about the article', '127.0.0.0/24']],
          'the export lists the report with the network it came from (never the address)',
        );
        // Neither Ben's words nor any token (or its hash) are in Ana's file.
        assert.doesNotMatch(r.text, /Ben answers/);
        assert.doesNotMatch(r.text, /cq_|hash/i);
        assert.ok(!r.text.includes(hashToken(ana.token)));
        assert.deepEqual(data.tokens.map((x: { kind: string; createdAt: string }) => [x.kind, x.createdAt]), [['first', data.identity.createdAt]]);
        assert.deepEqual(data.signInLinks, []);

        const other = await server.call('GET', '/me/export', { token: ben.token });
        assert.deepEqual(other.json.comments.map((c: { id: string }) => c.id), [reply.id]);
        assert.deepEqual(other.json.reports, []);
      } finally {
        await server.stop();
      }
    });

    test('GET /me/export: followed and muted threads, the follow-on-post switch, when tokens and sign-in links were made, the address and its settings, what the reader was told, the helpful marks given; never a token, code or hash', async () => {
      const smtp = await startSmtpListener();
      const server = await startTestServer({ mail: { smtpUrl: smtp.url, from: 'Comments <comments@example.org>' }, outbox: { pollMs: 50, retryBaseMs: 20, retryMaxMs: 100 } }, make());
      try {
        const ana = await server.identity('Ana');
        const ben = await server.identity('Ben');
        const anas = await post(server, ana.token, 'Posting follows this thread');
        const call = async (method: string, path: string, body: unknown) => {
          const r = await server.call(method, path, { token: ana.token, body });
          assert.equal(r.status, 200, r.text);
        };
        await call('PUT', '/identities/me/following', { thread: '/articles/asked', following: true });
        await call('PUT', '/identities/me/muted-threads', { thread: '/articles/muted', muted: true });
        await call('PATCH', '/identities/me/following', { followOnPost: false });
        await server.call('PUT', '/identities/me/following', { token: ben.token, body: { thread: '/articles/bens', following: true } });

        // Two links asked for from a second browser: one used there, one left pending.
        const address = 'ana.export@example.org';
        await confirmAddress(server, smtp, ana.token, address);
        const codes: string[] = [];
        const secrets: string[] = [];
        for (let n = 0; n < 2; n++) {
          const verifier = randomBytes(32).toString('base64url');
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          const before = mailTo(smtp, address).length;
          assert.equal((await server.call('POST', '/sign-in/email', { body: { address, challenge, page: 'http://localhost:4321/articles/data-rights' } })).status, 202);
          await smtp.mail.until(() => mailTo(smtp, address).length > before);
          const code = new URL(linkIn(mailTo(smtp, address).at(-1)!.text, '#colloquy-sign-in=')).hash.slice('#colloquy-sign-in='.length);
          codes.push(code);
          secrets.push(verifier, challenge, code, hashToken(code));
          if (n === 0) {
            const redeemed = await server.call('POST', '/sign-in/redeem', { body: { code, verifier } });
            assert.equal(redeemed.status, 200, redeemed.text);
            secrets.push(redeemed.json.token, hashToken(redeemed.json.token));
          }
        }
        secrets.push(ana.token, hashToken(ana.token));

        // Ben answers; Ana is told (her activity), marks the answer helpful and takes it back.
        const bens = await post(server, ben.token, 'Ben answers Ana', anas.id);
        for (const helpful of [true, false]) {
          const marked = await server.call('PUT', `/comments/${bens.id}/helpful`, { token: ana.token, body: { helpful } });
          assert.equal(marked.status, 200, marked.text);
        }
        const exported = async () => server.call('GET', '/me/export', { token: ana.token });
        let r = await exported();
        for (let i = 0; i < 100 && r.json.notifications?.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          r = await exported();
        }
        assert.equal(r.status, 200, r.text);
        const data = r.json;
        assert.deepEqual({ ...data.mail, confirmedAt: typeof data.mail.confirmedAt, createdAt: typeof data.mail.createdAt }, {
          address,
          confirmedAt: 'string',
          notify: 'immediate',
          language: data.mail.language,
          createdAt: 'string',
        });
        assert.deepEqual(
          data.notifications.map((n: { commentId: string; thread: string; reason: string; readAt: string | null }) => [n.commentId, n.thread, n.reason, n.readAt]),
          [[bens.id, THREAD, 'reply', null]],
        );
        assert.deepEqual(
          data.helpfulMarks.map((m: { commentId: string; thread: string; takenBackAt: string | null }) => [m.commentId, m.thread, m.takenBackAt !== null]),
          [[bens.id, THREAD, true]],
        );
        assert.deepEqual(Object.keys(data.helpfulMarks[0]).sort(), ['commentId', 'createdAt', 'network', 'takenBackAt', 'thread', 'weight']);
        // Ben's file holds his reply but neither Ana's address nor her marks.
        const bensFile = await server.call('GET', '/me/export', { token: ben.token });
        assert.equal(bensFile.json.mail, null);
        assert.deepEqual(bensFile.json.helpfulMarks, []);
        assert.ok(!bensFile.text.includes(address));
        assert.equal(data.following.followOnPost, false);
        assert.deepEqual(
          data.following.threads.map((f: { thread: string; state: string }) => [f.thread, f.state]),
          [[THREAD, 'following'], ['/articles/asked', 'following'], ['/articles/muted', 'muted']],
        );
        for (const f of data.following.threads) assert.ok(Date.parse(f.since) > Date.now() - 60_000, f.since);
        assert.deepEqual(data.tokens.map((x: { kind: string }) => x.kind), ['first', 'sign-in']);
        assert.equal(data.tokens[0].createdAt, data.identity.createdAt);
        assert.deepEqual(Object.keys(data.tokens[1]).sort(), ['createdAt', 'kind']);
        assert.equal(data.signInLinks.length, 2);
        const [used, pending] = data.signInLinks;
        assert.deepEqual(Object.keys(used).sort(), ['createdAt', 'expiresAt', 'usedAt']);
        assert.ok(used.usedAt !== null && Date.parse(used.usedAt) >= Date.parse(used.createdAt));
        assert.equal(pending.usedAt, null);
        // A link lasts 15 minutes (its expiry and its row's time are read from the clock a moment apart).
        assert.ok(Math.abs(Date.parse(pending.expiresAt) - Date.parse(pending.createdAt) - 15 * 60_000) < 1000, `${pending.createdAt} ${pending.expiresAt}`);
        // Nothing that could sign anyone in, nor anything to guess it from.
        for (const secret of secrets) assert.ok(!r.text.includes(secret), `the export holds ${secret}`);
        assert.doesNotMatch(r.text, /cq_|hash|challenge|verifier/i);
        assert.doesNotMatch(r.text, /articles\/bens/);
      } finally {
        await server.stop();
        await smtp.close();
      }
    });

    test('DELETE /me (remove): the token stops working, a comment with replies stays as a placeholder, the rest is gone', { timeout: 120_000 }, async () => {
      // Real rate limits, so there are windows counted for the identity to forget.
      const server = await startTestServer({ rateLimits: DEFAULT_RATE_LIMITS }, make());
      try {
        const ana = await server.identity('Ana');
        const ben = await server.identity('Ben');
        const parent = await post(server, ana.token, 'Ana starts a discussion');
        const benReply = await post(server, ben.token, 'Ben replies to Ana', parent.id);
        const anaReply = await post(server, ana.token, 'Ana answers Ben', benReply.id);
        const leaf = await post(server, ana.token, 'Ana, on her own');
        const benOwn = await post(server, ben.token, 'Ben, on his own');
        assert.equal((await server.call('POST', `/comments/${benOwn.id}/reports`, { token: ana.token, body: { reason: 'spam' } })).status, 201);

        const seen: Array<[string, string, string]> = [];
        let sawThree = (): void => {};
        const threeSeen = new Promise<void>((resolve) => (sawThree = resolve));
        const unsubscribe = server.server.events.subscribe(THREAD, (type, comment) => {
          seen.push([type, comment.id, comment.body]);
          if (seen.length === 3) sawThree();
        });
        const erased = await server.call('DELETE', '/me', { token: ana.token });
        assert.equal(erased.status, 200, erased.text);
        // Readers watching the thread see her three comments go (the test's timeout bounds the wait).
        await threeSeen;
        unsubscribe();
        assert.deepEqual(seen.map(([type, id]) => `${type} ${id}`).sort(), [parent.id, anaReply.id, leaf.id].map((id) => `deleted ${id}`).sort());
        assert.ok(seen.every(([, , body]) => body === ''));
        assert.deepEqual(erased.json, {
          erased: { identity: ana.id, mode: 'remove', removed: 2, placeholders: 1, anonymised: 0, reports: 1 },
        });

        const again = await server.call('GET', '/identities/me', { token: ana.token });
        assert.equal(again.status, 401);
        assert.equal(again.json.error.code, 'invalid_token');
        assert.equal((await server.call('DELETE', '/me', { token: ana.token })).status, 401);

        const comments = await page(server);
        assert.equal(comments.length, 2);
        const [placeholder, bens] = comments;
        assert.equal(placeholder.id, parent.id);
        assert.equal(placeholder.status, 'deleted');
        assert.equal(placeholder.body, '');
        assert.equal(placeholder.author.name, '');
        assert.deepEqual(placeholder.replies.map((r: { id: string; body: string }) => [r.id, r.body]), [[benReply.id, 'Ben replies to Ana']]);
        assert.deepEqual(placeholder.replies[0].replies, []);
        assert.equal(bens.id, benOwn.id);
        assert.ok(!JSON.stringify(comments).includes(anaReply.id) && !JSON.stringify(comments).includes(leaf.id));

        const db = server.server.store.db;
        for (const [table, column] of [['identities', 'id'], ['comments', 'author_id'], ['reports', 'identity_id'], ['idempotency_keys', 'identity_id']]) {
          const [row] = await db.all(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, [ana.id]);
          assert.equal(Number(row!.n), 0, `${table} still holds the erased identity`);
        }
        const [limits] = await db.all(`SELECT count(*) AS n FROM rate_limits WHERE key LIKE ?`, [`%${ana.id.slice(2)}`]);
        assert.equal(Number(limits!.n), 0);
        // Ben is untouched: his token works and his export is whole.
        const benExport = await server.call('GET', '/me/export', { token: ben.token });
        assert.deepEqual(benExport.json.comments.map((c: { id: string }) => c.id).sort(), [benReply.id, benOwn.id].sort());
        const counts = await server.call('GET', `/counts?thread=${encodeURIComponent(THREAD)}`);
        assert.equal(counts.json.counts[THREAD], 2);
      } finally {
        await server.stop();
      }
    });

    test('a host-site (JWT) identity: its export names the sub; after erasure the same sub starts empty', async () => {
      const secret = 'a-test-secret-that-is-long-enough-for-hs256';
      const server = await startTestServer({ jwtSecret: secret }, make());
      try {
        const token = await new SignJWT({ name: 'Site Reader' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('member-42')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(secret));
        await post(server, token, 'Posted with the site’s sign-in');
        const before = (await server.call('GET', '/me/export', { token })).json;
        assert.deepEqual([before.identity.kind, before.identity.subject, before.identity.name], ['jwt', 'member-42', 'Site Reader']);
        assert.equal(before.comments.length, 1);
        assert.equal((await server.call('DELETE', '/me', { token })).status, 200);
        const after = (await server.call('GET', '/me/export', { token })).json;
        assert.notEqual(after.identity.id, before.identity.id);
        assert.deepEqual(after.comments, []);
      } finally {
        await server.stop();
      }
    });

    test('DELETE /me (anonymise): the text stays in place under no author', async () => {
      const server = await startTestServer({ erasure: 'anonymise' }, make());
      try {
        const ana = await server.identity('Ana');
        const ben = await server.identity('Ben');
        const parent = await post(server, ana.token, 'Kept, without my name');
        await post(server, ben.token, 'A reply that stays', parent.id);
        const erased = await server.call('DELETE', '/me', { token: ana.token });
        assert.deepEqual(erased.json.erased, { identity: ana.id, mode: 'anonymise', removed: 0, placeholders: 0, anonymised: 1, reports: 0 });
        const [comment] = await page(server);
        assert.equal(comment.id, parent.id);
        assert.equal(comment.status, 'visible');
        assert.equal(comment.body, 'Kept, without my name');
        assert.equal(comment.author.name, '');
        assert.notEqual(comment.author.id, ana.id);
        assert.equal(comment.replies[0].body, 'A reply that stays');
        assert.equal((await server.call('GET', '/identities/me', { token: ana.token })).status, 401);
      } finally {
        await server.stop();
      }
    });
  });
}

test('both endpoints are in the served OpenAPI document', async () => {
  const server = await startTestServer();
  try {
    const doc = (await server.call('GET', '/openapi.json')).json;
    assert.ok(doc.paths['/api/v1/me/export'].get.responses['200']);
    assert.deepEqual(doc.paths['/api/v1/me/export'].get.security, [{ bearer: [] }]);
    assert.ok(doc.paths['/api/v1/me'].delete.responses['200'].content['application/json'].schema.properties.erased);
  } finally {
    await server.stop();
  }
});
