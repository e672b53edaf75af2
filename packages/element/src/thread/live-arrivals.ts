import { html, nothing, type TemplateResult } from 'lit';
import type { ThreadSnapshot } from '@colloquy/core';
import { nodesOf } from './comment-index.js';
import { announce } from './feedback.js';
import { focusOn } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * Comments others post while the reader is here. Replies appear in place; new top-level
 * comments wait in `waitingArrivals`, out of the list, behind a "Show N new comments" button,
 * so the list does not move under the reader. Either way they are announced once. The reader's
 * own comments never wait and are never announced as new.
 */

/** Takes the snapshot's live arrivals: keeps the top-level ones waiting, announces them, acknowledges. */
export function noteArrivals(host: ColloquyThread, snapshot: ThreadSnapshot): void {
  if (snapshot.liveArrivals.length === 0) return;
  const me = snapshot.identity?.id;
  const nodes = nodesOf(snapshot);
  let fresh = 0;
  const waiting = new Set(host.waitingArrivals);
  for (const id of snapshot.liveArrivals) {
    const node = nodes.get(id);
    if (!node || (me && node.comment.author.id === me)) continue;
    fresh++;
    if (node.depth === 0) waiting.add(id);
  }
  host.waitingArrivals = waiting;
  const { localizer } = host;
  if (fresh > 0) announce(host, localizer.plural(localizer.messages.announceNew, fresh));
  queueMicrotask(() => host.controller.state?.acknowledgeLive());
}

/** Puts the waiting comments in the list and focuses the first of them. */
async function showArrivals(host: ColloquyThread): Promise<void> {
  const snapshot = host.controller.snapshot;
  const first = snapshot?.comments.find((node) => host.waitingArrivals.has(node.comment.id));
  host.waitingArrivals = new Set();
  if (first) await focusOn(host, `#comment-${CSS.escape(first.comment.id)}`);
}

/** The "Show N new comments" button; nothing while no comment waits. */
export function renderNewCommentsButton(host: ColloquyThread, count: number): TemplateResult | typeof nothing {
  if (count === 0) return nothing;
  return html`<button part="new-comments" class="new-comments" @click=${() => showArrivals(host)}>
    ${host.localizer.plural(host.localizer.messages.newComments, count)}
  </button>`;
}
