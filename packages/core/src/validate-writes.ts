import { ColloquyError } from './errors.js';
import { hasVisibleText } from './text.js';
import { REPORT_REASONS, type CreateInput, type Limits, type ReportInput, type ReportReason } from './types.js';
import {
  ANY_CONTROL,
  MAX_ID_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  checkWellFormed,
  codePointLength,
  limitsOrDefault,
  requireObject,
  requireString,
  validateBody,
  validateKey,
  validateText,
  validateThreadKey,
} from './validate.js';

// The checks only writes need (a name, a report, a new comment), apart from validate.ts so
// that a page that only reads does not carry them: in embed.js they come with the on-demand
// parts that write (docs/decisions/0039). Same codes and wording as the rest (validate.ts).

/**
 * A screen name: at most `limits.maxNameLength` code points, a single line, with at least one
 * visible character. Returned with surrounding whitespace trimmed. Bidi controls and invisible
 * characters are allowed through (they are stored as typed) and removed at display time by
 * `displayText`.
 */
export function validateName(name: unknown, limits?: Partial<Limits>): string {
  const { maxNameLength } = limitsOrDefault(limits);
  const text = requireString(name, 'The screen name').trim();
  if (text.length > maxNameLength && codePointLength(text) > maxNameLength) {
    throw new ColloquyError('name_too_long', `The screen name is too long; the limit is ${maxNameLength} characters.`);
  }
  if (ANY_CONTROL.test(text)) {
    throw new ColloquyError('invalid_input', 'The screen name must be a single line without control characters.');
  }
  checkWellFormed(text, 'The screen name');
  if (!hasVisibleText(text)) {
    throw new ColloquyError('invalid_input', 'The screen name needs at least one visible character.');
  }
  return text;
}

/** A report: `reason` from `REPORT_REASONS`, optional `details` up to `limits.maxDetailsLength`. */
export function validateReport(input: unknown, limits?: Partial<Limits>): ReportInput {
  const { maxDetailsLength } = limitsOrDefault(limits);
  const report = requireObject(input, 'The report');
  const reason = report.reason;
  if (typeof reason !== 'string' || !(REPORT_REASONS as readonly string[]).includes(reason)) {
    throw new ColloquyError('invalid_input', `The report reason must be one of: ${REPORT_REASONS.join(', ')}.`);
  }
  if (report.details === undefined || report.details === null) return { reason: reason as ReportReason };
  const details = validateText(report.details, 'The report details', maxDetailsLength, 'invalid_input');
  return details.trim() === '' ? { reason: reason as ReportReason } : { reason: reason as ReportReason, details };
}

/** A create request with `parentId` normalised to null for top-level comments. */
export function validateCreateInput(input: unknown, limits?: Partial<Limits>): Required<Omit<CreateInput, 'url'>> {
  const create = requireObject(input, 'The new comment');
  const parentId = create.parentId;
  return {
    thread: validateThreadKey(create.thread),
    parentId: parentId === undefined || parentId === null ? null : validateKey(parentId, 'The parent id', MAX_ID_LENGTH),
    body: validateBody(create.body, limits),
    idempotencyKey: validateKey(create.idempotencyKey, 'The idempotency key', MAX_IDEMPOTENCY_KEY_LENGTH),
  };
}
