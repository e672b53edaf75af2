import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ColloquyError, type Comment, type StorageAdapter } from '@colloquy/core';
import type { ColloquyThread } from './thread.js';
import type { ColloquyComposer } from '../composer/composer.js';
import type { ColloquyReportDialog } from '../report-dialog/report-dialog.js';
import { parts } from './comment-actions.js';
import {
  $,
  THREAD,
  adapterFor,
  comment,
  deepActiveElement,
  mountThread,
  root,
  seed,
  settled,
  submit,
  text,
  topComposer,
  typeInto,
} from '../testing/thread.fixture.js';

// What a reader notices after posting, on a permalink, and by keyboard and screen reader
// (issue 12; decision 0027).

const realParts = { ...parts };

beforeEach(async () => {
  localStorage.clear();
  history.replaceState(null, '', location.pathname + location.search);
  Object.assign(parts, realParts);
  await setViewport({ width: 1280, height: 900 });
});

/** An adapter whose writes answer differently: held for review, or refused. */
function wrap(real: StorageAdapter, overrides: Partial<StorageAdapter>): StorageAdapter {
  return Object.assign(Object.create(real) as StorageAdapter, overrides);
}

function inViewport(element: Element): boolean {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= innerHeight && box.bottom > box.top;
}

/** The live region's words once they are set (it is cleared, then filled on the next frame). */
async function announced(el: ColloquyThread, words: string): Promise<void> {
  await waitUntil(() => text($(el, '[role="status"][aria-live="polite"]')) === words, `never announced "${words}"`);
}

// First in the file: the on-demand module must not be loaded yet.
describe('<colloquy-thread> on-demand parts', () => {
  it('keeps the typed text and says so when the posting part cannot be fetched, and posts when submitted again', async () => {
    const { store, bea } = seed();
    const el = await mountThread(adapterFor(store, bea));
    parts.posting = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const composer = topComposer(el);
    await typeInto(composer, 'Words worth keeping.');
    await submit(composer);
    const error = () => composer.shadowRoot!.querySelector<HTMLElement>('[part="error"]:not([hidden])');
    await waitUntil(error, 'the composer never said the part could not be loaded');
    expect(text(error())).to.equal('This could not be loaded. Check your connection and try again.');
    expect(($(composer, 'textarea') as HTMLTextAreaElement).value).to.equal('Words worth keeping.');
    expect($(composer, 'button[type="submit"]').textContent!.trim(), 'the button is usable again').to.equal('Post comment');
    parts.posting = realParts.posting;
    await submit(composer);
    await announced(el, 'Your comment was posted.');
    expect(text($(el, '[part="own-list"]'))).to.contain('Words worth keeping.');
    expect(error()).to.equal(null);
  });

  it('waits for the posting part when it is still on its way at submit, showing Posting…', async () => {
    const { store, bea } = seed();
    const el = await mountThread(adapterFor(store, bea));
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    parts.posting = async () => {
      await arrived;
      return realParts.posting();
    };
    const composer = topComposer(el);
    await typeInto(composer, 'Typed fast.');
    await submit(composer);
    await el.updateComplete;
    await composer.updateComplete;
    expect($(composer, 'button[type="submit"]').textContent!.trim()).to.equal('Posting…');
    arrive();
    await announced(el, 'Your comment was posted.');
    expect(text($(el, '[part="own-list"]'))).to.contain('Typed fast.');
  });

  it('says so under the comment when an on-demand part cannot be fetched, and loads it when asked again', async () => {
    const { store, bea, ids } = seed();
    const el = await mountThread(adapterFor(store, bea));
    parts.modify = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const edit = comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-edit-for]')!;
    edit.click();
    await waitUntil(() => comment(el, ids.first!).querySelector('[role="alert"]'));
    expect(text(comment(el, ids.first!).querySelector('[role="alert"]'))).to.equal(
      'This could not be loaded. Check your connection and try again.',
    );
    parts.modify = realParts.modify;
    edit.click();
    await waitUntil(() => root(el).querySelector('#edit-composer'));
    expect(comment(el, ids.first!).querySelector('[role="alert"]')).to.equal(null);
  });
});

