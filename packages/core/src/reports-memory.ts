/**
 * Which comments a reader reported, remembered per thread in the page's storage, so the
 * "Reported" mark survives a reload and a second report is never sent.
 */

export type ReportsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The storage key under which a reader's reports on one thread are remembered. */
export function reportedStorageKey(thread: string): string {
  return `colloquy:reported:${thread}`;
}

/** The comments this reader reported on `thread` in earlier visits. */
export function readReported(storage: ReportsStorage | undefined, thread: string): string[] {
  if (!storage) return [];
  try {
    const raw = storage.getItem(reportedStorageKey(thread));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return []; // storage blocked or garbled: reports are then remembered for this page only
  }
}
