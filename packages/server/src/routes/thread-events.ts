import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { validateThreadKey } from '@colloquy/core';
import * as S from '../schemas.js';
import { openThreadStream } from '../thread-stream.js';
import type { RouteContext } from './context.js';
import { EventStreamSchema, responses } from './responses.js';

/** A thread's live events as Server-Sent Events. Registered under /api/v1. */
export const threadEventRoutes: FastifyPluginAsync<RouteContext> = async (app, { events, openStreams, streamLimiter, replay, config }) => {
  app.get<{ Querystring: Static<typeof S.EventsQuery> }>(
    '/events',
    {
      schema: { querystring: S.EventsQuery, response: responses({ 200: EventStreamSchema }) },
      config: { openapi: { summary: 'Live events of a thread (Server-Sent Events)', sse: true } },
    },
    async (request, reply) => {
      const thread = validateThreadKey(request.query.thread);
      // Refused with 429 or 503 before the stream starts; given back when it ends.
      const release = streamLimiter.acquire(request.ip);
      await openThreadStream(request, reply, openStreams, {
        release,
        hub: events,
        replay,
        thread,
        now: config.now,
        onError: (error) => request.log.error({ err: error }, 'replaying live events failed'),
      });
    },
  );
};
