import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ColloquyError, type StorageAdapter } from '@colloquy/core';
import type { ColloquyThread } from './thread.js';
import type { ColloquyComposer } from '../composer/composer.js';
import type { ColloquyReportDialog } from '../report-dialog/report-dialog.js';
import {
  $,
  THREAD,
  adapterFor,
  comment,
  deepActiveElement,
  mountThread,
  once,
  root,
  seed,
  settled,
  countingStreams,
  submit,
  text,
  topComposer,
  typeInto,
} from '../testing/thread.fixture.js';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', location.pathname + location.search);
});

describe('<colloquy-thread> reading', () => {
  it('shows nested comments with names, badges, times and sanitized bodies, and passes axe', async () => {
    const { store, ids } = seed();
    const el = await mountThread(adapterFor(store));
    const first = comment(el, ids.first!);
    expect(text(first.querySelector('.author'))).to.equal('Bea');
    expect(first.querySelector('bdi.author')).to.not.equal(null);
    expect(first.querySelector('.body em')?.textContent).to.equal('comment');
    const reply = comment(el, ids.reply1!);
    expect(first.contains(reply), 'the reply sits inside its parent').to.equal(true);
    expect(text(reply.querySelector('.badge'))).to.equal('Mentor');
    expect(text(comment(el, ids.second!).querySelector('.badge'))).to.equal('Moderator');
    const time = first.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(time.getAttribute('title')).to.not.equal('');
    expect(text(time)).to.equal('now');
    expect(text($(el, 'h2'))).to.contain('5 comments');
    await expect(el).to.be.accessible();
  });

  it('shows an empty state that passes axe', async () => {
    const el = await mountThread(adapterFor(seed().store), {});
    el.thread = '/nobody-here';
    await settled(el);
    await waitUntil(() => text(root(el)).includes('No comments yet'));
    await expect(el).to.be.accessible();
  });

  it('shows a loading state, then an error with Try again, and reports colloquy-error', async () => {
    const { store } = seed();
    const real = adapterFor(store);
    let fail = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const flaky: StorageAdapter = Object.assign(Object.create(real) as StorageAdapter, {
      listComments: async (query: Parameters<StorageAdapter['listComments']>[0]) => {
        await gate;
        if (fail) throw new ColloquyError('unavailable', 'down');
        return real.listComments(query);
      },
    });
    const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang="en" .adapter=${flaky}></colloquy-thread>`);
    expect(text($(el, '[part="status"]'))).to.equal('Loading comments…');
    await expect(el).to.be.accessible();
    const errorEvent = once(el, 'colloquy-error');
    release();
    const event = await errorEvent;
    expect(event.error.code).to.equal('unavailable');
    await el.updateComplete;
    const status = $(el, '[part="status"]');
    expect(status.getAttribute('role')).to.equal('alert');
    expect(text(status)).to.contain('temporarily unavailable');
    await expect(el).to.be.accessible();
    fail = false;
    (status.querySelector('button') as HTMLButtonElement).click();
    await waitUntil(() => root(el).querySelectorAll('article').length === 5);
  });

  it('collapses and expands a branch of replies', async () => {
    const { store, ids } = seed();
    const el = await mountThread(adapterFor(store));
    const toggle = comment(el, ids.first!).querySelector<HTMLButtonElement>('[part="toggle"]')!;
    expect(text(toggle)).to.equal('Hide 2 replies');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    toggle.click();
    await el.updateComplete;
    expect(root(el).querySelector(`#comment-${ids.reply1}`)).to.equal(null);
    expect(text(toggle)).to.equal('Show 2 replies');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(comment(el, ids.reply2!)).to.not.equal(null);
  });

  it('sorts by newest and loads more pages, moving focus to the first new comment', async () => {
    const { store, ids } = seed({ topLevel: 5 });
    const el = await mountThread(adapterFor(store), { pageSize: 2 });
    const tops = () => [...root(el).querySelectorAll('.comments > li > article')].map((a) => a.id);
    expect(tops()).to.deep.equal([`comment-${ids.first}`, `comment-${ids.second}`]);
    $(el, '[part="load-more"]').click();
    await waitUntil(() => tops().length === 4);
    expect(deepActiveElement()?.id).to.equal(`comment-${ids.c3}`);
    const select = $(el, 'select') as HTMLSelectElement;
    select.value = 'newest';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => tops()[0] === `comment-${ids.c5}`);
  });

  it('opens a permalink: loads pages until the comment is there, focuses and highlights it', async () => {
    const { store, ids } = seed({ topLevel: 7 });
    history.replaceState(null, '', `#comment-${ids.c7}`);
    const el = await mountThread(adapterFor(store), { pageSize: 2 });
    await waitUntil(() => root(el).querySelector(`#comment-${CSS.escape(ids.c7!)}`), 'the permalink target never loaded');
    await waitUntil(() => deepActiveElement()?.id === `comment-${ids.c7}`);
    const target = comment(el, ids.c7!);
    expect(target.classList.contains('highlighted')).to.equal(true);
    expect(target.getAttribute('part')).to.contain('comment-highlighted');
    const link = target.querySelector('a[part="permalink"]')!;
    expect(link.getAttribute('href')).to.equal(`#comment-${ids.c7}`);
  });
});

