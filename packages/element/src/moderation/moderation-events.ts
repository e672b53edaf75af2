import type { Comment } from '@colloquy/core';
import type { ModerationAction } from './moderation-source.js';

/** A moderator's decision was confirmed by the server. */
export class ColloquyModeratedEvent extends Event {
  static readonly type = 'colloquy-moderated';
  constructor(
    readonly action: ModerationAction,
    /** The comment as it is now (its new `status`). */
    readonly comment: Comment,
    readonly reason: string | null,
  ) {
    super(ColloquyModeratedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'colloquy-moderated': ColloquyModeratedEvent;
  }
}
