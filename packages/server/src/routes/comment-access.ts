import { ColloquyError, validateCommentId } from '@colloquy/core';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ServerConfig } from '../config.js';
import { isModerator } from '../identity.js';
import { caller } from '../request-identity.js';
import type { CommentRecord, IdentityRecord, Store } from '../store/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The comment named by `:id`, loaded and checked by `mayChangeComment`; null on other routes. */
    targetComment: CommentRecord | null;
  }
}

/** The comment with that id, or 404 `not_found`. */
export async function findComment(store: Store, id: string): Promise<CommentRecord> {
  const comment = await store.getComment(validateCommentId(id));
  if (!comment) throw new ColloquyError('not_found', 'No comment has that id.');
  return comment;
}

/** The author inside the edit window, or a moderator; everyone else is refused. */
export function assertMayChange(identity: IdentityRecord, comment: CommentRecord, config: ServerConfig): void {
  if (isModerator(identity)) return;
  if (comment.author.id !== identity.id) throw new ColloquyError('forbidden', 'Only the author or a moderator can change this comment.');
  if (comment.status === 'hidden') throw new ColloquyError('forbidden', 'A moderator has hidden this comment.');
  const age = config.now() - Date.parse(comment.createdAt);
  if (age > config.limits.editWindowSeconds * 1000) {
    throw new ColloquyError('edit_window_closed', 'The time for changing this comment has passed.');
  }
}

/**
 * A pre-handler for `/comments/:id` routes that change a comment: loads it into
 * `request.targetComment` and refuses callers who may not change it. Runs after the auth check.
 */
export function mayChangeComment(store: Store, config: ServerConfig): preHandlerAsyncHookHandler {
  return async (request) => {
    const comment = await findComment(store, (request.params as { id: string }).id);
    assertMayChange(caller(request), comment, config);
    request.targetComment = comment;
  };
}

/** The checked `Idempotency-Key` of a create; 400 `invalid_input` when absent or malformed. */
export function idempotencyKey(request: FastifyRequest): string {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) {
    throw new ColloquyError('invalid_input', 'Creating a comment needs an Idempotency-Key header (one per intended comment).');
  }
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new ColloquyError('invalid_input', 'Idempotency-Key must be 1 to 200 printable ASCII characters.');
  }
  return raw;
}
