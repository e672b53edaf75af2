import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { announcement, fakeSource, item, mountModeration, sampleQueues } from './moderation.fixture.js';

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<colloquy-moderation> pins', () => {
  it('pins a visible top-level comment and unpins it, says so, offers no pin for a reply; axe clean', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source);
    const pin = (id: string) => item(el, id).querySelector<HTMLButtonElement>('[data-pin-toggle]');
    expect(pin('r1'), 'a reply cannot be pinned').to.equal(null);
    expect(text(pin('r2'))).to.equal('Pin in thread');
    await expect(el).to.be.accessible();
    pin('r2')!.click();
    await waitUntil(() => source.pinCalls.length === 1, 'the comment was not pinned');
    expect(source.pinCalls[0]).to.deep.equal({ id: 'r2', pinned: true });
    await waitUntil(() => text(pin('r2')) === 'Unpin', 'the button did not turn into Unpin');
    expect(text(item(el, 'r2').querySelector('[data-pinned]'))).to.equal('(pinned: shown first)');
    await waitUntil(() => announcement(el).includes('Comment pinned: readers of'), 'no announcement');
    await expect(el).to.be.accessible();

    pin('r3')!.click();
    await waitUntil(() => announcement(el).includes('unpin one first'), 'the limit was not said');
    expect(text(pin('r3')), 'a refused pin changes nothing').to.equal('Pin in thread');

    pin('r2')!.click();
    await waitUntil(() => text(pin('r2')) === 'Pin in thread', 'not unpinned');
    expect(source.pinCalls.at(-1)).to.deep.equal({ id: 'r2', pinned: false });
    expect(item(el, 'r2').querySelector('[data-pinned]')).to.equal(null);
  });

  it('works from the keyboard, in Spanish and right to left', async () => {
    const source = fakeSource(sampleQueues());
    const el = await mountModeration(source, { lang: 'es' });
    el.setAttribute('dir', 'rtl');
    await el.updateComplete;
    const button = item(el, 'r3').querySelector<HTMLButtonElement>('[data-pin-toggle]')!;
    expect(text(button)).to.equal('Fijar en la conversación');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(button) === 'Desfijar', 'Enter did not pin');
    expect(text(item(el, 'r3').querySelector('[data-pinned]'))).to.equal('(fijado: se muestra primero)');
    await waitUntil(() => announcement(el).includes('Comentario fijado'), 'no announcement in Spanish');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => text(button) === 'Fijar en la conversación', 'Space did not unpin');
  });
});
