import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { StorageAdapter } from '@colloquy/core';
import type { ColloquyThread } from './thread.js';
import { parts } from './comment-actions.js';
import { drawAvatar } from './avatar.js';
import { THREAD, adapterFor, comment, root, seed, settled, text } from '../testing/thread.fixture.js';

// Generated avatars (decision 0037): off by default, drawn from the author's id by an on-demand
// part, with no request to anyone.

beforeEach(() => localStorage.clear());

async function mount(adapter: StorageAdapter, attributes: { avatars?: boolean; theme?: string; dir?: string } = {}): Promise<ColloquyThread> {
  const el = await fixture<ColloquyThread>(html`<colloquy-thread
    thread=${THREAD}
    lang="en"
    theme=${attributes.theme ?? 'light'}
    dir=${attributes.dir ?? 'ltr'}
    ?avatars=${attributes.avatars ?? false}
    .adapter=${adapter}
  ></colloquy-thread>`);
  await settled(el);
  if (attributes.avatars) await waitUntil(() => root(el).querySelector('[part~="avatar"]'), 'no avatar was drawn');
  return el;
}

/** The avatar in a comment's own header (not its replies'). */
function avatarOf(el: ColloquyThread, id: string): SVGSVGElement {
  return comment(el, id).querySelector(':scope > header [part~="avatar"]')!;
}

/** What an avatar looks like: its colour class and its pattern. */
const look = (avatar: SVGSVGElement) => `${avatar.getAttribute('class')} ${avatar.querySelector('path')!.getAttribute('d')}`;

