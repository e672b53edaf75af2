import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { numberPlaceholders, type QueryResult, type Row, type SqlDatabase, type SqlRunner, type SqlValue } from './sql.js';

export interface PostgresOptions {
  /** Schema to work in (created when missing); tests use a fresh one per run. */
  schema?: string;
  /** Pool size; defaults to 10. */
  max?: number;
}

// BIGINT (oid 20) carries epoch milliseconds and counts, all well inside 2^53.
const BIGINT_OID = 20;
const MAX_NAMED_STATEMENTS = 500;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === BIGINT_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface PostgresDatabase extends SqlDatabase {
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly schema: string | undefined;
}

export function openPostgres(connectionString: string, options: PostgresOptions = {}): PostgresDatabase {
  const schema = options.schema;
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  // The store's queries run as named prepared statements: each connection parses and plans
  // one once, and later runs send only its name and values.
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    // Queries with IN lists have a text per list length; past this many, the rest run unnamed.
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) names.set(sql, (name = `colloquy_${names.size}`));
    return name;
  };

  function runnerFor(client: pg.Pool | pg.PoolClient): SqlRunner {
    return {
      async query<R>(compiled: CompiledQuery<R>): Promise<QueryResult<R>> {
        const result = await client.query({ name: nameOf(compiled.sql), text: compiled.sql, values: compiled.parameters as SqlValue[] });
        return { rows: result.rows as R[], changes: result.rowCount ?? 0 };
      },
      async all<T extends Row>(sql: string, params: readonly SqlValue[] = []) {
        const result = await client.query(numberPlaceholders(sql), params as SqlValue[]);
        return result.rows as T[];
      },
      async run(sql: string, params: readonly SqlValue[] = []) {
        const result = await client.query(numberPlaceholders(sql), params as SqlValue[]);
        return result.rowCount ?? 0;
      },
    };
  }
  const direct = runnerFor(pool);
  let closed = false;
  return {
    dialect: 'postgres',
    pool,
    connectionString,
    schema,
    query: direct.query,
    all: direct.all,
    run: direct.run,
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(runnerFor(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
