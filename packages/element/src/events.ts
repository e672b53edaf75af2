import type { ColloquyError } from '@colloquy/core';
import type { ColloquyPostedEvent, ColloquyReportedEvent } from './write-events.js';

/** How every event of the widget travels: up and out of its shadow root. */
export const init: EventInit = { bubbles: true, composed: true };

/** Something failed; the widget has already told the reader, this is for the host page's logs. */
export class ColloquyErrorEvent extends Event {
  static readonly type = 'colloquy-error';
  constructor(
    readonly error: ColloquyError,
    /** What the widget was doing: `load`, `post`, `edit`, `delete`, `report`, `count`. */
    readonly action: string,
    /** What the reader is told; the error's message when it has none of its own. */
    readerMessage?: string,
  ) {
    super(ColloquyErrorEvent.type, init);
    // embed.js is built without the core's developer messages (docs/decisions/0008).
    if (!error.message && readerMessage) error.message = readerMessage;
  }
}

declare global {
  interface HTMLElementEventMap {
    'colloquy-posted': ColloquyPostedEvent;
    'colloquy-reported': ColloquyReportedEvent;
    'colloquy-error': ColloquyErrorEvent;
  }
}
