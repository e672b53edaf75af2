import { randomBytes } from 'node:crypto';
import { ColloquyError, validateThreadKey } from '@colloquy/core';
import type { ImportRecord, ImportSink, ImportSourceName, ResolvedImport, SkippedRecord } from '@colloquy/importer';
import type { BodyRenderer } from '../render.js';
import { placeReply, type Store } from '../store/index.js';
import type { SqlValue } from '../store/sql.js';

export interface StoreImportSinkOptions {
  renderer: BodyRenderer;
  /** Deepest reply level; a deeper reply attaches to its parent's parent, as when readers post. */
  maxDepth: number;
  /** Comments written per transaction. Default 500. */
  batchSize?: number;
  /** Clock in epoch milliseconds for thread rows; tests pass their own. */
  now?: () => number;
}

/** Where an imported comment sits, enough to attach a reply to it. */
interface Placed {
  id: string;
  thread: string;
  rootId: string;
  depth: number;
  parentId: string | null;
}

export interface StoreImportSink extends ImportSink {
  /** Writes what is still buffered; call once the import has finished. */
  flush(): Promise<void>;
}

/** Longest author name kept from an export; longer ones are cut (old systems allowed anything). */
const MAX_IMPORTED_NAME = 200;
// C0 and C1 controls, and the bidirectional marks and overrides that could spoof neighbouring text.
const CONTROLS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const REMEMBERED = 50_000;

function authorName(name: string): string {
  const clean = name.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, MAX_IMPORTED_NAME).join('') || 'Anonymous';
}

/**
 * The protocol refuses control characters other than tab and newline in what readers send;
 * an old system may have stored some (XML allows C1 controls and DEL). They are dropped, a
 * carriage return becomes a newline, so an imported body holds only what a reader could type.
 */
function cleanBody(body: string): string {
  return body.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\t\n]/gu, '');
}

/** A Map that forgets its oldest entries past `limit`, so memory stays flat however large the export. */
function bounded<K, V>(limit: number) {
  const map = new Map<K, V>();
  return {
    get: (key: K) => map.get(key),
    has: (key: K) => map.has(key),
    set(key: K, value: V) {
      map.set(key, value);
      if (map.size > limit) map.delete(map.keys().next().value as K);
    },
  };
}

const keyOf = (source: string, sourceId: string) => `${source}\u0000${sourceId}`;

let importSequence = 0;
/**
 * An id in the store's format (time, sequence, random tail) for the record's own time, with
 * the sequence counting through the import, so comments posted in the same second sort in
 * the order of the export.
 */
