import { nodesOf } from './comment-index.js';
import { fail } from './feedback.js';
import { rendered } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * Opens the comment named by `#comment-<id>`: loads pages until found, unfolds its branch and
 * shows it even if it arrived live, highlights, scrolls to and focuses it. False when the page's
 * hash names no comment of this thread.
 */
export async function revealPermalink(host: ColloquyThread): Promise<boolean> {
  const match = /^#comment-(.+)$/.exec(window.location.hash);
  const threadState = host.controller.state;
  if (!match?.[1] || !threadState) return false;
  const id = decodeURIComponent(match[1]);
  let found: boolean;
  try {
    found = await threadState.reveal(id);
  } catch (error) {
    fail(host, error, 'load');
    return false;
  }
  if (!found) return false;
  const nodes = nodesOf(threadState.getSnapshot());
  const collapsed = new Set(host.collapsed);
  const waiting = new Set(host.waitingArrivals);
  for (let node = nodes.get(id); node; node = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined) {
    collapsed.delete(node.comment.id);
    waiting.delete(node.comment.id);
  }
  host.collapsed = collapsed;
  host.waitingArrivals = waiting;
  host.highlighted = id;
  const target = await rendered<HTMLElement>(host, `#comment-${CSS.escape(id)}`);
  if (!target) return false;
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
  return true;
}
