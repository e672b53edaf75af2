// The markup of the live parts of the site: the getting-started widget, the configurator and
// the theming playground. The theming controls are generated from the manifest's documented
// custom properties and parts; src/main.ts brings them to life.
import { elementsOf, inline, type Manifest } from './components.js';
import { escapeHtml } from './layout.js';

/** A widget that keeps its comments in this browser (main.ts gives it the localStorage adapter). */
function liveThread(id: string, thread: string, extra = ''): string {
  return `<colloquy-thread id="${id}" class="live-widget" data-live thread="${escapeHtml(thread)}"${extra}></colloquy-thread>`;
}

export function liveDemo(): string {
  return `<figure class="demo">
${liveThread('getting-started-demo', '/docs/getting-started')}
<figcaption>The live widget. Comments you post here stay in this browser.
<output id="demo-events" class="event-log" aria-live="polite"></output></figcaption>
</figure>`;
}

function select(id: string, label: string, options: [string, string][], hint: string): string {
  return `<div class="field">
  <label for="${id}">${label}</label>
  <select id="${id}" name="${id}" aria-describedby="${id}-hint">
    ${options.map(([value, text], i) => `<option value="${value}"${i === 0 ? ' selected' : ''}>${text}</option>`).join('\n    ')}
  </select>
  <p class="hint" id="${id}-hint">${hint}</p>
</div>`;
}

export function configuratorPage(): string {
  return `<h1>Configurator</h1>
<p class="lede">Choose how the comments on your page behave; copy the snippet; see the result
live beside it.</p>
<p><strong>Step 1:</strong> start the server with your site's origin in
<code>COLLOQUY_ALLOWED_ORIGINS</code> (for example
<code>COLLOQUY_ALLOWED_ORIGINS=https://blog.example.org npx colloquy-server</code>; several
origins are separated by commas). Without it only pages on <code>http://localhost</code> and
<code>http://127.0.0.1</code> may load comments, and readers elsewhere are told the server does
not accept the site.</p>
<div class="configurator">
<form id="configurator" class="choices" novalidate>
  <div class="field">
    <label for="cfg-endpoint">Comment server</label>
    <input id="cfg-endpoint" name="endpoint" type="url" value="https://comments.example.org" spellcheck="false" aria-describedby="cfg-endpoint-hint cfg-endpoint-error">
    <p class="hint" id="cfg-endpoint-hint">Where <code>colloquy-server</code> runs; the widget calls the server it was loaded from.</p>
    <p class="error" id="cfg-endpoint-error" role="alert"></p>
  </div>
  <div class="field">
    <label for="cfg-thread">Thread key</label>
    <input id="cfg-thread" name="thread" type="text" placeholder="the page's URL path" spellcheck="false" aria-describedby="cfg-thread-hint">
    <p class="hint" id="cfg-thread-hint">Leave empty to use the page's canonical path, so every article gets its own thread.</p>
  </div>
  ${select('cfg-lang', 'Language', [['', 'The page’s language'], ['en', 'English'], ['es', 'Español']], 'Without a choice the widget follows <code>&lt;html lang&gt;</code>, then the reader’s browser.')}
  ${select('cfg-theme', 'Theme', [['', 'Follow the reader (light or dark)'], ['light', 'Always light'], ['dark', 'Always dark']], 'Colours follow <code>prefers-color-scheme</code> unless pinned.')}
  ${select('cfg-sort', 'Order', [['', 'Oldest first'], ['newest', 'Newest first'], ['top', 'Most replies first']], 'Readers can change it; this is where they start.')}
</form>
<section class="output" aria-labelledby="snippet-heading">
  <h2 id="snippet-heading">Your snippet</h2>
  <p>Paste it where the comments should appear, usually after the article.</p>
  <div class="snippet-box">
    <pre><code id="snippet" aria-live="polite"></code></pre>
    <button type="button" id="copy-snippet" class="button">Copy</button>
    <p class="copied" id="copy-status" role="status"></p>
  </div>
  <h2 id="hints-heading">Faster: hints for the page's head</h2>
  <p>Optional. In <code>&lt;head&gt;</code>, these start loading the widget, and with a thread
  key its first comments, while the page itself loads; the widget then uses what was
  preloaded instead of asking again. Keep them exactly as written: a preload whose address or
  <code>crossorigin</code> differs is fetched for nothing. See
  <a href="index.html#load-comments-with-the-page">getting started</a>.</p>
  <div class="snippet-box">
    <pre><code id="hints" aria-live="polite"></code></pre>
    <button type="button" id="copy-hints" class="button">Copy</button>
    <p class="copied" id="copy-hints-status" role="status"></p>
  </div>
  <h2 id="preview-heading">Preview</h2>
  <p class="muted">The preview keeps its comments in this browser instead of calling your server.</p>
  <div class="preview" id="preview-frame">
  ${liveThread('configurator-preview', '/docs/configurator')}
  </div>
</section>
</div>`;
}

