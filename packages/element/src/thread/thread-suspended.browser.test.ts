// A suspended reader is told when they can post again (decision 0037), over the real REST
// adapter: the server's 403 `banned` with `until`, answered by msw over the shipped handlers.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { createHandlers } from '@colloquy/adapter-rest/msw';
import { createRestAdapter } from '@colloquy/adapter-rest';
import type { ColloquyThread } from './thread.js';
import type { ColloquyComposer } from '../composer/composer.js';
import type { ColloquyReportDialog } from '../report-dialog/report-dialog.js';
import { $, THREAD, comment, deepActiveElement, root, seed, settled, submit, text, topComposer, typeInto } from '../testing/thread.fixture.js';
import { useMswWorker } from '../testing/msw.fixture.js';

const ENDPOINT = 'https://comments.example.test';
const API = `${ENDPOINT}/api/v1`;
const UNTIL = '2026-12-09T10:00:00.000Z';
const msw = useMswWorker();

/** The server's refusal of a suspended (with `until`) or banned (without) reader's write. */
const refusal = (until?: string) => () =>
  HttpResponse.json(
    { error: { code: 'banned', message: until ? `This account is suspended by the moderators until ${until}.` : 'This account has been banned.', ...(until ? { until } : {}) } },
    { status: 403 },
  );

/** The end as the reader's language and time zone say it. */
const told = (lang: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(UNTIL));

async function mount(lang = 'en') {
  const { store, ids } = seed();
  msw.worker.use(...createHandlers({ endpoint: ENDPOINT, store }));
  const adapter = createRestAdapter({ endpoint: ENDPOINT, tokenStorage: localStorage, EventSource: undefined });
  const el = await fixture<ColloquyThread>(html`<colloquy-thread thread=${THREAD} lang=${lang} .adapter=${adapter}></colloquy-thread>`);
  await settled(el);
  return { el, ids };
}

/** Types and posts from the top composer as a reader with no name yet. */
async function postAsNewReader(el: ColloquyThread, body: string): Promise<HTMLElement> {
  const composer = topComposer(el);
  await typeInto(composer, body);
  await typeInto(composer, 'Sam', 'input[name="name"]');
  await submit(composer);
  await waitUntil(() => root(el).querySelector('[part="own-list"] .note.error'), 'the post did not fail');
  return $(el, '[part="own-list"] article');
}

const buttons = (article: Element) => [...article.querySelectorAll('[part="actions"] button')].map((b) => text(b));

describe('<colloquy-thread> tells a suspended reader when they can post again', () => {
  it('names the end in English, offers Edit and Discard but no Retry, keeps the text, and passes axe', async () => {
    const { el } = await mount('en');
    msw.worker.use(http.post(`${API}/comments`, refusal(UNTIL)));
    const article = await postAsNewReader(el, 'Let me back in.');
    const note = text(article.querySelector('.note.error'));
    expect(note).to.equal(`Not posted. Your text is kept. Your account is suspended. You can post again on ${told('en')}.`);
    expect(note, 'a date a person reads, not the wire format').to.contain('2026').and.not.contain('T10:00');
    expect(note).to.contain('December');
    expect(buttons(article)).to.deep.equal(['Edit', 'Discard']);
    expect(text(article.querySelector('.body'))).to.equal('Let me back in.');
    expect(localStorage.getItem(`colloquy:draft:${THREAD}:top`), 'the draft stays stored').to.equal('Let me back in.');
    await expect(el).to.be.accessible();
    // Edit takes the text back into the composer.
    article.querySelector<HTMLButtonElement>('[part="actions"] button')!.click();
    await waitUntil(() => ($(topComposer(el), 'textarea') as HTMLTextAreaElement).value === 'Let me back in.', 'the text did not come back');
    expect(deepActiveElement()).to.equal($(topComposer(el), 'textarea'));
  });

  it('names the end in Spanish, in the Spanish way of writing dates', async () => {
    const { el } = await mount('es');
    msw.worker.use(http.post(`${API}/comments`, refusal(UNTIL)));
    const article = await postAsNewReader(el, 'Déjenme volver.');
    const note = text(article.querySelector('.note.error'));
    expect(note).to.equal(`No se publicó. Tu texto se ha guardado. Tu cuenta está suspendida. Podrás volver a publicar el ${told('es')}.`);
    expect(note).to.contain('diciembre de 2026');
    expect(buttons(article)).to.deep.equal(['Editar', 'Descartar']);
    await expect(el).to.be.accessible();
  });

  it('says the same under a refused reply, and in the report dialog when a report is refused', async () => {
    const { el, ids } = await mount('en');
    msw.worker.use(http.post(`${API}/comments`, refusal(UNTIL)), http.post(`${API}/comments/:id/reports`, refusal(UNTIL)));
    comment(el, ids.second!).querySelector<HTMLButtonElement>('[data-reply-for]')!.click();
    await waitUntil(() => root(el).querySelector('#reply-composer'), 'no reply composer');
    const reply = $(el, '#reply-composer') as ColloquyComposer;
    await typeInto(reply, 'A reply from the bench.');
    await typeInto(reply, 'Sam', 'input[name="name"]');
    await submit(reply);
    await waitUntil(() => comment(el, ids.second!).querySelector('.note.error'), 'the reply did not fail');
    const failed = [...comment(el, ids.second!).querySelectorAll('article')].find((a) => text(a.querySelector('.body')) === 'A reply from the bench.')!;
    expect(text(failed.querySelector('.note.error'))).to.contain(`You can post again on ${told('en')}.`);
    expect(buttons(failed)).to.deep.equal(['Edit', 'Discard']);

    comment(el, ids.first!).querySelector<HTMLButtonElement>('[data-report-for]')!.click();
    const dialog = $(el, 'colloquy-report-dialog') as ColloquyReportDialog;
    await waitUntil(() => dialog.open, 'the dialog did not open');
    root(dialog).querySelector<HTMLInputElement>('input[value="spam"]')!.click();
    root(dialog).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => text(root(dialog).querySelector('[part="error"]')).length > 0, 'the refusal was not shown');
    const error = root(dialog).querySelector('[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.equal(`Your account is suspended. You can post again on ${told('en')}.`);
    await expect(el).to.be.accessible();
  });

  it('keeps the words of a ban for good when the refusal names no end', async () => {
    const { el } = await mount('en');
    msw.worker.use(http.post(`${API}/comments`, refusal()));
    const article = await postAsNewReader(el, 'Still banned?');
    expect(text(article.querySelector('.note.error'))).to.equal('Not posted. Your text is kept. You can no longer post here.');
    expect(buttons(article)).to.deep.equal(['Edit', 'Discard']);
  });
});
