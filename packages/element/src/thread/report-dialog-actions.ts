// What the report dialog's answers do: send the report, or put focus back where the reader
// was. Only needed once a reader has asked to report, so it travels in the dialog's chunk
// instead of embed.js (docs/decisions/0025, 0028).
import { toColloquyError } from '@colloquy/core';
import { ColloquyReportedEvent } from '../events.js';
import type { ReportCloseEvent, ReportSubmitEvent } from '../report-dialog/report-dialog.js';
import { announce, fail } from './feedback.js';
import { focusOn } from './focus.js';
import type { ColloquyThread } from './thread.js';

export { ColloquyReportDialog } from '../report-dialog/report-dialog.js';

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
  announce(host, host.localizer.messages.announceReported);
  await focusOn(host, `[data-reported-for="${CSS.escape(event.commentId)}"]`);
}

export async function onReportClose(host: ColloquyThread, event: ReportCloseEvent): Promise<void> {
  await focusOn(host, `[data-report-for="${CSS.escape(event.commentId)}"]`);
}
