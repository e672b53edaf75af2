import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import type { ColloquyBanList } from './ban-list.js';
import { $, deepActiveElement, once, root, text } from '../../testing/thread.fixture.js';
import { announcement, fakeSource } from '../moderation.fixture.js';

async function mountBans(source = fakeSource({})) {
  const el = await fixture<ColloquyBanList>(html`<colloquy-ban-list lang="en" .source=${source}></colloquy-ban-list>`);
  await waitUntil(() => root(el).querySelector('.ban-list'), 'the ban list never loaded');
  return { el, source };
}

describe('<colloquy-ban-list>', () => {
  it('lists banned authors, ranges and configured ranges, and passes axe in the dark theme', async () => {
    const { el } = await mountBans();
    el.theme = 'dark';
    await el.updateComplete;
    const panel = $(el, '.bans');
    expect(text($(el, 'h3'))).to.equal('Bans');
    expect(text(panel)).to.contain('Spammer');
    expect(text(panel)).to.contain('203.0.113.0/24 — Spam wave');
    expect(text(panel)).to.contain('198.51.100.0/24 · set in the server configuration');
    // A configured range cannot be lifted here.
    expect(root(el).querySelectorAll('[data-lift-range]').length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('lifts an author ban by keyboard: tells the page, announces it and keeps focus in the list', async () => {
    const { el, source } = await mountBans();
    ($(el, '[data-lift-author="a-Spammer"]') as HTMLButtonElement).focus();
    const lifted = once(el, 'colloquy-ban-lifted');
    await sendKeys({ press: 'Enter' });
    expect((await lifted).identityId).to.equal('a-Spammer');
    await waitUntil(() => announcement(el) === 'Lifted the ban on \u2068Spammer\u2069.');
    await waitUntil(() => text($(el, '.bans')).includes('No banned authors.'));
    expect(deepActiveElement()?.id).to.equal('bans-heading');
    expect(source.calls).to.deep.equal([{ id: 'a-Spammer', action: 'unban-author', reason: null }]);
  });

  it('lifts a range, and bans a new one after refusing a malformed one', async () => {
    const { el } = await mountBans();
    ($(el, '[data-lift-range="b1"]') as HTMLButtonElement).click();
    await waitUntil(() => announcement(el) === 'Lifted the ban on 203.0.113.0/24.');
    expect(text($(el, '.bans'))).to.not.contain('Spam wave');
    ($(el, '#range-cidr') as HTMLInputElement).focus();
    await sendKeys({ type: '999' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '#range-error')) === 'That is not an address or a range in CIDR form.');
    expect($(el, '#range-cidr').getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    ($(el, '#range-cidr') as HTMLInputElement).value = '';
    await sendKeys({ type: '198.51.100.9' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => announcement(el) === 'Banned 198.51.100.9/32.');
    await waitUntil(() => text($(el, '.bans')).includes('198.51.100.9/32'));
    expect(($(el, '#range-cidr') as HTMLInputElement).value).to.equal('');
  });

  it('says when a lift fails, as an alert, and reports colloquy-error', async () => {
    const source = fakeSource({});
    source.unbanIdentity = () => Promise.reject(new ColloquyError('unavailable', 'down'));
    const { el } = await mountBans(source);
    const failed = once(el, 'colloquy-error');
    ($(el, '[data-lift-author="a-Spammer"]') as HTMLButtonElement).click();
    expect((await failed).action).to.equal('moderate');
    await waitUntil(() => root(el).querySelector('.bans > [role="alert"]'));
    expect(text($(el, '.bans > [role="alert"]'))).to.contain('The bans could not be loaded or changed.');
    expect(text($(el, '.bans'))).to.contain('Spammer');
    await expect(el).to.be.accessible();
  });
});
