import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { REPORT_REASONS } from '@colloquy/core';
import type { ColloquyReportDialog, ReportSubmitEvent } from './report-dialog.js';
import { $, deepActiveElement, root, text } from '../testing/thread.fixture.js';
import { defineReportDialog } from '../thread/comment-actions.js';

describe('<colloquy-report-dialog>', () => {
  // Not among the tags defined up front: the thread loads it when a reader first reports.
  before(() => defineReportDialog());

  it('opens modally on the first reason, with all six reasons, and passes axe', async () => {
    const el = await fixture<ColloquyReportDialog>(html`<colloquy-report-dialog></colloquy-report-dialog>`);
    await el.show('c1');
    expect(el.open).to.equal(true);
    const values = [...root(el).querySelectorAll('input[type="radio"]')].map((input) => input.getAttribute('value'));
    expect(values).to.deep.equal([...REPORT_REASONS]);
    expect(deepActiveElement()?.getAttribute('value')).to.equal('spam');
    expect($(el, 'dialog').getAttribute('aria-labelledby')).to.equal('title');
    await expect(el).to.be.accessible();
  });

  it('sends nothing until a reason is chosen, then sends reason and details', async () => {
    const el = await fixture<ColloquyReportDialog>(html`<colloquy-report-dialog></colloquy-report-dialog>`);
    await el.show('c9');
    const sent: ReportSubmitEvent[] = [];
    el.addEventListener('report-submit', (event) => sent.push(event as ReportSubmitEvent));
    $(el, 'button[type="submit"]').click();
    expect(sent).to.have.length(0);
    root(el).querySelector<HTMLInputElement>('input[value="other"]')!.click();
    ($(el, 'textarea') as HTMLTextAreaElement).value = '  Posted my address  ';
    $(el, 'button[type="submit"]').click();
    expect(sent).to.have.length(1);
    expect([sent[0]!.commentId, sent[0]!.reason, sent[0]!.details]).to.deep.equal(['c9', 'other', 'Posted my address']);
  });

  it('closes on Escape and says so, and starts clean next time', async () => {
    const el = await fixture<ColloquyReportDialog>(html`<colloquy-report-dialog></colloquy-report-dialog>`);
    await el.show('c1');
    root(el).querySelector<HTMLInputElement>('input[value="hate"]')!.click();
    let closed = '';
    el.addEventListener('report-close', (event) => (closed = (event as Event & { commentId: string }).commentId));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => closed === 'c1');
    await el.show('c2');
    expect(root(el).querySelector<HTMLInputElement>('input[value="hate"]')!.checked).to.equal(false);
    el.error = 'Could not send';
    await el.updateComplete;
    expect(text($(el, '[part="error"]'))).to.equal('Could not send');
  });
});
