import type { Comment, ReportReason } from '@colloquy/core';
import { init } from './events.js';

// The events of a write, apart from events.ts: only the on-demand parts that write dispatch
// them, so embed.js does not carry them (docs/decisions/0038-critical-path-by-reader.md).

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