describe('<colloquy-thread> the reader’s own comment', () => {
  it('shows a new top-level comment right under the composer, marked, in view, with focus kept in the composer', async () => {
    const { store, bea } = seed({ topLevel: 12 });
    const el = await mountThread(adapterFor(store, bea), { pageSize: 5 });
    expect(el.threadState!.getSnapshot().hasMore, 'later pages are not loaded').to.equal(true);
    const composer = topComposer(el);
    await typeInto(composer, 'My own words.');
    await submit(composer);
    await announced(el, 'Your comment was posted.');
    const own = $(el, '[part="own-list"]');
    expect(composer.nextElementSibling?.nextElementSibling, 'the list follows the composer and the live region').to.equal(own);
    const article = own.querySelector('article')!;
    expect(text(article.querySelector('.body'))).to.equal('My own words.');
    expect(text(article.querySelector('[part="own"]'))).to.equal('Your comment');
    expect(inViewport(article.querySelector('.body')!)).to.equal(true);
    expect(deepActiveElement()).to.equal($(composer, 'textarea'));
    expect(text($(el, '[part="list"]'))).to.not.contain('My own words.');
    await expect(el).to.be.accessible();
    // A fresh load puts it in its place in the list.
    await el.threadState!.load();
    await el.updateComplete;
    expect(root(el).querySelector('[part="own-list"]')).to.equal(null);
  });

  it('says a comment held for review awaits a moderator, in the live region and under the comment (en, es)', async () => {
    for (const [lang, words, mark, note] of [
      ['en', 'Your comment was sent and awaits review by a moderator.', 'Your comment', 'Awaiting review by a moderator.'],
      ['es', 'Tu comentario se envió y espera la revisión de un moderador.', 'Tu comentario', 'Pendiente de revisión por un moderador.'],
    ] as const) {
      const { store, bea } = seed();
      const real = adapterFor(store, bea);
      // No live events: the store itself keeps the comment visible.
      const held = wrap(real, {
        subscribe: undefined,
        createComment: async (input) => ({ ...(await real.createComment(input)), status: 'held' }) as Comment,
      });
      const el = await mountThread(held, { lang });
      await typeInto(topComposer(el), 'Held words.');
      await submit(topComposer(el));
      await announced(el, words);
      const article = $(el, '[part="own-list"] article');
      expect(text(article.querySelector('[part="own"]'))).to.equal(mark);
      expect(text(article)).to.contain(note);
      expect(text(root(el))).to.not.contain(lang === 'en' ? 'was posted' : 'se publicó');
      await expect(el).to.be.accessible();
    }
  });

  it('shows a reply under its parent, marked, and announces it (es)', async () => {
    const { store, bea, ids } = seed();
    const el = await mountThread(adapterFor(store, bea), { lang: 'es' });
    comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-reply-for]')!.click();
    await waitUntil(() => root(el).querySelector('#reply-composer'));
    const composer = $(el, '#reply-composer') as ColloquyComposer;
    await typeInto(composer, 'Una respuesta.');
    await submit(composer);
    await announced(el, 'Tu comentario se publicó.');
    const reply = [...comment(el, ids.second!).querySelectorAll('.replies article')].find((a) => text(a).includes('Una respuesta.'))!;
    expect(text(reply.querySelector('[part="own"]'))).to.equal('Tu comentario');
    expect(inViewport(reply)).to.equal(true);
    expect(deepActiveElement()).to.equal(comment(el, ids.second!).querySelector('[data-reply-for]'));
  });
});

