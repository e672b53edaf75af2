import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MemoryAdapter } from '@colloquy/adapter-memory';
import { Localizer } from '../i18n/locale.js';
import type { ColloquyComposer } from './composer.js';
import { adapterFor, deepActiveElement, mountThread, root, seed, text, topComposer, typeInto } from '../testing/thread.fixture.js';

beforeEach(() => localStorage.clear());

const previewOf = (composer: ColloquyComposer) => root(composer).querySelector<HTMLElement>('[part~="preview"]');
const toggleOf = (composer: ColloquyComposer) => root(composer).querySelector<HTMLButtonElement>('[part~="preview-toggle"]')!;
const liveText = (composer: ColloquyComposer) => text(root(composer).querySelector('.visually-hidden[aria-live="polite"]'));

describe('<colloquy-composer> preview, formatting help and counter', () => {
  it('previews through the thread’s renderer (markdown, sanitized) with the formatting help; keyboard, axe', async () => {
    const { store, ada } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const composer = topComposer(el);
    await typeInto(composer, 'Some *emphasis* and <img src=x onerror="window.__previewed=1">');
    const toggle = toggleOf(composer);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => previewOf(composer)?.querySelector('.body em'), 'the preview did not render');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(toggle.getAttribute('aria-controls')).to.equal(previewOf(composer)!.id);
    expect(text(previewOf(composer)!.querySelector('.help'))).to.contain('**bold**');
    expect(previewOf(composer)!.querySelector('img[onerror]'), 'sanitized as the thread sanitizes').to.equal(null);
    expect((window as { __previewed?: number }).__previewed).to.equal(undefined);
    await expect(el).to.be.accessible();
    expect(deepActiveElement(), 'focus stays on the button').to.equal(toggle);

    await typeInto(composer, 'Now **bold**');
    await waitUntil(() => previewOf(composer)?.querySelector('.body strong'), 'the preview did not follow the text');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => previewOf(composer) === null, 'Space did not close the preview');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
  });

  it('asks a storage that renders bodies itself (previewHtml), then sanitizes its answer', async () => {
    const { store, ada } = seed();
    const asked: string[] = [];
    const adapter: MemoryAdapter = Object.assign(Object.create(adapterFor(store, ada)) as MemoryAdapter, {
      previewHtml: async (body: string) => {
        asked.push(body);
        return `<p>Server <strong>rendered</strong><img src="x" onerror="window.__previewed=2"></p>`;
      },
    });
    const el = await mountThread(adapter);
    const composer = topComposer(el);
    await typeInto(composer, 'anything');
    toggleOf(composer).click();
    await waitUntil(() => previewOf(composer)?.querySelector('.body strong'), 'the server’s rendering did not show');
    expect(asked).to.deep.equal(['anything']);
    expect(previewOf(composer)!.querySelector('img[onerror]')).to.equal(null);
  });

  it('speaks Spanish, right to left too', async () => {
    const { store, ada } = seed();
    const el = await mountThread(adapterFor(store, ada), { lang: 'es' });
    el.setAttribute('dir', 'rtl');
    const composer = topComposer(el);
    await typeInto(composer, 'Hola');
    expect(text(toggleOf(composer))).to.equal('Vista previa');
    toggleOf(composer).click();
    await waitUntil(() => previewOf(composer)?.querySelector('.body p'), 'no preview');
    expect(text(previewOf(composer)!.querySelector('h3'))).to.equal('Vista previa');
    expect(text(previewOf(composer)!.querySelector('.help'))).to.contain('negrita');
    await expect(el).to.be.accessible();
  });

  it('shows the counter from 80% of the limit and says it aloud only every 5%', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer max-length="100"></colloquy-composer>`);
    await typeInto(el, 'x'.repeat(79));
    expect(root(el).querySelector('.counter')!.hasAttribute('hidden'), 'hidden below 80%').to.equal(true);
    expect(liveText(el)).to.equal('');
    await typeInto(el, 'x'.repeat(80));
    expect(text(root(el).querySelector('.counter'))).to.equal('20 characters left');
    expect(liveText(el)).to.equal('20 characters left');
    await typeInto(el, 'x'.repeat(83));
    expect(text(root(el).querySelector('.counter'))).to.equal('17 characters left');
    expect(liveText(el), 'not every keystroke').to.equal('20 characters left');
    await typeInto(el, 'x'.repeat(97));
    expect(liveText(el), 'the last few, each').to.equal('3 characters left');
    el.localizer = new Localizer('es');
    await typeInto(el, 'x'.repeat(90));
    expect(liveText(el)).to.equal('Quedan 10 caracteres');
  });
});
