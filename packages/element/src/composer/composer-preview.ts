// The composer's preview and formatting help: an on-demand part (decision 0037), fetched when
// the reader first presses Preview. The preview goes through the thread's own body path: the
// storage's rendering when it has one (the reference server's renderer, `previewHtml`), then the
// thread's renderer, which sanitizes with DOMPurify as it does for every comment.
import { css, html, nothing, type CSSResult, type TemplateResult } from 'lit';
import type { ColloquyError, Comment, StorageAdapter } from '@colloquy/core';
import type { BodyRenderer, RenderWindow } from '../body/body-renderer.js';

import type { ColloquyComposer } from './composer.js';

interface PreviewWords {
  heading: string;
  help: string[];
  empty: string;
  updating: string;
}

const WORDS: Record<'en' | 'es', PreviewWords> = {
  en: {
    heading: 'Preview',
    help: ['*italic*, **bold**, `code`', '[words](https://example.org) for a link; plain web addresses link too', '> at the start of a line quotes; - or 1. starts a list', 'A blank line starts a new paragraph. HTML shows as text.'],
    empty: 'Nothing to preview yet.',
    updating: 'Updating the preview…',
  },
  es: {
    heading: 'Vista previa',
    help: ['*cursiva*, **negrita**, `código`', '[palabras](https://example.org) para un enlace; las direcciones web también enlazan', '> al inicio de una línea cita; - o 1. empieza una lista', 'Una línea en blanco empieza otro párrafo. El HTML se muestra como texto.'],
    empty: 'Aún no hay nada que previsualizar.',
    updating: 'Actualizando la vista previa…',
  },
};

interface PreviewState {
  /** The text the shown preview is of. */
  shown: string | null;
  /** The rendered body, kept as one element so re-renders leave it in place. */
  view: HTMLElement | null;
  error: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Adopted by the composer when the part first renders, so the critical path carries none of it. */
const previewStyles: CSSResult = css`
  .preview {
    border: 1px dashed var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
    padding: 0.5rem 0.75rem;
  }
  .help {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  .preview-heading {
    font-size: 1em;
    margin: 0.5rem 0 0;
  }
  .body {
    overflow-wrap: anywhere;
  }
  .body blockquote {
    border-inline-start: 3px solid var(--_border);
    margin-inline: 0;
    padding-inline-start: 0.75rem;
  }
`;

const states = new WeakMap<ColloquyComposer, PreviewState>();

/** The thread the composer sits in (its shadow root's host), for its adapter and renderer. */
function threadOf(composer: ColloquyComposer): ThreadParts {
  const root = composer.getRootNode();
  return root instanceof ShadowRoot ? (root.host as ThreadParts) : {};
}

/** What the preview reads from `<colloquy-thread>` (a composer elsewhere previews as plain text). */
interface ThreadParts {
  resolvedAdapter?: StorageAdapter | null;
  bodyRenderer?: BodyRenderer;
}

/**
 * Outside a thread: the text as it stands. Value imports from the widget's own modules are
 * avoided in this part: they made the bundler split the core's errors out of embed.js.
 */
const asText: BodyRenderer = (comment) => {
  const paragraph = document.createElement('p');
  paragraph.textContent = comment.body;
  const fragment = document.createDocumentFragment();
  fragment.append(paragraph);
  return fragment;
};

async function renderBody(composer: ColloquyComposer, text: string): Promise<DocumentFragment> {
  const thread = threadOf(composer);
  const adapter = thread.resolvedAdapter;
  const renderer = thread.bodyRenderer ?? asText;
  const comment = { body: text, ...(adapter?.previewHtml ? { html: await adapter.previewHtml(text) } : {}) } as Comment;
  return renderer(comment, window as RenderWindow);
}

/** Brings the preview up to date with `text`, half a second after the reader stops typing. */
function schedule(composer: ColloquyComposer, state: PreviewState, text: string): void {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    renderBody(composer, text).then(
      (fragment) => {
        const view = document.createElement('div');
        view.className = 'body';
        view.dir = 'auto';
        view.append(fragment);
        Object.assign(state, { shown: text, view, error: '' });
      },
      // Adapters reject only with ColloquyError (the contract's R2).
      (error: unknown) => Object.assign(state, { shown: text, view: null, error: composer.localizer.error(error as ColloquyError) }),
    ).finally(() => composer.requestUpdate());
  }, state.shown === null ? 0 : 500);
}

/** The help and the preview of `text`, under the text box. */
export function renderPreview(composer: ColloquyComposer, text: string, id: string): TemplateResult {
  const words = WORDS[composer.localizer.lang === 'es' ? 'es' : 'en'];
  let state = states.get(composer);
  if (!state) {
    states.set(composer, (state = { shown: null, view: null, error: '', timer: undefined }));
    const root = composer.shadowRoot;
    if (root && previewStyles.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, previewStyles.styleSheet];
  }
  const wanted = text.trim() ? text : '';
  if (wanted && wanted !== state.shown) schedule(composer, state, wanted);
  const current = wanted && wanted === state.shown;
  return html`<section part="preview" class="preview" id=${id} aria-labelledby="${id}-heading">
    <ul class="hint help">
      ${words.help.map((line) => html`<li><bdi>${line}</bdi></li>`)}
    </ul>
    <h3 class="preview-heading" id="${id}-heading">${words.heading}</h3>
    ${!wanted
      ? html`<p class="hint">${words.empty}</p>`
      : state.error && current
        ? html`<p class="error">${state.error}</p>`
        : html`${current ? nothing : html`<p class="hint">${words.updating}</p>`}
            ${state.view ?? nothing}`}
  </section>`;
}