const COLOUR = /color|background|surface|accent|danger|focus-ring|highlight/;
/** Starting points for the colour pickers (a colour input must hold a value). */
const PICKER_START: Record<string, string> = {
  '--colloquy-color': '#1f2328',
  '--colloquy-muted-color': '#59636e',
  '--colloquy-background': '#ffffff',
  '--colloquy-surface': '#f6f8fa',
  '--colloquy-border-color': '#d1d9e0',
  '--colloquy-accent': '#0b63c5',
  '--colloquy-accent-contrast': '#ffffff',
  '--colloquy-danger': '#c62828',
  '--colloquy-focus-ring': '#0b63c5',
  '--colloquy-highlight': '#fff6c2',
};
const TEXT_EXAMPLE: Record<string, string> = {
  '--colloquy-radius': '12px',
  '--colloquy-spacing': '1.25rem',
  '--colloquy-indent': '2rem',
  '--colloquy-font-family': 'Georgia, serif',
  '--colloquy-avatar-size': '2em',
  '--colloquy-avatar-radius': '50%',
};

const STARTER_PARTS_CSS = `colloquy-thread::part(comment) {
  border-inline-start: 3px solid var(--colloquy-accent);
  padding-inline-start: 0.75rem;
}
colloquy-thread::part(author) {
  font-variant: small-caps;
}`;

export function themingPlayground(manifest: Manifest): string {
  const thread = elementsOf(manifest).find((e) => e.tagName === 'colloquy-thread');
  if (!thread) throw new Error('custom-elements.json has no colloquy-thread');
  const rows = (thread.cssProperties ?? []).map((p) => {
    const id = `prop${p.name.replace(/^--colloquy/, '')}`;
    const colour = COLOUR.test(p.name);
    const input = colour
      ? `<input type="color" id="${id}" data-property="${escapeHtml(p.name)}" value="${PICKER_START[p.name] ?? '#888888'}">`
      : `<input type="text" id="${id}" data-property="${escapeHtml(p.name)}" placeholder="${escapeHtml(TEXT_EXAMPLE[p.name] ?? '')}" spellcheck="false">`;
    return `<div class="prop-row${colour ? ' colour' : ''}">
  <label for="${id}"><code>${escapeHtml(p.name)}</code><span class="hint">${inline(p.description)}</span></label>
  ${input}
</div>`;
  });
  const parts = (thread.cssParts ?? []).map(
    (p) => `<li><button type="button" class="part-button" data-part="${escapeHtml(p.name)}" title="${escapeHtml(p.description ?? '')}">${escapeHtml(p.name)}</button></li>`,
  );
  return `<div class="playground" id="theming-playground">
<div class="controls">
  <h3>Custom properties</h3>
  <p class="muted">A property applies once you change it. <button type="button" class="button small" id="reset-theme">Reset all</button></p>
  <div class="presets" role="group" aria-label="Presets">
    <button type="button" class="button small" data-preset="newsprint">Newsprint</button>
    <button type="button" class="button small" data-preset="forest">Forest</button>
    <button type="button" class="button small" data-preset="night">Night</button>
  </div>
  <form class="props" id="theme-props">
  ${rows.join('\n  ')}
  </form>
  <h3>Parts</h3>
  <p class="muted">Click a part to add a rule for it, then edit the CSS; it applies as you type.</p>
  <ul class="parts">${parts.join('')}</ul>
  <label for="parts-css" class="visually-hidden">CSS for parts</label>
  <textarea id="parts-css" rows="9" spellcheck="false">${escapeHtml(STARTER_PARTS_CSS)}</textarea>
</div>
<div class="result">
  <div class="field inline-field">
    <label for="theming-scheme">Preview in</label>
    <select id="theming-scheme">
      <option value="">the reader’s scheme</option>
      <option value="light">light</option>
      <option value="dark">dark</option>
    </select>
  </div>
  <div class="field check-field">
    <input type="checkbox" id="theming-avatars" aria-describedby="theming-avatars-hint">
    <label for="theming-avatars">Generated avatars</label>
    <p class="hint" id="theming-avatars-hint">The <code>avatars</code> attribute (off unless your tag has it): a figure drawn from each author's id, styled by the <code>--colloquy-avatar-*</code> properties and the <code>avatar</code> part.</p>
  </div>
  <div class="preview" id="theming-frame">
  ${liveThread('theming-preview', '/docs/theming')}
  </div>
  <h3>Your CSS</h3>
  <pre><code id="theme-css"></code></pre>
</div>
</div>`;
}
