import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { ColloquyError, ROLES, validateName, type Limits, type Role } from '@colloquy/core';
import type { IdentityRecord, Store } from './store/index.js';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A host-site subject the store can keep as it is: 1 to 200 characters, no control character
 * (PostgreSQL refuses NUL in text) and no lone surrogate (stored as U+FFFD, it would merge two
 * subjects into one identity).
 */
export function isUsableSubject(sub: unknown): sub is string {
  return typeof sub === 'string' && sub.length > 0 && sub.length <= 200 && !ANY_CONTROL.test(sub) && !LONE_SURROGATE.test(sub);
}

/** Pseudonymous tokens: random, prefixed so they are easy to spot in a leaked log, stored only as SHA-256. */
export function newPseudonymousToken(): string {
  return `cq_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IdentityResolver {
  /**
   * The identity behind an `Authorization` header: null without one, `invalid_token` or
   * `token_expired` (401) for a bad one.
   */
  resolve(header: string | undefined): Promise<IdentityRecord | null>;
}

export function createIdentityResolver(options: {
  store: Store;
  jwtSecret: string | undefined;
  /** When set, JWTs must carry this audience (`aud`) and issuer (`iss`). */
  jwtAudience?: string | undefined;
  jwtIssuer?: string | undefined;
  limits: Limits;
  now: () => number;
  /** Told of every host-site identity a token brings (the screen-name policy watches for new badge holders). */
  onSubjectIdentity?: (identity: IdentityRecord) => void;
}): IdentityResolver {
  const { store, limits, now, jwtAudience: audience, jwtIssuer: issuer } = options;
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : null;
  const invalid = (message: string) => new ColloquyError('invalid_token', message);

  async function fromJwt(token: string): Promise<IdentityRecord> {
    if (!secret) throw invalid('This server does not accept host-site tokens (COLLOQUY_JWT_SECRET is not set).');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, secret, {
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(now()),
        ...(audience ? { audience } : {}),
        ...(issuer ? { issuer } : {}),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new ColloquyError('token_expired', 'The sign-in token has expired; sign in again.');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud' && audience) {
        throw new ColloquyError('token_audience_mismatch', `The sign-in token is not meant for this server: its "aud" claim must be "${audience}".`);
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss' && issuer) {
        throw new ColloquyError('token_issuer_mismatch', `The sign-in token comes from an issuer this server does not accept: its "iss" claim must be "${issuer}".`);
      }
      throw invalid('The sign-in token is not valid.');
    }
    const { sub, name, role } = payload;
    if (!isUsableSubject(sub)) throw invalid('The token needs a `sub` claim of 1 to 200 characters, without control or broken characters.');
    if (role !== undefined && !(typeof role === 'string' && (ROLES as readonly string[]).includes(role))) {
      throw invalid(`The token's role must be one of: ${ROLES.join(', ')}.`);
    }
    let screenName: string | null = null;
    if (name !== undefined && name !== null) {
      try {
        screenName = validateName(name, limits);
      } catch (error) {
        throw invalid(`The token's name claim is not usable: ${(error as Error).message}`);
      }
    }
    const identity = await store.upsertSubjectIdentity({ subject: sub, name: screenName, role: (role as Role | undefined) ?? 'reader' });
    options.onSubjectIdentity?.(identity);
    return identity;
  }

  return {
    async resolve(header) {
      if (header === undefined || header === '') return null;
      const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
      if (!match) throw invalid('The Authorization header must be "Bearer <token>".');
      const token = match[1]!;
      if (token.split('.').length === 3) return fromJwt(token);
      if (!token.startsWith('cq_')) throw invalid('The token is not one this server gave out.');
      const identity = await store.findIdentityByTokenHash(hashToken(token));
      if (!identity) throw invalid('The token is not one this server gave out.');
      return identity;
    },
  };
}

export function isModerator(identity: IdentityRecord): boolean {
  return identity.role === 'moderator' || identity.role === 'staff';
}
