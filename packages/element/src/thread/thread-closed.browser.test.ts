import { expect, waitUntil } from '@open-wc/testing';
import type { ColloquyThread } from './thread.js';
import { $, THREAD, adapterFor, comment, mountThread, once, root, seed, settled, submit, text, topComposer, typeInto } from '../testing/thread.fixture.js';

beforeEach(() => {
  localStorage.clear();
});

function closedNotice(el: ColloquyThread): HTMLElement | null {
  return root(el).querySelector('[part~="closed"]');
}

describe('<colloquy-thread> on a closed thread', () => {
  it('shows "Comments are closed." instead of the composer, no Reply, no Edit for the author, Delete still; axe clean', async () => {
    const { store, ids, bea } = seed();
    store.setThreadClosed(THREAD, true);
    const el = await mountThread(adapterFor(store, bea));
    expect(text(closedNotice(el))).to.equal('Comments are closed.');
    expect(root(el).querySelector('#top-composer'), 'no composer').to.equal(null);
    expect(root(el).querySelector('[data-reply-for]'), 'no Reply button').to.equal(null);
    const own = comment(el, ids.first!);
    expect(text(own.querySelector('.body'))).to.contain('First comment here.');
    expect(own.querySelector('[data-edit-for]'), 'the author cannot edit').to.equal(null);
    expect(own.querySelector('[data-delete-for]'), 'but may delete').to.not.equal(null);
    expect(comment(el, ids.second!).querySelector('[data-report-for]'), 'reports still go to moderators').to.not.equal(null);
    expect(text($(el, 'h2'))).to.contain('5 comments');
    await expect(el).to.be.accessible();
  });

  it('says it in Spanish with lang="es", and an empty closed thread does not invite a first comment', async () => {
    const { store } = seed();
    store.setThreadClosed('/empty-and-closed', true);
    const el = await mountThread(adapterFor(store), { lang: 'es' });
    el.thread = '/empty-and-closed';
    await settled(el);
    await waitUntil(() => closedNotice(el) !== null, 'the closed notice shows');
    expect(text(closedNotice(el))).to.equal('Los comentarios están cerrados.');
    expect(text(root(el))).to.not.contain('Empieza la conversación');
    await expect(el).to.be.accessible();
  });

  it('a moderator still sees Edit on a closed thread', async () => {
    const { store, ids, mod } = seed();
    store.setThreadClosed(THREAD, true);
    const el = await mountThread(adapterFor(store, mod));
    expect(comment(el, ids.second!).querySelector('[data-edit-for]')).to.not.equal(null);
    expect(root(el).querySelector('[data-reply-for]')).to.equal(null);
  });

  it('closed while the reader typed: the post is refused, the typed text stays on screen with the reason, and the composer gives way to the notice', async () => {
    const { store, ada } = seed();
    const el = await mountThread(adapterFor(store, ada));
    expect(closedNotice(el)).to.equal(null);
    await typeInto(topComposer(el), 'My careful thoughts on this.');
    store.setThreadClosed(THREAD, true);
    const refused = once(el, 'colloquy-error');
    await submit(topComposer(el));
    expect((await refused).error.code).to.equal('thread_closed');
    await waitUntil(() => closedNotice(el) !== null, 'the notice replaces the composer');
    const failed = [...root(el).querySelectorAll('article')].find((article) => text(article).includes('My careful thoughts on this.'));
    expect(failed, 'the typed text is still on screen').to.not.equal(undefined);
    expect(text(failed!.querySelector('[role="alert"]'))).to.equal('Not posted. Your text is kept. Comments are closed.');
    expect(failed!.querySelector('button'), 'no Retry: it could not succeed').to.equal(null);
    expect(root(el).querySelector('#top-composer')).to.equal(null);
    expect(store.raw.countStored(THREAD)).to.equal(5);
    await expect(el).to.be.accessible();
  });
});
