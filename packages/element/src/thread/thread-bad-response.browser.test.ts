// A server answer the widget cannot read shows the thread's error state (and reports
// `bad_response`) instead of throwing inside a template.
import { expect, fixture, html } from '@open-wc/testing';
import { createRestAdapter } from '@colloquy/adapter-rest';
import type { ColloquyThread } from './thread.js';
import { $, THREAD, once, root, text } from '../testing/thread.fixture.js';

const comment = {
  id: 'c_1',
  thread: THREAD,
  parentId: null,
  body: 'Hello',
  html: '<p>Hello</p>',
  createdAt: '2026-11-22T10:00:00.000Z',
  editedAt: null,
  status: 'visible',
  replies: [],
};

describe('<colloquy-thread> and answers in the wrong shape', () => {
  it('a page whose comment has no author shows the error state and reports bad_response', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = async () => {
      await gate;
      return Response.json({ comments: [comment], nextCursor: null, closed: false });
    };
    const adapter = createRestAdapter({ endpoint: 'http://colloquy.test', fetch, retry: { retries: 0 } });
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" .adapter=${adapter}></colloquy-thread>`);
    const errorEvent = once(el, 'colloquy-error');
    release();
    const event = await errorEvent;
    expect(event.error.code).to.equal('bad_response');
    await el.updateComplete;
    const status = $(el, '[part="status"]');
    expect(status.getAttribute('role')).to.equal('alert');
    expect(text(status)).to.not.equal('');
    expect(status.querySelector('button'), 'Try again is offered').to.not.equal(null);
    expect(root(el).querySelectorAll('article').length).to.equal(0);
    await expect(el).to.be.accessible();
  });
});
