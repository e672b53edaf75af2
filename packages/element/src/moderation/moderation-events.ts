import type { Comment, ModerationAction } from '@colloquy/core';

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

/** The ban list lifted an author's ban; the queue stops showing them as banned. */
export class ColloquyBanLiftedEvent extends Event {
  static readonly type = 'colloquy-ban-lifted';
  constructor(readonly identityId: string) {
    super(ColloquyBanLiftedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'colloquy-moderated': ColloquyModeratedEvent;
    'colloquy-ban-lifted': ColloquyBanLiftedEvent;
  }
}
