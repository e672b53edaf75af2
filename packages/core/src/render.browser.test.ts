/*
 * The security corpus (`shared/corpus/xss.jsonl`) against the real rendering path in Chromium,
 * following the corpus's harness contract: an own non-writable `window.__xss` sentinel,
 * recorders for alert/confirm/prompt/print, one record at a time rendered into the live
 * document, interactions dispatched, a short wait for late events, then checks on the DOM.
 *
 * Each field is rendered where and how the widget shows it:
 * - body: through the markdown pipeline, and also as server-sent `html` (sanitized to nodes,
 *   and as a sanitized string assigned to innerHTML, the path mutation XSS targets), by both
 *   sanitizers: DOMPurify's and the browser's own (`Element.setHTML`, what embed.js uses);
 * - markdown: through the markdown pipeline;
 * - author: `displayText` as a text node inside `<bdi>`;
 * - url: `<a href>` when `safeUrl` accepts it, text otherwise.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { ColloquyError } from './errors.js';
import { renderMarkdown, renderMarkdownHtml } from './markdown.js';
import { ALLOWED_TAGS, LINK_REL, createSanitizer } from './sanitize.js';
import { createPlatformSanitizer } from './sanitize-platform.js';
import { displayText, safeUrl } from './text.js';
import { validateBody } from './validate.js';
import { validateName } from './validate-writes.js';

interface CorpusRecord {
  id: string;
  field: 'body' | 'markdown' | 'author' | 'url' | string;
  kind: 'attack' | 'probe' | 'control';
  payload: string | null;
  note: string;
  tags: string[];
  trigger?: string;
  generator?: { prefix: string; unit: string; count: number; suffix: string };
}

const FIELDS = new Set(['body', 'markdown', 'author', 'url']);
const ANONYMOUS = 'Anonymous';
/** Bidi embeddings, overrides and isolates: none may reach rendered text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
/** Everything that changes display order or hides itself: none may reach a rendered name. */
const NAME_INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F\u061C\uFEFF\u00AD]/;
const SAFE_HREF = /^(?:https?|mailto):/i;
const SETTLE_MS = 15;
const INTERACTION_SETTLE_MS = 60;

// --- the harness contract: sentinel and recorders before anything renders ---
const hits: string[] = [];
Object.defineProperty(window, '__xss', {
  value: (id: unknown) => hits.push(String(id)),
  writable: false,
  configurable: false,
});
const sentinel = (window as unknown as { __xss: unknown }).__xss;
for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
  (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    hits.push(`${name}(${args.map(String).join(',')})`);
    return name === 'prompt' ? null : undefined;
  };
}
// Links that survive are http(s)/mailto (checked on every record); clicking them in the test
// page must not navigate away from the runner.
document.addEventListener('click', (event) => event.preventDefault(), { capture: true });

// Served by web-test-runner.config.mjs, which answers 404 with the reason when the corpus is absent.
const corpusResponse = await fetch('/corpus/xss.jsonl');
if (!corpusResponse.ok) throw new Error(await corpusResponse.text());
const records: CorpusRecord[] = (await corpusResponse.text())
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusRecord)
  .filter((record) => FIELDS.has(record.field));

const sanitizer = createSanitizer(window);
const platform = createPlatformSanitizer(window);
// The test browser (Debian's Chromium) has Element.setHTML; without it this suite would not test the path embed.js takes.
if (!platform) throw new Error('This Chromium has no Element.setHTML: the platform sanitizer cannot be tested.');

function payloadOf(record: CorpusRecord): string {
  if (record.payload !== null) return record.payload;
  const { prefix, unit, count, suffix } = record.generator!;
  return prefix + unit.repeat(count) + suffix;
}

// The corpus's harness contract (shared/corpus/README.md) waits a short fixed time for late
// events after rendering and after interacting: what is checked is that no script ran, and an
// event that must not happen cannot be awaited.
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Text a browser would show for `html`, read from an inert template (nothing loads or runs). */
function inertText(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const hidden of Array.from(template.content.querySelectorAll('script, style, template, noscript, title, textarea, xmp, iframe, noembed, noframes'))) {
    hidden.remove();
  }
  return template.content.textContent ?? '';
}

