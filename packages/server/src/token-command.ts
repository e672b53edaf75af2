// `colloquy-server token`: signs a host-site JWT with COLLOQUY_JWT_SECRET, the way a site's
// own login would, so a moderator can open the queue on a server they run (the demo, a test
// install) without a site around it. It never invents a secret: the server must be started
// with the same one, or it refuses the token.
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { ColloquyError, ROLES, validateName, type Role } from '@colloquy/core';
import type { ServerConfig } from './config.js';
import { isUsableSubject } from './identity.js';

export const TOKEN_USAGE = `  token       print a signed sign-in token (JWT) for COLLOQUY_JWT_SECRET (with COLLOQUY_JWT_AUDIENCE
              and COLLOQUY_JWT_ISSUER as its aud and iss when they are set):
              --role moderator|staff|mentor|reader (default moderator), --name NAME,
              --sub ID (default local-<role>), --expires 8h (s, m, h or d)`;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function usageError(message: string): ColloquyError {
  return Object.assign(new ColloquyError('invalid_input', message), { exitCode: 2 });
}

/** Seconds from `90s`, `30m`, `8h`, `7d`; at most 30 days, so a printed token does not live forever. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 30 * 86400) {
    throw usageError(`--expires must look like 30m, 8h or 7d (at most 30d); got "${text}".`);
  }
  return seconds;
}

export interface TokenRequest {
  role: Role;
  name: string;
  sub: string;
  expiresInSeconds: number;
}

export function parseTokenArgs(args: string[], config: Pick<ServerConfig, 'limits'>): TokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { role: { type: 'string' }, name: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const role = (values.role ?? 'moderator') as Role;
  if (!ROLES.includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}; got "${values.role}".`);
  const name = validateName(values.name ?? `Local ${role}`, config.limits);
  const sub = values.sub ?? `local-${role}`;
  if (!isUsableSubject(sub)) throw usageError('--sub must be 1 to 200 characters, without control characters.');
  return { role, name, sub, expiresInSeconds: parseDuration(values.expires ?? '8h') };
}

export async function signToken(
  request: TokenRequest,
  secret: string,
  now = Date.now(),
  binding: { audience?: string | undefined; issuer?: string | undefined } = {},
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  const jwt = new SignJWT({ name: request.name, role: request.role });
  // The server refuses tokens without the audience and issuer it is configured with.
  if (binding.audience) jwt.setAudience(binding.audience);
  if (binding.issuer) jwt.setIssuer(binding.issuer);
  return jwt
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** Prints the token alone on standard output (so `$(colloquy-server token)` works); notes go to standard error. */
export async function runToken(args: string[], config: ServerConfig): Promise<void> {
  const request = parseTokenArgs(args, config);
  if (!config.jwtSecret) {
    throw usageError(
      'Set COLLOQUY_JWT_SECRET (at least 32 characters) to the value the server runs with; a token signed with anything else is refused.',
    );
  }
  const token = await signToken(request, config.jwtSecret, config.now(), { audience: config.jwtAudience, issuer: config.jwtIssuer });
  process.stdout.write(`${token}\n`);
  const hours = Math.round((request.expiresInSeconds / 3600) * 10) / 10;
  process.stderr.write(`colloquy: ${request.role} token for "${request.name}" (sub ${request.sub}), valid ${hours} h\n`);
}
