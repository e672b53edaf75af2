import fc from 'fast-check';
import type { JsonSchema, Operation } from './route-table.js';

/** Who sends a request: one of the fixture's callers, or an Authorization header made up on the spot. */
export type CallerSpec =
  | { kind: 'caller'; name: CallerName }
  | { kind: 'header'; value: string | Buffer }
  | { kind: 'jwt'; claims: Record<string, unknown>; goodSecret: boolean };

export type CallerName = 'anonymous' | 'reader' | 'nameless' | 'moderator' | 'staff';

/** One generated request, before tokens are signed and the target is written out. */
export interface FuzzRequest {
  method: string;
  target: string;
  caller: CallerSpec;
  headers: Array<[string, string | Buffer]>;
  body?: Buffer;
}

/**
 * Values that make a request go deep: ids and cursors that exist, threads with comments. A key
 * `name` applies to every route; `/api/v1/path name` to that path only, in place of `name`.
 */
export type Hints = Record<string, readonly string[]>;

function hintsFor(hints: Hints, path: string): Hints {
  const local: Record<string, readonly string[]> = { ...hints };
  for (const [key, values] of Object.entries(hints)) {
    const [route, name] = key.split(' ');
    if (name !== undefined) {
      delete local[key];
      if (route === path) local[name] = values;
    }
  }
  return local;
}

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(8),
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  '\u202e\u2066',
  '\ufeff',
  '\uffff',
  '😀👩‍👩‍👧',
  'e\u0301\u0301\u0301',
  '\u0085\u2028\u2029',
  '\r\n',
  '\t\u000b\u000c',
  '\u007f\u0080\u009f',
  '../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '%ED%A0%80',
  "'; DROP TABLE comments; --",
  '" OR 1=1 --',
  '\\',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '<script>alert(1)</script>',
  'c_',
  'cq_',
  'cqs_',
];

/** Text a careless or hostile client sends: NUL, lone surrogates, controls, odd unicode, very long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }), weight: 1 },
  {
    // PostgreSQL refuses NUL in text, so it comes most often.
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\u0000', '\u0000', '\u0000', '\ud800', '\udc00', '\u0001', '\u001b', '\u200b'), fc.string({ maxLength: 6 }))
      .map(([a, odd, b]) => a + odd + b),
    weight: 5,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(201, 513, 1_001, 10_001, 70_000), fc.constantFrom('x', 'é', '😀', '\u0000', '%'))
      .map(([n, unit]) => unit.repeat(n)),
    weight: 1,
  },
);

/** A JSON value of any type, for a field that expects another. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 3 }),
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
);

/** A value the schema accepts, preferring a hint when there is one for this field. */
export function validValue(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<unknown> {
  const hinted = name !== undefined ? hints[name] : undefined;
  if (hinted?.length && (schema.type === 'string' || schema.anyOf)) return fc.constantFrom(...hinted);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validValue(s, hints, name)));
  switch (schema.type) {
    case 'string':
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, hints, name), { minLength: 1, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) record[key] = validValue(property, hints, key);
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A valid-ish JSON body: valid, one field wrong, one field missing, an extra field, or no object at all. */
function jsonBody(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const valid = validValue(schema, hints) as fc.Arbitrary<Record<string, unknown>>;
  const keys = [...Object.keys(schema.properties ?? {}), '__proto__', 'extra'];
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...keys), fc.oneof(wrongValue, hostileString)).map(([v, k, x]) => ({ ...v, [k]: x })), weight: 4 },
    {
      arbitrary: fc.tuple(valid, fc.constantFrom(...keys)).map(([v, k]) => {
        const copy = { ...v };
        delete copy[k];
        return copy;
      }),
      weight: 1,
    },
    { arbitrary: wrongValue, weight: 1 },
  );
}