/** Equality that reports where two long strings part ways instead of printing them whole. */
function expectSameText(actual: string, expected: string, message: string): void {
  if (actual === expected) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (s: string): string => JSON.stringify(s.slice(Math.max(0, at - 20), at + 20));
  expect.fail(`${message}: differs at ${at} (length ${actual.length} vs ${expected.length}): ${around(actual)} vs ${around(expected)}`);
}

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function normalizedText(node: Node): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ');
}

/** Renders one record as the widget would; returns the containers it filled. */
function render(record: CorpusRecord, payload: string, root: HTMLElement): HTMLElement[] {
  const make = (label: string): HTMLElement => {
    const container = document.createElement('div');
    container.dataset.path = label;
    root.append(container);
    return container;
  };
  if (record.field === 'author') {
    const row = make('author');
    const bdi = document.createElement('bdi');
    bdi.textContent = displayText(payload, ANONYMOUS);
    row.append(bdi, document.createTextNode(' replied'));
    return [row];
  }
  if (record.field === 'url') {
    const row = make('url');
    const href = safeUrl(payload);
    if (href === null) {
      row.append(document.createTextNode(displayText(payload)));
    } else {
      const link = document.createElement('a');
      link.href = href;
      link.rel = LINK_REL;
      link.textContent = displayText(href);
      row.append(link);
    }
    return [row];
  }
  const markdown = make('markdown');
  markdown.append(sanitizer.sanitizeToFragment(renderMarkdown(payload, window)));
  // What the server sends as `html`, inserted without the sanitizer: it must be inert by
  // construction, so a client that forgot to sanitize would still be safe.
  const serverHtml = make('server-html');
  serverHtml.innerHTML = renderMarkdownHtml(payload);
  if (record.field === 'markdown') return [markdown, serverHtml];
  const htmlNodes = make('html-fragment');
  htmlNodes.append(sanitizer.sanitizeToFragment(payload));
  const htmlString = make('html-string');
  htmlString.innerHTML = sanitizer.sanitize(payload);
  const platformNodes = make('platform-fragment');
  platformNodes.append(platform!.sanitizeToFragment(payload));
  const platformString = make('platform-string');
  platformString.innerHTML = platform!.sanitize(payload);
  return [markdown, serverHtml, htmlNodes, htmlString, platformNodes, platformString];
}

async function interact(record: CorpusRecord, root: HTMLElement): Promise<void> {
  for (const element of [root, ...Array.from(root.querySelectorAll<HTMLElement>('*'))]) {
    element.focus?.();
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup']) {
      element.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
    element.click?.();
    element.blur?.();
  }
  if (record.trigger) {
    try {
      // Test harness only: the corpus gives the user interaction as code to run.
      new Function(record.trigger)();
    } catch {
      // The element the trigger reaches for was removed by sanitizing: nothing to interact with.
    }
  }
}

/** The DOM checks every record must pass, whatever its kind. */
function assertInert(record: CorpusRecord, containers: HTMLElement[]): void {
  const allowed = record.field === 'author' ? ['BDI'] : record.field === 'url' ? ['A'] : ALLOWED_TAGS.map((t) => t.toUpperCase());
  for (const container of containers) {
    for (const element of Array.from(container.querySelectorAll('*'))) {
      expect(allowed, `${container.dataset.path}: <${element.tagName.toLowerCase()}> survived`).to.include(element.tagName);
      for (const attribute of Array.from(element.attributes)) {
        expect(['href', 'rel'], `${container.dataset.path}: attribute ${attribute.name} survived`).to.include(attribute.name);
      }
      if (element.tagName === 'A') {
        expect(element.getAttribute('href') ?? '', `${container.dataset.path}: link destination`).to.match(SAFE_HREF);
        expect(element.getAttribute('rel'), `${container.dataset.path}: link rel`).to.equal(LINK_REL);
      }
    }
  }
  expect((window as unknown as { __xss: unknown }).__xss, 'sentinel clobbered').to.equal(sentinel);
  expect(typeof document.getElementById, 'document.getElementById clobbered').to.equal('function');
  expect(typeof document.createElement, 'document.createElement clobbered').to.equal('function');
}

