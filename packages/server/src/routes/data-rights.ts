import type { FastifyPluginAsync } from 'fastify';
import { eraseIdentity, readerExport } from '../data-rights.js';
import { caller } from '../request-identity.js';
import * as S from '../schemas.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';

/**
 * A reader's data rights: `GET /api/v1/me/export` (everything stored about the caller, as a
 * JSON attachment) and `DELETE /api/v1/me` (the caller erased; their comments removed or
 * anonymised as `COLLOQUY_ERASURE` says). docs/data-rights.md explains the choices.
 */
export const dataRightsRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, config } = ctx;

  app.get(
    '/me/export',
    {
      schema: { response: responses({ 200: S.ReaderExportResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Everything stored about the caller’s identity (a JSON attachment)' } },
    },
    async (request, reply) => {
      const identity = caller(request);
      const data = await readerExport(store, identity, config.now);
      reply.header('content-disposition', `attachment; filename="colloquy-data-${identity.id.replace(/[^A-Za-z0-9_-]/g, '')}.json"`);
      reply.type('application/json; charset=utf-8');
      // Checked and filtered by the response schema like any answer, then indented for the person who downloads it.
      return JSON.stringify(JSON.parse(reply.serialize(data) as string), null, 2);
    },
  );

  app.delete(
    '/me',
    {
      schema: { response: responses({ 200: S.ErasureResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Erase the caller’s identity; their comments are removed or anonymised' } },
    },
    async (request) => {
      const identity = caller(request);
      const result = await eraseIdentity(store, identity.id, config.erasure, config.now);
      ctx.forgetRateLimits(identity.id);
      for (const { event, comment } of result.changed) ctx.publishThreadEvent(event, comment);
      const { changed: _changed, ...counts } = result;
      return { erased: { identity: identity.id, ...counts } };
    },
  );
};
