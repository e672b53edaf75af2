import { toColloquyError } from '@colloquy/core';
import { ColloquyReportedEvent } from '../write-events.js';
import { addErrors } from '../i18n/locale.js';
import { writeErrors } from '../i18n/write-messages.js';
import { ReportCloseEvent, ReportSubmitEvent } from '../report-dialog/report-dialog.js';
import { reportMessages } from '../report-dialog/report-messages.js';
import { announce, fail } from './feedback.js';
import { focusOn } from './focus.js';
import type { ColloquyThread } from './thread.js';

// A report can meet a write's errors (a banned reader) before anything was posted.
addErrors(writeErrors);

export { ColloquyReportDialog } from '../report-dialog/report-dialog.js';

/**
 * Reporting a comment, after the reader first asks to: the dialog element and what the thread
 * does with its answers travel in one on-demand chunk (decisions 0025 and 0027).
 */

const listening = new WeakSet<ColloquyThread>();

/** Hears the thread's dialog, once per thread. */
export function listen(host: ColloquyThread): void {
  if (listening.has(host)) return;
  listening.add(host);
  const dialog = host.reportDialog;
  dialog.addEventListener(ReportSubmitEvent.type, (event) => void onReportSubmit(host, event as ReportSubmitEvent));
  dialog.addEventListener(ReportCloseEvent.type, (event) => void onReportClose(host, event as ReportCloseEvent));
}

export async function onReportSubmit(host: ColloquyThread, event: ReportSubmitEvent): Promise<void> {
  const threadState = host.controller.state;
  if (!threadState) return;
  const dialog = host.reportDialog;
  host.reportBusy = true;
  dialog.error = '';
  const report = event.details ? { reason: event.reason, details: event.details } : { reason: event.reason };
  try {
    if (!threadState.getSnapshot().identity) await threadState.identify();
    await threadState.report(event.commentId, report);
    host.dispatchEvent(new ColloquyReportedEvent(event.commentId, event.reason));
  } catch (error) {
    const colloquyError = toColloquyError(error);
    if (colloquyError.code !== 'already_reported') {
      host.reportBusy = false;
      dialog.error = fail(host, colloquyError, 'report');
      return;
    }
  }
  host.reportBusy = false;
  host.reportedHere = new Set(host.reportedHere).add(event.commentId);
  dialog.close();
  announce(host, (reportMessages[host.localizer.lang] ?? reportMessages.en!).announceReported);
  await focusOn(host, `[data-reported-for="${CSS.escape(event.commentId)}"]`);
}

export async function onReportClose(host: ColloquyThread, event: ReportCloseEvent): Promise<void> {
  await focusOn(host, `[data-report-for="${CSS.escape(event.commentId)}"]`);
}