function importedId(prefix: string, ms: number): string {
  importSequence = (importSequence + 1) % 36 ** 4;
  return `${prefix}${Math.max(0, ms).toString(36).padStart(9, '0')}${importSequence.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/**
 * An import sink over the server's store: each record becomes a comment with its original
 * time, state and nesting, under an author identity made for the imported name (imported
 * authors have no token to sign in with). `(source, sourceId)` is kept in the `imported`
 * table, so a second run finds every comment of the first and creates nothing. Writes are
 * batched, `batchSize` comments per transaction; nothing is lost if the process stops between
 * batches, because a re-run picks up whatever was not stored.
 */
export function createStoreImportSink(store: Store, options: StoreImportSinkOptions): StoreImportSink {
  const db = store.db;
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? Date.now;
  const maxDepth = options.maxDepth;

  type Statement = [string, SqlValue[]];
  let batch: Statement[] = [];
  let batchComments = 0;
  let touchedRoots = new Set<string>();
  // Comments of this run, by (source, sourceId): the pending batch and the most recent ones.
  const placed = bounded<string, Placed>(REMEMBERED);
  const authors = bounded<string, string>(REMEMBERED);
  const threads = bounded<string, true>(REMEMBERED);

  async function storedPlace(source: ImportSourceName, sourceId: string): Promise<Placed | null> {
    const cached = placed.get(keyOf(source, sourceId));
    if (cached) return cached;
    const rows = await db.all(
      `SELECT c.id, c.thread, c.root_id, c.depth, c.parent_id FROM imported m JOIN comments c ON c.id = m.comment_id
       WHERE m.source = ? AND m.source_id = ?`,
      [source, sourceId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      thread: row.thread as string,
      rootId: row.root_id as string,
      depth: Number(row.depth),
      parentId: (row.parent_id as string | null) ?? null,
    };
  }

  async function authorId(record: ResolvedImport): Promise<string> {
    const email = record.author.email?.trim().toLowerCase();
    const name = authorName(record.author.name);
    // The same address under two names is two authors to readers (anonymous Disqus guests often share one).
    const importKey = JSON.stringify([record.source, email || null, name]);
    const known = authors.get(importKey);
    if (known) return known;
    const rows = await db.all(`SELECT id FROM identities WHERE import_key = ?`, [importKey]);
    let id = rows[0]?.id as string | undefined;
    if (!id) {
      id = importedId('i_', Date.parse(record.createdAt) || now());
      batch.push([
        `INSERT INTO identities (id, kind, name, role, created_at, import_key, email, url) VALUES (?, 'imported', ?, 'reader', ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [id, name, Date.parse(record.createdAt) || now(), importKey, record.author.email?.trim() || null, record.author.url?.trim() || null],
      ]);
    }
    authors.set(importKey, id);
    return id;
  }

  function ensureThread(record: ResolvedImport): void {
    const key = record.thread.key;
    if (threads.has(key)) return;
    threads.set(key, true);
    batch.push([
      `INSERT INTO threads (key, url, title, closed, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [key, record.thread.url, record.thread.title, record.thread.closed ? 1 : 0, now()],
    ]);
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const statements = batch;
    const roots = [...touchedRoots];
    batch = [];
    batchComments = 0;
    touchedRoots = new Set();
    await db.transaction(async (tx) => {
      for (const [sql, params] of statements) await tx.run(sql, params);
      // Top-level comments count the visible comments beneath them (the `top` sort, placeholders).
      for (const root of roots) {
        await tx.run(
          `UPDATE comments SET visible_replies =
             (SELECT count(*) FROM comments r WHERE r.root_id = ? AND r.id <> ? AND r.status = 'visible') WHERE id = ?`,
          [root, root, root],
        );
      }
    });
  }

  return {
    async hasImported(source, sourceId) {
      return (await storedPlace(source, sourceId)) !== null;
    },

    async upsertImported(record) {
      if (await storedPlace(record.source, record.sourceId)) return 'exists';
      const thread = record.thread.key;
      let parent = record.parentSourceId === null ? null : await storedPlace(record.source, record.parentSourceId);
      // A reply never crosses pages: a parent on another page (a broken export) leaves it at top level.
      if (parent && parent.thread !== thread) parent = null;

      const createdAt = Date.parse(record.createdAt);
      if (!Number.isFinite(createdAt)) throw new ColloquyError('invalid_input', `Comment ${record.sourceId} has no usable date.`);
      const id = importedId('c_', createdAt);
      // A thread deeper than the cap (Disqus and WordPress have none) keeps whom each reply answers.
      const { parentId, replyToId, rootId, depth } = parent ? placeReply(parent, id, maxDepth) : { parentId: null, replyToId: null, rootId: id, depth: 0 };

      ensureThread(record);
      const author = await authorId(record);
      // A deleted comment keeps its place and time, never its text, as when a reader deletes one.
      const deleted = record.status === 'deleted';
      const body = deleted ? '' : cleanBody(record.body);
      const html = deleted || body === '' ? '' : await options.renderer.render(body);
      const heldReasons = record.status === 'held' ? JSON.stringify([`Pending review in the ${record.source === 'disqus' ? 'Disqus' : 'WordPress'} export`]) : null;
      batch.push([
        `INSERT INTO comments (id, thread, parent_id, reply_to_id, root_id, depth, author_id, body, html, status, hidden_by, spam, held_reasons, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, thread, parentId, replyToId, rootId, depth, author, body, html, record.status, record.status === 'hidden' ? 'moderator' : null, record.spam ? 1 : 0, heldReasons, createdAt],
      ]);
      batch.push([
        `INSERT INTO imported (source, source_id, comment_id, type) VALUES (?, ?, ?, ?)`,
        [record.source, record.sourceId, id, record.type && record.type !== 'comment' ? record.type : null],
      ]);
      if (rootId !== id) touchedRoots.add(rootId);
      placed.set(keyOf(record.source, record.sourceId), { id, thread, rootId, depth, parentId });
      if (++batchComments >= batchSize) await flush();
      return 'created';
    },

    flush,
  };
}

/**
 * Turns comments the server cannot store into skipped records (a thread key the protocol
 * refuses, such as one longer than 512 characters), so they are reported like the parsers'
 * bad records instead of stopping the import. Progress fields pass through.
 */
export function screenImportRecords<T extends AsyncIterable<ImportRecord> & { readonly bytesRead?: number; readonly totalBytes?: number | null }>(
  records: T,
): AsyncIterable<ImportRecord> & { readonly bytesRead: number; readonly totalBytes: number | null } {
  return {
    get bytesRead() {
      return records.bytesRead ?? 0;
    },
    get totalBytes() {
      return records.totalBytes ?? null;
    },
    async *[Symbol.asyncIterator]() {
      for await (const record of records) {
        if (record.kind !== 'comment') {
          yield record;
          continue;
        }
        try {
          // Stored in the canonical form the widget asks for (`/post/` is `/post`).
          yield { ...record, thread: { ...record.thread, key: validateThreadKey(record.thread.key) } };
        } catch (error) {
          const skipped: SkippedRecord = {
            kind: 'skipped',
            source: record.source,
            sourceId: record.sourceId,
            line: 0,
            column: 0,
            reason: `thread key "${record.thread.key.slice(0, 80)}" cannot be used: ${(error as Error).message}`,
          };
          yield skipped;
        }
      }
    },
  };
}
