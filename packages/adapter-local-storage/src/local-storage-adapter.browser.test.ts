import { expect, waitUntil } from '@open-wc/testing';
import type { ThreadEvent } from '@colloquy/core';
import { runAdapterSuite } from '@colloquy/adapter-test-suite';
import { createLocalStorageAdapter } from './index.js';

let run = 0;
function freshNamespace(): string {
  run += 1;
  return `colloquy-test-${Date.now().toString(36)}-${run}`;
}
function clearNamespace(namespace: string): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith(`${namespace}:`)) localStorage.removeItem(key);
}
function storedData(namespace: string): { comments: Record<string, { id: string; thread: string; parentId: string | null; body: string; status: 'visible' }> } {
  return JSON.parse(localStorage.getItem(`${namespace}:data`) ?? '{"comments":{}}');
}

/**
 * Another page over the same real localStorage: a distinct Storage object, so nothing is shared
 * in memory with adapters of this page, as after a reload or in another tab.
 */
function anotherPage(): Storage {
  return {
    get length() {
      return localStorage.length;
    },
    key: (index: number) => localStorage.key(index),
    getItem: (key: string) => localStorage.getItem(key),
    setItem: (key: string, value: string) => localStorage.setItem(key, value),
    removeItem: (key: string) => localStorage.removeItem(key),
    clear: () => localStorage.clear(),
  };
}

runAdapterSuite({
  name: 'local-storage adapter (real localStorage)',
  describe,
  it,
  beforeEach,
  afterEach,
  async setup() {
    const namespace = freshNamespace();
    let clients = 0;
    const moderator = () => createLocalStorageAdapter({ namespace, identityKey: `${namespace}:identity:moderator` });
    return {
      // Each client is another browser: same data, its own remembered identity.
      connect: (options) =>
        createLocalStorageAdapter({
          namespace,
          identityKey: `${namespace}:identity:${++clients}`,
          ...(options?.role ? { role: options.role } : {}),
        }),
      raw: {
        getComment: (id) => storedData(namespace).comments[id] ?? null,
        countStored: (thread) => Object.values(storedData(namespace).comments).filter((c) => c.thread === thread).length,
      },
      setThreadClosed: (thread, closed) => moderator().store.setThreadClosed(thread, closed),
      setPinned: (id, pinned) => moderator().store.setPinned(id, pinned),
      teardown: () => clearNamespace(namespace),
    };
  },
});

