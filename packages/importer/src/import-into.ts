import { ColloquyError } from '@colloquy/core';
import type { ImportedComment, ImportRecord, ImportSourceName, SkippedRecord } from './records.js';

/**
 * A comment handed to a sink. The driver guarantees that a comment with a `parentSourceId`
 * arrives only after that parent was handed over (in this run or an earlier one), so the
 * sink can look the parent up by `(source, parentSourceId)`. A reply whose parent never
 * appears arrives with `parentSourceId: null` and `detachedFrom` set to the missing id.
 */
export interface ResolvedImport extends ImportedComment {
  detachedFrom?: string;
}

/** Where imported comments go: the server's store, or the memory sink in tests. */
export interface ImportSink {
  /**
   * Stores the comment unless one with the same `(source, sourceId)` exists. Must be
   * idempotent: that is what makes re-running an import safe.
   */
  upsertImported(record: ResolvedImport): Promise<'created' | 'exists'>;
  /**
   * Optional: whether `(source, sourceId)` is already stored. With it the driver keeps only a
   * bounded window of recent ids in memory and asks the sink about older parents; without it
   * the driver remembers every id it has handed over (about 100 bytes each).
   */
  hasImported?(source: ImportSourceName, sourceId: string): Promise<boolean>;
}

export interface ImportProgress {
  /** Records read from the export so far (comments and skipped ones). */
  records: number;
  created: number;
  existing: number;
  skipped: number;
  /** Replies waiting for a parent that has not appeared yet. */
  deferred: number;
  /** Replies imported at top level because their parent never appeared (or the wait overflowed). */
  detached: number;
  bytesRead: number;
  totalBytes: number | null;
}

export interface ImportSummary extends ImportProgress {
  /** The first `keepSkipped` skipped records, with line, column and reason. */
  skippedRecords: SkippedRecord[];
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Records between two `onProgress` calls. Default 1000. */
  progressEvery?: number;
  /** Called for every skipped record, as it is read. */
  onSkipped?: (record: SkippedRecord) => void;
  /**
   * Most replies kept waiting for their parent. Past it the oldest waiting reply is imported
   * detached (top level). Default 10,000: around 10 MB when full of short comments.
   */
  maxDeferred?: number;
  /** Ids remembered in memory when the sink has `hasImported`. Default 50,000. */
  recentIds?: number;
  /** Skipped records kept in the summary. Default 1000. */
  keepSkipped?: number;
}

interface Progressive {
  readonly bytesRead?: number;
  readonly totalBytes?: number | null;
}

const keyOf = (source: ImportSourceName, sourceId: string): string => `${source}\u0000${sourceId}`;

/**
 * Feeds parsed records into a sink in an order the sink can store: parents before their
 * replies. Replies that arrive before their parent wait in a bounded queue; bad records are
 * counted and reported, never fatal. Re-running into the same sink creates nothing new.
 */
