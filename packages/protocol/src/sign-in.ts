import { Type, type Static } from '@sinclair/typebox';
import { MailLanguageSchema } from './mail.js';

/*
 * Sign-in by e-mail (docs/protocol.md, "Sign-in by e-mail"; decision 0034): a reader with a
 * confirmed address asks for a one-time link from one browser and redeems it in the same one.
 */

/** base64url of 32 random bytes (the verifier) or of their SHA-256 (the challenge): 43 characters. */
const base64Url43 = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description });

export const SignInRequestBody = Type.Object({
  address: Type.String({ minLength: 3, maxLength: 254, description: 'The confirmed address of the identity to sign in to.' }),
  challenge: base64Url43('base64url SHA-256 of a random verifier this browser keeps.'),
  page: Type.String({ minLength: 1, maxLength: 2000, description: 'The page the reader asks from; the link returns there when its origin is allowed.' }),
  language: Type.Optional(MailLanguageSchema),
});

export const SignInRequestResponse = Type.Object(
  { requested: Type.Literal(true) },
  { description: 'The same answer whether or not the address is known: a link goes only to a confirmed address.' },
);

export const SignInRedeemBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 200, description: 'The code from the link’s fragment.' }),
  verifier: base64Url43('The verifier whose SHA-256 was sent with the request.'),
});

export type SignInRequestBody = Static<typeof SignInRequestBody>;
export type SignInRequestResponse = Static<typeof SignInRequestResponse>;
export type SignInRedeemBody = Static<typeof SignInRedeemBody>;
