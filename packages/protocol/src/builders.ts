// Small builders the schemas share; internal to this package (not exported by its index).
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

/** A union of string literals, from one of the lists in `./constants.ts`. */
export function literals<const T extends readonly string[]>(values: T): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((value) => Type.Literal(value))) as never;
}

/** A reference by `$id` that keeps the referred schema's static type. */
export const ref = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T>>(Type.Ref(schema.$id!));

/** ISO 8601 in UTC with milliseconds. */
export const Timestamp = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });

export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) => Type.Union([schema, Type.Null()], options);
