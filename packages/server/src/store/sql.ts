import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type CompiledQuery,
} from 'kysely';
import type { Database } from './schema.js';

/**
 * What both drivers offer the store. The store's own queries are built with Kysely against the
 * typed tables in schema.ts and compiled for the driver's dialect (`?` for SQLite, `$1` for
 * PostgreSQL), then run through `query`, which keeps its prepared statement by SQL text.
 * Kysely only builds and compiles here: running stays with the drivers, so SQLite's group
 * commit and PostgreSQL's pool work as before.
 *
 * `all` and `run` take hand-written SQL with `?` placeholders in the subset both databases
 * accept; they serve the import, export and data-rights code and tests that read tables directly.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface QueryResult<R> {
  rows: R[];
  /** Rows a write changed (for a write with RETURNING, the rows it returned). */
  changes: number;
}

export interface SqlRunner {
  /** Runs a query compiled by the store's builder. */
  query<R>(compiled: CompiledQuery<R>): Promise<QueryResult<R>>;
  /** Rows of a query (or of a statement with RETURNING). */
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDatabase extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; resolves only after COMMIT has returned. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A Kysely that builds and compiles queries for a dialect and never connects. */
export type QueryBuilder = Kysely<Database>;

export function createQueryBuilder(dialect: 'sqlite' | 'postgres'): QueryBuilder {
  return new Kysely<Database>({
    dialect:
      dialect === 'sqlite'
        ? {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          }
        : {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          },
  });
}

/** Rows of a built query. */
export async function rows<R>(runner: SqlRunner, query: Compilable<R>): Promise<R[]> {
  return (await runner.query(query.compile())).rows;
}

/** The first row of a built query, if any. */
export async function first<R>(runner: SqlRunner, query: Compilable<R>): Promise<R | undefined> {
  return (await runner.query(query.compile())).rows[0];
}

/** Runs a built write; resolves with the number of rows it changed. */
export async function execute(runner: SqlRunner, query: Compilable<unknown>): Promise<number> {
  return (await runner.query(query.compile())).changes;
}

class Slot {
  constructor(readonly name: string) {}
}

/**
 * A query of fixed shape compiled once: `build` receives `slot(name)` to put where a value goes,
 * and the result binds values by name without building or compiling again. For the hot paths
 * (a page of comments, a comment by id), where Kysely's per-call build and compile would cost
 * more than the statement itself.
 */
export function precompile<P extends Record<string, SqlValue>, R>(
  builder: QueryBuilder,
  build: (q: QueryBuilder, slot: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): (values: P) => CompiledQuery<R> {
  const compiled = build(builder, (name) => new Slot(name) as never).compile();
  const bindings = compiled.parameters.map((p) => (p instanceof Slot ? p.name : null));
  const constants = compiled.parameters.slice();
  return (values) => ({
    ...compiled,
    parameters: bindings.map((name, i) => (name === null ? constants[i] : values[name])),
  });
}

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`, for the hand-written SQL of `all` and `run`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
