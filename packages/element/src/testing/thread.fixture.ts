// Shared set-up for the element's browser tests: a seeded memory store and helpers that reach
// into shadow roots the way a reader's assistive technology would see them.
import { fixture, html, oneEvent } from '@open-wc/testing';
import { createMemoryAdapter, createMemoryStore, type MemoryAdapter, type MemoryStore } from '@colloquy/adapter-memory';
import type { Identity, StorageAdapter, ThreadSnapshot } from '@colloquy/core';
import type { ColloquyThread } from '../thread/thread.js';
import type { ColloquyComposer } from '../composer/composer.js';
import '../define.js';

export const THREAD = '/2026/11/article';

export interface Seeded {
  store: MemoryStore;
  ada: Identity;
  bea: Identity;
  mod: Identity;
  mentor: Identity;
  ids: Record<string, string>;
}

/** A thread with three top-level comments, a reply chain and badge holders. */
export function seed(options: { topLevel?: number; editWindowSeconds?: number } = {}): Seeded {
  const store = createMemoryStore({ limits: { maxDepth: 3, editWindowSeconds: options.editWindowSeconds ?? 900 } });
  const ada = store.createIdentity({ name: 'Ada' });
  const bea = store.createIdentity({ name: 'Bea' });
  const mod = store.createIdentity({ name: 'Mo', role: 'moderator' });
  const mentor = store.createIdentity({ name: 'Menna', role: 'mentor' });
  const ids: Record<string, string> = {};
  let key = 0;
  const add = (name: string, author: Identity, body: string, parent?: string) => {
    ids[name] = store.create(author.id, {
      thread: THREAD,
      body,
      parentId: parent ? ids[parent]! : null,
      idempotencyKey: `seed-${++key}`,
    }).comment.id;
  };
  add('first', bea, 'First *comment* here.');
  add('reply1', mentor, 'A mentor replies.', 'first');
  add('reply2', bea, 'Deeper.', 'reply1');
  add('second', mod, 'Moderator note.');
  for (let n = 3; n <= (options.topLevel ?? 3); n++) add(`c${n}`, bea, `Comment number ${n}`);
  return { store, ada, bea, mod, mentor, ids };
}

export function adapterFor(store: MemoryStore, identity?: Identity): MemoryAdapter {
  return createMemoryAdapter(identity ? { store, identity: { id: identity.id } } : { store });
}

/** Renders a thread and waits until its first page is on screen (or failed). */
/**
 * The adapter with its live subscriptions counted: a thread opens its stream only once it is
 * near the viewport, a frame or more after it mounted, so tests of live updates wait for it.
 */
export function countingStreams<A extends StorageAdapter>(adapter: A): { adapter: A; open: () => number } {
  let open = 0;
  const counting = Object.assign(Object.create(adapter) as A, {
    subscribe: (thread: string, listener: Parameters<NonNullable<StorageAdapter['subscribe']>>[1]) => {
      open++;
      const stop = adapter.subscribe!(thread, listener);
      return () => {
        open--;
        stop();
      };
    },
  });
  return { adapter: counting, open: () => open };
}

export async function mountThread(
  adapter: StorageAdapter,
  attributes: { pageSize?: number; lang?: string; sort?: string } = {},
): Promise<ColloquyThread> {
  const el = await fixture<ColloquyThread>(html`<colloquy-thread
    thread=${THREAD}
    page-size=${attributes.pageSize ?? 20}
    lang=${attributes.lang ?? 'en'}
    sort=${attributes.sort ?? 'oldest'}
    .adapter=${adapter}
  ></colloquy-thread>`);
  await settled(el);
  return el;
}

/**
 * Resolves once the thread's first load has finished, well or badly. Awaits the state's own
 * change notifications rather than polling under a timer, so a slow answer (the REST adapter
 * retrying an error with backoff) is waited for as long as the test's own timeout allows.
 */
export async function settled(el: ColloquyThread): Promise<void> {
  await el.updateComplete;
  const threadState = el.threadState;
  if (!threadState) throw new Error('the thread has no state: no adapter, or an invalid setup');
  const done = (snapshot: ThreadSnapshot) => snapshot.status === 'ready' || snapshot.status === 'error';
  if (!done(threadState.getSnapshot())) {
    await new Promise<void>((resolve) => {
      const stop = threadState.subscribe((snapshot) => {
        if (!done(snapshot)) return;
        stop();
        resolve();
      });
    });
  }
  await el.updateComplete;
}

export function root(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

export function $(el: Element, selector: string): HTMLElement {
  const found = root(el).querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector} in ${el.localName}`);
  return found;
}

export function comment(el: ColloquyThread, id: string): HTMLElement {
  return $(el, `#comment-${CSS.escape(id)}`);
}

export function topComposer(el: ColloquyThread): ColloquyComposer {
  return $(el, '#top-composer') as ColloquyComposer;
}

/** Types into a composer's field as input events, like a reader would. */
export async function typeInto(composer: ColloquyComposer, text: string, field = 'textarea'): Promise<void> {
  await composer.updateComplete;
  const input = $(composer, field) as HTMLTextAreaElement | HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await composer.updateComplete;
}

export async function submit(composer: ColloquyComposer): Promise<void> {
  ($(composer, 'button[type="submit"]') as HTMLButtonElement).click();
  await composer.updateComplete;
}

/** The text a reader sees, whitespace collapsed. */
export function text(node: Element | ShadowRoot | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The element with keyboard focus, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The next event of a Colloquy type, typed from the global event map. */
export async function once<K extends keyof HTMLElementEventMap>(el: Element, type: K): Promise<HTMLElementEventMap[K]> {
  return (await oneEvent(el, type)) as unknown as HTMLElementEventMap[K];
}