/** Bodies that are not JSON, or not UTF-8, or not what their length says. */
const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', '{', '{"a":', 'not json', '[]', 'null', '"text"', '1', '{"__proto__":{"admin":true}}', '['.repeat(10_000), '{"a":1}{"b":2}').map((s) => Buffer.from(s)),
  fc.constantFrom(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('{"body":"\ud800"}', 'utf16le')),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from(JSON.stringify({ body: 'x'.repeat(70_000) }))),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'application/json; charset=latin1',
  'application/json;;;',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  '*/*',
  '',
];

/** UTF-8 percent-encoding in which a lone surrogate is written as its three bytes (which no decoder accepts). */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (/^[A-Za-z0-9\-._~]$/.test(char)) out += char;
    else if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

function paramText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/**
 * A query string: the operation's parameters with valid values, then at most one of them made
 * hostile (one value, or repeated), so the hostile value is what the server has to handle rather
 * than hiding behind another parameter's error; sometimes extra parameters, sometimes garbage.
 */
function queryString(operation: Operation, hints: Hints): fc.Arbitrary<string> {
  const params = operation.parameters.filter((p) => p.in === 'query');
  const valid = params.map((p) => {
    const value = validValue(p.schema, hints, p.name).map((v) => (Array.isArray(v) ? v.map(paramText) : [paramText(v)]));
    return p.required ? value : fc.option(value, { freq: 2 }).map((v) => v ?? []);
  });
  const hostile = fc.oneof({ arbitrary: hostileString.map((v) => [v]), weight: 4 }, { arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }), weight: 1 });
  const mutation = params.length ? fc.option(fc.tuple(fc.nat(params.length - 1), fc.oneof(hostile, fc.constant([] as string[]))), { freq: 4 }) : fc.constant(null);
  const extra = fc.option(fc.tuple(fc.constantFrom('x', '__proto__', 'thread[]', 'limit', ''), hostileString), { freq: 5 });
  const built = fc.tuple(fc.tuple(...valid), mutation, extra).map(([values, change, more]) => {
    const lists = [...values];
    if (change) lists[change[0]] = change[1];
    const parts = lists.flatMap((list, i) => list.map((v) => `${params[i]!.name}=${percentEncode(v)}`));
    if (more) parts.push(`${percentEncode(more[0])}=${percentEncode(more[1])}`);
    return parts.length ? `?${parts.join('&')}` : '';
  });
  const garbage = fc.constantFrom('?', '?&&', '?=', '?%', '?%zz', '?a=%00', '?thread=%E0%A4%A', '?thread=%ED%A0%80', '?thread=%00', '?cursor=%00', '?a[b][c]=1', '?thread');
  return fc.oneof({ arbitrary: built, weight: 9 }, { arbitrary: garbage, weight: 1 });
}

/** The operation's path with each `{param}` a known id or hostile text. */
function pathString(operation: Operation, hints: Hints): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!);
  const values = names.map((name) => {
    const known = hints[name] ?? [];
    return fc.oneof(...(known.length ? [{ arbitrary: fc.constantFrom(...known), weight: 3 }] : []), { arbitrary: hostileString.filter((s) => s.length > 0), weight: 2 });
  });
  return fc.tuple(...values).map((chosen) => {
    let path = operation.path;
    names.forEach((name, i) => (path = path.replace(`{${name}}`, percentEncode(chosen[i]!))));
    return path;
  });
}

const garbageJwt: fc.Arbitrary<CallerSpec> = fc
  .record({
    sub: fc.oneof(hostileString, wrongValue, fc.constantFrom('fuzz-reader', 'fuzz-moderator')),
    name: fc.option(fc.oneof(hostileString, wrongValue), { nil: undefined }),
    role: fc.option(fc.oneof(fc.constantFrom('reader', 'mentor', 'moderator', 'staff', 'admin'), hostileString), { nil: undefined }),
    goodSecret: fc.boolean(),
  })
  .map(({ goodSecret, ...claims }) => ({ kind: 'jwt' as const, goodSecret, claims: Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)) }));

