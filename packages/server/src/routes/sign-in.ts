import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError } from '@colloquy/core';
import * as P from '@colloquy/protocol';
import { DEFAULT_RATE_LIMITS } from '../config.js';
import { hashToken, newPseudonymousToken } from '../identity.js';
import { mailLanguage, signInMessage } from '../mail-messages.js';
import type { MailPayload } from '../reader-mail.js';
import type { RateLimitEnforcer } from '../rate-limit.js';
import { reportedPageUrl } from './comments.js';
import { validateAddress } from './email.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';

/** How long a sign-in link works. */
export const SIGN_IN_TTL_MS = 15 * 60_000;
/** Links one identity may be sent per hour; past it the answer is the same and nothing is sent. */
const LINKS_PER_HOUR = 5;
/** The fragment key the widget looks for on the page a link opens. */
export const SIGN_IN_FRAGMENT = 'colloquy-sign-in';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Sign-in by e-mail (docs/decisions/0034): a magic link to the page where the reader asked,
 * bound to that browser by a PKCE-like verifier. REST only: the adapter contract has no
 * accounts. Registered under /api/v1.
 */
export const signInRoutes: FastifyPluginAsync<RouteContext> = async (app, { store, config, enforceRateLimit, mail }) => {
  // Asking and redeeming share one window per network address (the e-mail rule's).
  const perIp = config.rateLimits ? (config.rateLimits.email ?? DEFAULT_RATE_LIMITS.email!).perIp : undefined;
  const limit = (request: Parameters<RateLimitEnforcer>[1]) => enforceRateLimit('sign-in', request, null, perIp ? { perIp } : {});

  app.post<{ Body: Static<typeof P.SignInRequestBody> }>(
    '/sign-in/email',
    {
      schema: { body: P.SignInRequestBody, response: responses({ 202: P.SignInRequestResponse }) },
      config: { openapi: { summary: 'Mail a one-time sign-in link to a confirmed address; the same answer for any address' } },
    },
    async (request, reply) => {
      const address = validateAddress(request.body.address);
      const page = reportedPageUrl(request.body.page, config, request.headers.host);
      if (!page) throw new ColloquyError('invalid_input', 'The page must be an http(s) address on a site allowed to embed these comments.');
      await limit(request);
      reply.code(202);
      const found = await store.findSignInIdentity(address);
      // Unknown, unconfirmed and host-site addresses get the same answer, and nothing is sent.
      if (!found) return { requested: true as const };
      const code = `cqs_${randomBytes(24).toString('base64url')}`;
      const language = mailLanguage(found.language);
      const content = signInMessage(request.body.language ?? language, {
        signInUrl: `${page}#${SIGN_IN_FRAGMENT}=${code}`,
        site: new URL(page).host,
      });
      const payload: MailPayload = { ...content, to: found.address, identityId: found.identityId, purpose: 'sign-in' };
      const queued = await store.createSignInLink({
        identityId: found.identityId,
        codeHash: hashToken(code),
        challenge: request.body.challenge,
        expiresAt: config.now() + SIGN_IN_TTL_MS,
        perHour: LINKS_PER_HOUR,
        message: { kind: 'mail', payload: payload as unknown as Record<string, unknown> },
      });
      if (queued) mail.queued();
      return { requested: true as const };
    },
  );

  app.post<{ Body: Static<typeof P.SignInRedeemBody> }>(
    '/sign-in/redeem',
    {
      schema: { body: P.SignInRedeemBody, response: responses({ 200: P.CreateIdentityResponse }) },
      config: { openapi: { summary: 'Trade a sign-in link’s code and this browser’s verifier for a token of the same identity' } },
    },
    async (request) => {
      await limit(request);
      const token = newPseudonymousToken();
      const challenge = sha256(request.body.verifier).toString('base64url');
      const result = await store.redeemSignInLink(hashToken(request.body.code), challenge, hashToken(token));
      if (result.status === 'wrong_browser') {
        throw new ColloquyError('forbidden', 'This sign-in link was asked for in another browser; it works only there. Ask for a new link here.');
      }
      if (result.status === 'invalid') throw new ColloquyError('not_found', 'This sign-in link is used or expired; ask for a new one.');
      return { token, identity: result.identity };
    },
  );
};
