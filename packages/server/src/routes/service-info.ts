import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ServerConfig } from '../config.js';
import { buildOpenApi, type RouteInfo } from '../openapi.js';
import * as S from '../schemas.js';
import { responses } from './responses.js';

export interface ServiceInfoOptions {
  config: ServerConfig;
  /** The API's routes as registered (filled by the app's onRoute hook); the OpenAPI document is built from them. */
  documentedRoutes: readonly RouteInfo[];
}

/** What a client can learn about this server: its limits and moderation settings, and the protocol as OpenAPI. */
export const serviceInfoRoutes: FastifyPluginAsync<ServiceInfoOptions> = async (app, { config, documentedRoutes }) => {
  app.get(
    '/config',
    { schema: { response: responses({ 200: S.ConfigResponse }) }, config: { openapi: { summary: 'Limits and moderation settings' } } },
    async () => ({
      limits: config.limits,
      moderation: {
        mode: config.moderation,
        reportThreshold: config.reportThreshold,
        premoderatedThreads: config.premoderatedThreads,
        reportWeights: config.reportWeights,
        holdFirstComments: config.holdFirstComments,
      },
      live: true,
      jwt: config.jwtSecret !== undefined,
      erasure: config.erasure,
    }),
  );

  app.get(
    '/openapi.json',
    {
      schema: { response: responses({ 200: Type.Object({}, { additionalProperties: true, description: 'An OpenAPI 3.1 document' }) }) },
      config: { openapi: { summary: 'This document' } },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return buildOpenApi(documentedRoutes);
    },
  );
};
