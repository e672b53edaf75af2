import { ColloquyError } from '@colloquy/core';
import type { ImportProgress } from './import-into.js';

export interface ProgressReporterOptions {
  /** Where to write. Default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force the bar on or off; by default it is drawn only when the stream is a terminal. */
  tty?: boolean;
  /** In plain mode, records between two lines. Default 10,000. */
  every?: number;
  /** In bar mode, fewest milliseconds between redraws. Default 100. */
  minIntervalMs?: number;
  now?: () => number;
}

export interface ProgressReporter {
  /** Pass as `importInto`'s `onProgress`. */
  update(progress: ImportProgress): void;
  /** Writes the final line (and ends the bar's line on a terminal). */
  done(progress: ImportProgress): void;
}

function size(bytes: number): string {
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function describe(progress: ImportProgress): string {
  const parts = [`${progress.records} records`, `${progress.created} created`, `${progress.existing} existing`, `${progress.skipped} skipped`];
  if (progress.detached) parts.push(`${progress.detached} detached`);
  return parts.join(', ');
}

/**
 * Progress for a terminal or a log: on a TTY one line redrawn in place with `\r` (a bar when
 * the total size is known), elsewhere a plain line every `every` records, so CI logs and
 * redirected output stay readable.
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const every = options.every ?? 10_000;
  const minInterval = options.minIntervalMs ?? 100;
  if (!Number.isInteger(every) || every < 1) throw new ColloquyError('invalid_input', `every must be a positive integer, not ${every}.`);
  if (!(minInterval >= 0)) throw new ColloquyError('invalid_input', `minIntervalMs must be zero or more, not ${minInterval}.`);
  if (typeof stream?.write !== 'function') throw new ColloquyError('invalid_input', 'The progress stream must be writable.');
  const now = options.now ?? Date.now;
  let lastDraw = -Infinity;
  let nextLine = every;

  const bar = (progress: ImportProgress): string => {
    const total = progress.totalBytes;
    if (!total) return `${size(progress.bytesRead)} read  ${describe(progress)}`;
    const fraction = Math.min(1, progress.bytesRead / total);
    const width = 24;
    const filled = Math.round(fraction * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${describe(progress)}`;
  };
  const fit = (line: string): string => (stream.columns && line.length >= stream.columns ? line.slice(0, stream.columns - 1) : line);
  const plain = (progress: ImportProgress): string => {
    const of = progress.totalBytes ? ` of ${size(progress.totalBytes)}` : '';
    return `import: ${describe(progress)} (${size(progress.bytesRead)}${of} read)\n`;
  };

  return {
    update(progress) {
      if (tty) {
        const time = now();
        if (time - lastDraw < minInterval) return;
        lastDraw = time;
        stream.write(`\r\x1b[K${fit(bar(progress))}`);
      } else if (progress.records >= nextLine) {
        nextLine = (Math.floor(progress.records / every) + 1) * every;
        stream.write(plain(progress));
      }
    },
    done(progress) {
      if (tty) stream.write(`\r\x1b[K${fit(bar(progress))}\n`);
      else stream.write(plain(progress));
    },
  };
}