describe('<colloquy-thread> permalinks in a fresh tab', () => {
  it('keeps a nested comment in view at 1280×900 while the page above it grows late, until the reader scrolls', async () => {
    const { store, bea, mentor, ids } = seed({ topLevel: 30 });
    let parent = ids.c20!;
    let target = parent;
    for (let n = 0; n < 3; n++) {
      target = store.create(n % 2 ? bea.id : mentor.id, {
        thread: THREAD,
        body: `Nested ${n}\n\n${'A long line of text. '.repeat(30)}`,
        parentId: parent,
        idempotencyKey: `nested-${n}`,
      }).comment.id;
      parent = target;
    }
    history.replaceState(null, '', `#comment-${target}`);
    // A host page whose hero image and styles arrive after the widget's first scroll.
    const page = await fixture<HTMLDivElement>(html`<div>
      <div id="hero" style="block-size: 200px"></div>
      <colloquy-thread thread=${THREAD} lang="en" page-size="40" .adapter=${adapterFor(store)}></colloquy-thread>
    </div>`);
    const el = page.querySelector('colloquy-thread') as ColloquyThread;
    await settled(el);
    await waitUntil(() => root(el).querySelector(`#comment-${CSS.escape(target)}.highlighted`), 'never highlighted');
    const article = comment(el, target);
    await waitUntil(() => inViewport(article), 'not scrolled to');
    expect(deepActiveElement()).to.equal(article);

    page.querySelector<HTMLElement>('#hero')!.style.blockSize = '1800px';
    await waitUntil(() => inViewport(article), 'left out of view after the page above it grew');

    // Once the reader scrolls, the widget leaves the page where the reader puts it.
    window.dispatchEvent(new WheelEvent('wheel'));
    window.scrollTo(0, 0);
    page.querySelector<HTMLElement>('#hero')!.style.blockSize = '2400px';
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(window.scrollY).to.equal(0);
  });
});

describe('<colloquy-thread> focus never falls to the page', () => {
  it('after a first post sent with Enter from the screen-name field', async () => {
    const { store } = seed();
    const el = await mountThread(adapterFor(store));
    const composer = topComposer(el);
    await typeInto(composer, 'Hello there.');
    await typeInto(composer, 'Zoe', 'input[name="name"]');
    $(composer, 'input[name="name"]').focus();
    await sendKeys({ press: 'Enter' });
    await announced(el, 'Your comment was posted.');
    await composer.updateComplete;
    expect(root(composer).querySelector('input[name="name"]'), 'named now').to.equal(null);
    expect(deepActiveElement()).to.equal($(composer, 'textarea'));
  });

  it('after confirming a delete, and Escape cancels the confirmation back to Delete', async () => {
    const { store, bea, ids } = seed({ topLevel: 4 });
    const mine = store.create(bea.id, { thread: THREAD, body: 'Mine to delete', parentId: null, idempotencyKey: 'del' }).comment.id;
    const el = await mountThread(adapterFor(store, bea));
    const deleteButton = () => comment(el, mine).querySelector<HTMLButtonElement>('[data-delete-for]')!;
    deleteButton().click();
    await waitUntil(() => deepActiveElement() === comment(el, mine).querySelector('[data-confirm-delete]'));
    await setViewport({ width: 390, height: 844 });
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActiveElement() === deleteButton(), 'Escape did not return to Delete');
    expect(root(el).querySelector('[data-confirm-delete]')).to.equal(null);

    deleteButton().click();
    await waitUntil(() => deepActiveElement() === comment(el, mine).querySelector('[data-confirm-delete]'));
    await sendKeys({ press: 'Enter' });
    await announced(el, 'The comment was deleted.');
    expect(root(el).querySelector(`#comment-${CSS.escape(mine)}`)).to.equal(null);
    const active = deepActiveElement();
    expect(active?.localName, 'focus is on a neighbouring comment').to.equal('article');
    expect(active).to.equal(comment(el, ids.c4!));
  });
});

describe('<colloquy-thread> errors a retry cannot fix', () => {
  it('offers no Retry to a banned reader, only Edit and Discard', async () => {
    const { store, bea } = seed();
    const banned = wrap(adapterFor(store, bea), {
      createComment: async () => {
        throw new ColloquyError('banned', 'banned');
      },
    });
    const el = await mountThread(banned);
    await typeInto(topComposer(el), 'Let me in.');
    await submit(topComposer(el));
    await waitUntil(() => root(el).querySelector('.note.error'));
    const article = $(el, '[part="own-list"] article');
    expect(text(article.querySelector('.note.error'))).to.contain('You can no longer post here.');
    const buttons = [...article.querySelectorAll('[part="actions"] button')].map((b) => text(b));
    expect(buttons).to.deep.equal(['Edit', 'Discard']);
    await expect(el).to.be.accessible();
    article.querySelectorAll<HTMLButtonElement>('[part="actions"] button')[1]!.click();
    await waitUntil(() => !root(el).querySelector('[part="own-list"] article'));
    expect(deepActiveElement()).to.equal($(topComposer(el), 'textarea'));
  });

  it('still offers Retry when offline', async () => {
    const { store, bea } = seed();
    const offline = wrap(adapterFor(store, bea), {
      createComment: async () => {
        throw new ColloquyError('network_error', 'offline');
      },
    });
    const el = await mountThread(offline);
    await typeInto(topComposer(el), 'Try me.');
    await submit(topComposer(el));
    await waitUntil(() => root(el).querySelector('.note.error'));
    expect([...root(el).querySelectorAll('[part="own-list"] [part="actions"] button')].map((b) => text(b))).to.deep.equal(['Retry', 'Edit']);
  });

});

