import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SHARED_SCHEMAS } from './common.js';

// RFC 3339 date-time, as ajv-formats checks it on the server.
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** TypeBox's value checker knows no formats until they are registered; the protocol uses one. */
function registerFormats(): void {
  if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value));
}

/**
 * Whether `value` has the shape `schema` describes, shared definitions (`Comment`, `Author`, …)
 * resolved. For Node (tests, tools): browsers check answers with the REST adapter's small guard.
 */
export function matchesSchema<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  registerFormats();
  return Value.Check(schema, [...SHARED_SCHEMAS], value);
}

/** The first few places `value` departs from `schema`, as `path: message` lines, for test failures. */
export function schemaErrors(schema: TSchema, value: unknown, max = 5): string[] {
  registerFormats();
  const lines: string[] = [];
  for (const error of Value.Errors(schema, [...SHARED_SCHEMAS], value)) {
    lines.push(`${error.path || '/'}: ${error.message}`);
    if (lines.length >= max) break;
  }
  return lines;
}