describe('<colloquy-thread> writing', () => {
  it('asks for a screen name on the first post, then posts, clears the draft and fires colloquy-posted', async () => {
    const { store } = seed();
    const el = await mountThread(adapterFor(store));
    const composer = topComposer(el);
    expect(root(composer).querySelector('input[name="name"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await typeInto(composer, 'Hello, everyone.');
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`)).to.equal('Hello, everyone.');
    await typeInto(composer, 'Zoe', 'input[name="name"]');
    const posted = once(el, 'colloquy-posted');
    await submit(composer);
    const event = await posted;
    expect(event.comment.body).to.equal('Hello, everyone.');
    expect(event.comment.author.name).to.equal('Zoe');
    await waitUntil(() => root(el).querySelector(`#comment-${CSS.escape(event.comment.id)}`));
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`)).to.equal(null);
    await el.updateComplete;
    expect(root(topComposer(el)).querySelector('input[name="name"]'), 'named readers are not asked again').to.equal(null);
    await waitUntil(() => text(root(el).querySelector('[role="status"][aria-live="polite"]')) === 'Your comment was posted.');
  });

  it('restores an unposted draft after the page is reloaded', async () => {
    const { store } = seed();
    localStorage.setItem(`colloquy:draft:${THREAD}:top`, 'Half-written thought');
    const el = await mountThread(adapterFor(store));
    const textarea = $(topComposer(el), 'textarea') as HTMLTextAreaElement;
    await topComposer(el).updateComplete;
    expect(textarea.value).to.equal('Half-written thought');
  });

  it('keeps the text of a failed post and retries it with the same idempotency key, never duplicating', async () => {
    const { store, ada } = seed();
    const real = adapterFor(store, ada);
    const keys: string[] = [];
    let failures = 1;
    // Not live, so nothing but the answer can confirm the post.
    const flaky = Object.assign(Object.create(real) as StorageAdapter, {
      capabilities: { ...real.capabilities, live: false },
      subscribe: undefined,
      createComment: async (input: Parameters<StorageAdapter['createComment']>[0]) => {
        keys.push(input.idempotencyKey);
        // The first attempt reaches the store but its answer is lost, like a dropped connection.
        const created = await real.createComment(input);
        if (failures-- > 0) throw new ColloquyError('network_error', 'offline');
        return created;
      },
    });
    const el = await mountThread(flaky);
    const composer = topComposer(el);
    await typeInto(composer, 'Do not lose me');
    await submit(composer);
    await waitUntil(() => root(el).querySelector('.note.error'), 'no failure shown');
    const failed = root(el).querySelector('.note.error')!.closest('article')!;
    expect(text(failed.querySelector('.body'))).to.equal('Do not lose me');
    expect(text(failed.querySelector('.note.error'))).to.contain('Your text is kept');
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`)).to.equal('Do not lose me');
    await expect(el).to.be.accessible();
    const retry = [...failed.querySelectorAll('button')].find((b) => text(b) === 'Retry')!;
    retry.click();
    await waitUntil(() => !root(el).querySelector('.note.error') && !root(el).querySelector('.pending'));
    expect(keys).to.have.length(2);
    expect(keys[1]).to.equal(keys[0]);
    expect(store.counts([THREAD])[THREAD]).to.equal(6);
    expect(root(el).querySelectorAll('article').length).to.equal(6);
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`)).to.equal(null);
  });

  it('takes a failed post back into the composer with Edit', async () => {
    const { store, ada } = seed();
    const real = adapterFor(store, ada);
    const down = Object.assign(Object.create(real) as StorageAdapter, {
      createComment: async () => {
        throw new ColloquyError('unavailable', 'down');
      },
    });
    const el = await mountThread(down);
    await typeInto(topComposer(el), 'Second try later');
    await submit(topComposer(el));
    await waitUntil(() => root(el).querySelector('.note.error'));
    const failed = root(el).querySelector('.note.error')!.closest('article')!;
    [...failed.querySelectorAll('button')].find((b) => text(b) === 'Edit')!.click();
    await waitUntil(() => !root(el).querySelector('.note.error'));
    expect(($(topComposer(el), 'textarea') as HTMLTextAreaElement).value).to.equal('Second try later');
    expect(deepActiveElement()?.localName).to.equal('textarea');
  });

  it('replies inline under a comment and returns focus to its Reply button', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const replyButton = comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-reply-for]')!;
    replyButton.click();
    // The reply composer comes with the posting part (decision 0032), fetched on first use if idle time has not.
    await waitUntil(() => root(el).querySelector('#reply-composer'), 'the reply composer never opened');
    const composer = $(el, '#reply-composer') as ColloquyComposer;
    await waitUntil(() => deepActiveElement()?.localName === 'textarea');
    expect(text(root(composer).querySelector('label'))).to.contain('Reply to');
    await expect(el).to.be.accessible();
    await typeInto(composer, 'Agreed!');
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:reply:${ids.second}`)).to.equal('Agreed!');
    const posted = once(el, 'colloquy-posted');
    await submit(composer);
    const { comment: reply } = await posted;
    expect(reply.parentId).to.equal(ids.second);
    await waitUntil(() => comment(el, ids.second!).querySelector(`#comment-${CSS.escape(reply.id)}`));
    expect(deepActiveElement()).to.equal(comment(el, ids.second!).querySelector('[data-reply-for]'));
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:reply:${ids.second}`)).to.equal(null);
  });

  it('edits and deletes the reader’s own comment inside the edit window only', async () => {
    const { store, bea, ids } = seed();
    const el = await mountThread(adapterFor(store, bea));
    expect(comment(el, ids.second!).querySelector('[data-edit-for]'), 'not on others’ comments').to.equal(null);
    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-edit-for]')!.click();
    // The edit box comes in an on-demand module.
    await waitUntil(() => root(el).querySelector('#edit-composer'));
    const editor = $(el, '#edit-composer') as ColloquyComposer;
    await editor.updateComplete;
    expect(($(editor, 'textarea') as HTMLTextAreaElement).value).to.equal('First *comment* here.');
    await expect(el).to.be.accessible();
    await typeInto(editor, 'First comment, **corrected**.');
    await submit(editor);
    await waitUntil(() => comment(el, ids.first!).querySelector('.body strong'));
    expect(text(comment(el, ids.first!).querySelector('.edited'))).to.equal('(edited)');
    expect(deepActiveElement()).to.equal(comment(el, ids.first!).querySelector('[data-edit-for]'));

    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-delete-for]')!.click();
    await waitUntil(() => deepActiveElement() === comment(el, ids.first!).querySelector('[data-confirm-delete]'));
    await expect(el).to.be.accessible();
    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-confirm-delete]')!.click();
    await waitUntil(() => text(comment(el, ids.first!)).startsWith('This comment was deleted.'));
    expect(comment(el, ids.reply1!), 'replies keep their place').to.not.equal(null);
  });

  it('offers no edit once the edit window has passed', async () => {
    const { store, bea, ids } = seed({ editWindowSeconds: 0 });
    const el = await mountThread(adapterFor(store, bea));
    expect(comment(el, ids.first!).querySelector('[data-edit-for]')).to.equal(null);
  });
});

describe('<colloquy-thread> reporting', () => {
  it('reports through the dialog, once, and shows a clear reported state', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const button = comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-report-for]')!;
    button.click();
    const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
    await waitUntil(() => dialog.open);
    expect(root(dialog).querySelectorAll('input[type="radio"]')).to.have.length(6);
    expect(deepActiveElement()?.getAttribute('value')).to.equal('spam');
    await expect(el).to.be.accessible();
    root(dialog).querySelector<HTMLInputElement>('input[value="harassment"]')!.click();
    const details = root(dialog).querySelector<HTMLTextAreaElement>('textarea')!;
    details.value = 'Targets another reader.';
    const reported = once(el, 'colloquy-reported');
    root(dialog).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const event = await reported;
    expect(event.reason).to.equal('harassment');
    expect(event.commentId).to.equal(ids.second);
    await waitUntil(() => !dialog.open);
    const status = comment(el, ids.second!).querySelector('[data-reported-for]');
    expect(text(status)).to.equal('Reported');
    expect(comment(el, ids.second!).querySelector('[data-report-for]'), 'one report per reader').to.equal(null);
    expect(deepActiveElement()).to.equal(status);
    expect(store.raw.reports(ids.second!)).to.have.length(1);
    expect(store.raw.reports(ids.second!)[0]!.details).to.equal('Targets another reader.');
    await expect(el).to.be.accessible();
  });

  it('returns focus to the Report button when the dialog is cancelled', async () => {
    const { store, ids } = seed();
    const el = await mountThread(adapterFor(store));
    const button = comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-report-for]')!;
    button.focus();
    button.click();
    const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
    await waitUntil(() => dialog.open);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    await waitUntil(() => deepActiveElement() === button);
  });
});

describe('<colloquy-thread> by keyboard alone', () => {
  it('reads, replies and reports with Tab, Enter, Space and the arrow keys', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const replyButton = comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-reply-for]')!;
    replyButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.localName === 'textarea', 'focus did not enter the reply box');
    await sendKeys({ type: 'Typed by keyboard' });
    await sendKeys({ press: 'Tab' });
    expect(text(deepActiveElement())).to.equal('Post reply');
    const posted = once(el, 'colloquy-posted');
    await sendKeys({ press: 'Enter' });
    const { comment: reply } = await posted;
    expect(reply.body).to.equal('Typed by keyboard');

    const report = comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-report-for]')!;
    report.focus();
    await sendKeys({ press: 'Space' });
    const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
    await waitUntil(() => dialog.open);
    await sendKeys({ press: 'ArrowDown' }); // spam → harassment
    await sendKeys({ press: 'Tab' }); // details
    await sendKeys({ type: 'Keyboard report' });
    await sendKeys({ press: 'Tab' }); // cancel
    await sendKeys({ press: 'Tab' }); // send
    const reported = once(el, 'colloquy-reported');
    await sendKeys({ press: 'Enter' });
    expect((await reported).reason).to.equal('harassment');
  });

  it('edits the reader’s own comment with Enter, typing and Ctrl+Enter', async () => {
    const { store, bea, ids } = seed();
    const el = await mountThread(adapterFor(store, bea));
    const edit = comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-edit-for]')!;
    edit.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.localName === 'textarea', 'focus did not enter the edit box');
    await sendKeys({ press: 'End' });
    await sendKeys({ type: ' Edited by keyboard.' });
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    await waitUntil(() => text(comment(el, ids.first!).querySelector('.body')).endsWith('Edited by keyboard.'));
    await waitUntil(() => deepActiveElement() === comment(el, ids.first!).querySelector('[data-edit-for]'));
  });

  it('closes a reply box with Escape and puts focus back on Reply', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada));
    const replyButton = comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-reply-for]')!;
    replyButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.localName === 'textarea');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !root(el).querySelector('#reply-composer'));
    expect(deepActiveElement()).to.equal(comment(el, ids.first!).querySelector('[data-reply-for]'));
  });
});

describe('<colloquy-thread> live updates', () => {
  it('holds new top-level comments from others behind a button and announces them politely', async () => {
    const { store, ada, bea, ids } = seed();
    const streams = countingStreams(adapterFor(store, ada));
    const el = await mountThread(streams.adapter);
    await waitUntil(() => streams.open() === 1, 'no live stream for a thread in view');
    const before = root(el).querySelectorAll('.comments > li').length;
    await adapterFor(store, bea).createComment({ thread: THREAD, body: 'Live one', idempotencyKey: 'live-1' });
    await waitUntil(() => root(el).querySelector('[part="new-comments"]'), 'no new-comments button');
    expect(text($(el, '[part="new-comments"]'))).to.equal('Show 1 new comment');
    expect(root(el).querySelectorAll('.comments > li').length, 'nothing moved under the reader').to.equal(before);
    await waitUntil(() => text(root(el).querySelector('[aria-live="polite"]')) === '1 new comment');
    await adapterFor(store, bea).createComment({ thread: THREAD, parentId: ids.first!, body: 'Live reply', idempotencyKey: 'live-2' });
    await waitUntil(() => text(comment(el, ids.first!)).includes('Live reply'), 'replies appear in place');
    await expect(el).to.be.accessible();
    $(el, '[part="new-comments"]').click();
    await waitUntil(() => root(el).querySelectorAll('.comments > li').length === before + 1);
    expect(text(deepActiveElement()?.querySelector('.body'))).to.equal('Live one');
  });
});

describe('<colloquy-thread> lifecycle', () => {
  it('stops live updates when removed and loads afresh when put back', async () => {
    const { store, ada, bea } = seed();
    const streams = countingStreams(adapterFor(store, ada));
    const open = streams.open;
    const el = await mountThread(streams.adapter);
    // The stream opens once the thread is near the viewport (the fixture puts it in view).
    await waitUntil(() => open() === 1, 'no live stream for a thread in view');
    const parent = el.parentElement!;
    el.remove();
    expect(open()).to.equal(0);
    await adapterFor(store, bea).createComment({ thread: THREAD, body: 'While away', idempotencyKey: 'away-1' });
    parent.append(el);
    await waitUntil(() => text(root(el)).includes('While away'), 'the thread did not reload');
    await waitUntil(() => open() === 1, 'no live stream after coming back');
  });
});

describe('<colloquy-thread> live stream near the viewport', () => {
  it('loads a thread far below the fold at once but opens its stream only when scrolled near', async () => {
    const { store } = seed();
    const streams = countingStreams(adapterFor(store));
    const page = await fixture<HTMLElement>(html`<div>
      <div style="height: ${innerHeight * 4}px"></div>
      <colloquy-thread thread=${THREAD} lang="en" .adapter=${streams.adapter}></colloquy-thread>
    </div>`);
    const el = page.querySelector('colloquy-thread')!;
    await waitUntil(() => root(el).querySelector('[part~="comment"]'), 'the first page loads without waiting for a scroll');
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(streams.open(), 'no stream four screens down').to.equal(0);
    // Half a screen under the viewport's bottom edge: out of sight, but within one viewport.
    scrollTo(0, el.getBoundingClientRect().top + scrollY - innerHeight * 1.5);
    await waitUntil(() => streams.open() === 1, 'no stream once near');
    scrollTo(0, 0);
  });
});

describe('<colloquy-thread> languages and direction', () => {
  it('speaks Spanish with lang="es": strings, plurals, relative times and the report dialog', async () => {
    const { store, ada, ids } = seed();
    const el = await mountThread(adapterFor(store, ada), { lang: 'es' });
    expect(text($(el, 'h2'))).to.contain('Comentarios');
    expect(text($(el, 'h2'))).to.contain('5 comentarios');
    expect(text(comment(el, ids.first!).querySelector('[data-reply-for]'))).to.equal('Responder');
    expect(text(comment(el, ids.first!).querySelector('[data-report-for]'))).to.equal('Denunciar abuso');
    expect(text(comment(el, ids.first!).querySelector('time'))).to.equal('ahora');
    expect(text(comment(el, ids.first!).querySelector('[part="toggle"]'))).to.equal('Ocultar 2 respuestas');
    expect(text(comment(el, ids.reply1!).querySelector('[part="toggle"]'))).to.equal('Ocultar 1 respuesta');
    expect(text(comment(el, ids.reply1!).querySelector('.badge'))).to.equal('Mentor');
    expect(text(root(topComposer(el)).querySelector('label'))).to.equal('Añadir un comentario');
    expect($(el, 'section').getAttribute('lang')).to.equal('es');
    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-report-for]')!.click();
    const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
    await waitUntil(() => dialog.open);
    expect(text(root(dialog).querySelector('h2'))).to.equal('Denunciar abuso');
    expect(text(root(dialog).querySelector('fieldset'))).to.contain('Discurso de odio');
    await expect(el).to.be.accessible();
  });

  it('follows the page language when the element has none', async () => {
    const { store } = seed();
    const wrapper = await fixture<HTMLElement>(html`<div lang="es-MX">
      <colloquy-thread thread=${THREAD} .adapter=${adapterFor(store)}></colloquy-thread>
    </div>`);
    const el = wrapper.querySelector('colloquy-thread')!;
    await settled(el);
    expect(text($(el, 'h2'))).to.contain('Comentarios');
  });

  it('lays out right to left under dir="rtl" with logical properties', async () => {
    const { store, ids } = seed();
    const wrapper = await fixture<HTMLElement>(html`<div dir="rtl" lang="en">
      <colloquy-thread thread=${THREAD} .adapter=${adapterFor(store)}></colloquy-thread>
    </div>`);
    const el = wrapper.querySelector('colloquy-thread')!;
    await settled(el);
    const replies = comment(el, ids.first!).querySelector('[part="replies"]')!;
    const style = getComputedStyle(replies);
    expect(style.direction).to.equal('rtl');
    expect(style.borderRightWidth).to.equal('2px');
    expect(style.borderLeftWidth).to.equal('0px');
    expect(parseFloat(style.paddingRight)).to.be.greaterThan(0);
    const article = comment(el, ids.first!).getBoundingClientRect();
    const nested = comment(el, ids.reply1!).getBoundingClientRect();
    expect(nested.right, 'replies are indented from the right').to.be.lessThan(article.right);
    await expect(el).to.be.accessible();
  });

  it('uses the dark palette under theme="dark"', async () => {
    const { store } = seed();
    const el = await mountThread(adapterFor(store));
    el.theme = 'dark';
    await el.updateComplete;
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    expect(getComputedStyle($(el, 'section')).backgroundColor).to.equal('rgb(23, 25, 29)');
    await expect(el).to.be.accessible();
  });
});