describe('<colloquy-thread> empty fields are told, not only focused', () => {
  for (const [lang, name, body] of [
    ['en', 'Please choose a screen name first.', 'Please write something first.'],
    ['es', 'Primero elige un nombre visible.', 'Primero escribe algo.'],
  ] as const) {
    it(`names the empty screen name, then the empty text (${lang})`, async () => {
      const el = await mountThread(adapterFor(seed().store), { lang });
      const composer = topComposer(el);
      await submit(composer);
      const nameInput = $(composer, 'input[name="name"]');
      expect(deepActiveElement()).to.equal(nameInput);
      expect(nameInput.getAttribute('aria-invalid')).to.equal('true');
      const nameError = root(composer).getElementById(nameInput.getAttribute('aria-describedby')!.split(' ')[0]!)!;
      expect(text(nameError)).to.equal(name);
      expect(nameError.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();

      await typeInto(composer, 'Zoe', 'input[name="name"]');
      await submit(composer);
      const textarea = $(composer, 'textarea');
      expect(deepActiveElement()).to.equal(textarea);
      expect(textarea.getAttribute('aria-invalid')).to.equal('true');
      expect(text(root(composer).getElementById(textarea.getAttribute('aria-describedby')!)!)).to.equal(body);
      await typeInto(composer, 'Now something.');
      expect(textarea.getAttribute('aria-invalid')).to.equal('false');
    });
  }

  it('names a missing report reason in the dialog (en, es)', async () => {
    for (const [lang, words] of [
      ['en', 'Please choose a reason.'],
      ['es', 'Elige un motivo.'],
    ] as const) {
      const { store, ids } = seed();
      const el = await mountThread(adapterFor(store), { lang });
      comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-report-for]')!.click();
      await waitUntil(() => (root(el).querySelector('colloquy-report-dialog') as ColloquyReportDialog | null)?.open);
      const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
      $(dialog, 'button[type="submit"]').click();
      await dialog.updateComplete;
      const error = $(dialog, '[part="error"]');
      expect(text(error)).to.equal(words);
      expect($(dialog, 'fieldset').getAttribute('aria-describedby')).to.equal(error.id);
      expect($(dialog, 'input[type="radio"]').getAttribute('aria-invalid')).to.equal('true');
      expect(deepActiveElement()).to.equal($(dialog, 'input[type="radio"]'));
      await setViewport({ width: 390, height: 844 });
      await expect(el).to.be.accessible();
      await setViewport({ width: 1280, height: 900 });
      await expect(el).to.be.accessible();
      ($(dialog, 'input[value="spam"]') as HTMLInputElement).click();
      await dialog.updateComplete;
      expect(error.hidden).to.equal(true);
      $(dialog, 'button[part="cancel"]').click();
    }
  });
});