describe('local-storage adapter in a browser', () => {
  let namespace = '';
  beforeEach(() => {
    namespace = freshNamespace();
  });
  afterEach(() => clearNamespace(namespace));

  it('keeps comments and the reader across a reload', async () => {
    const before = createLocalStorageAdapter({ namespace });
    const ada = await before.identify('Ada');
    const comment = await before.createComment({ thread: '/post', body: 'Survives a reload 🎉', idempotencyKey: 'k1' });

    const after = createLocalStorageAdapter({ namespace, storage: anotherPage() });
    expect(await after.getIdentity()).to.deep.equal(ada);
    const page = await after.listComments({ thread: '/post' });
    expect(page.comments.map((c) => c.body)).to.deep.equal(['Survives a reload 🎉']);
    expect(await after.editComment(comment.id, 'edited after reload')).to.include({ body: 'edited after reload' });
  });

  it('shows two tabs each other’s comments, live through the storage event', async () => {
    const tabA = createLocalStorageAdapter({ namespace, storage: anotherPage() });
    const tabB = createLocalStorageAdapter({ namespace, storage: anotherPage() });
    await tabA.identify('Ada');
    expect((await tabB.getIdentity())?.name, 'tabs of one browser are one reader').to.equal('Ada');
    const events: ThreadEvent[] = [];
    const unsubscribe = tabA.subscribe('/post', (event) => events.push(event));
    try {
      const fromB = await tabB.createComment({ thread: '/post', body: 'from tab B', idempotencyKey: 'b1' });
      // The browser fires `storage` in the other tabs after a write; this is what tab A receives.
      window.dispatchEvent(new StorageEvent('storage', { key: `${namespace}:data` }));
      await waitUntil(() => events.length >= 1, 'tab A hears the comment created in tab B');
      expect(events.map((e) => [e.type, e.comment.id, e.comment.body])).to.deep.equal([['created', fromB.id, 'from tab B']]);
      expect((await tabA.listComments({ thread: '/post' })).comments.map((c) => c.id)).to.deep.equal([fromB.id]);

      // Pinned and unpinned in tab B (what a moderator would do): tab A's thread moves it.
      tabB.store.setPinned(fromB.id, true);
      window.dispatchEvent(new StorageEvent('storage', { key: `${namespace}:data` }));
      await waitUntil(() => events.length >= 2, 'tab A hears the pin made in tab B');
      expect(events[1]!.type).to.equal('pinned');
      expect(events[1]!.comment.pinnedAt).to.be.a('string');
      tabB.store.setPinned(fromB.id, false);
      window.dispatchEvent(new StorageEvent('storage', { key: `${namespace}:data` }));
      await waitUntil(() => events.length >= 3, 'and the unpin');
      expect([events[2]!.type, events[2]!.comment.pinnedAt]).to.deep.equal(['unpinned', null]);

      await tabB.deleteComment(fromB.id);
      window.dispatchEvent(new StorageEvent('storage', { key: `${namespace}:data` }));
      await waitUntil(() => events.length >= 4, 'tab A hears the deletion made in tab B');
      expect(events.map((e) => e.type)).to.deep.equal(['created', 'pinned', 'unpinned', 'deleted']);
      expect((await tabA.listComments({ thread: '/post' })).comments).to.deep.equal([]);
    } finally {
      unsubscribe();
    }
  });

  it('hears a write made by another document through the browser’s real storage event', async () => {
    // A same-origin frame is another document over the same localStorage; the browser fires
    // `storage` in this window when the frame writes, exactly as for another tab.
    const frame = document.createElement('iframe');
    frame.src = 'about:blank';
    document.body.append(frame);
    try {
      const otherWindow = frame.contentWindow!;
      const otherTab = createLocalStorageAdapter({ namespace, storage: otherWindow.localStorage, eventTarget: otherWindow });
      const thisTab = createLocalStorageAdapter({ namespace });
      const events: ThreadEvent[] = [];
      const unsubscribe = thisTab.subscribe('/post', (event) => events.push(event));
      try {
        await otherTab.identify('Ada');
        const comment = await otherTab.createComment({ thread: '/post', body: 'from the other tab', idempotencyKey: 'o1' });
        await waitUntil(() => events.length > 0, 'the browser fires storage in this window');
        expect(events.map((e) => [e.type, e.comment.id])).to.deep.equal([['created', comment.id]]);
      } finally {
        unsubscribe();
      }
    } finally {
      frame.remove();
    }
  });

  it('keeps namespaces apart and refuses bad options', async () => {
    const a = createLocalStorageAdapter({ namespace });
    const b = createLocalStorageAdapter({ namespace: `${namespace}-other` });
    await a.identify('Ada');
    await a.createComment({ thread: '/post', body: 'only in a', idempotencyKey: 'k' });
    expect((await b.listComments({ thread: '/post' })).comments).to.deep.equal([]);
    clearNamespace(`${namespace}-other`);
    expect(() => createLocalStorageAdapter({ namespace: '' })).to.throw().with.property('code', 'invalid_input');
    expect(() => createLocalStorageAdapter({ storage: {} as Storage })).to.throw().with.property('code', 'invalid_input');
  });

  it('says so when the browser storage is full', async () => {
    const full = anotherPage();
    full.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const adapter = createLocalStorageAdapter({ namespace, storage: full });
    try {
      await adapter.identify('Ada');
      expect.fail('identify should have failed');
    } catch (error) {
      expect(error).to.have.property('code', 'too_large');
    }
  });
});
