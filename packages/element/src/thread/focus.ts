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
