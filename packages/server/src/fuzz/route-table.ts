import type { FastifyInstance } from 'fastify';

export interface TableRoute {
  method: string;
  /** Fastify's pattern, e.g. `/api/v1/comments/:id`. */
  url: string;
}

/**
 * Every route the app answers, read from fastify's own table (`printRoutes`), so a route added
 * tomorrow is fuzzed tomorrow without anyone listing it. The tree printer indents each child
 * four columns under its parent and prints the part of the path it adds.
 */
export function routeTable(app: FastifyInstance): TableRoute[] {
  const routes: TableRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: stack.join('') });
    }
  }
  return routes;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. `/api/v1/comments/{id}`. */
  path: string;
  parameters: Array<{ name: string; in: 'query' | 'path' | 'header'; required: boolean; schema: JsonSchema }>;
  body: JsonSchema | null;
  /** Needs a bearer token. */
  secured: boolean;
  sse: boolean;
}

/** The slice of JSON Schema the protocol's TypeBox schemas produce. */
export interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
}

interface OpenApiOperation {
  parameters?: Operation['parameters'];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/** The operations of the app's OpenAPI document, with what each accepts. */
export function operations(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json'].schema ?? null,
      secured: (operation.security ?? []).length > 0,
      sse: Object.values(operation.responses).some((r) => r.content !== undefined && 'text/event-stream' in r.content),
    })),
  );
}

/** `/api/v1/comments/:id` → `/api/v1/comments/{id}`, as the OpenAPI document writes it. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}');
}
