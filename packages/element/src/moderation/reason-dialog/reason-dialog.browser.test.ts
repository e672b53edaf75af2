import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyReasonDialog, ReasonCloseEvent, ReasonSubmitEvent } from './reason-dialog.js';
import { deepActiveElement, root, text } from '../../testing/thread.fixture.js';
import '../../define-moderation.js';

async function mountDialog() {
  const el = await fixture<ColloquyReasonDialog>(
    html`<colloquy-reason-dialog
      heading="Ban Grumpy"
      intro="The reason goes into the audit log."
      label="Reason"
      confirm-label="Ban author"
      cancel-label="Cancel"
      required-message="Give a reason for the ban."
      destructive
    ></colloquy-reason-dialog>`,
  );
  const dialog = root(el).querySelector('dialog')!;
  return { el, dialog };
}

describe('<colloquy-reason-dialog>', () => {
  it('asks for a reason, refuses an empty one in place, and sends a trimmed one', async () => {
    const { el, dialog } = await mountDialog();
    await el.show();
    expect(dialog.open).to.equal(true);
    expect(deepActiveElement()?.localName).to.equal('textarea');
    expect(text(dialog.querySelector('h3'))).to.equal('Ban Grumpy');
    await expect(el).to.be.accessible();
    const submitted: ReasonSubmitEvent[] = [];
    el.addEventListener(ReasonSubmitEvent.type, (event) => submitted.push(event as ReasonSubmitEvent));
    (root(el).querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => text(dialog.querySelector('#reason-error')) === 'Give a reason for the ban.');
    expect(dialog.querySelector('textarea')!.getAttribute('aria-invalid')).to.equal('true');
    expect(deepActiveElement()?.localName).to.equal('textarea');
    expect(submitted).to.have.length(0);
    await sendKeys({ type: '  Repeated abuse  ' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => submitted.length === 1);
    expect(submitted[0]!.reason).to.equal('Repeated abuse');
    expect(dialog.open).to.equal(false);
  });

  it('tells the opener when it closes without a reason, and opens empty the next time', async () => {
    const { el, dialog } = await mountDialog();
    await el.show();
    await sendKeys({ type: 'half a thought' });
    const closed = new Promise((resolve) => el.addEventListener(ReasonCloseEvent.type, resolve, { once: true }));
    await sendKeys({ press: 'Escape' });
    await closed;
    expect(dialog.open).to.equal(false);
    await el.show();
    expect(dialog.querySelector('textarea')!.value).to.equal('');
    expect(text(dialog.querySelector('#reason-error'))).to.equal('');
  });
});
