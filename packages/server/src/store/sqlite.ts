import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import type { QueryResult, Row, SqlDatabase, SqlRunner, SqlValue } from './sql.js';

/**
 * SQLite through better-sqlite3. The library is synchronous, so one connection serves the
 * process; an async lock keeps a transaction's statements from interleaving with other
 * requests' statements while the transaction awaits between them.
 */
/** Transactions committed together at most; bounds the latency one batch adds. */
const MAX_BATCH = 64;

export function openSqlite(file: string): SqlDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: COMMIT returns only after the WAL is fsynced, so an answered write survives a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const statements = new Map<string, Database.Statement>();
  function prepare(sql: string): Database.Statement {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  }

  const direct: SqlRunner = {
    async query<R>(compiled: CompiledQuery<R>): Promise<QueryResult<R>> {
      const stmt = prepare(compiled.sql);
      const params = compiled.parameters as SqlValue[];
      if (stmt.reader) {
        const rows = stmt.all(...params) as R[];
        return { rows, changes: rows.length };
      }
      return { rows: [], changes: stmt.run(...params).changes };
    },
    async all<T extends Row>(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params);
        return [] as T[];
      }
      return stmt.all(...params) as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.all(...params).length;
      return stmt.run(...params).changes;
    },
  };

  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = lock.then(fn, fn);
    lock = result.catch(() => undefined);
    return result;
  }

  // Group commit: transactions that arrive while one is running are run together in the next
  // BEGIN … COMMIT, each inside its own SAVEPOINT, so one fsync covers the batch. Each still
  // succeeds or fails alone, and none is answered before the COMMIT that makes it durable.
  type Job = { fn: (tx: SqlRunner) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  const waiting: Job[] = [];
  let drainQueued = false;

  function queueDrain(): void {
    if (drainQueued) return;
    drainQueued = true;
    // After this turn's I/O: requests that arrived together join the same batch.
    setImmediate(() => void exclusive(drain));
  }

  async function drain(): Promise<void> {
    drainQueued = false;
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) queueDrain();
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    for (const job of batch) {
      db.exec('SAVEPOINT colloquy_tx');
      try {
        const value = await job.fn(direct);
        db.exec('RELEASE colloquy_tx');
        outcomes.push({ ok: true, value });
      } catch (error) {
        db.exec('ROLLBACK TO colloquy_tx');
        db.exec('RELEASE colloquy_tx');
        outcomes.push({ ok: false, error });
      }
    }
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  let closed = false;
  return {
    dialect: 'sqlite',
    query: (compiled) => exclusive(() => direct.query(compiled)),
    all: (sql, params) => exclusive(() => direct.all(sql, params)),
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        queueDrain();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await exclusive(async () => db.close());
    },
  };
}
