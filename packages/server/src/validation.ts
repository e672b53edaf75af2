import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { SHARED_SCHEMAS } from './schemas.js';

/**
 * Two ajv instances: query strings and path parameters arrive as text, so they are coerced
 * ("20" → 20, a single `thread` → ["…"]); JSON bodies are typed already and are checked
 * strictly, so `{"body": 42}` is refused rather than turned into "42".
 */
export function createValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
    addFormats.default(ajv);
    for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);
    return ajv;
  };
  const text = make('array');
  const json = make(false);
  const caches = new Map([
    [json, new WeakMap<object, ValidateFunction>()],
    [text, new WeakMap<object, ValidateFunction>()],
  ]);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? json : text;
    const cache = caches.get(ajv)!;
    let validate = cache.get(schema as object);
    if (!validate) {
      validate = ajv.compile(schema as object);
      cache.set(schema as object, validate);
    }
    return validate;
  };
}
