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
  target.focus({ preventScroll: true });
  keepInView(target);
  return true;
}

let stopKeeping: (() => void) | undefined;

/**
 * Scrolls the target into view, and again whenever the page's layout moves it out while it
 * settles (the host's late styles, images, fonts, the thread's own later renders), until the
 * reader scrolls, clicks or presses a key, or ten seconds pass. A scroll made at once would
 * be lost as soon as anything above the comment grew.
 */
function keepInView(target: HTMLElement): void {
  stopKeeping?.();
  const place = (): void => {
    const box = target.getBoundingClientRect();
    // A comment taller than the window (a long branch) is placed by its start.
    const tall = box.height > innerHeight;
    if (box.top < 0 || (tall ? box.top > innerHeight / 2 : box.bottom > innerHeight)) {
      target.scrollIntoView({ block: tall ? 'start' : 'center' });
    }
  };
  const observer = new ResizeObserver(place);
  for (const element of [document.documentElement, document.body, target]) observer.observe(element);
  const inputs = ['wheel', 'touchstart', 'keydown', 'pointerdown'];
  const stop = (): void => {
    observer.disconnect();
    clearTimeout(timer);
    for (const type of [...inputs, 'load']) removeEventListener(type, type === 'load' ? place : stop, true);
    stopKeeping = undefined;
  };
  const timer = setTimeout(stop, 10_000);
  for (const type of inputs) addEventListener(type, stop, true);
  addEventListener('load', place, true);
  void document.fonts.ready.then(() => stopKeeping === stop && place());
  stopKeeping = stop;
  place();
}