export async function importInto(
  records: AsyncIterable<ImportRecord> & Progressive,
  sink: ImportSink,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  if (!records || typeof (records as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw new ColloquyError('invalid_input', 'importInto needs the records from parseDisqus or parseWxr (an async iterable).');
  }
  if (!sink || typeof sink.upsertImported !== 'function') {
    throw new ColloquyError('invalid_input', 'importInto needs a sink with an upsertImported(record) method.');
  }
  const maxDeferred = positive(options.maxDeferred, 10_000, 'maxDeferred');
  const recentLimit = positive(options.recentIds, 50_000, 'recentIds');
  const progressEvery = positive(options.progressEvery, 1000, 'progressEvery');
  const keepSkipped = Math.max(0, options.keepSkipped ?? 1000);

  const summary: ImportSummary = {
    records: 0, created: 0, existing: 0, skipped: 0, deferred: 0, detached: 0,
    bytesRead: 0, totalBytes: null, skippedRecords: [],
  };
  const hasImported = sink.hasImported?.bind(sink);
  // Without hasImported this set is the only memory of what was stored, so it is never trimmed.
  const seen = new Set<string>();
  // Waiting replies: by their own key (insertion order = age), and by the parent they wait for.
  const waiting = new Map<string, ImportedComment>();
  const waitingFor = new Map<string, string[]>();

  const remember = (key: string): void => {
    seen.add(key);
    if (hasImported && seen.size > recentLimit) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };
  const isStored = async (source: ImportSourceName, sourceId: string): Promise<boolean> =>
    seen.has(keyOf(source, sourceId)) || (hasImported ? await hasImported(source, sourceId) : false);

  const store = async (record: ResolvedImport): Promise<void> => {
    const result = await sink.upsertImported(record);
    if (result === 'created') summary.created++;
    else if (result === 'exists') summary.existing++;
    else throw new ColloquyError('server_error', `The import sink answered "${String(result)}" instead of "created" or "exists".`);
    remember(keyOf(record.source, record.sourceId));
  };

  // Stores a record, then every reply that was waiting for it, depth first without recursion.
  const storeAndRelease = async (first: ResolvedImport): Promise<void> => {
    const stack: ResolvedImport[] = [first];
    while (stack.length) {
      const record = stack.pop() as ResolvedImport;
      await store(record);
      const key = keyOf(record.source, record.sourceId);
      const children = waitingFor.get(key);
      if (!children) continue;
      waitingFor.delete(key);
      for (const childKey of children.reverse()) {
        const child = waiting.get(childKey);
        if (!child) continue;
        waiting.delete(childKey);
        stack.push(child);
      }
    }
    summary.deferred = waiting.size;
  };

  const detachOldest = async (): Promise<void> => {
    const [childKey, child] = waiting.entries().next().value as [string, ImportedComment];
    waiting.delete(childKey);
    const parentKey = keyOf(child.source, child.parentSourceId as string);
    const siblings = waitingFor.get(parentKey)?.filter((k) => k !== childKey);
    if (siblings?.length) waitingFor.set(parentKey, siblings);
    else waitingFor.delete(parentKey);
    summary.detached++;
    await storeAndRelease({ ...child, parentSourceId: null, detachedFrom: child.parentSourceId as string });
  };

  const report = (): void => {
    summary.bytesRead = records.bytesRead ?? 0;
    summary.totalBytes = records.totalBytes ?? null;
    if (options.onProgress) {
      const { skippedRecords: _skipped, ...progress } = summary;
      options.onProgress(progress);
    }
  };

  for await (const record of records) {
    summary.records++;
    if (record.kind === 'skipped') {
      summary.skipped++;
      if (summary.skippedRecords.length < keepSkipped) summary.skippedRecords.push(record);
      options.onSkipped?.(record);
    } else if (record.kind === 'comment') {
      const parent = record.parentSourceId;
      if (parent === null || parent === record.sourceId || (await isStored(record.source, parent))) {
        await storeAndRelease(parent === record.sourceId ? { ...record, parentSourceId: null, detachedFrom: parent } : record);
      } else {
        const key = keyOf(record.source, record.sourceId);
        waiting.set(key, record);
        const parentKey = keyOf(record.source, parent);
        const list = waitingFor.get(parentKey);
        if (list) list.push(key);
        else waitingFor.set(parentKey, [key]);
        while (waiting.size > maxDeferred) await detachOldest();
        summary.deferred = waiting.size;
      }
    }
    if (summary.records % progressEvery === 0) report();
  }
  // Whatever still waits has a parent that is not in the export (or was skipped as invalid).
  while (waiting.size) await detachOldest();
  summary.deferred = 0;
  report();
  return summary;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new ColloquyError('invalid_input', `${name} must be a positive integer, not ${value}.`);
  return value;
}

/** A comment as the memory sink stored it, with the sink's own ids. */
export interface MemoryImportedComment extends ResolvedImport {
  id: string;
  parentId: string | null;
}

/**
 * A small real sink: keeps comments in a Map keyed by `(source, sourceId)`, gives each an id,
 * and resolves `parentSourceId` to the parent's id, failing loudly if the driver ever hands
 * over a reply before its parent. For tests, demos and dry runs.
 */
export function createMemoryImportSink(): ImportSink & { readonly comments: ReadonlyMap<string, MemoryImportedComment>; get(source: ImportSourceName, sourceId: string): MemoryImportedComment | undefined } {
  const comments = new Map<string, MemoryImportedComment>();
  let next = 1;
  return {
    comments,
    get: (source, sourceId) => comments.get(keyOf(source, sourceId)),
    async upsertImported(record) {
      const key = keyOf(record.source, record.sourceId);
      if (comments.has(key)) return 'exists';
      let parentId: string | null = null;
      if (record.parentSourceId !== null) {
        const parent = comments.get(keyOf(record.source, record.parentSourceId));
        if (!parent) throw new ColloquyError('invalid_input', `Reply ${record.sourceId} arrived before its parent ${record.parentSourceId}.`);
        parentId = parent.id;
      }
      comments.set(key, { ...record, id: `c${next++}`, parentId });
      return 'created';
    },
    async hasImported(source, sourceId) {
      return comments.has(keyOf(source, sourceId));
    },
  };
}
