import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { Localizer, loadLanguage } from '../i18n/locale.js';
import type { ColloquyComposer, ComposerSubmitEvent } from './composer.js';
import { $, deepActiveElement, root, text, typeInto } from '../testing/thread.fixture.js';

beforeEach(() => localStorage.clear());

describe('<colloquy-composer>', () => {
  it('keeps a draft under its key and gives it back after a reload', async () => {
    const first = await fixture<ColloquyComposer>(html`<colloquy-composer draft-key="k1"></colloquy-composer>`);
    await typeInto(first, 'Unsent words');
    expect(localStorage.getItem('k1')).to.equal('Unsent words');
    const second = await fixture<ColloquyComposer>(html`<colloquy-composer draft-key="k1"></colloquy-composer>`);
    expect(($(second, 'textarea') as HTMLTextAreaElement).value).to.equal('Unsent words');
    second.forgetDraft('Unsent words');
    expect(localStorage.getItem('k1')).to.equal(null);
  });

  it('does not drop a newer draft when an older text is confirmed', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer draft-key="k2"></colloquy-composer>`);
    await typeInto(el, 'Second thought');
    el.forgetDraft('First thought');
    expect(localStorage.getItem('k2')).to.equal('Second thought');
  });

  it('asks for a screen name first and will not submit without one', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer needs-name></colloquy-composer>`);
    let submitted: ComposerSubmitEvent | null = null;
    el.addEventListener('composer-submit', (event) => (submitted = event as ComposerSubmitEvent));
    await typeInto(el, 'Body');
    $(el, 'button[type="submit"]').click();
    expect(submitted).to.equal(null);
    expect(deepActiveElement()?.getAttribute('name')).to.equal('name');
    await typeInto(el, 'Noor', 'input[name="name"]');
    $(el, 'button[type="submit"]').click();
    expect(submitted!.name).to.equal('Noor');
    expect(submitted!.body).to.equal('Body');
    await expect(el).to.be.accessible();
  });

  it('counts down the characters left near the limit and blocks an over-long post', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer max-length="20"></colloquy-composer>`);
    await typeInto(el, 'x'.repeat(19));
    expect(text(root(el).querySelector('.counter'))).to.equal('1 character left');
    await typeInto(el, 'x'.repeat(21));
    expect(($(el, 'button[type="submit"]') as HTMLButtonElement).disabled).to.equal(true);
    expect($(el, 'textarea').getAttribute('aria-invalid')).to.equal('true');
    await loadLanguage('es');
    el.localizer = new Localizer('es');
    await typeInto(el, 'x'.repeat(15));
    expect(text(root(el).querySelector('.counter'))).to.equal('Quedan 5 caracteres');
  });

  it('submits with Ctrl+Enter and cancels with Escape', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer cancellable></colloquy-composer>`);
    const events: string[] = [];
    el.addEventListener('composer-submit', () => events.push('submit'));
    el.addEventListener('composer-cancel', () => events.push('cancel'));
    await el.focus();
    await sendKeys({ type: 'Quick note' });
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => events.length === 2);
    expect(events).to.deep.equal(['submit', 'cancel']);
  });

  it('shows an error as an alert tied to the text box', async () => {
    const el = await fixture<ColloquyComposer>(html`<colloquy-composer error="Too fast"></colloquy-composer>`);
    const error = $(el, '[part="error"]');
    expect(error.getAttribute('role')).to.equal('alert');
    expect($(el, 'textarea').getAttribute('aria-describedby')).to.contain(error.id);
    await expect(el).to.be.accessible();
  });
});
