// The generated references say what the code says: every documented name of the element's
// manifest, every route of the server's OpenAPI document, every environment variable the
// server reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elementsOf, renderComponentReference } from '../build/components.js';
import { themingPlayground } from '../build/interactive.js';
import { loadOpenApi, renderProtocolReference } from '../build/protocol.js';
import { documentedEnvNames, envNamesReadByServer, readManifest } from '../build/sources.js';

test('the component reference lists every attribute, event, part and custom property in the manifest', () => {
  const manifest = readManifest();
  const html = renderComponentReference(manifest);
  const elements = elementsOf(manifest);
  assert.ok(elements.some((e) => e.tagName === 'colloquy-thread'));
  for (const element of elements) {
    assert.ok(html.includes(`&lt;${element.tagName}&gt;`), element.tagName);
    for (const a of element.attributes ?? []) assert.ok(html.includes(`<code>${a.name}</code>`), `${element.tagName} attribute ${a.name}`);
    for (const e of element.events ?? []) assert.ok(html.includes(`<code>${e.name}</code>`), `${element.tagName} event ${e.name}`);
    for (const p of element.cssParts ?? []) assert.ok(html.includes(`::part(${p.name})`), `${element.tagName} part ${p.name}`);
    for (const p of element.cssProperties ?? []) assert.ok(html.includes(`<code>${p.name}</code>`), `${element.tagName} property ${p.name}`);
  }
  // Private state never leaks into the reference.
  assert.ok(!html.includes('<code>replyTo</code>'));
});

test('the theming playground offers every custom property and part of the thread', () => {
  const manifest = readManifest();
  const html = themingPlayground(manifest);
  const thread = elementsOf(manifest).find((e) => e.tagName === 'colloquy-thread');
  for (const p of thread?.cssProperties ?? []) assert.ok(html.includes(`data-property="${p.name}"`), p.name);
  for (const p of thread?.cssParts ?? []) assert.ok(html.includes(`data-part="${p.name}"`), p.name);
});

test('the HTTP reference has every operation of the server’s own OpenAPI document', async () => {
  const doc = await loadOpenApi();
  const html = renderProtocolReference(doc);
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m, path] as const));
  assert.ok(operations.length >= 10, `only ${operations.length} operations`);
  for (const [method, path] of operations) {
    assert.ok(html.includes(`method-${method}">${method.toUpperCase()}</span> <code>${path}</code>`), `${method} ${path}`);
  }
  assert.ok(html.includes('id="schema-Comment"'));
});

test('the self-hosting guide documents every environment variable the server reads', () => {
  const read = envNamesReadByServer();
  const documented = new Set(documentedEnvNames());
  assert.ok(read.includes('DATABASE_URL') && read.includes('COLLOQUY_JWT_SECRET'), read.join(', '));
  assert.deepEqual(read.filter((name) => !documented.has(name)), [], 'add them to the table in packages/server/README.md');
});
