import { ColloquyError } from '@colloquy/core';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { isModerator, type IdentityResolver } from './identity.js';
import type { RouteDoc } from './openapi.js';
import type { IdentityRecord } from './store/index.js';

/**
 * Who may call a route, declared in its `config.auth`:
 * - `viewer`: anyone; a valid token sets `request.identity`, a stale or broken one reads as anonymous;
 * - `identity`: a valid token is required (401 `unauthenticated`, `invalid_token`, `token_expired`);
 * - `moderator`: as `identity`, and the caller must be a moderator or staff (403 `forbidden`).
 */
export type AuthMode = 'viewer' | 'identity' | 'moderator';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the auth pre-handler of routes that declare `config.auth`; null otherwise. */
    identity: IdentityRecord | null;
  }
  interface FastifyInstance {
    /** The pre-handler behind each auth mode, for routes that decide per request which one applies. */
    authChecks: Readonly<Record<AuthMode, preHandlerAsyncHookHandler>>;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
    /** How the route appears in /api/v1/openapi.json; its responses come from `schema.response`. */
    openapi?: RouteDoc;
  }
}

export function unauthenticated(): ColloquyError {
  return new ColloquyError('unauthenticated', 'Sign in or pick a screen name first (send Authorization: Bearer <token>).');
}

export function notAModerator(): ColloquyError {
  return new ColloquyError('forbidden', 'Only moderators and staff can do this.');
}

/**
 * Decorates requests with `identity` and gives every route that declares `config.auth` a
 * pre-handler that checks it, ahead of the route's own pre-handlers. Pre-handlers run after
 * body and query validation, so a malformed request is still a 400 before it is a 401.
 */
export function registerAuthHooks(app: FastifyInstance, identities: IdentityResolver): void {
  app.decorateRequest('identity', null);

  const checks: Record<AuthMode, preHandlerAsyncHookHandler> = {
    async viewer(request) {
      try {
        request.identity = await identities.resolve(request.headers.authorization);
      } catch {
        request.identity = null;
      }
    },
    async identity(request) {
      request.identity = await identities.resolve(request.headers.authorization);
      if (!request.identity) throw unauthenticated();
    },
    async moderator(request) {
      const identity = await identities.resolve(request.headers.authorization);
      if (!identity) throw unauthenticated();
      if (!isModerator(identity)) throw notAModerator();
      request.identity = identity;
    },
  };

  app.decorate('authChecks', checks);
  app.addHook('onRoute', (route) => {
    const mode = route.config?.auth;
    if (!mode) return;
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    // The HEAD twin of a GET route arrives with the GET's options, check included.
    if (own.includes(checks[mode])) return;
    route.preHandler = [checks[mode], ...own];
  });
}

/** The caller of a route declared with `auth: 'identity'` or `'moderator'`. */
export function caller(request: FastifyRequest): IdentityRecord {
  if (!request.identity) throw unauthenticated();
  return request.identity;
}
