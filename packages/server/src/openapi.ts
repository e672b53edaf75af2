import { SHARED_SCHEMAS } from './schemas.js';

export interface RouteInfo {
  method: string;
  url: string;
  schema: unknown;
  config: unknown;
}

/** How a route appears in the document, besides what its schemas say (route `config.openapi`). */
export interface RouteDoc {
  summary: string;
  /** Needs a bearer token; routes with `config.auth` of `identity` or `moderator` need one without saying so here. */
  auth?: boolean;
  idempotencyKey?: boolean;
  /** `true`: a thread's events; `'moderation'`: the moderators' events. */
  sse?: boolean | 'moderation';
}

const ERROR_RESPONSE = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** Replaces fastify's `Name#` refs with OpenAPI component refs, and drops TypeBox's symbol keys. */
function toOpenApiSchema(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema ?? {}), (key, value) => {
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return `#/components/schemas/${value.replace(/#$/, '')}`;
    if (key === '$id') return undefined;
    return value;
  });
}

interface ObjectSchema {
  properties?: Record<string, unknown>;
  required?: string[];
}

function parameters(schema: unknown, where: 'query' | 'path') {
  const object = (schema ?? {}) as ObjectSchema;
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const p = toOpenApiSchema(property) as { type?: string; description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(p.type === 'array' ? { style: 'form', explode: true } : {}),
      ...(p.description ? { description: p.description } : {}),
      schema: p,
    };
  });
}

/** OpenAPI 3.1 for the routes registered under /api/v1, built from the schemas fastify validates with. */
export function buildOpenApi(routes: readonly RouteInfo[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const config = route.config as { openapi?: RouteDoc; auth?: string } | undefined;
    const meta = config?.openapi;
    if (!meta) continue;
    const schema = (route.schema ?? {}) as { querystring?: unknown; params?: unknown; body?: unknown; response?: Record<string, unknown> };
    const auth = meta.auth === true || config?.auth === 'identity' || config?.auth === 'moderator';
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params: unknown[] = [...parameters(schema.querystring, 'query'), ...parameters(schema.params, 'path')];
    if (meta.idempotencyKey) {
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A retry with the same key returns the first result (201 with Idempotent-Replayed: true).',
        schema: { type: 'string', minLength: 1, maxLength: 200 },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries(schema.response ?? {})) {
      if (!/^2/.test(status)) {
        responses[status.toUpperCase()] = ERROR_RESPONSE;
        continue;
      }
      responses[status] = meta.sse
        ? {
            description:
              meta.sse === 'moderation'
                ? 'Server-Sent Events: reported, held, hidden, moderated; data is {"comment": …} with the facts of the event (see docs/protocol.md)'
                : 'Server-Sent Events: created, edited, deleted, hidden, restored; data is {"comment": …}',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          }
        : { description: 'Success', content: { 'application/json': { schema: toOpenApiSchema(body) } } };
    }
    responses['4XX'] ??= ERROR_RESPONSE;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: meta.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: toOpenApiSchema(schema.body) } } } } : {}),
      ...(auth ? { security: [{ bearer: [] }] } : {}),
      responses,
    };
  }
  const schemas: Record<string, unknown> = {};
  for (const shared of SHARED_SCHEMAS) schemas[(shared as { $id: string }).$id] = toOpenApiSchema(shared);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Colloquy',
      version: '1.0.0',
      description: 'The v1 comment protocol. Errors are {"error": {"code", "message"}}; see docs/protocol.md.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A pseudonymous token from POST /api/v1/identities, or a host-site JWT (HS256).',
        },
      },
    },
  };
}
