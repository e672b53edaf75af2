// Formatting the queue, the audit log and the ban list share.
import { html, type TemplateResult } from 'lit';
import type { ColloquyError } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';

/** Wraps a name in first-strong isolates so right-to-left names cannot reorder the sentence. */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** A relative time with the exact one as its title. */
export function renderTime(localizer: Localizer, iso: string, now: Date): TemplateResult {
  const date = new Date(iso);
  const exact = localizer.exactTime(date);
  return html`<time datetime=${iso} title=${exact}>${localizer.relativeTime(date, now)}</time>`;
}

/** What to tell the moderator about a failure. */
export function describeError(messages: ModerationMessages, error: ColloquyError): string {
  return messages.errors[error.code] ?? messages.errors.fallback;
}

/** Says `text` in a polite live region; clearing first makes a repeated message be read again. */
export function announceIn(set: (text: string) => void, text: string): void {
  set('');
  requestAnimationFrame(() => set(text));
}
