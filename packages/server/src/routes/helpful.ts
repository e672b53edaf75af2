import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateHelpful } from '@colloquy/core';
import { HelpfulBody, HelpfulResponse, IdParams } from '@colloquy/protocol';
import { caller } from '../request-identity.js';
import { identityWeight, reporterNetwork } from '../trust.js';
import { findComment } from './comment-access.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';

/**
 * `PUT /comments/:id/helpful`: the reader's helpful mark, set or taken back (decision 0036).
 * The mark weighs the reader's trust now (as a report does), counted once per network; readers
 * see every mark counted, `best` ranks by the weights.
 */
export const helpfulRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { store, config, moderation, enforceRateLimit, publishThreadEvent } = ctx;

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof HelpfulBody> }>(
    '/comments/:id/helpful',
    {
      schema: { params: IdParams, body: HelpfulBody, response: responses({ 200: HelpfulResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Mark a comment helpful, or take the mark back' } },
    },
    async (request) => {
      const identity = caller(request);
      await moderation.assertMayWrite(identity, request.ip, 'mark comments');
      const helpful = validateHelpful(request.body.helpful);
      const comment = await findComment(store, request.params.id);
      if (comment.status !== 'visible') throw new ColloquyError('not_found', 'That comment is not available.');
      if (comment.author.id === identity.id) throw new ColloquyError('forbidden', 'You cannot mark your own comment helpful.');
      await enforceRateLimit('helpful', request, identity, config.rateLimits?.reports ?? {});
      const result = await store.markHelpful({
        comment,
        identityId: identity.id,
        helpful,
        weight: helpful ? await identityWeight(store, identity, config) : 0,
        network: config.trustNetworks ? reporterNetwork(request.ip) : null,
      });
      if (result.changed) publishThreadEvent('helpful', { ...comment, helpful: { count: result.count, mine: false } });
      return { helpful: { commentId: comment.id, count: result.count, mine: result.mine } };
    },
  );
};
