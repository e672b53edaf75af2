import type { StorageAdapter } from './adapter.js';
import { toColloquyError } from './errors.js';
import { reportedStorageKey, type ReportsStorage } from './reports-memory.js';
import type { Identity, Limits, ReportInput } from './types.js';
import { validateCommentId } from './validate.js';
import { validateReport } from './validate-writes.js';

// Loaded by the thread state on a reader's first report or first name (a dynamic import), so
// a page that only reads never fetches it: in embed.js it is an on-demand chunk (decision 0039).

/** What `report` reads and changes of the thread state. */
export interface ReportContext {
  storage: ReportsStorage | undefined;
  thread: string;
  reported: Set<string>;
  limits: Partial<Limits> | undefined;
  changed: () => void;
}

/**
 * The thread state's `report`: sends the report once per comment (a second one, or one the
 * server already has, counts as done) and remembers it in the page's storage.
 */
export async function reportInThread(adapter: Pick<StorageAdapter, 'reportComment'>, context: ReportContext, id: string, input: ReportInput): Promise<void> {
  const valid = validateCommentId(id);
  const reportInput = validateReport(input, context.limits);
  if (context.reported.has(valid)) return;
  try {
    await adapter.reportComment(valid, reportInput);
  } catch (thrown) {
    const failure = toColloquyError(thrown);
    if (failure.code !== 'already_reported') throw failure;
  }
  context.reported.add(valid);
  storeReported(context.storage, context.thread, context.reported);
  context.changed();
}

/** The thread state's `identify`: the adapter's identity, its failures as `ColloquyError`s. */
export async function identifyInThread(adapter: Pick<StorageAdapter, 'identify'>, name?: string): Promise<Identity> {
  try {
    return await adapter.identify(name);
  } catch (thrown) {
    throw toColloquyError(thrown);
  }
}

/** Stores the reader's reported set for `thread`, when the page's storage allows. */
function storeReported(storage: ReportsStorage | undefined, thread: string, reported: Set<string>): void {
  if (!storage) return;
  try {
    storage.setItem(reportedStorageKey(thread), JSON.stringify([...reported]));
  } catch {
    // Quota or privacy mode: the in-memory set still shows "reported" until the page reloads.
  }
}
