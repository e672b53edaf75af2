/**
 * The small SQL surface both drivers offer the shared store logic. Statements use `?`
 * placeholders; the PostgreSQL driver numbers them. Every statement the store runs is written
 * in the common subset of SQLite and PostgreSQL, so the domain rules live in one place.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlRunner {
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

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`. The store's SQL never contains a literal `?`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `?, ?, ?` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
