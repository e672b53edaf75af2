// The site's one script. Every live widget on the site keeps its comments in this browser's
// localStorage (the site has no server), through the element's `adapter` property. The
// configurator and the theming playground are plain DOM code: no innerHTML anywhere, so the
// pages run with Trusted Types enforced.
import { createLocalStorageAdapter } from '@colloquy/adapter-local-storage';
import type { StorageAdapter } from '@colloquy/core';
import { defineElements, renderMarkdownBody } from '@colloquy/element';
import type { ColloquyThread } from '@colloquy/element';
import { buildHints, buildSnippet, normaliseEndpoint } from './snippet.js';

const NAMESPACE = 'colloquy-docs';

/** A first conversation, so an empty browser shows what a thread looks like. */
const SAMPLES: { author: string; role: 'reader' | 'mentor'; body: string; replyTo?: number }[] = [
  { author: 'Ada', role: 'reader', body: 'Dropped the script tag under our *field notes* and it just worked — even with our strict CSP.' },
  { author: 'Lin', role: 'mentor', body: 'Glad to hear it! Did you try `theme="dark"` on the night edition?', replyTo: 0 },
  { author: 'Sam', role: 'reader', body: 'Readers love that a half-written comment survives a reload.\n\n- drafts kept\n- **Retry** after a failed post' },
];

async function seed(thread: string): Promise<void> {
  const marker = `${NAMESPACE}:seeded:${thread}`;
  try {
    if (localStorage.getItem(marker)) return;
    localStorage.setItem(marker, '1');
  } catch {
    return; // site data blocked: the widget says so itself
  }
  const ids: string[] = [];
  for (const [i, sample] of SAMPLES.entries()) {
    const author = createLocalStorageAdapter({
      namespace: NAMESPACE,
      identityKey: `${NAMESPACE}:sample:${sample.author}`,
      role: sample.role,
      eventTarget: null,
    });
    if (!(await author.getIdentity())) await author.identify(sample.author);
    const comment = await author.createComment({
      thread,
      parentId: sample.replyTo === undefined ? null : (ids[sample.replyTo] ?? null),
      body: sample.body,
      idempotencyKey: `sample-${thread}-${i}`,
    });
    ids.push(comment.id);
  }
}