describe('<colloquy-thread> what the reader counts and follows', () => {
  it('counts visible comments only, as /counts does, not deleted placeholders', async () => {
    const { store, bea, ids } = seed();
    const el = await mountThread(adapterFor(store, bea));
    expect(text($(el, 'h2'))).to.contain('5 comments');
    // Bea deletes her comment that has a reply chain: a placeholder stays for the replies.
    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-delete-for]')!.click();
    await waitUntil(() => root(el).querySelector('[data-confirm-delete]'));
    $(el, '[data-confirm-delete]').click();
    await waitUntil(() => text(comment(el, ids.first!)).startsWith('This comment was deleted.'));
    const counts = await adapterFor(store).countComments([THREAD]);
    expect(counts[THREAD]).to.equal(4);
    expect(text($(el, 'h2'))).to.contain('4 comments');
  });

  it('says whom a reply past the depth cap answers, linking to that comment, from what the store kept', async () => {
    const { store, mod, ada, bea, ids } = seed();
    const reply = (author: { id: string }, body: string, parentId: string) =>
      store.create(author.id, { thread: THREAD, body, parentId, idempotencyKey: body }).comment;
    // The store caps at depth 3: `deep` (depth 3) nests under reply2; replies to it are stored
    // beside it, under reply2, and keep whom they answer (replyTo).
    const deep = reply(mod, 'Depth three', ids.reply2!);
    const past = reply(ada, 'Past the cap', deep.id);
    const further = reply(bea, 'Further still', past.id);
    expect([past.parentId, past.replyTo]).to.deep.equal([ids.reply2, { id: deep.id, name: 'Mo' }]);
    expect(further.parentId).to.equal(ids.reply2);
    const el = await mountThread(adapterFor(store));
    const note = comment(el, past.id).querySelector('.in-reply')!;
    expect(text(note)).to.equal('in reply to Mo');
    expect(note.querySelector('a')!.getAttribute('href')).to.equal(`#comment-${deep.id}`);
    expect(text(comment(el, further.id).querySelector('.in-reply'))).to.equal('in reply to Ada');
    for (const id of [deep.id, ids.reply1!, ids.reply2!]) {
      expect(comment(el, id).querySelector(':scope > .in-reply'), 'a reply under the comment it answers needs no note').to.equal(null);
    }
    note.querySelector('a')!.click();
    await waitUntil(() => deepActiveElement() === comment(el, deep.id));

    // Ada deletes the comment answered: the reply to it no longer names her, and links nowhere.
    store.remove(ada.id, past.id);
    for (const [lang, words] of [
      ['en', 'in reply to a removed comment'],
      ['es', 'en respuesta a un comentario retirado'],
    ] as const) {
      const again = await mountThread(adapterFor(store), { lang });
      const gone = comment(again, further.id).querySelector('.in-reply')!;
      expect(text(gone)).to.equal(words);
      expect(gone.querySelector('a')).to.equal(null);
    }
  });

  it('gives timestamp links a 24 px target on a 390 px screen', async () => {
    await setViewport({ width: 390, height: 844 });
    const { store, ids } = seed();
    const el = await mountThread(adapterFor(store));
    for (const link of root(el).querySelectorAll('.permalink')) {
      const box = link.getBoundingClientRect();
      expect(box.height, 'height').to.be.at.least(24);
      expect(box.width, 'width').to.be.at.least(24);
    }
    expect(comment(el, ids.first!)).to.not.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<colloquy-thread> tab stops', () => {
  it('costs two Tab stops a comment (permalink, actions toolbar) and arrows move within the toolbar', async () => {
    const { store, ids } = seed();
    const el = await mountThread(adapterFor(store));
    const second = comment(el, ids.second!);
    second.querySelector<HTMLElement>('.permalink')!.focus();
    await sendKeys({ press: 'Tab' });
    const toolbar = second.querySelector('[role="toolbar"]')!;
    expect(toolbar.getAttribute('aria-label')).to.equal('Actions for \u2068Mo\u2069');
    expect(deepActiveElement()).to.equal(second.querySelector('[data-reply-for]'));
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()).to.equal(second.querySelector('[data-quote-for]'));
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()).to.equal(second.querySelector('[data-helpful-for]'));
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement()).to.equal(second.querySelector('[data-report-for]'));
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActiveElement(), 'wraps').to.equal(second.querySelector('[data-reply-for]'));
    await sendKeys({ press: 'End' });
    expect(deepActiveElement()).to.equal(second.querySelector('[data-report-for]'));
    await sendKeys({ press: 'Tab' });
    const next = comment(el, ids.c3!);
    expect(deepActiveElement(), 'the next comment’s permalink').to.equal(next.querySelector('.permalink'));
  });

  it('skips the whole thread with "Skip comments" (en, es)', async () => {
    for (const [lang, words] of [
      ['en', 'Skip comments'],
      ['es', 'Saltar los comentarios'],
    ] as const) {
      const page = await fixture<HTMLDivElement>(html`<div>
        <button id="before">before</button>
        <colloquy-thread thread=${THREAD} lang=${lang} .adapter=${adapterFor(seed().store)}></colloquy-thread>
        <button id="after">after</button>
      </div>`);
      const el = page.querySelector('colloquy-thread') as ColloquyThread;
      await settled(el);
      const skip = $(el, '[part="skip"]');
      expect(text(skip)).to.equal(words);
      skip.focus();
      expect(skip.getBoundingClientRect().width, 'visible while focused').to.be.greaterThan(1);
      skip.click();
      expect(deepActiveElement()).to.equal($(el, '#thread-end'));
      expect(el.shadowRoot!.lastElementChild?.lastElementChild, 'the last thing in the thread').to.equal($(el, '#thread-end'));
    }
  });
});

