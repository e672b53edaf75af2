// Checks the shape of the server's answers where they enter the browser, so a field missing
// or of the wrong kind is a `bad_response` error here, not a crash deep in a template. Small
// and hand-written on purpose: TypeBox's compiler needs `new Function` (refused under a strict
// CSP) and would outweigh the widget. `response-shape.test.ts` keeps these guards in agreement
// with the protocol's schemas (@colloquy/protocol).
import { COMMENT_STATUSES, ColloquyError, ROLES } from '@colloquy/core';
import type { Comment } from '@colloquy/core';

type Guard = (value: unknown) => boolean;

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && value !== null && !Array.isArray(value);
const isString: Guard = (value) => typeof value == 'string';
const isStringOrNull: Guard = (value) => value === null || isString(value);
const optional = (guard: Guard): Guard => (value) => value === undefined || guard(value);
// Every guard here reads its first argument only, so `every` may hand it the index as well.
const listOf = (guard: Guard): Guard => (value) => Array.isArray(value) && value.every(guard);
const oneOf = (values: readonly string[]): Guard => (value) => values.includes(value as string);
/** An object whose every listed field passes its guard; other fields are let through. */
const shape = (fields: Record<string, Guard>): Guard => (value) => isObject(value) && Object.keys(fields).every((key) => fields[key]!(value[key]));

const role = oneOf(ROLES);

/** `Identity`: `name` is null until the reader picks one. */
export const isIdentity = shape({ id: isString, name: isStringOrNull, role });

/**
 * A comment of a page, an answer or a live event. `html` and `replies` may be absent (events
 * carry no replies; servers other than the reference one may not render HTML); when present
 * they must be a string and a list of comments.
 */
export const isComment: Guard = shape({
  id: isString,
  thread: isString,
  parentId: isStringOrNull,
  // Absent from servers older than the field: the widget then reads parentId alone.
  replyTo: optional((to) => to === null || shape({ id: isString, name: isStringOrNull })(to)),
  author: shape({ id: isString, name: isString, role }),
  body: isString,
  html: optional(isString),
  createdAt: isString,
  editedAt: isStringOrNull,
  status: oneOf(COMMENT_STATUSES),
  // Absent from servers older than helpful marks, and from create answers.
  helpful: optional((marks) => helpful(marks)),
  pinnedAt: optional(isStringOrNull),
  replies: optional((replies) => comments(replies)),
});

const comments = listOf(isComment);
const isBoolean: Guard = (value) => typeof value == 'boolean';
/** A comment's `helpful`: `{count, mine}`. */
export const helpful = shape({ count: Number.isInteger, mine: isBoolean });

/** `GET /comments`: `{comments, nextCursor, closed, pinned?}`. */
export const isPage = shape({ comments, nextCursor: isStringOrNull, closed: isBoolean, pinned: optional(comments) });

/** `{comment}`: a create, edit or delete answer, and the data of a live event. */
export const isCommentAnswer = shape({ comment: isComment });

/** `{identity}`: `GET` and `PATCH /identities/me`. */
export const isIdentityAnswer = shape({ identity: isIdentity });

/** `{token, identity}`: `POST /identities`. */
export const isNewIdentityAnswer = shape({ token: isString, identity: isIdentity });

/** `GET /counts`: `{counts: {thread: integer}}`. */
export const isCounts = shape({ counts: (counts) => isObject(counts) && Object.values(counts).every(Number.isInteger) });

/** `payload` when `guard` accepts it; otherwise a `bad_response` error. */
export function expectShape<T>(payload: unknown, guard: Guard): T {
  if (!guard(payload)) {
    throw new ColloquyError(
      'bad_response',
      'The comment server sent an answer this page cannot read (a field is missing or of the wrong kind). The page and the server may run different versions; try again later, and tell the site if it persists.',
    );
  }
  return payload as T;
}

/** A checked comment with `replies` filled in (events carry none). */
export const normaliseComment = (comment: Comment): Comment => ({ ...comment, replies: (comment.replies ?? []).map(normaliseComment) });
