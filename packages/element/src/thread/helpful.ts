import { addErrors } from '../i18n/locale.js';
import { writeErrors } from '../i18n/write-messages.js';
import { fail } from './feedback.js';
import type { ColloquyThread } from './thread.js';

// A mark can meet a write's errors (a suspended reader) before anything was posted.
addErrors(writeErrors);

/**
 * The helpful toggle's logic, an on-demand part (decisions 0032, 0036): the thread state shows
 * the mark at once and takes it back if the adapter refuses; the reason then shows under the
 * comment, as other actions' errors do. Focus stays on the button, whose `aria-pressed` says the
 * new state.
 */
export async function toggle(host: ColloquyThread, id: string, helpful: boolean): Promise<void> {
  const errors = new Map(host.actionErrors);
  errors.delete(id);
  host.actionErrors = errors;
  try {
    await host.controller.state?.markHelpful(id, helpful);
  } catch (error) {
    host.actionErrors = new Map(host.actionErrors).set(id, fail(host, error, 'helpful'));
  }
}
