// The HTTP API reference, generated from the OpenAPI document the server itself publishes at
// /api/v1/openapi.json: the app is built in-process over an in-memory SQLite database and
// asked with fastify's inject, so no port opens and nothing goes over the network.
import { createApp } from '@colloquy/server';
import { escapeHtml } from './layout.js';
import { inline } from './components.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  format?: string;
};
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The server's own OpenAPI document, from the app built in this process. */
export async function loadOpenApi(): Promise<OpenApiDocument> {
  const app = await createApp({ databaseUrl: 'sqlite::memory:', serveDemo: false, spamFilter: false, rateLimits: null });
  try {
    const response = await app.fastify.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${response.statusCode}`);
    return response.json() as OpenApiDocument;
  } finally {
    await app.close();
  }
}

function constraints(schema: Schema): string {
  const notes: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) notes.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined) notes.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) notes.push(`≤ ${hi}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' chars');
  range(schema.minimum, schema.maximum, '');
  range(schema.minItems, schema.maxItems, ' items');
  if (schema.format) notes.push(schema.format);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes.length ? ` <span class="note">/* ${escapeHtml(notes.join(', '))} */</span>` : '';
}

/** A schema as a TypeScript-like type, with links to named schemas; HTML. */
export function typeOf(schema: Schema | undefined, indent = ''): string {
  if (!schema) return 'unknown';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? schema.$ref;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  if (schema.const !== undefined) return `<span class="lit">${escapeHtml(JSON.stringify(schema.const))}</span>`;
  if (schema.enum) return schema.enum.map((v) => `<span class="lit">${escapeHtml(JSON.stringify(v))}</span>`).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => typeOf(s, indent)).join(' | ') + constraints(schema);
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `${typeOf(schema.items, indent)}[]${constraints(schema)}`;
  if (type === 'object' || schema.properties) {
    const entries = Object.entries(schema.properties ?? {});
    if (entries.length === 0) {
      const extra = schema.additionalProperties;
      return typeof extra === 'object' ? `{ [key: string]: ${typeOf(extra, indent)} }` : 'object';
    }
    const inner = indent + '  ';
    const lines = entries.map(([name, property]) => {
      const optional = (schema.required ?? []).includes(name) ? '' : '?';
      const comment = property.description ? ` <span class="note">// ${escapeHtml(property.description)}</span>` : '';
      return `${inner}${escapeHtml(name)}${optional}: ${typeOf(property, inner)}${comment}`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return `${escapeHtml(type ?? 'unknown')}${constraints(schema)}`;
}

function renderOperation(method: string, path: string, operation: Operation): string {
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '').toLowerCase();
  const params = operation.parameters ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td><code class="type">${typeOf(p.schema)}</code></td><td>${inline(p.description)}</td></tr>`,
    )
    .join('\n');
  const body = operation.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries(operation.responses ?? {}).map(([status, response]) => {
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    const shape = media?.schema ? `<pre class="schema"><code>${typeOf(media.schema)}</code></pre>` : '';
    return `<li><strong>${escapeHtml(status)}</strong> ${mediaType ? `<code>${escapeHtml(mediaType)}</code>` : ''} — ${inline(response.description)}${shape}</li>`;
  });
  return `<section class="operation" id="${id}">
<h3><span class="method method-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${inline(operation.summary)}${operation.security?.length ? ' <span class="badge">Bearer token</span>' : ''}</p>
${params.length ? `<div class="table-scroll"><table><thead><tr><th scope="col">parameter</th><th scope="col">in</th><th scope="col">required</th><th scope="col">type</th><th scope="col">description</th></tr></thead><tbody>\n${paramRows}\n</tbody></table></div>` : ''}
${body ? `<h4>Request body</h4><pre class="schema"><code>${typeOf(body)}</code></pre>` : ''}
<h4>Responses</h4>
<ul class="responses">${responses.join('\n')}</ul>
</section>`;
}

export function renderProtocolReference(doc: OpenApiDocument): string {
  const operations: string[] = [];
  const toc: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '').toLowerCase();
      toc.push(`<li><span class="method method-${method}">${method.toUpperCase()}</span> <a href="#${id}"><code>${escapeHtml(path)}</code></a> <span>${inline(operation.summary)}</span></li>`);
      operations.push(renderOperation(method, path, operation));
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) => `<section class="schema-def" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3><pre class="schema"><code>${typeOf(schema)}</code></pre></section>`,
  );
  return `<h1>HTTP API reference</h1>
<p class="lede">${inline(doc.info.description)}</p>
<p>Generated from the OpenAPI ${escapeHtml(doc.openapi)} document that <code>@colloquy/server</code>
publishes at <code>/api/v1/openapi.json</code>, so it matches the server it was built with.
Download it: <a href="openapi.json">openapi.json</a>. Conventions — errors, identity,
paging, idempotency — are explained in the <a href="protocol-guide.html">protocol guide</a>.
Every 4XX answer is an <a href="#schema-Error">Error</a>.</p>
<h2 id="endpoints">Endpoints</h2>
<ul class="toc endpoints">
${toc.join('\n')}
</ul>
${operations.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}`;
}
