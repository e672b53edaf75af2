import fastJson from 'fast-json-stringify';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import { SHARED_SCHEMAS } from './schemas.js';

/**
 * Answers are written from their route's response schema by fast-json-stringify, as fastify
 * does by default, but each schema object is compiled once for the whole app: the error
 * envelope and the comment answer are shared by many routes, and compiling them per route
 * would add a noticeable share to the server's cold start.
 */
export function createSerializerCompiler(): FastifySerializerCompiler<FastifySchema> {
  const external = Object.fromEntries(SHARED_SCHEMAS.map((schema) => [(schema as { $id: string }).$id, schema]));
  const compiled = new WeakMap<object, (data: unknown) => string>();
  return ({ schema }) => {
    let serialize = compiled.get(schema as object);
    if (!serialize) {
      serialize = fastJson(schema as Parameters<typeof fastJson>[0], { schema: external as unknown as Record<string, Parameters<typeof fastJson>[0]> });
      compiled.set(schema as object, serialize);
    }
    return serialize;
  };
}
