import type { SqlRunner } from '../store/sql.js';

export interface TableInfo {
  name: string;
  /** Every column, sorted by name so an export reads the same from either database. */
  columns: string[];
  /** Primary-key columns in key order: the export pages through a table by them. */
  primaryKey: string[];
  /** Primary-key columns that hold text (compared byte-wise on PostgreSQL, as SQLite does). */
  textKeys: Set<string>;
}

/**
 * Tables the export leaves out: bookkeeping and short-lived rows that mean nothing on another
 * server, and sign-in secrets (an import keeps no token either).
 */
export const TRANSIENT_TABLES: ReadonlySet<string> = new Set(['migrations', 'rate_limits', 'idempotency_keys', 'stream_tickets', 'sign_in_links', 'identity_tokens']);

/** Tables whose rows others point to come first, so an import meets every referenced row before the rows that reference it. */
const FIRST = ['identities', 'threads', 'comments', 'imported', 'reports'];

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The tables of the database's current schema, in export order, with their columns and keys. */
export async function describeTables(db: SqlRunner, dialect: 'sqlite' | 'postgres'): Promise<TableInfo[]> {
  const names =
    dialect === 'sqlite'
      ? (await db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)).map((r) => r.name)
      : (
          await db.all<{ name: string }>(
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
          )
        ).map((r) => r.name);
  const tables: TableInfo[] = [];
  for (const name of names) {
    if (TRANSIENT_TABLES.has(name)) continue;
    if (dialect === 'sqlite') {
      const info = await db.all<{ name: string; pk: number; type: string }>(`PRAGMA table_info(${quote(name)})`);
      const keyed = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
      tables.push({
        name,
        columns: info.map((c) => c.name).sort(),
        primaryKey: keyed.map((c) => c.name),
        textKeys: new Set(keyed.filter((c) => /TEXT|CHAR|CLOB/i.test(c.type)).map((c) => c.name)),
      });
    } else {
      const info = await db.all<{ name: string; type: string }>(
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`,
        [name],
      );
      const keys = await db.all<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND i.indisprimary
         ORDER BY array_position(i.indkey::int2[], a.attnum)`,
        [name],
      );
      const types = new Map(info.map((c) => [c.name, c.type]));
      tables.push({
        name,
        columns: info.map((c) => c.name).sort(),
        primaryKey: keys.map((k) => k.name),
        textKeys: new Set(keys.map((k) => k.name).filter((k) => /text|char/i.test(types.get(k) ?? ''))),
      });
    }
  }
  const rank = (name: string) => (FIRST.includes(name) ? FIRST.indexOf(name) : FIRST.length);
  return tables.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
