import pg from 'pg';
import { numberPlaceholders, type Row, type SqlDatabase, type SqlRunner, type SqlValue } from './sql.js';

export interface PostgresOptions {
  /** Schema to work in (created when missing); tests use a fresh one per run. */
  schema?: string;
  /** Pool size; defaults to 10. */
  max?: number;
}

// BIGINT (oid 20) carries epoch milliseconds and counts, all well inside 2^53.
const BIGINT_OID = 20;
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

  function runnerFor(client: pg.Pool | pg.PoolClient): SqlRunner {
    return {
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
