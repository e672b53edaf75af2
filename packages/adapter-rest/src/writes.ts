import { ColloquyError, validateBody, validateCommentId, validateCreateInput, validateHelpful, validateName, validateReport } from '@colloquy/core';
import type { Comment, CreateInput, HelpfulMark, Identity, Limits, ReportInput } from '@colloquy/core';
import { expectShape, helpful as isHelpful, isNewIdentityAnswer, isObject } from './response-shape.js';

/** `PUT /comments/:id/helpful`: `{helpful: {commentId, count, mine}}` (here, not in embed.js's critical path). */
const isHelpfulAnswer = (value: unknown) => isObject(value) && isHelpful(value.helpful) && typeof (value.helpful as { commentId?: unknown }).commentId == 'string';
import type { Request } from './transport.js';

/**
 * The adapter's writes (naming the reader, posting, editing, deleting, reporting): loaded by
 * `createRestAdapter` on first use, so a page that only reads never fetches them; in embed.js
 * they are an on-demand chunk (docs/decisions/0032).
 */

/** What the writes need from the adapter that loaded them. */
export interface WriteContext {
  request: Request;
  limits: Limits;
  currentToken(): string | null;
  cachedIdentity(): Identity | null;
  fetchIdentity(): Promise<Identity | null>;
  remember(next: Identity): Identity;
  identityOf(payload: unknown): Identity;
  commentOf(payload: unknown): Comment;
  /** Keeps a new pseudonymous token for this session and in token storage. */
  keepToken(token: string): void;
}

export async function identify(context: WriteContext, name?: string): Promise<Identity> {
  const { request } = context;
  if (name !== undefined) name = validateName(name, context.limits);
  const known = context.cachedIdentity() ?? (await context.fetchIdentity());
  if (!known) {
    const payload = await request('POST', '/identities', {
      body: name === undefined ? {} : { name },
      // Retrying could make two identities; the reader simply tries again.
      retryable: false,
      auth: false,
    });
    const { token, identity: created } = expectShape<{ token: string; identity: Identity }>(payload, isNewIdentityAnswer);
    context.keepToken(token);
    return context.remember(created);
  }
  if (name === undefined || known.name !== null) return { ...known };
  return context.remember(context.identityOf(await request('PATCH', '/identities/me', { body: { name }, retryable: false })));
}

export async function createComment(context: WriteContext, input: CreateInput): Promise<Comment> {
  const { idempotencyKey, ...body } = validateCreateInput(input, context.limits);
  if (context.currentToken() === null) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
  const payload = await context.request('POST', '/comments', {
    body: typeof input.url == 'string' ? { ...body, url: input.url } : body,
    headers: { 'Idempotency-Key': idempotencyKey },
    retryable: true,
  });
  return context.commentOf(payload);
}

function commentPath(id: string): string {
  return `/comments/${encodeURIComponent(validateCommentId(id))}`;
}

export async function editComment(context: WriteContext, id: string, body: string): Promise<Comment> {
  const path = commentPath(id);
  const checked = validateBody(body, context.limits);
  return context.commentOf(await context.request('PATCH', path, { body: { body: checked }, retryable: false }));
}

export async function deleteComment(context: WriteContext, id: string): Promise<Comment> {
  return context.commentOf(await context.request('DELETE', commentPath(id), { retryable: false }));
}

export async function reportComment(context: WriteContext, id: string, report: ReportInput): Promise<void> {
  const path = `${commentPath(id)}/reports`;
  const checked = validateReport(report, context.limits);
  // Readers report without picking a name; a nameless identity is made on first use.
  if (context.currentToken() === null) await identify(context);
  await context.request('POST', path, { body: checked, retryable: false });
}

export async function markHelpful(context: WriteContext, id: string, helpful: boolean): Promise<HelpfulMark> {
  const path = `${commentPath(id)}/helpful`;
  const body = { helpful: validateHelpful(helpful) };
  // As with reports, a nameless identity is made on first use. Setting a mark is idempotent (PUT), so it may be retried.
  if (context.currentToken() === null) await identify(context);
  return expectShape<{ helpful: HelpfulMark }>(await context.request('PUT', path, { body, retryable: true }), isHelpfulAnswer).helpful;
}

/** The server's rendering of a body being written (`POST /preview`), for the composer's preview. */
export async function previewHtml(context: WriteContext, body: string): Promise<string> {
  const checked = validateBody(body, context.limits);
  const payload = await context.request('POST', '/preview', { body: { body: checked }, retryable: true, auth: false });
  return expectShape<{ html: string }>(payload, (answer) => isObject(answer) && typeof answer.html == 'string').html;
}
