// Keeps the REST adapter's hand-written answer guards in agreement with the protocol's
// schemas: for every valid sample and every mutation of a field the guards check (dropped,
// given another type, given a value outside its list), guard(x) === Value.Check(schema, x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import * as P from '@colloquy/protocol';
import { isComment, isCommentAnswer, isCounts, isIdentity, isIdentityAnswer, isNewIdentityAnswer, isPage } from './response-shape.js';

const comment = (id: string, replies: unknown[] = [], replyTo: { id: string; name: string | null } | null = null) => ({
  id,
  thread: '/2026/11/article',
  parentId: null,
  replyTo,
  author: { id: 'i_1', name: 'Ada', role: 'mentor' },
  body: 'Hello *there*',
  html: '<p>Hello <em>there</em></p>',
  createdAt: '2026-11-22T10:00:00.000Z',
  editedAt: null,
  status: 'visible',
  replies,
});
const withoutReplies = ({ replies: _replies, ...rest }: ReturnType<typeof comment>) => rest;

const PAIRS: Array<{ name: string; guard: (value: unknown) => boolean; schema: TSchema; samples: unknown[] }> = [
  { name: 'comment', guard: isComment, schema: P.CommentSchema, samples: [comment('c_1', [comment('c_2'), comment('c_3', [], { id: 'c_2', name: 'Bea' }), comment('c_4', [], { id: 'c_9', name: null })])] },
  { name: 'identity', guard: isIdentity, schema: P.IdentitySchema, samples: [{ id: 'i_1', name: null, role: 'reader' }] },
  {
    name: 'page',
    guard: isPage,
    schema: P.PageSchema,
    samples: [
      { comments: [comment('c_1', [comment('c_2')]), { ...comment('c_3'), editedAt: '2026-11-22T11:00:00.000Z', status: 'deleted' }], nextCursor: 'k', closed: false },
      { comments: [], nextCursor: null, closed: true },
    ],
  },
  { name: 'comment answer', guard: isCommentAnswer, schema: P.CommentResponse, samples: [{ comment: comment('c_1') }] },
  { name: 'live event', guard: isCommentAnswer, schema: P.ThreadEventData, samples: [{ comment: withoutReplies(comment('c_1')) }] },
  { name: 'identity answer', guard: isIdentityAnswer, schema: P.IdentityResponse, samples: [{ identity: { id: 'i_1', name: 'Ada', role: 'staff' } }] },
  {
    name: 'new identity answer',
    guard: isNewIdentityAnswer,
    schema: P.CreateIdentityResponse,
    samples: [{ token: 'cqt_1', identity: { id: 'i_1', name: null, role: 'reader' } }],
  },
  { name: 'counts', guard: isCounts, schema: P.CountsResponse, samples: [{ counts: { '/a': 3, '/b': 0 } }, { counts: {} }] },
];

/** Values of other kinds, and strings outside every literal list. */
const REPLACEMENTS: unknown[] = [undefined, null, 42, 1.5, true, 'not-a-listed-value', '', {}, []];

type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...paths(child, path)];
  });
}

function mutate(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/**
 * Where the guard is deliberately more lenient than the wire schema: a comment may come
 * without `html` (servers other than the reference one need not render it) or without
 * `replies` (live events carry none) or without `replyTo` (servers older than the field), which
 * the core's `Comment` allows; and timestamps are
 * checked to be strings, not parsed (the schema's `date-time` format is the server's to keep).
 */
const lenient = (path: Path, replacement: unknown) =>
  (replacement === undefined && (path.at(-1) === 'html' || path.at(-1) === 'replies' || path.at(-1) === 'replyTo')) ||
  (typeof replacement === 'string' && (path.at(-1) === 'createdAt' || path.at(-1) === 'editedAt'));

test('every valid sample passes both its guard and its schema', () => {
  for (const { name, guard, schema, samples } of PAIRS) {
    for (const sample of samples) {
      assert.deepEqual(P.schemaErrors(schema, sample), [], `${name}: the sample is valid`);
      assert.equal(guard(sample), true, `${name}: the guard accepts a valid sample`);
    }
  }
});

test('guard and schema agree on every mutation of every checked field', () => {
  let compared = 0;
  for (const { name, guard, schema, samples } of PAIRS) {
    for (const sample of samples) {
      for (const path of paths(sample)) {
        for (const replacement of REPLACEMENTS) {
          const mutated = mutate(sample, path, replacement);
          const expected = P.matchesSchema(schema, mutated);
          if (lenient(path, replacement)) {
            assert.equal(guard(mutated), true, `${name}: ${path.join('.')} may be absent`);
            continue;
          }
          assert.equal(guard(mutated), expected, `${name}: ${path.join('.')} = ${JSON.stringify(replacement)} (schema says ${expected})`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 500, `compared ${compared} mutations`);
});

test('the leniencies are the documented ones and nothing else', () => {
  const bare = withoutReplies(comment('c_1')) as Partial<ReturnType<typeof comment>>;
  delete bare.html;
  assert.equal(isComment(bare), true);
  assert.equal(P.matchesSchema(P.CommentSchema, bare), false);
  assert.equal(isComment({ ...bare, replies: 'none' }), false, 'replies, when present, are a list of comments');
  assert.equal(isComment({ ...bare, replies: [{ id: 'c_2' }] }), false, 'and each reply is checked');
});

test('answers that are not objects at all are refused by every guard', () => {
  for (const { name, guard } of PAIRS) {
    for (const value of [null, undefined, 'text', 7, [], [{}]]) assert.equal(guard(value), false, `${name}: ${JSON.stringify(value)}`);
  }
});
