// The adapter conformance suite through @colloquy/adapter-rest against the real server on an
// ephemeral port, once on a SQLite file and once on the real PostgreSQL.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { EventSource } from 'eventsource';
import { SignJWT } from 'jose';
import { createRestAdapter } from '@colloquy/adapter-rest';
import { createModerationClient } from '@colloquy/adapter-rest/moderation';
import { runAdapterSuite, type RawComment } from '@colloquy/adapter-test-suite';
import type { CommentStatus } from '@colloquy/core';
import { createServer, type RunningServer } from '@colloquy/server';
import { DATABASES, EVERY_READER_COUNTS, type Database } from '../../packages/server/src/test-support.js';

const secret = 'conformance-suite-secret-of-enough-length';

async function hostSiteToken(role: string): Promise<string> {
  return new SignJWT({ role, name: `Site ${role}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`suite-${randomUUID()}`)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

for (const { name, make } of DATABASES) {
  describe(`server on ${name}`, () => {
    let database: Database;
    let server: RunningServer;

    before(async () => {
      database = make();
      server = await createServer({
        port: 0,
        databaseUrl: database.url,
        ...(database.schema ? { storeOptions: { schema: database.schema } } : {}),
        rateLimits: null,
        jwtSecret: secret,
        serveDemo: false,
        spamFilter: false,
        // Every client comes from 127.0.0.1 and is minutes old: helpful marks count, so `best` ranks by them (R40, R41).
        ...EVERY_READER_COUNTS,
      });
    });
    after(async () => {
      await server?.close();
      await database?.cleanup();
    });

    runAdapterSuite({
      name: `REST adapter against the live server (${name})`,
      describe,
      it,
      beforeEach,
      afterEach,
      // One server per driver: the suite gives every test its own thread keys.
      async setup() {
        return {
          async connect(options) {
            const token = options?.role && options.role !== 'reader' ? await hostSiteToken(options.role) : undefined;
            return createRestAdapter({ endpoint: server.url, EventSource, retry: { retries: 0 }, ...(token ? { token } : {}) });
          },
          async setThreadClosed(thread, closed) {
            const response = await fetch(`${server.url}/api/v1/moderation/threads`, {
              method: 'POST',
              headers: { authorization: `Bearer ${await hostSiteToken('moderator')}`, 'content-type': 'application/json' },
              body: JSON.stringify({ thread, action: closed ? 'close' : 'reopen' }),
            });
            if (!response.ok) throw new Error(`closing ${thread} answered ${response.status}: ${await response.text()}`);
          },
          // Through the moderation client, so its refusals arrive as the ColloquyErrors the suite expects.
          async setPinned(commentId, pinned) {
            await createModerationClient({ endpoint: server.url, token: await hostSiteToken('moderator') }).setPinned!(commentId, pinned);
          },
          raw: {
            async getComment(id: string): Promise<RawComment | null> {
              const rows = await server.store.db.all<{ id: string; thread: string; parent_id: string | null; body: string; status: string }>(
                'SELECT id, thread, parent_id, body, status FROM comments WHERE id = ?',
                [id],
              );
              const row = rows[0];
              return row
                ? { id: row.id, thread: row.thread, parentId: row.parent_id, body: row.body, status: row.status as CommentStatus }
                : null;
            },
            async countStored(thread: string): Promise<number> {
              const rows = await server.store.db.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM comments WHERE thread = ?', [thread]);
              return Number(rows[0]?.n ?? 0);
            },
          },
        };
      },
    });
  });
}
