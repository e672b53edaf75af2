import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateName } from '@colloquy/core';
import { hashToken, newPseudonymousToken } from '../identity.js';
import { caller } from '../request-identity.js';
import * as S from '../schemas.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';

/**
 * Pseudonymous identities and the caller's own. Identity records go out as they are: the
 * response schema (`Identity`: id, name, role) is what keeps their other fields in.
 */
export const identityRoutes: FastifyPluginAsync<RouteContext> = async (app, { store, config, moderation, enforceRateLimit, limitSettingsChange, screenNames }) => {
  app.post<{ Body: Static<typeof S.CreateIdentityBody> }>(
    '/identities',
    {
      schema: { body: S.CreateIdentityBody, response: responses({ 201: S.CreateIdentityResponse }) },
      config: { openapi: { summary: 'Create a pseudonymous identity' } },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const name = request.body.name === undefined || request.body.name === null ? null : validateName(request.body.name, config.limits);
      // A new pseudonymous identity is always a reader.
      if (name !== null) await screenNames.check(name, null);
      await moderation.assertMayWrite(null, request.ip, 'join the discussion');
      await enforceRateLimit('identity', request, null, config.rateLimits?.identities ?? {});
      const token = newPseudonymousToken();
      const identity = await store.createIdentity({ name, tokenHash: hashToken(token) });
      reply.code(201);
      return { token, identity };
    },
  );

  app.get(
    '/identities/me',
    { schema: { response: responses({ 200: S.IdentityResponse }) }, config: { auth: 'identity', openapi: { summary: 'The caller’s identity' } } },
    async (request) => ({ identity: caller(request) }),
  );

  app.patch<{ Body: Static<typeof S.NameBody> }>(
    '/identities/me',
    {
      schema: { body: S.NameBody, response: responses({ 200: S.IdentityResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Name a nameless identity' } },
    },
    async (request) => {
      const name = validateName(request.body.name, config.limits);
      const me = caller(request);
      await limitSettingsChange(request, me);
      // A badge holder names itself as the site sees fit; a reader may not pass for one.
      if (me.role === 'reader') await screenNames.check(name, me.id);
      return { identity: await store.nameIdentity(me.id, name) };
    },
  );

  app.put<{ Body: Static<typeof S.NameBody> }>(
    '/identities/me/name',
    {
      schema: { body: S.NameBody, response: responses({ 200: S.IdentityResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Rename the caller (a pseudonymous reader; a host site names its own accounts)' } },
    },
    async (request) => {
      const name = validateName(request.body.name, config.limits);
      const me = caller(request);
      if (me.kind !== 'pseudonymous') throw new ColloquyError('forbidden', 'Your name comes from the site you signed in on; change it there.');
      await limitSettingsChange(request, me);
      if (me.role === 'reader') await screenNames.check(name, me.id);
      return { identity: (await store.renameIdentity(me.id, name))! };
    },
  );
};
