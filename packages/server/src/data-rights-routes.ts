import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ThreadEventType } from '@colloquy/core';
import { eraseIdentity, readerExport, type ErasureMode } from './data-rights.js';
import * as S from './schemas.js';
import type { CommentRecord, IdentityRecord, Store } from './store/index.js';

export interface DataRightsDeps {
  store: Store;
  erasure: ErasureMode;
  now: () => number;
  requireIdentity(request: FastifyRequest): Promise<IdentityRecord>;
  /** Sends a live event and drops cached pages of the comment's thread. */
  publish(type: ThreadEventType, record: CommentRecord): void;
  /** Forgets the identity's in-memory rate-limit windows. */
  forgetRateLimits(identityId: string): void;
}

/**
 * A reader's data rights: `GET /api/v1/me/export` (everything stored about the caller, as a
 * JSON attachment) and `DELETE /api/v1/me` (the caller erased; their comments removed or
 * anonymised as `COLLOQUY_ERASURE` says). docs/data-rights.md explains the choices.
 */
export function registerDataRights(app: FastifyInstance, api: string, deps: DataRightsDeps): void {
  const { store } = deps;
  const doc = (summary: string, responses: Record<number, unknown>) => ({ openapi: { summary, responses, auth: true } });

  app.get(
    `${api}/me/export`,
    { config: doc('Everything stored about the caller’s identity (a JSON attachment)', { 200: S.ReaderExportResponse }) },
    async (request, reply) => {
      const identity = await deps.requireIdentity(request);
      const data = await readerExport(store, identity, deps.now);
      reply.header('content-disposition', `attachment; filename="colloquy-data-${identity.id.replace(/[^A-Za-z0-9_-]/g, '')}.json"`);
      reply.type('application/json; charset=utf-8');
      return JSON.stringify(data, null, 2);
    },
  );

  app.delete(
    `${api}/me`,
    { config: doc('Erase the caller’s identity; their comments are removed or anonymised', { 200: S.ErasureResponse }) },
    async (request) => {
      const identity = await deps.requireIdentity(request);
      const result = await eraseIdentity(store, identity.id, deps.erasure, deps.now);
      deps.forgetRateLimits(identity.id);
      for (const { event, comment } of result.changed) deps.publish(event, comment);
      const { changed: _changed, ...counts } = result;
      return { erased: { identity: identity.id, ...counts } };
    },
  );
}
