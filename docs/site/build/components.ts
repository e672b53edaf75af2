// The component reference, generated from packages/element/custom-elements.json (which the
// element's build generates from the JSDoc of each component), so it never drifts.
import { escapeHtml } from './layout.js';
import { slugify } from './markdown.js';

interface Named {
  name: string;
  description?: string;
  summary?: string;
  type?: { text: string };
  default?: string;
}
interface Attribute extends Named {
  fieldName?: string;
}
interface Member extends Named {
  kind: 'field' | 'method';
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
  parameters?: Named[];
  return?: { type?: { text: string } };
}
export interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
export interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

/** The custom elements in the manifest, the thread first (it is the one site owners use). */
export function elementsOf(manifest: Manifest): Declaration[] {
  const order = ['colloquy-thread', 'colloquy-count'];
  const found = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement && d.tagName));
  const rank = (d: Declaration) => {
    const i = order.indexOf(d.tagName ?? '');
    return i === -1 ? order.length : i;
  };
  return found.sort((a, b) => rank(a) - rank(b) || (a.tagName ?? '').localeCompare(b.tagName ?? ''));
}

/** Inline `code` and nothing else: descriptions are plain sentences with backticks. */
export function inline(text: string | undefined): string {
  if (!text) return '';
  return escapeHtml(text.replace(/\s+/g, ' ').trim()).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function table(caption: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<h3>${caption}</h3>\n<div class="table-scroll"><table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>\n`;
}

const code = (text: string | undefined) => (text ? `<code>${escapeHtml(text)}</code>` : '—');

/** Public members worth a row: properties (with or without an attribute) and public methods. */
function publicMembers(element: Declaration): Member[] {
  return (element.members ?? []).filter((m) => !m.privacy && !m.static && !m.name.startsWith('_') && (m.description || m.attribute));
}

export function renderElement(element: Declaration): string {
  const tag = element.tagName ?? element.name;
  const attributes = element.attributes ?? [];
  const members = publicMembers(element);
  const fields = members.filter((m) => m.kind === 'field');
  const methods = members.filter((m) => m.kind === 'method');
  const parts = [
    `<section class="component" id="${slugify(tag)}">`,
    `<h2><code>&lt;${escapeHtml(tag)}&gt;</code></h2>`,
    `<p class="lede">${inline(element.summary)}</p>`,
    element.description ? `<p>${inline(element.description)}</p>` : '',
    `<p class="muted">Class <code>${escapeHtml(element.name)}</code>.</p>`,
    table(
      'Attributes',
      ['attribute', 'property', 'type', 'default', 'description'],
      attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), inline(a.description)]),
    ),
    table(
      'Properties',
      ['property', 'attribute', 'type', 'default', 'description'],
      fields.map((m) => [
        code(m.name) + (m.readonly ? ' <span class="badge">read-only</span>' : ''),
        code(m.attribute),
        code(m.type?.text),
        code(m.default),
        inline(m.description),
      ]),
    ),
    table(
      'Methods',
      ['method', 'description'],
      methods.map((m) => [
        code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.type ? `: ${p.type.text}` : ''}`).join(', ')})`),
        inline(m.description),
      ]),
    ),
    table('Events', ['event', 'description'], (element.events ?? []).map((e) => [code(e.name), inline(e.description)])),
    table('Slots', ['slot', 'description'], (element.slots ?? []).map((s) => [code(s.name || '(default)'), inline(s.description)])),
    table('CSS parts', ['part', 'description'], (element.cssParts ?? []).map((p) => [code(`::part(${p.name})`), inline(p.description)])),
    table(
      'CSS custom properties',
      ['property', 'description'],
      (element.cssProperties ?? []).map((p) => [code(p.name), inline(p.description)]),
    ),
    '</section>',
  ];
  return parts.filter(Boolean).join('\n');
}

export function renderComponentReference(manifest: Manifest): string {
  const elements = elementsOf(manifest);
  if (elements.length === 0) throw new Error('custom-elements.json lists no custom elements; build @colloquy/element first.');
  const toc = elements
    .map((e) => `<li><a href="#${slugify(e.tagName ?? '')}"><code>&lt;${escapeHtml(e.tagName ?? '')}&gt;</code></a> — ${inline(e.summary)}</li>`)
    .join('\n');
  return `<h1>Component reference</h1>
<p class="lede">Every tag, attribute, property, event, part and custom property of the widget.
This page is generated from <code>packages/element/custom-elements.json</code>, which the
element's build derives from each component's JSDoc, so it always matches the code.</p>
<ul class="toc">
${toc}
</ul>
<p>Events are <code>Event</code> subclasses that bubble and cross shadow roots; in TypeScript they are
typed through <code>HTMLElementEventMap</code>, so <code>thread.addEventListener('colloquy-posted', (e) =&gt; e.comment)</code>
knows <code>e</code> is a <code>ColloquyPostedEvent</code>.</p>
${elements.map(renderElement).join('\n')}`;
}
