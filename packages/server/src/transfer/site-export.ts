import { once } from 'node:events';
import { MIGRATIONS, type Store } from '../store/index.js';
import type { Row, SqlRunner, SqlValue } from '../store/sql.js';
import { describeTables, quote, type TableInfo } from './tables.js';

/** The first line's `format`; its `version` changes only when the file's layout does. */
export const EXPORT_FORMAT = 'colloquy-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** The database schema (the last migration) the rows follow. */
  schema: number;
  exportedAt: string;
}

export interface ExportTrailer {
  format: typeof EXPORT_FORMAT;
  end: true;
  /** Rows written per table: an import checks them, so a truncated file is refused. */
  counts: Record<string, number>;
}

export interface ExportOptions {
  /** Rows read per query. Default 1000. */
  pageSize?: number;
  now?: () => number;
  /** Called after every page with the rows written so far. */
  onProgress?: (rows: number) => void;
}

export const latestSchema = (): number => Math.max(...MIGRATIONS.map((m) => m.id));

/** One row as a line: keys sorted, so the same data always gives the same bytes. */
function rowLine(table: string, columns: readonly string[], row: Row): string {
  const ordered: Record<string, unknown> = {};
  for (const column of columns) ordered[column] = row[column] ?? null;
  return `${JSON.stringify({ table, row: ordered })}\n`;
}

async function byteOrderNeeded(store: Store, db: SqlRunner): Promise<boolean> {
  if (store.dialect !== 'postgres') return false;
  const rows = await db.all<{ collation: string }>(`SELECT datcollate AS collation FROM pg_database WHERE datname = current_database()`);
  return !/^(C|POSIX)([._]|$)/i.test(rows[0]?.collation ?? '');
}

/**
 * Writes every lasting row of the site as JSON Lines: a header line, one line per row
 * (`{"table": …, "row": {…}}`), tables in an order an import can replay (people, pages,
 * comments parents first, then what points at them), and a trailer with the counts. Rows are
 * read a page at a time, so memory stays flat whatever the size of the site. Rows are ordered
 * by primary key, compared byte-wise, so SQLite and PostgreSQL export the same data as the
 * same bytes.
 */
export async function exportSite(store: Store, out: NodeJS.WritableStream, options: ExportOptions = {}): Promise<ExportTrailer> {
  return inSnapshot(store, (db) => writeExport(store, db, out, options));
}

/**
 * Runs the export's reads in one read-only snapshot, so a server writing meanwhile cannot give
 * the file a reply without its parent: on PostgreSQL a REPEATABLE READ transaction, on SQLite
 * a deferred transaction (in WAL mode a reader's snapshot, which never blocks the writer). The
 * SQLite one is opened statement by statement on the shared connection, so nothing else in
 * this process may run a transaction meanwhile: the CLI's export does nothing else.
 */
async function inSnapshot<T>(store: Store, fn: (db: SqlRunner) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.db.transaction(async (tx) => {
      await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn(tx);
    });
  }
  await store.db.run('BEGIN');
  try {
    return await fn(store.db);
  } finally {
    await store.db.run('COMMIT');
  }
}

async function writeExport(store: Store, db: SqlRunner, out: NodeJS.WritableStream, options: ExportOptions): Promise<ExportTrailer> {
  const pageSize = options.pageSize ?? 1000;
  const now = options.now ?? Date.now;
  const collate = (await byteOrderNeeded(store, db)) ? ' COLLATE "C"' : '';
  let total = 0;

  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, schema: latestSchema(), exportedAt: new Date(now()).toISOString() };
  await write(`${JSON.stringify(header)}\n`);

  const counts: Record<string, number> = {};
  const pages = async (table: TableInfo, fixed: { where: string; params: SqlValue[] }) => {
    const keys = table.primaryKey.length ? table.primaryKey : table.columns;
    const key = (column: string) => `${quote(column)}${table.textKeys.has(column) || !table.primaryKey.length ? collate : ''}`;
    const order = keys.map(key).join(', ');
    let after: SqlValue[] | null = null;
    for (;;) {
      const where: string[] = fixed.where ? [fixed.where] : [];
      const params: SqlValue[] = [...fixed.params];
      if (after) {
        where.push(`(${keys.map(key).join(', ')}) > (${keys.map(() => '?').join(', ')})`);
        params.push(...after);
      }
      params.push(pageSize);
      const rows = await db.all(
        `SELECT * FROM ${quote(table.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
        params,
      );
      for (const row of rows) await write(rowLine(table.name, table.columns, row));
      counts[table.name] = (counts[table.name] ?? 0) + rows.length;
      total += rows.length;
      options.onProgress?.(total);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = keys.map((k) => last[k] as SqlValue);
    }
  };

  for (const table of await describeTables(db, store.dialect)) {
    counts[table.name] = 0;
    if (table.name === 'comments') {
      // A reply sits one level below its parent, so level by level puts every parent first.
      const [deepest] = await db.all<{ depth: number | null }>(`SELECT max(depth) AS depth FROM comments`);
      const levels = deepest?.depth === null || deepest?.depth === undefined ? -1 : Number(deepest.depth);
      for (let depth = 0; depth <= levels; depth++) await pages(table, { where: 'depth = ?', params: [depth] });
    } else {
      await pages(table, { where: '', params: [] });
    }
  }
  const trailer: ExportTrailer = { format: EXPORT_FORMAT, end: true, counts };
  await write(`${JSON.stringify(trailer)}\n`);
  return trailer;
}
