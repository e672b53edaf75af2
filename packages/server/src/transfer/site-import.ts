import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ColloquyError } from '@colloquy/core';
import { ROLES } from '@colloquy/protocol/constants';
import type { BodyRenderer } from '../render.js';
import type { Store } from '../store/index.js';
import type { SqlValue } from '../store/sql.js';
import { EXPORT_FORMAT, EXPORT_VERSION, latestSchema } from './site-export.js';
import { describeTables, quote, type TableInfo } from './tables.js';

/** The export file is not one this server can import; `line` and `column` are 1-based. */
export class ExportFileError extends ColloquyError {
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, reason: string) {
    super('invalid_input', `${file} is not a usable Colloquy export: line ${line}, column ${column}: ${reason}`);
    this.name = 'ExportFileError';
    this.line = line;
    this.column = column;
  }
}

export interface SiteImportProgress {
  rows: number;
  created: number;
  existing: number;
  skipped: number;
  bytesRead: number;
  totalBytes: number;
}

/** What an import changed from the file so that it trusts nothing it did not make itself. */
export interface SiteImportRefusals {
  /** Identities whose role in the file was not `reader`, stored as readers. */
  rolesDemoted: number;
  /** Identities whose reader token (its hash) was dropped, so the token no longer signs anyone in. */
  tokensDropped: number;
  /** Comments whose HTML was rendered again from their source. */
  htmlRerendered: number;
  /** …of which the file's HTML differed from what the renderer makes (hand-edited, or another renderer). */
  htmlReplaced: number;
}

export interface SiteImportSummary extends SiteImportProgress {
  counts: Record<string, number>;
  refused: SiteImportRefusals;
}

export interface SiteImportOptions {
  /**
   * Every comment's HTML is rendered again from its `body` with this renderer, the one posts
   * use; HTML in the file is never stored.
   */
  renderer: BodyRenderer;
  /**
   * The file is this operator's own export: roles and reader tokens are kept. Without it every
   * identity is a reader with no token (see docs/import.md).
   */
  trusted?: boolean;
  /** Rows written per transaction. Default 500. */
  batchSize?: number;
  onProgress?: (progress: SiteImportProgress) => void;
  /** A row the database refused (a reference to a row that is not there): reported, then skipped. */
  onSkipped?: (skipped: { line: number; table: string; reason: string }) => void;
}

interface ParsedLine {
  line: number;
  bytes: number;
  value: unknown;
}