describe('<colloquy-thread> axe in each state at 390 px and at desktop width', () => {
  for (const width of [390, 1280]) {
    it(`loaded, replying and the error state pass axe at ${width} px`, async () => {
      await setViewport({ width, height: 844 });
      const { store, bea, ids } = seed();
      const el = await mountThread(adapterFor(store, bea));
      await expect(el).to.be.accessible();
      comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-reply-for]')!.click();
      await waitUntil(() => root(el).querySelector('#reply-composer'));
      await expect(el).to.be.accessible();
      const failing = wrap(adapterFor(store), {
        listComments: async () => {
          throw new ColloquyError('unavailable', 'down');
        },
      });
      const broken = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" .adapter=${failing}></colloquy-thread>`);
      await settled(broken);
      expect(text($(broken, '[part="status"]'))).to.contain('temporarily unavailable');
      await expect(broken).to.be.accessible();
    });

    it(`held, delete-confirm, report-dialog and depth-capped states pass axe at ${width} px`, async () => {
      await setViewport({ width, height: 844 });
      const { store, bea, mod, ids } = seed();
      // Past the cap (3): stored beside `deep`, saying whom it answers; then one whose answered comment is gone.
      const deep = store.create(mod.id, { thread: THREAD, body: 'Depth three', parentId: ids.reply2!, idempotencyKey: 'ax-d' }).comment;
      const past = store.create(bea.id, { thread: THREAD, body: 'Past the cap', parentId: deep.id, idempotencyKey: 'ax-p' }).comment;
      store.create(mod.id, { thread: THREAD, body: 'Answers a removed one', parentId: past.id, idempotencyKey: 'ax-g' });
      store.remove(bea.id, past.id);
      store.create(bea.id, { thread: THREAD, body: 'Also past the cap', parentId: deep.id, idempotencyKey: 'ax-n' });
      const real = adapterFor(store, bea);
      const held = wrap(real, { subscribe: undefined, createComment: async (input) => ({ ...(await real.createComment(input)), status: 'held' }) as Comment });
      const el = await mountThread(held);
      expect(root(el).querySelectorAll('.in-reply').length, 'a named and a gone "in reply to"').to.equal(1 + 1);
      await expect(el).to.be.accessible();

      // Held: the reader's own comment, awaiting review.
      await typeInto(topComposer(el), 'Held words.');
      await submit(topComposer(el));
      await announced(el, 'Your comment was sent and awaits review by a moderator.');
      await expect(el).to.be.accessible();

      // Delete confirmation on Bea's own comment.
      comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-delete-for]')!.click();
      await waitUntil(() => deepActiveElement() === comment(el, ids.first!).querySelector('[data-confirm-delete]'));
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });

      // The report dialog, open, and with its "choose a reason" error.
      comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-report-for]')!.click();
      await waitUntil(() => (root(el).querySelector('colloquy-report-dialog') as ColloquyReportDialog | null)?.open);
      const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
      await expect(el).to.be.accessible();
      $(dialog, 'button[type="submit"]').click();
      await dialog.updateComplete;
      await expect(el).to.be.accessible();
      $(dialog, 'button[part="cancel"]').click();
    });
  }
});
