import type { ColloquyThread } from './thread.js';

// Focus management: after every action the thread moves focus to where the reader's attention
// belongs (the new comment, the button that opened a composer, the confirmation), which can
// only be found once the view has rendered the change.

/** The element matching `selector` in the thread's shadow root, after the pending render. */
export async function rendered<T extends Element>(host: ColloquyThread, selector: string): Promise<T | null> {
  await host.updateComplete;
  return host.renderRoot.querySelector<T>(selector);
}

/** Focuses the element matching `selector` once the pending render is done. */
export async function focusOn(host: ColloquyThread, selector: string): Promise<void> {
  (await rendered<HTMLElement>(host, selector))?.focus();
}

/**
 * A toolbar's keys (WAI-ARIA toolbar pattern): arrows move along its buttons, wrapping, Home
 * and End go to the ends. Only its first button is in the Tab order; the others carry
 * `tabindex="-1"`, so a comment costs one Tab stop for all its actions.
 */
export function rove(event: KeyboardEvent): void {
  const bar = event.currentTarget as HTMLElement;
  const items = [...bar.querySelectorAll('button')];
  const at = items.indexOf(event.target as HTMLButtonElement);
  const forward = bar.matches(':dir(rtl)') ? 'ArrowLeft' : 'ArrowRight';
  const { key } = event;
  const to =
    key === 'Home'
      ? 0
      : key === 'End'
        ? -1
        : key === forward
          ? at + 1
          : key === 'ArrowLeft' || key === 'ArrowRight'
            ? at - 1
            : null;
  if (to === null || at < 0) return;
  event.preventDefault();
  items.at(to % items.length)?.focus();
}