function setUpConfigurator(preview: ColloquyThread): void {
  const form = document.querySelector<HTMLFormElement>('#configurator');
  const snippet = document.querySelector<HTMLElement>('#snippet');
  if (!form || !snippet) return;
  const field = (id: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`);
  const endpointError = document.querySelector<HTMLElement>('#cfg-endpoint-error');
  let lastGood = 'https://comments.example.org';

  const update = () => {
    const typed = field('cfg-endpoint')?.value ?? '';
    const endpoint = normaliseEndpoint(typed);
    const endpointInput = field('cfg-endpoint');
    if (endpoint) lastGood = endpoint;
    endpointInput?.setAttribute('aria-invalid', String(!endpoint));
    if (endpointError) endpointError.textContent = endpoint ? '' : 'Enter the server’s address, like https://comments.example.org.';
    const choices = {
      endpoint: lastGood,
      thread: field('cfg-thread')?.value ?? '',
      lang: field('cfg-lang')?.value ?? '',
      theme: field('cfg-theme')?.value ?? '',
      sort: field('cfg-sort')?.value ?? '',
    };
    snippet.textContent = buildSnippet(choices);
    const hints = document.querySelector<HTMLElement>('#hints');
    if (hints) hints.textContent = buildHints(choices);
    // The preview follows every choice except the server: it keeps comments in this browser.
    preview.thread = choices.thread.trim() || '/docs/configurator';
    for (const name of ['lang', 'theme', 'sort'] as const) {
      if (choices[name]) preview.setAttribute(name, choices[name]);
      else preview.removeAttribute(name);
    }
    document.querySelector('#preview-frame')?.setAttribute('data-theme', choices.theme || 'auto');
  };
  // Choices live in the address too, so a configuration can be bookmarked or shared.
  const keys = { endpoint: 'cfg-endpoint', thread: 'cfg-thread', lang: 'cfg-lang', theme: 'cfg-theme', sort: 'cfg-sort' } as const;
  const given = new URLSearchParams(location.search);
  for (const [key, id] of Object.entries(keys)) {
    const value = given.get(key);
    const input = field(id);
    if (value === null || !input) continue;
    if (input instanceof HTMLSelectElement && ![...input.options].some((o) => o.value === value)) continue;
    input.value = value;
  }
  const remember = () => {
    const params = new URLSearchParams();
    for (const [key, id] of Object.entries(keys)) {
      const input = field(id);
      // Every select starts at '' (the element's default); text fields at their default value.
      const initial = input instanceof HTMLInputElement ? input.defaultValue : '';
      if (input && input.value !== initial) params.set(key, input.value);
    }
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  };
  const onChange = () => {
    update();
    remember();
  };
  form.addEventListener('input', onChange);
  form.addEventListener('change', onChange);
  form.addEventListener('submit', (event) => event.preventDefault());
  update();

  copyButton('#copy-snippet', snippet, '#copy-status');
  const hints = document.querySelector<HTMLElement>('#hints');
  if (hints) copyButton('#copy-hints', hints, '#copy-hints-status');
}

function copyButton(button: string, source: HTMLElement, statusSelector: string): void {
  const status = document.querySelector<HTMLElement>(statusSelector);
  document.querySelector(button)?.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.textContent ?? '');
      if (status) status.textContent = 'Copied to the clipboard.';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(source);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      if (status) status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
}

const PRESETS: Record<string, Record<string, string>> = {
  newsprint: {
    '--colloquy-background': '#fbf8f1',
    '--colloquy-surface': '#f0ebe0',
    '--colloquy-color': '#222222',
    '--colloquy-muted-color': '#6b6257',
    '--colloquy-border-color': '#d8cfbf',
    '--colloquy-accent': '#8c1c13',
    '--colloquy-accent-contrast': '#ffffff',
    '--colloquy-radius': '0px',
    '--colloquy-font-family': "Georgia, 'Times New Roman', serif",
  },
  forest: {
    '--colloquy-background': '#f3f7f2',
    '--colloquy-surface': '#e3ede1',
    '--colloquy-color': '#1d2b1f',
    '--colloquy-muted-color': '#566b59',
    '--colloquy-border-color': '#b9cdb8',
    '--colloquy-accent': '#2e6b3a',
    '--colloquy-accent-contrast': '#ffffff',
    '--colloquy-radius': '14px',
  },
  night: {
    '--colloquy-background': '#16161d',
    '--colloquy-surface': '#23232e',
    '--colloquy-color': '#e8e6f0',
    '--colloquy-muted-color': '#a09db0',
    '--colloquy-border-color': '#3a3848',
    '--colloquy-accent': '#b794f6',
    '--colloquy-accent-contrast': '#16161d',
    '--colloquy-highlight': '#3b3355',
    '--colloquy-radius': '8px',
  },
};

function setUpTheming(preview: ColloquyThread): void {
  const inputs = [...document.querySelectorAll<HTMLInputElement>('#theme-props [data-property]')];
  const partsCss = document.querySelector<HTMLTextAreaElement>('#parts-css');
  const output = document.querySelector<HTMLElement>('#theme-css');
  if (!inputs.length || !partsCss || !output) return;
  const touched = new Set<string>();
  // Typed CSS goes into a constructed stylesheet: no <style> text, so no 'unsafe-inline'.
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

  const render = () => {
    const lines = inputs
      .filter((input) => touched.has(input.dataset.property ?? ''))
      .map((input) => `  ${input.dataset.property}: ${input.value.trim()};`);
    const properties = lines.length ? `colloquy-thread {\n${lines.join('\n')}\n}\n` : '';
    output.textContent = [properties, partsCss.value.trim()].filter(Boolean).join('\n') || '/* the defaults */';
    sheet.replaceSync(partsCss.value);
  };
  const apply = (input: HTMLInputElement) => {
    const name = input.dataset.property ?? '';
    if (input.value.trim()) {
      touched.add(name);
      preview.style.setProperty(name, input.value.trim());
    } else {
      touched.delete(name);
      preview.style.removeProperty(name);
    }
  };
  for (const input of inputs) input.addEventListener('input', () => (apply(input), render()));
  partsCss.addEventListener('input', render);
  const scheme = document.querySelector<HTMLSelectElement>('#theming-scheme');
  scheme?.addEventListener('change', () => {
    if (scheme.value) preview.setAttribute('theme', scheme.value);
    else preview.removeAttribute('theme');
    document.querySelector('#theming-frame')?.setAttribute('data-theme', scheme.value || 'auto');
  });
  // The switch starts as the page left it (a reload may keep it ticked); the thread fetches the
  // avatars' part the first time it is on.
  const avatars = document.querySelector<HTMLInputElement>('#theming-avatars');
  const showAvatars = () => preview.toggleAttribute('avatars', avatars?.checked === true);
  avatars?.addEventListener('change', showAvatars);
  showAvatars();

  document.querySelector('#reset-theme')?.addEventListener('click', () => {
    for (const input of inputs) {
      input.value = input.defaultValue;
      touched.delete(input.dataset.property ?? '');
      preview.style.removeProperty(input.dataset.property ?? '');
    }
    render();
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset ?? ''] ?? {};
      for (const input of inputs) {
        const value = preset[input.dataset.property ?? ''];
        if (value === undefined) continue;
        input.value = value;
        apply(input);
      }
      render();
    });
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-part]')) {
    button.addEventListener('click', () => {
      const rule = `colloquy-thread::part(${button.dataset.part}) {\n  \n}`;
      partsCss.value = `${partsCss.value.trimEnd()}\n${rule}`;
      partsCss.focus();
      // Put the caret inside the new rule's braces.
      const caret = partsCss.value.length - 2;
      partsCss.setSelectionRange(caret, caret);
      render();
    });
  }
  render();
}

function setUpEventLog(thread: ColloquyThread): void {
  const log = document.querySelector<HTMLElement>('#demo-events');
  if (!log) return;
  thread.addEventListener('colloquy-posted', (event) => {
    log.textContent = `colloquy-posted: comment ${event.comment.id} by ${event.comment.author.name}`;
  });
}

async function main(): Promise<void> {
  const threads = [...document.querySelectorAll<ColloquyThread>('colloquy-thread[data-live]')];
  let adapter: StorageAdapter | null = null;
  try {
    adapter = createLocalStorageAdapter({ namespace: NAMESPACE });
    await Promise.all(threads.map((t) => seed(t.getAttribute('thread') ?? '/docs')));
  } catch (error) {
    console.warn('Colloquy docs: the sample conversation could not be stored', error);
  }
  // Given before the tags are defined, so the widgets never look for a server.
  for (const thread of threads) if (adapter) thread.adapter = adapter;
  defineElements({ renderer: renderMarkdownBody });
  await customElements.whenDefined('colloquy-thread');

  const byId = (id: string) => threads.find((t) => t.id === id);
  const demo = byId('getting-started-demo');
  if (demo) setUpEventLog(demo);
  const configuratorPreview = byId('configurator-preview');
  if (configuratorPreview) setUpConfigurator(configuratorPreview);
  const themingPreview = byId('theming-preview');
  if (themingPreview) setUpTheming(themingPreview);
}

void main();
