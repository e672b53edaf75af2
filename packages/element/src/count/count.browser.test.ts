import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '@open-wc/testing';
import type { StorageAdapter } from '@colloquy/core';
import { adapterFor, root, seed, text, THREAD } from '../testing/thread.fixture.js';

describe('<colloquy-count>', () => {
  it('shows each thread’s count, fetched in one request for the whole page', async () => {
    const { store } = seed();
    const real = adapterFor(store);
    const calls: string[][] = [];
    const counting: StorageAdapter = Object.assign(Object.create(real) as StorageAdapter, {
      countComments: (threads: readonly string[]) => {
        calls.push([...threads]);
        return real.countComments(threads);
      },
    });
    const list = await fixture<HTMLElement>(html`<ul lang="en">
      <li><colloquy-count thread=${THREAD} .adapter=${counting}></colloquy-count></li>
      <li><colloquy-count thread="/empty" .adapter=${counting}></colloquy-count></li>
      <li lang="es"><colloquy-count thread=${THREAD} .adapter=${counting}></colloquy-count></li>
    </ul>`);
    const counts = [...list.querySelectorAll('colloquy-count')];
    await waitUntil(() => counts.every((el) => root(el).querySelector('[part="count"]')));
    expect(counts.map((el) => text(root(el)))).to.deep.equal(['5 comments', '0 comments', '5 comentarios']);
    expect(calls).to.have.length(1);
    expect(calls[0]!.sort()).to.deep.equal(['/2026/11/article', '/empty']);
  });
});
