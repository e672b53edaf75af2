// A comment in a thread hundreds of readers follow (docs/decisions/0035, "Fan-out"): the first
// followers' messages leave while the others are still being composed, every follower gets
// exactly one, and the messages share a few pooled SMTP connections.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAIL_AHEAD } from './outbox-worker.js';
import { smtpListenerForSuite } from './smtp-test-support.js';
import { DATABASES, serverStarter } from './test-support.js';

const FOLLOWERS = 400;
const THREAD = '/fan-out/news';

for (const { name: driver, make } of DATABASES) {
  describe(`a fan-out to ${FOLLOWERS} followers by mail, on ${driver}`, () => {
    const smtp = smtpListenerForSuite();
    const start = serverStarter(make, { outbox: { pollMs: 1_000 } });

    test('the first messages leave while the rest are composed; one message each; a few SMTP connections carry them all', async () => {
      const t = await start({ mail: { smtpUrl: smtp.url, batchMs: 0 } });
      const { store } = t.server;
      // Followers with confirmed addresses, written as the store keeps them (confirming 400
      // addresses through the API is not what this test is about).
      const at = Date.now() - 60_000;
      await store.db.transaction(async (tx) => {
        for (let i = 0; i < FOLLOWERS; i++) {
          const id = `i_follower_${i}`;
          await tx.run(`INSERT INTO identities (id, kind, name, role, created_at) VALUES (?, 'pseudonymous', ?, 'reader', ?)`, [id, `Follower ${i}`, at]);
          await tx.run(
            `INSERT INTO reader_emails (identity_id, address, confirmed_at, language, notify, created_at, updated_at) VALUES (?, ?, ?, 'en', 'immediate', ?, ?)`,
            [id, `follower${i}@example.org`, at, at, at],
          );
          await tx.run(`INSERT INTO thread_subscriptions (identity_id, thread, state, created_at) VALUES (?, ?, 'following', ?)`, [id, THREAD, at]);
        }
      });
      const connectionsBefore = smtp.connections;
      const before = smtp.mail.items.length;
      const author = await t.identity('Newsdesk');
      const posted = await t.call('POST', '/comments', { token: author.token, body: { thread: THREAD, body: 'News for every follower' } });
      assert.equal(posted.status, 201, posted.text);

      await smtp.mail.until((all) => all.length > before);
      const composed = Number((await store.db.all<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE kind = 'mail'`))[0]!.n);
      assert.ok(composed < FOLLOWERS, `the first message left with ${composed} of ${FOLLOWERS} composed`);
      assert.ok(composed <= MAIL_AHEAD * 4, `composing stays a little ahead of sending (${composed} composed)`);

      await smtp.mail.until((all) => all.length >= before + FOLLOWERS);
      const recipients = smtp.mail.items.slice(before).map((m) => m.to);
      assert.equal(new Set(recipients).size, FOLLOWERS, 'every follower once');
      // Four pooled connections, each retired after 100 messages: a handful, never one per message.
      const connections = smtp.connections - connectionsBefore;
      assert.ok(connections <= FOLLOWERS / 50, `${FOLLOWERS} messages over ${connections} connections`);
    });
  });
}
