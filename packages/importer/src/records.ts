import type { CommentStatus } from '@colloquy/core';

/** Which exporter a record came from. Together with `sourceId` it identifies a record across runs. */
export type ImportSourceName = 'disqus' | 'wordpress';

/** The page a comment belongs to, as the export describes it. */
export interface ImportedThread {
  /** Colloquy's thread key, derived from `url` by the configured {@link ThreadKeyRule}. */
  key: string;
  url: string | null;
  title: string | null;
  /** True when the old system no longer accepted comments on the page. */
  closed: boolean;
}

export interface ImportedAuthor {
  /** Plain text, entities already decoded. */
  name: string;
  email?: string;
  url?: string;
  ip?: string;
  anonymous: boolean;
}

/** One comment from an export, normalised. */
export interface ImportedComment {
  kind: 'comment';
  source: ImportSourceName;
  /** Stable within `source`: re-importing the same file yields the same ids. */
  sourceId: string;
  thread: ImportedThread;
  parentSourceId: string | null;
  author: ImportedAuthor;
  /** ISO 8601 UTC, with milliseconds. */
  createdAt: string;
  /** Colloquy's markdown-subset source, converted from the export's HTML. */
  body: string;
  status: CommentStatus;
  /** Marked as spam by the old system; such comments are also `hidden`. */
  spam: boolean;
  type?: 'comment' | 'pingback' | 'trackback';
}

/** A record the importer could not use. The import goes on without it. */
export interface SkippedRecord {
  kind: 'skipped';
  source: ImportSourceName;
  sourceId?: string;
  /** Where the record starts in the file (1-based). */
  line: number;
  column: number;
  reason: string;
}

export type ImportRecord = ImportedComment | SkippedRecord;

/** Records from a parser, plus how far through the input it has read (for progress bars). */
export interface ImportRecordStream extends AsyncIterable<ImportRecord> {
  readonly bytesRead: number;
  /** Size of the input when known (a file path was given, or `totalBytes` was passed). */
  readonly totalBytes: number | null;
}