describe('<colloquy-thread avatars>', () => {
  it('draws none, and fetches nothing for them, without the attribute', async () => {
    const { store, ada } = seed();
    const load = parts.avatar;
    let asked = 0;
    parts.avatar = () => (asked++, load());
    try {
      const el = await mount(adapterFor(store, ada));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(root(el).querySelectorAll('[part~="avatar"]')).to.have.length(0);
      expect(root(el).querySelectorAll('svg')).to.have.length(0);
      expect(asked, 'the avatar part is not fetched').to.equal(0);
    } finally {
      parts.avatar = load;
    }
  });

  it('shows the comments without avatars when their part cannot be fetched, and draws them on a later update', async () => {
    const { store, ada, ids } = seed();
    const load = parts.avatar;
    // Before any other test here fetches the part (it is kept once fetched).
    parts.avatar = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" .adapter=${adapterFor(store, ada)}></colloquy-thread>`);
    await settled(el);
    let errors = 0;
    el.addEventListener('colloquy-error', () => errors++);
    try {
      // Turned on after the first render, as a page's script may do.
      el.avatars = true;
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(text(comment(el, ids.first!).querySelector('[part~="author"]'))).to.equal('Bea');
      expect(root(el).querySelectorAll('[part~="avatar"]')).to.have.length(0);
      expect(errors, 'decorative: the reader is not told').to.equal(0);
    } finally {
      parts.avatar = load;
    }
    el.requestUpdate();
    await waitUntil(() => avatarOf(el, ids.first!), 'no avatar after the part came');
    el.avatars = false;
    await el.updateComplete;
    expect(root(el).querySelectorAll('[part~="avatar"]')).to.have.length(0);
  });

  it('gives the same author the same avatar and different authors different ones, hidden from assistive technology; axe clean', async () => {
    const { store, ada, ids } = seed({ topLevel: 4 });
    const el = await mount(adapterFor(store, ada), { avatars: true });
    // Bea wrote first, reply2, c3 and c4; the mentor reply1; the moderator second.
    const bea = [ids.first!, ids.reply2!, ids.c3!, ids.c4!].map((id) => look(avatarOf(el, id)));
    expect(new Set(bea).size, 'one author, one avatar').to.equal(1);
    const authors = [ids.first!, ids.reply1!, ids.second!].map((id) => look(avatarOf(el, id)));
    expect(new Set(authors).size, 'three authors, three avatars').to.equal(3);
    for (const avatar of root(el).querySelectorAll('[part~="avatar"]')) {
      expect(avatar.getAttribute('aria-hidden')).to.equal('true');
      expect(avatar.localName).to.equal('svg');
    }
    // The comment is still named by its author alone.
    expect(comment(el, ids.first!).getAttribute('aria-labelledby')).to.equal(`author-${ids.first}`);
    await expect(el).to.be.accessible();
    // Loaded again, the same ids draw the same avatars.
    const again = await mount(adapterFor(store, ada), { avatars: true });
    expect(look(avatarOf(again, ids.second!))).to.equal(look(avatarOf(el, ids.second!)));
  });

  it('tells a few hundred ids apart, the same way every time', () => {
    const ids = Array.from({ length: 300 }, (_, n) => `i_${(n * 7919).toString(36)}`);
    const drawn = ids.map((id) => JSON.stringify(drawAvatar(id)));
    expect(new Set(drawn).size).to.equal(ids.length);
    expect(ids.map((id) => JSON.stringify(drawAvatar(id)))).to.deep.equal(drawn);
    expect(drawAvatar('i_a').path, 'ids one character apart look different').not.to.equal(drawAvatar('i_b').path);
  });

  it('makes no request for them: no image, no font, nothing on another origin; the SVG refers to nothing', async () => {
    const { store, ada } = seed();
    performance.clearResourceTimings();
    const el = await mount(adapterFor(store, ada), { avatars: true });
    const requests = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    for (const entry of requests) {
      const url = new URL(entry.name);
      // Only the widget's own code (the avatar part), from where its code is: here the test server.
      expect(url.origin, entry.name).to.equal(location.origin);
      expect(url.pathname, entry.name).to.match(/\.[jt]s$/);
      expect(['img', 'css', 'link', 'fetch', 'xmlhttprequest']).not.to.include(entry.initiatorType);
    }
    for (const avatar of root(el).querySelectorAll('[part~="avatar"]')) {
      expect(avatar.querySelectorAll('image, use, a, foreignObject')).to.have.length(0);
      expect(avatar.outerHTML).not.to.match(/href|url\(|https?:/);
    }
  });

  it('takes the dark theme’s colours and the page’s custom properties and part styles', async () => {
    const { store, ada, ids } = seed();
    const light = await mount(adapterFor(store, ada), { avatars: true, theme: 'light' });
    const dark = await mount(adapterFor(store, ada), { avatars: true, theme: 'dark' });
    const colour = (el: ColloquyThread) => getComputedStyle(avatarOf(el, ids.first!)).color;
    const background = (el: ColloquyThread) => getComputedStyle(avatarOf(el, ids.first!)).backgroundColor;
    expect(colour(dark)).not.to.equal(colour(light));
    expect(background(dark)).not.to.equal(background(light));

    // The page's colours for each scheme, through the custom properties of this avatar's colour.
    const n = /\bc(\d)\b/.exec(avatarOf(dark, ids.first!).getAttribute('class')!)![1];
    for (const el of [light, dark]) {
      el.style.setProperty(`--colloquy-avatar-color-${n}`, 'light-dark(rgb(10, 20, 30), rgb(200, 100, 50))');
      el.style.setProperty('--colloquy-avatar-background', 'light-dark(rgb(250, 250, 240), rgb(1, 2, 3))');
      el.style.setProperty('--colloquy-avatar-size', '40px');
    }
    expect(colour(light)).to.equal('rgb(10, 20, 30)');
    expect(colour(dark)).to.equal('rgb(200, 100, 50)');
    expect(background(dark)).to.equal('rgb(1, 2, 3)');
    expect(avatarOf(dark, ids.first!).getBoundingClientRect().height).to.equal(40);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('colloquy-thread::part(avatar) { border-radius: 50%; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      expect(getComputedStyle(avatarOf(dark, ids.first!)).borderRadius).to.equal('50%');
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
    await expect(dark).to.be.accessible();
  });

  it('sits at the start of the header, before the name, left to right and right to left', async () => {
    const { store, ada, ids } = seed();
    for (const dir of ['ltr', 'rtl']) {
      const el = await mount(adapterFor(store, ada), { avatars: true, dir });
      const avatar = avatarOf(el, ids.first!).getBoundingClientRect();
      const name = comment(el, ids.first!).querySelector(':scope > header [part~="author"]')!.getBoundingClientRect();
      const header = comment(el, ids.first!).querySelector(':scope > header')!.getBoundingClientRect();
      if (dir === 'ltr') expect(avatar.right, dir).to.be.at.most(name.left);
      else expect(avatar.left, dir).to.be.at.least(name.right);
      // As tall as a line of the header, and inside it.
      expect(avatar.height, dir).to.be.within(16, 32);
      expect(avatar.top, dir).to.be.at.least(header.top - 0.5);
      expect(avatar.bottom, dir).to.be.at.most(header.bottom + 0.5);
      await expect(el).to.be.accessible();
    }
  });

});
