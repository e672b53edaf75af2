import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import * as P from './index.js';
import * as C from './constants.js';
import { auditEntry, comment, config, event, identityAnswer, page, queue } from './samples.test-support.js';

const check = (schema: TSchema, value: unknown) => P.matchesSchema(schema, value);
const clone = <T>(value: T): T => structuredClone(value);

test('representative answers, typed with the derived types, pass their schemas', () => {
  assert.ok(check(P.CommentSchema, comment()));
  assert.ok(check(P.PageSchema, page));
  assert.ok(check(P.CommentResponse, { comment: comment() }));
  assert.ok(check(P.CreateIdentityResponse, identityAnswer));
  assert.ok(check(P.IdentityResponse, { identity: identityAnswer.identity }));
  assert.ok(check(P.ThreadEventData, event));
  assert.ok(check(P.AuditEntrySchema, auditEntry));
  assert.ok(check(P.AuditPage, { entries: [auditEntry], nextCursor: null }));
  assert.ok(check(P.QueueResponse, queue));
  assert.ok(check(P.ConfigResponse, config));
  assert.ok(check(P.CountsResponse, { counts: { '/a': 2, '/b': 0 } }));
  assert.ok(check(P.ErrorSchema, { error: { code: 'not_found', message: 'No such comment.' } }));
});

test('a comment without an author, with an unknown status or a numeric body is refused', () => {
  const { author: _author, ...anonymous } = comment();
  assert.equal(check(P.CommentSchema, anonymous), false);
  assert.equal(check(P.CommentSchema, { ...comment(), status: 'published' }), false);
  assert.equal(check(P.CommentSchema, { ...comment(), body: 42 }), false);
  assert.equal(check(P.CommentSchema, { ...comment(), author: { id: 'i_1', name: 'Ada', role: 'admin' } }), false);
});

test('the refusal reaches nested replies and every comment of a page', () => {
  const deep = clone(page);
  (deep.comments[0]!.replies[0] as { status: string }).status = 'gone';
  assert.equal(check(P.PageSchema, deep), false);
  assert.equal(check(P.PageSchema, { nextCursor: null }), false, 'a page without comments');
  assert.equal(check(P.PageSchema, { comments: [], nextCursor: 7 }), false);
});

test('identity, event, queue and audit answers refuse what their readers could not use', () => {
  assert.equal(check(P.CreateIdentityResponse, { identity: identityAnswer.identity }), false, 'no token');
  assert.equal(check(P.ThreadEventData, { comment: { ...event.comment, createdAt: 5 } }), false);
  assert.equal(check(P.ThreadEventData, { comment: { ...event.comment, createdAt: 'yesterday' } }), false, 'not a date-time');
  assert.equal(check(P.AuditEntrySchema, { ...auditEntry, action: 'purge' }), false);
  const noTotal = clone(queue) as Partial<P.QueueResponse>;
  delete noTotal.total;
  assert.equal(check(P.QueueResponse, noTotal), false);
  const badReport = clone(queue);
  (badReport.items[0]!.reports[0] as { reason: string }).reason = 'boring';
  assert.equal(check(P.QueueResponse, badReport), false);
});

test('request schemas accept the documented bodies and refuse the wrong ones', () => {
  assert.ok(check(P.CreateBody, { thread: '/a', body: 'Hello', parentId: null }));
  assert.equal(check(P.CreateBody, { thread: '', body: 'Hello' }), false);
  assert.ok(check(P.ReportBody, { reason: 'off-topic', details: null }));
  assert.equal(check(P.ReportBody, { reason: 'rude' }), false);
  assert.ok(check(P.ModerateBody, { action: 'ban-author', reason: 'spam run' }));
  assert.equal(check(P.ModerateBody, { action: 'auto-hide' }), false, 'the threshold acts, never a moderator');
  assert.ok(check(P.ListQuery, { thread: '/a', sort: 'top', limit: 100 }));
  assert.equal(check(P.ListQuery, { thread: '/a', limit: 101 }), false);
});

test('the schemas are built from the runtime lists, so the two cannot differ', () => {
  const literalsOf = (schema: TSchema) => (schema as unknown as { anyOf: Array<{ const: string }> }).anyOf.map((s) => s.const);
  assert.deepEqual(literalsOf(P.RoleSchema), [...C.ROLES]);
  assert.deepEqual(literalsOf(P.CommentStatusSchema), [...C.COMMENT_STATUSES]);
  assert.deepEqual(literalsOf(P.SortOrderSchema), [...C.SORT_ORDERS]);
  assert.deepEqual(literalsOf(P.ReportReasonSchema), [...C.REPORT_REASONS]);
  assert.deepEqual(literalsOf(P.ThreadEventTypeSchema), [...C.THREAD_EVENT_TYPES]);
  assert.deepEqual(literalsOf(P.QueueStatusSchema), [...C.QUEUE_STATUSES]);
  assert.deepEqual(literalsOf(P.ModerationActionSchema), [...C.MODERATION_ACTIONS]);
  for (const action of C.MODERATION_ACTIONS) assert.ok((C.AUDIT_ACTIONS as readonly string[]).includes(action));
});

test('shared definitions keep their ids, and a comment refers to itself and its author by name', () => {
  assert.deepEqual(
    P.SHARED_SCHEMAS.map((s) => s.$id),
    ['Author', 'Identity', 'Comment', 'Error', 'Limits', 'AuditEntry'],
  );
  const json = JSON.parse(JSON.stringify(P.CommentSchema));
  assert.deepEqual(json.properties.replies.items, { $ref: 'Comment' });
  assert.deepEqual(json.properties.author, { $ref: 'Author' });
  assert.ok(json.required.includes('author') && json.required.includes('status'));
});

test('the constants entry stands alone: no TypeBox behind it', async () => {
  const { readFile } = await import('node:fs/promises');
  const source = await readFile(new URL('./constants.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /from ['"]/);
});

test('schemaErrors says where an answer departs from its schema', () => {
  assert.deepEqual(P.schemaErrors(P.CommentSchema, comment()), []);
  const errors = P.schemaErrors(P.CommentSchema, { ...comment(), status: 'published' });
  assert.ok(errors.some((line) => line.startsWith('/status')), errors.join('\n'));
});