const garbageHeader: fc.Arbitrary<CallerSpec> = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YTpi', 'bearer cq_x', 'Bearer aaa.bbb.ccc', 'Bearer cq_not-a-token', 'Bearer a.b', 'Bearer ' + 'x'.repeat(5_000)),
  hostileString.map((s) => `Bearer ${s}`),
  fc.constantFrom(Buffer.from('Bearer cq_\u0000x', 'latin1'), Buffer.from('Bearer \u00e9\u00e9', 'utf8'), Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xff])),
).map((value) => ({ kind: 'header' as const, value }));

const anyCaller = fc.constantFrom<CallerName>('anonymous', 'reader', 'nameless', 'moderator', 'staff');

/** Mostly callers the route lets through, so requests get past the auth check and reach the store. */
function callerFor(operation: Operation): fc.Arbitrary<CallerSpec> {
  const likely = operation.path.includes('/moderation/')
    ? fc.constantFrom<CallerName>('moderator', 'staff')
    : operation.secured
      ? fc.constantFrom<CallerName>('reader', 'moderator')
      : fc.constantFrom<CallerName>('anonymous', 'reader');
  return fc.oneof(
    { arbitrary: likely.map((name) => ({ kind: 'caller' as const, name })), weight: 5 },
    { arbitrary: anyCaller.map((name) => ({ kind: 'caller' as const, name })), weight: 3 },
    { arbitrary: garbageJwt, weight: 1 },
    { arbitrary: garbageHeader, weight: 1 },
  );
}

const headerValue: fc.Arbitrary<string | Buffer> = fc.oneof(
  hostileString.map((s) => Buffer.from(s, 'utf8')),
  fc.constantFrom('1', '0', '-1', '99999999999999999999', '1e3', 'abc', 'x'.repeat(201)),
  fc.uuid(),
);

const extraHeaders: fc.Arbitrary<Array<[string, string | Buffer]>> = fc.array(
  fc.tuple(fc.constantFrom('idempotency-key', 'last-event-id', 'accept-encoding', 'origin', 'x-forwarded-for', 'if-none-match', 'accept'), headerValue),
  { maxLength: 3 },
);

/** Requests aimed at one operation, as every kind of caller. */
export function requestFor(operation: Operation, allHints: Hints): fc.Arbitrary<FuzzRequest> {
  const hints = hintsFor(allHints, operation.path);
  const method = fc.oneof(
    { arbitrary: fc.constant(operation.method), weight: 19 },
    { arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'TRACE', 'PATCH', 'DELETE', 'POST', 'GET'), weight: 1 },
  );
  const body: fc.Arbitrary<Buffer | undefined> = operation.body
    ? fc.oneof(
        { arbitrary: jsonBody(operation.body, hints).map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')), weight: 8 },
        { arbitrary: rawBody, weight: 2 },
      )
    : fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: rawBody, weight: 1 });
  const contentType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 2 });
  const idempotency = fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: headerValue, weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
  return fc
    .record({ method, path: pathString(operation, hints), query: queryString(operation, hints), caller: callerFor(operation), body, contentType, idempotency, more: extraHeaders })
    .map(({ method, path, query, caller, body, contentType, idempotency, more }) => {
      const headers: Array<[string, string | Buffer]> = [];
      if (body !== undefined) headers.push(['content-type', contentType]);
      if (idempotency !== null && operation.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) headers.push(['idempotency-key', idempotency]);
      headers.push(...more);
      return { method, target: path + query, caller, headers, ...(body !== undefined ? { body } : {}) };
    });
}

/** Requests to a route that has no schema (the static files and pages). */
export function requestForPlainRoute(url: string): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(fc.constantFrom('index.html', 'moderation.html', 'missing.js', '..', '.', 'a.b.c', '%2e%2e'), hostileString.filter((s) => s.length > 0));
  return fc.record({ segment, headers: extraHeaders, method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST') }).map(({ segment, headers, method }) => ({
    method,
    target: url.replace(/:([A-Za-z]+)/, () => percentEncode(segment)),
    caller: { kind: 'caller', name: 'anonymous' },
    headers,
  }));
}
