import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { validateThreadKey } from '@colloquy/core';
import * as P from '@colloquy/protocol';
import { caller } from '../request-identity.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';

/**
 * Following threads and the reader's activity (replies to them, new comments in threads they
 * follow, across the whole site). Registered under /api/v1; every route needs an identity.
 */
export const followingRoutes: FastifyPluginAsync<RouteContext> = async (app, { store, config, limitSettingsChange }) => {
  const view = async (identityId: string, thread?: string): Promise<P.FollowingResponse> => ({
    followOnPost: await store.followOnPost(identityId),
    threads: await store.followedThreads(identityId, thread === undefined ? {} : { thread }),
  });

  app.get<{ Querystring: Static<typeof P.FollowingQuery> }>(
    '/identities/me/following',
    {
      schema: { querystring: P.FollowingQuery, response: responses({ 200: P.FollowingResponse }) },
      config: { auth: 'identity', openapi: { summary: 'The threads the caller follows (or whether it follows one), and whether posting follows a thread' } },
    },
    async (request) => {
      const { thread } = request.query;
      return view(caller(request).id, thread === undefined ? undefined : validateThreadKey(thread));
    },
  );

  app.put<{ Body: Static<typeof P.FollowBody> }>(
    '/identities/me/following',
    {
      schema: { body: P.FollowBody, response: responses({ 200: P.FollowingResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Follow a thread (this also unmutes it) or stop following it; one past COLLOQUY_FOLLOWS_PER_IDENTITY is follow_limit' } },
    },
    async (request) => {
      const me = caller(request);
      const thread = validateThreadKey(request.body.thread);
      await limitSettingsChange(request, me);
      await store.setFollowing(me.id, thread, request.body.following, config.followsPerIdentity);
      return view(me.id);
    },
  );

  app.patch<{ Body: Static<typeof P.FollowSettingsBody> }>(
    '/identities/me/following',
    {
      schema: { body: P.FollowSettingsBody, response: responses({ 200: P.FollowingResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Whether posting in a thread follows it (on by default)' } },
    },
    async (request) => {
      const me = caller(request);
      await limitSettingsChange(request, me);
      await store.setFollowOnPost(me.id, request.body.followOnPost);
      return view(me.id);
    },
  );

  app.get<{ Querystring: Static<typeof P.ActivityQuery> }>(
    '/identities/me/activity',
    {
      schema: { querystring: P.ActivityQuery, response: responses({ 200: P.ActivityResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Replies to the caller and new comments in threads they follow, newest first, with unread counts' } },
    },
    async (request) => store.activity(caller(request).id, { cursor: request.query.cursor ?? null, limit: request.query.limit ?? 20 }),
  );

  app.post<{ Body: Static<typeof P.ActivityReadBody> }>(
    '/identities/me/activity/read',
    {
      schema: { body: P.ActivityReadBody, response: responses({ 200: P.ActivityReadResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Mark activity items read (the given ones, or all)' } },
    },
    async (request) => {
      const me = caller(request);
      await limitSettingsChange(request, me);
      return { unread: await store.markActivityRead(me.id, request.body.ids ?? null) };
    },
  );
};
