import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { openPostgres, quoteIdent } from './store/postgres.js';
import type { SqlDatabase } from './store/sql.js';
import { openSqlite } from './store/sqlite.js';
import { createServer, type RunningServer, type ServerOptions } from './app.js';
import { createBodyRenderer, type BodyRenderer } from './render.js';

/** Connection string of the real PostgreSQL the tests use. */
export const PG_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Database {
  name: 'sqlite' | 'postgres';
  url: string;
  schema?: string;
  cleanup(): Promise<void>;
}

/** A connection to `database` with no tables yet (its own schema on PostgreSQL), for migration tests. */
export async function openEmptyDatabase(database: Database): Promise<SqlDatabase> {
  if (!database.schema) return openSqlite(database.url.slice('sqlite:'.length));
  const setup = openPostgres(database.url, { max: 1 });
  await setup.run(`CREATE SCHEMA ${quoteIdent(database.schema)}`);
  await setup.close();
  return openPostgres(database.url, { schema: database.schema });
}

/** A fresh SQLite file in a temp folder. */
export function tempSqlite(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-test-'));
  return {
    name: 'sqlite',
    url: `sqlite:${join(dir, 'test.db')}`,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on the real PostgreSQL, dropped by `cleanup`. */
export function tempPostgres(): Database {
  const schema = `colloquy_test_${randomBytes(6).toString('hex')}`;
  return {
    name: 'postgres',
    url: PG_URL,
    schema,
    async cleanup() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const DATABASES: ReadonlyArray<{ name: 'sqlite' | 'postgres'; make: () => Database }> = [
  { name: 'sqlite', make: tempSqlite },
  { name: 'postgres', make: tempPostgres },
];


let renderer: BodyRenderer | undefined;
/** One body renderer for every server a test process starts. */
export function sharedRenderer(): BodyRenderer {
  return (renderer ??= createBodyRenderer());
}

export interface CallResult {
  status: number;
  headers: Headers;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export interface TestServer {
  server: RunningServer;
  url: string;
  /** An API call; `path` is relative to /api/v1. */
  call(method: string, path: string, options?: { body?: unknown; raw?: string | Buffer; token?: string; headers?: Record<string, string> }): Promise<CallResult>;
  /** A pseudonymous identity; returns its token. */
  identity(name?: string | null): Promise<{ token: string; id: string }>;
  stop(): Promise<void>;
}

/**
 * Counts the statements `run` makes on the server's database: the fewest of five loads after a
 * first that warmed every cache. Work the server does in the background meanwhile (the outbox
 * after a post) only ever adds statements, so the fewest are the page's own.
 */
export async function queriesOf(t: TestServer, run: () => Promise<unknown>): Promise<number> {
  const db = t.server.store.db;
  const query = db.query;
  let queries = 0;
  db.query = (compiled) => {
    queries++;
    return query.call(db, compiled) as never;
  };
  try {
    await run();
    let fewest = Infinity;
    for (let i = 0; i < 5; i++) {
      queries = 0;
      await run();
      fewest = Math.min(fewest, queries);
    }
    return fewest;
  } finally {
    db.query = query;
  }
}

/**
 * Settings that make every reader's report count (weight 1, each on its own although every test
 * client shares 127.0.0.1) as before the trust model, for tests about something else than who
 * may hide a comment (docs/moderation-trust.md).
 */
export const EVERY_READER_COUNTS = { trustMinAgeHours: 0, trustMinComments: 0, trustNetworks: false } as const;

/** A real server on port 0 over a fresh database (SQLite unless given); rate limits and the spam filter off unless overridden. */
export async function startTestServer(options: ServerOptions = {}, database: Database = tempSqlite()): Promise<TestServer> {
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    rateLimits: null,
    spamFilter: false,
    renderer: sharedRenderer(),
    ...(database.schema ? { storeOptions: { schema: database.schema } } : {}),
    ...options,
  });
  const call: TestServer['call'] = async (method, path, { body, raw, token, headers = {} } = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (token) h.authorization = `Bearer ${token}`;
    // Creates need an Idempotency-Key; tests that are not about it get a fresh one.
    if (method === 'POST' && path === '/comments' && !('idempotency-key' in h)) h['idempotency-key'] = randomUUID();
    if (h['idempotency-key'] === '') delete h['idempotency-key'];
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      init.body = JSON.stringify(body);
    } else if (raw !== undefined) {
      h['content-type'] ??= 'application/json';
      init.body = raw as unknown as BodyInit;
    }
    const response = await fetch(`${server.url}/api/v1${path}`, init);
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  return {
    server,
    url: server.url,
    call,
    async identity(name = 'Reader') {
      const r = await call('POST', '/identities', { body: name === null ? {} : { name } });
      if (r.status !== 201) throw new Error(`identity failed: ${r.status} ${r.text}`);
      return { token: r.json.token, id: r.json.identity.id };
    },
    async stop() {
      await server.close();
      await database.cleanup();
    },
  };
}

/**
 * For suites whose tests each start their own server (the settings under test differ): a
 * `start(options)` that starts one on a fresh `make()` database with `base` options under
 * `options`, every one stopped after the suite.
 */
export function serverStarter(make: () => Database, base: ServerOptions = {}): (options?: ServerOptions) => Promise<TestServer> {
  const servers: TestServer[] = [];
  after(async () => {
    for (const t of servers) await t.stop();
  });
  return async (options = {}) => {
    const t = await startTestServer({ ...base, ...options }, make());
    servers.push(t);
    return t;
  };
}
