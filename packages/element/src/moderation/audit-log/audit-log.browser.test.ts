import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError } from '@colloquy/core';
import type { ColloquyAuditLog } from './audit-log.js';
import { $, deepActiveElement, once, root, text } from '../../testing/thread.fixture.js';
import { announcement, fakeSource } from '../moderation.fixture.js';

const rows = (el: ColloquyAuditLog) =>
  [...root(el).querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => text(cell)));

describe('<colloquy-audit-log>', () => {
  it('waits while hidden, then lists decisions newest first, pages back by keyboard to the end, and passes axe', async () => {
    const source = fakeSource({});
    let calls = 0;
    const auditLog = source.auditLog!.bind(source);
    source.auditLog = (cursor) => {
      calls++;
      return auditLog(cursor);
    };
    const el = await fixture<ColloquyAuditLog>(html`<colloquy-audit-log lang="en" hidden .source=${source}></colloquy-audit-log>`);
    await el.updateComplete;
    expect(calls, 'a hidden log loads nothing').to.equal(0);
    expect(getComputedStyle(el).display).to.equal('none');

    el.hidden = false;
    await waitUntil(() => rows(el).length === 2, 'the log never loaded');
    expect(rows(el)).to.deep.equal([
      ['Mia', 'Address range banned', 'addresses 203.0.113.0/24', 'Spam wave'],
      ['Report threshold', 'Hidden by reports', 'comment r1', 'Report weight 3 reached the threshold of 3.'],
    ]);
    expect(text($(el, 'caption'))).to.equal('Moderation decisions, newest first');
    await expect(el).to.be.accessible();

    ($(el, '[data-audit-more]') as HTMLButtonElement).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => rows(el).length === 3, 'the older page never came');
    expect(rows(el)[2]).to.deep.equal(['Mia', 'Hidden', 'comment old1', 'rule 2']);
    expect(root(el).querySelector('[data-audit-more]') === null, 'no more pages after the last').to.equal(true);
    expect(deepActiveElement()?.localName).to.equal('table');
    expect(calls).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('says when the log cannot be loaded, reports colloquy-error, and loads again when shown again', async () => {
    const source = fakeSource({});
    const auditLog = source.auditLog!.bind(source);
    let fail = true;
    source.auditLog = (cursor) => (fail ? Promise.reject(new ColloquyError('forbidden', 'no')) : auditLog(cursor));
    const el = await fixture<ColloquyAuditLog>(html`<colloquy-audit-log lang="en" hidden .source=${source}></colloquy-audit-log>`);
    const failed = once(el, 'colloquy-error');
    el.hidden = false;
    expect((await failed).action).to.equal('load');
    await waitUntil(() => root(el).querySelector('[role="alert"]'));
    expect(text($(el, '[role="alert"]'))).to.equal('The audit log could not be loaded. This account is not a moderator or staff member.');
    await expect(el).to.be.accessible();
    fail = false;
    el.hidden = true;
    await el.updateComplete;
    el.hidden = false;
    await waitUntil(() => rows(el).length === 2, 'showing the log again did not retry');
  });

  it('exports the whole log as a JSON download and says so, in Spanish too', async () => {
    const source = fakeSource({});
    const el = await fixture<ColloquyAuditLog>(html`<colloquy-audit-log lang="es" .source=${source}></colloquy-audit-log>`);
    await waitUntil(() => rows(el).length === 2);
    const clicked: HTMLAnchorElement[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      ($(el, '[data-audit-export]') as HTMLButtonElement).click();
      await waitUntil(() => clicked.length === 1);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(source.exports).to.equal(1);
    expect(clicked[0]!.download).to.match(/^colloquy-audit-\d{4}-\d\d-\d\d\.json$/);
    await waitUntil(() => announcement(el) === 'Se descargó el registro de auditoría.');
    expect(text($(el, 'h3'))).to.equal('Registro de auditoría');
    await expect(el).to.be.accessible();
  });
});
