import type { ColloquyError, Comment, ReportReason } from '@colloquy/core';

const init: EventInit = { bubbles: true, composed: true };

/** A comment or reply the reader wrote was confirmed by the server. */
export class ColloquyPostedEvent extends Event {
  static readonly type = 'colloquy-posted';
  constructor(readonly comment: Comment) {
    super(ColloquyPostedEvent.type, init);
  }
}

/** The reader reported a comment. */
export class ColloquyReportedEvent extends Event {
  static readonly type = 'colloquy-reported';
  constructor(
    readonly commentId: string,
    readonly reason: ReportReason,
  ) {
    super(ColloquyReportedEvent.type, init);
  }
}

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