function assertControlSurvives(record: CorpusRecord, payload: string, containers: HTMLElement[]): void {
  if (record.field === 'author') {
    expectSameText(containers[0]!.querySelector('bdi')!.textContent ?? '', payload, 'name shown verbatim');
    return;
  }
  if (record.field === 'url') {
    const link = containers[0]!.querySelector('a');
    expect(link, 'website link kept').not.to.equal(null);
    expect(link!.getAttribute('href')).to.equal(new URL(payload).href);
    return;
  }
  const expectedWords = record.field === 'markdown' ? words(payload.replace(/\]\([^)]*\)/g, ']')) : words(inertText(payload));
  for (const container of containers) {
    const shown = normalizedText(container);
    for (const word of expectedWords) expect(shown.includes(word), `${container.dataset.path}: "${word}" kept`).to.equal(true);
  }
  const destinations =
    record.field === 'markdown'
      ? Array.from(payload.matchAll(/\]\(([^)\s]+)/g), (m) => m[1]!)
      : Array.from(payload.matchAll(/<a\s[^>]*href=["']?([^"'\s>]+)/gi), (m) => m[1]!);
  for (const destination of destinations.filter((d) => SAFE_HREF.test(d))) {
    for (const container of record.field === 'markdown' ? containers : containers.slice(1)) {
      expect(container.querySelector(`a[href="${CSS.escape(destination)}"]`), `${container.dataset.path}: link to ${destination} kept`).not.to.equal(null);
    }
  }
}

function assertProbe(record: CorpusRecord, payload: string, containers: HTMLElement[]): void {
  if (record.field === 'author') {
    const bdi = containers[0]!.querySelector('bdi')!;
    expect(bdi.childNodes.length, 'the name is one text node').to.equal(1);
    expect(bdi.firstChild!.nodeType).to.equal(Node.TEXT_NODE);
    expectSameText(bdi.textContent ?? '', displayText(payload, ANONYMOUS), 'name shown through displayText');
    expect(bdi.textContent, 'no bidi or invisible characters in the name').not.to.match(NAME_INVISIBLES);
    expect(getComputedStyle(bdi).unicodeBidi, 'the name is bidi-isolated').to.equal('isolate');
    // Names without invisible characters or line breaks show exactly as typed.
    // eslint-disable-next-line no-control-regex -- a name with controls is not shown verbatim
    if (!NAME_INVISIBLES.test(payload) && !/[\u0000-\u001F\u007F-\u009F\u3164\u00A0]/.test(payload) && payload.trim() === payload) {
      expectSameText(bdi.textContent ?? '', payload, 'name shown verbatim');
    }
    return;
  }
  if (record.field === 'url') {
    const link = containers[0]!.querySelector('a');
    const href = safeUrl(payload);
    if (href === null) expect(link, 'a refused URL is not a link').to.equal(null);
    else expect(link!.getAttribute('href')).to.equal(href);
    expect(normalizedText(containers[0]!), 'no bidi controls in the shown URL').not.to.match(BIDI_CONTROLS);
    return;
  }
  for (const container of containers) {
    expect(normalizedText(container), `${container.dataset.path}: no bidi controls in text`).not.to.match(BIDI_CONTROLS);
  }
  if (record.tags.includes('md-link') && record.tags.includes('spoofing')) {
    // A label naming another destination: the reader sees the host the link really goes to.
    for (const container of containers) {
      for (const link of Array.from(container.querySelectorAll('a'))) {
        const host = new URL(link.href).hostname;
        expect(link.textContent, `${container.dataset.path}: the link shows its real host`).to.include(host);
      }
    }
  }
  if (record.tags.some((tag) => tag === 'double-decode' || tag === 'entity' || tag === 'md-code')) {
    // Escaped markup must stay visible as text, never become a tag.
    const expected = words(record.field === 'markdown' ? inertText(payload) : inertText(payload));
    for (const container of containers) {
      const shown = normalizedText(container);
      for (const word of expected) expect(shown.includes(word), `${container.dataset.path}: "${word}" shown as text`).to.equal(true);
    }
  }
}

/** Sanitizing sanitized output changes nothing (a mutation would show up here). */
function assertStable(record: CorpusRecord, payload: string): void {
  const rendered = renderMarkdown(payload, window);
  expectSameText(sanitizer.sanitize(rendered), rendered, 'markdown output is stable under sanitizing');
  if (record.field === 'body') {
    for (const [name, each] of [['DOMPurify', sanitizer], ['platform', platform!]] as const) {
      const once = each.sanitize(payload);
      expectSameText(each.sanitize(once), once, `${name}: sanitize(sanitize(x)) === sanitize(x)`);
    }
  }
}

const summary = { rendered: 0, rejected: 0, attacks: 0, probes: 0, controls: 0 };

describe('XSS corpus against the rendering path', () => {
  after(() => {
    console.log(
      `xss corpus: ${records.length} records (${summary.attacks} attacks, ${summary.probes} probes, ${summary.controls} controls); ` +
        `${summary.rendered} rendered, ${summary.rejected} refused by validation`,
    );
  });

  it('loaded the corpus records for body, markdown, author and url', () => {
    expect(records.length).to.be.greaterThan(700);
  });

  it('the harness notices script that runs, on load and on interaction', async () => {
    // Unsanitized on purpose: proves a hit would be seen, so the passes below mean something.
    hits.length = 0;
    const root = document.createElement('section');
    document.body.append(root);
    try {
      root.innerHTML = '<img src="/missing.png" onerror="window.__xss(1)"><b onmouseover="window.__xss(2)">x</b>';
      await interact({ id: '0', field: 'body', kind: 'attack', payload: '', note: '', tags: ['interaction'] }, root);
      await waitUntil(() => hits.length >= 2, 'the unsanitized handlers ran');
      expect([...hits].sort()).to.deep.equal(['1', '2']);
    } finally {
      root.remove();
      hits.length = 0;
    }
  });

  for (const record of records) {
    it(`${record.id} ${record.field} ${record.kind}: ${record.note.slice(0, 70)}`, async () => {
      summary[record.kind === 'attack' ? 'attacks' : record.kind === 'probe' ? 'probes' : 'controls']++;
      hits.length = 0;
      const payload = payloadOf(record);

      if (record.field === 'body' || record.field === 'markdown') {
        let refusal: unknown = null;
        try {
          validateBody(payload);
        } catch (error) {
          refusal = error;
        }
        if (refusal !== null) expect(refusal, 'validation fails only with ColloquyError').to.be.instanceOf(ColloquyError);
        if (displayText(payload) === '') expect((refusal as ColloquyError | null)?.code, 'a visually empty body is refused').to.equal('invalid_input');
        // An oversized body never reaches the renderer: the clean rejection is the pass.
        if (refusal instanceof ColloquyError && refusal.code === 'body_too_long') {
          expect(record.kind, 'a control is never refused as too long').not.to.equal('control');
          summary.rejected++;
          return;
        }
      } else if (record.field === 'author') {
        try {
          validateName(payload);
        } catch (error) {
          expect(error, 'validation fails only with ColloquyError').to.be.instanceOf(ColloquyError);
        }
      }

      const root = document.createElement('section');
      document.body.append(root);
      const headBefore = document.head.children.length;
      try {
        const containers = render(record, payload, root);
        summary.rendered++;
        await settle(SETTLE_MS);
        if (record.tags.includes('interaction') || record.trigger) {
          await interact(record, root);
          await settle(INTERACTION_SETTLE_MS);
        }
        expect(hits, 'script ran').to.deep.equal([]);
        assertInert(record, containers);
        expect(document.head.children.length, 'nothing was added to <head>').to.equal(headBefore);
        if (record.kind === 'control') assertControlSurvives(record, payload, containers);
        if (record.kind === 'probe') assertProbe(record, payload, containers);
        if (record.field === 'body' || record.field === 'markdown') assertStable(record, payload);
      } finally {
        root.remove();
      }
    });
  }
});