async function* lines(file: string, onError: (line: number, column: number, reason: string) => never): AsyncGenerator<ParsedLine> {
  let input;
  try {
    input = createReadStream(file);
    await new Promise<void>((resolve, reject) => input!.once('open', () => resolve()).once('error', reject));
  } catch (error) {
    throw new ColloquyError('invalid_input', `Cannot read the export ${file}: ${(error as Error).message}`, { cause: error });
  }
  const reader = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line++;
    const bytes = Buffer.byteLength(text) + 1;
    if (text.trim() === '') {
      yield { line, bytes, value: undefined };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      onError(line, position ? Number(position[1]) + 1 : 1, `not valid JSON (${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')})`);
    }
    yield { line, bytes, value };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a whole export before anything is written: the header (format, version, schema),
 * every row (a known table, known columns, plain values) and the trailer's counts, so a
 * damaged or truncated file is refused with the line and column and the database is left as
 * it was.
 */
async function checkExport(file: string, tables: Map<string, TableInfo>): Promise<Record<string, number>> {
  const fail = (line: number, column: number, reason: string): never => {
    throw new ExportFileError(file, line, column, reason);
  };
  const counts: Record<string, number> = {};
  let header = false;
  let trailer: Record<string, unknown> | null = null;
  let trailerLine = 0;
  for await (const { line, value } of lines(file, fail)) {
    if (value === undefined) continue;
    if (trailer) fail(line, 1, `nothing may follow the closing line (line ${trailerLine})`);
    if (!isObject(value)) fail(line, 1, 'each line must be a JSON object');
    const record = value as Record<string, unknown>;
    if (!header) {
      if (record.format !== EXPORT_FORMAT) fail(line, 1, `the first line must be the header {"format": "${EXPORT_FORMAT}", …}`);
      if (record.version !== EXPORT_VERSION) fail(line, 1, `export format version ${String(record.version)} is not supported (this server reads version ${EXPORT_VERSION})`);
      if (record.schema !== latestSchema()) {
        fail(line, 1, `the rows follow database schema ${String(record.schema)}, this server's is ${latestSchema()}; import with the server version that wrote it, then upgrade`);
      }
      header = true;
      continue;
    }
    if (record.end === true && record.format === EXPORT_FORMAT) {
      trailer = record;
      trailerLine = line;
      continue;
    }
    const table = typeof record.table === 'string' ? tables.get(record.table) : undefined;
    if (!table) fail(line, 1, `unknown table ${JSON.stringify(record.table)}`);
    if (!isObject(record.row)) fail(line, 1, 'a row line needs "row": {…}');
    for (const [column, cell] of Object.entries(record.row as Record<string, unknown>)) {
      if (!table!.columns.includes(column)) fail(line, 1, `table ${table!.name} has no column ${JSON.stringify(column)}`);
      if (cell !== null && typeof cell !== 'string' && typeof cell !== 'number') fail(line, 1, `column ${column} holds ${typeof cell}; only text, numbers and null are stored`);
    }
    // The HTML is made from the body, so a comment needs one.
    if (table!.name === 'comments' && typeof (record.row as Record<string, unknown>).body !== 'string') fail(line, 1, 'a comments row needs "body" as text');
    counts[table!.name] = (counts[table!.name] ?? 0) + 1;
  }
  if (!header) fail(1, 1, 'the file is empty');
  if (!trailer) fail(trailerLine || 1, 1, 'the closing line {"end": true, …} is missing: the file is incomplete');
  const expected = isObject(trailer!.counts) ? (trailer!.counts as Record<string, unknown>) : {};
  for (const name of new Set([...Object.keys(expected), ...Object.keys(counts)])) {
    if (Number(expected[name] ?? 0) !== (counts[name] ?? 0)) {
      fail(trailerLine, 1, `the closing line counts ${String(expected[name] ?? 0)} ${name} rows, the file holds ${counts[name] ?? 0}`);
    }
  }
  return counts;
}

/**
 * Imports a file written by `exportSite`. The file is checked whole first; then rows are
 * inserted in batches, each row only if no row with its key exists, so re-running the same
 * import creates nothing new. Into an empty database the result exports to the same bytes
 * (but for the header's `exportedAt`).
 */
export async function importSite(store: Store, file: string, options: SiteImportOptions): Promise<SiteImportSummary> {
  const batchSize = options.batchSize ?? 500;
  const tables = new Map((await describeTables(store.db, store.dialect)).map((t) => [t.name, t]));
  const counts = await checkExport(file, tables);
  const totalBytes = (await stat(file)).size;
  const progress: SiteImportProgress = { rows: 0, created: 0, existing: 0, skipped: 0, bytesRead: 0, totalBytes };
  const refused: SiteImportRefusals = { rolesDemoted: 0, tokensDropped: 0, htmlRerendered: 0, htmlReplaced: 0 };
  const screen = createRowScreen(options.renderer, options.trusted === true, refused);

  let batch: Array<{ line: number; table: string; columns: string[]; values: SqlValue[] }> = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    const outcomes = await store.db.transaction(async (tx) => {
      const results: Array<'created' | 'existing' | string> = [];
      for (const row of rows) {
        const sql = `INSERT INTO ${quote(row.table)} (${row.columns.map(quote).join(', ')}) VALUES (${row.columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
        // A savepoint per row: a row the database refuses is skipped without undoing the others.
        await tx.run('SAVEPOINT colloquy_row');
        try {
          results.push((await tx.run(sql, row.values)) > 0 ? 'created' : 'existing');
          await tx.run('RELEASE SAVEPOINT colloquy_row');
        } catch (error) {
          await tx.run('ROLLBACK TO SAVEPOINT colloquy_row');
          await tx.run('RELEASE SAVEPOINT colloquy_row');
          results.push((error as Error).message);
        }
      }
      return results;
    });
    outcomes.forEach((outcome, i) => {
      if (outcome === 'created') progress.created++;
      else if (outcome === 'existing') progress.existing++;
      else {
        progress.skipped++;
        options.onSkipped?.({ line: rows[i]!.line, table: rows[i]!.table, reason: outcome });
      }
    });
    options.onProgress?.({ ...progress });
  };

  let first = true;
  for await (const { line, bytes, value } of lines(file, (l, c, reason) => {
    throw new ExportFileError(file, l, c, reason);
  })) {
    progress.bytesRead += bytes;
    if (value === undefined) continue;
    if (first) {
      first = false;
      continue;
    }
    const record = value as { table?: string; row?: Record<string, SqlValue>; end?: boolean };
    if (record.end === true) break;
    const row = await screen(record.table!, record.row!);
    const columns = Object.keys(row);
    batch.push({ line, table: record.table!, columns, values: columns.map((c) => row[c]!) });
    progress.rows++;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // Helpful marks carry numbers of the exporting server's write sequence; the `helpful` counter
  // (made by the migrations, so "already there") must move past them, or the imported marks
  // would stand after every listing's moment and `best` would leave them out (decision 0036).
  const lastSeq = `SELECT COALESCE(MAX(CASE WHEN unmarked_seq > marked_seq THEN unmarked_seq ELSE marked_seq END), 0) FROM helpful_marks`;
  await store.db.run(`UPDATE counters SET value = (${lastSeq}) WHERE name = 'helpful' AND value < (${lastSeq})`);
  progress.bytesRead = totalBytes;
  return { ...progress, counts, refused };
}

/**
 * What an import changes in a row before storing it. A file is text anyone can write, so:
 * a comment's HTML is always rendered again from its body (as a post is); and unless the file
 * is trusted, an identity keeps no role but `reader` and no token hash, so nobody gains a
 * privilege or a sign-in by handing the operator a file.
 */
function createRowScreen(renderer: BodyRenderer, trusted: boolean, refused: SiteImportRefusals) {
  return async (table: string, input: Record<string, SqlValue>): Promise<Record<string, SqlValue>> => {
    const row = { ...input };
    if (table === 'comments') {
      const body = String(row.body);
      const html = body === '' ? '' : await renderer.render(body);
      refused.htmlRerendered++;
      if (row.html !== html) refused.htmlReplaced++;
      row.html = html;
    } else if (table === 'identities' && !trusted) {
      if (row.role !== undefined && row.role !== 'reader') {
        row.role = 'reader';
        refused.rolesDemoted++;
      }
      if (row.token_hash !== undefined && row.token_hash !== null) {
        row.token_hash = null;
        refused.tokensDropped++;
      }
    } else if (table === 'identities' && row.role !== undefined && !(ROLES as readonly unknown[]).includes(row.role)) {
      // Even a trusted file holds only the roles this server knows.
      row.role = 'reader';
      refused.rolesDemoted++;
    }
    return row;
  };
}
