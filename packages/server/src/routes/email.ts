import { createHash } from 'node:crypto';
import Negotiator from 'negotiator';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ColloquyError, validateThreadKey } from '@colloquy/core';
import { DEFAULT_RATE_LIMITS } from '../config.js';
import { actionPage, mailLanguage, PAGE_STRINGS, type MailLanguage } from '../mail-messages.js';
import { confirmationJob, hashConfirmToken, newConfirmToken } from '../reader-mail.js';
import { caller } from '../request-identity.js';
import * as P from '@colloquy/protocol';
import type { ReaderEmail } from '../store/index.js';
import type { RouteContext } from './context.js';
import { responses } from './responses.js';
import { Type } from '@sinclair/typebox';

/** A page written by hand (text/html), never serialized. */
const HtmlPage = Type.String({ description: 'text/html: a page with one button' });

/** The pages behind links in mail are documents with one form that posts back to themselves. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// RFC 5321 limits an address to 254 octets; control characters, spaces and angle brackets would break headers.
// \s covers CR and LF; other control characters are refused by `hasControl` below.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function validateAddress(value: string): string {
  const address = value.trim();
  if (address.length > 254 || hasControl(address) || !ADDRESS.test(address)) throw new ColloquyError('invalid_input', 'That does not look like an e-mail address (like name@example.org).');
  // The domain part is case-insensitive; the local part is left as typed.
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/**
 * A reader's e-mail address and mail settings (double opt-in), the confirmation link, and RFC
 * 8058 one-click unsubscribe. Registered under /api/v1.
 */
export const emailRoutes: FastifyPluginAsync<RouteContext> = async (app, { store, config, enforceRateLimit, limitSettingsChange, mail }) => {
  // Mail clients send one-click unsubscribe as a form post, and the pages below post forms; what
  // matters travels in the URL, so the body of these (here only) is read and dropped.
  app.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
    done(null, {}),
  );

  const view = async (email: ReaderEmail | null): Promise<P.EmailResponse> => ({
    email: email
      ? {
          address: email.address,
          confirmed: email.confirmed,
          notify: email.notify,
          language: mailLanguage(email.language),
          mutedThreads: await store.mutedThreads(email.identityId),
        }
      : null,
  });

  const isForm = (request: FastifyRequest) => !/^application\/json\b/i.test(request.headers['content-type'] ?? '');
  /**
   * Whether to answer with a page: a browser (it asks for HTML before JSON) that followed a
   * link or posted one of these pages' forms. Everything else, a mail client's one-click post
   * included, gets JSON, and errors in the protocol's envelope.
   */
  const wantsPage = (request: FastifyRequest) => new Negotiator(request).mediaType(['application/json', 'text/html']) === 'text/html';
  const sendPage = (reply: FastifyReply, status: number, html: string) => reply.code(status).header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(html);
  const languageOf = (request: FastifyRequest): MailLanguage => mailLanguage(request.headers['accept-language']);

  app.get(
    '/identities/me/email',
    { schema: { response: responses({ 200: P.EmailResponse }) }, config: { auth: 'identity', openapi: { summary: 'The caller’s e-mail address and mail settings' } } },
    async (request) => view(await store.getReaderEmail(caller(request).id)),
  );

  app.put<{ Body: Static<typeof P.EmailBody> }>(
    '/identities/me/email',
    {
      schema: { body: P.EmailBody, response: responses({ 200: P.EmailResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Set the caller’s e-mail address; a new one is unconfirmed and gets a confirmation message' } },
    },
    async (request) => {
      const me = caller(request);
      const address = validateAddress(request.body.address);
      const language = request.body.language ?? languageOf(request);
      const rules = config.rateLimits?.email ?? DEFAULT_RATE_LIMITS.email!;
      const recipient = createHash('sha256').update(address.toLowerCase()).digest('base64url');
      await enforceRateLimit('email', request, me, rules, { key: `to:${recipient}`, rule: rules.perRecipient ?? DEFAULT_RATE_LIMITS.email!.perRecipient! });
      const token = newConfirmToken(config.now());
      const { email, queued } = await store.setReaderEmail({
        identityId: me.id,
        address,
        language,
        tokenHash: token.hash,
        expiresAt: token.expiresAt,
        confirmation: (saved) => confirmationJob(saved, token.token, mail.links),
      });
      if (queued) mail.queued();
      return view(email);
    },
  );

  app.delete(
    '/identities/me/email',
    { schema: { response: responses({ 200: P.EmailResponse }) }, config: { auth: 'identity', openapi: { summary: 'Forget the caller’s e-mail address; nothing more is sent to it' } } },
    async (request) => {
      const me = caller(request);
      await limitSettingsChange(request, me);
      await store.removeReaderEmail(me.id);
      return view(null);
    },
  );

  app.patch<{ Body: Static<typeof P.NotificationSettingsBody> }>(
    '/identities/me/notifications',
    {
      schema: { body: P.NotificationSettingsBody, response: responses({ 200: P.EmailResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Reply messages at once, in a daily digest, or off; and their language' } },
    },
    async (request) => {
      const me = caller(request);
      await limitSettingsChange(request, me);
      const email = await store.setNotifyPreferences(me.id, request.body);
      if (!email) throw new ColloquyError('not_found', 'Add an e-mail address first (PUT /api/v1/identities/me/email).');
      return view(email);
    },
  );

  app.put<{ Body: Static<typeof P.MutedThreadBody> }>(
    '/identities/me/muted-threads',
    {
      schema: { body: P.MutedThreadBody, response: responses({ 200: P.EmailResponse }) },
      config: { auth: 'identity', openapi: { summary: 'Mute or unmute reply messages about one thread' } },
    },
    async (request) => {
      const me = caller(request);
      const thread = validateThreadKey(request.body.thread);
      await limitSettingsChange(request, me);
      await store.setThreadMuted(me.id, thread, request.body.muted, config.followsPerIdentity);
      return view(await store.getReaderEmail(me.id));
    },
  );

  app.get<{ Querystring: Static<typeof P.TokenQuery> }>(
    '/email/confirm',
    { schema: { querystring: P.TokenQuery, response: responses({ 200: HtmlPage }) }, config: { openapi: { summary: 'The page a confirmation link opens: a button that confirms (links are opened by scanners too)' } } },
    async (request, reply) => {
      const t = PAGE_STRINGS[languageOf(request)];
      const action = `?token=${encodeURIComponent(request.query.token)}`;
      return sendPage(reply, 200, actionPage(languageOf(request), t.confirmTitle, '', { label: t.confirmButton, action }));
    },
  );

  app.post<{ Querystring: Partial<Static<typeof P.TokenQuery>>; Body: Partial<Static<typeof P.ConfirmEmailBody>> | undefined }>(
    '/email/confirm',
    {
      schema: { body: P.ConfirmEmailBody, response: responses({ 200: P.EmailResponse }) },
      config: { openapi: { summary: 'Confirm an e-mail address with the single-use token from its confirmation message' } },
      // The page's form carries the token in its URL and an empty body.
      preValidation: async (request) => {
        if (isForm(request)) request.body = { token: String((request.query as { token?: unknown }).token ?? '') };
      },
    },
    async (request, reply) => {
      const email = await store.confirmReaderEmail(hashConfirmToken(request.body?.token ?? ''));
      if (isForm(request) && wantsPage(request)) {
        const t = PAGE_STRINGS[languageOf(request)];
        return sendPage(reply, email ? 200 : 404, actionPage(languageOf(request), t.confirmTitle, email ? t.confirmed : t.badConfirm));
      }
      if (!email) throw new ColloquyError('not_found', 'This confirmation link is used or expired; set the address again to get a new one.');
      return view(email);
    },
  );

  app.get<{ Querystring: Static<typeof P.TokenQuery> }>(
    '/unsubscribe',
    { schema: { querystring: P.TokenQuery, response: responses({ 200: HtmlPage }) }, config: { openapi: { summary: 'The page an unsubscribe link opens: a button that unsubscribes' } } },
    async (request, reply) => {
      const lang = languageOf(request);
      const t = PAGE_STRINGS[lang];
      const found = mail.links.readUnsubscribeToken(request.query.token);
      if (!found) {
        if (!wantsPage(request)) throw new ColloquyError('not_found', 'This unsubscribe link is not valid.');
        return sendPage(reply, 404, actionPage(lang, t.unsubscribeTitle, t.badUnsubscribe));
      }
      const label = found.scope.kind === 'all' ? t.unsubscribeButton : t.muteButton;
      return sendPage(reply, 200, actionPage(lang, t.unsubscribeTitle, '', { label, action: `?token=${encodeURIComponent(request.query.token)}` }));
    },
  );

  app.post<{ Querystring: Static<typeof P.TokenQuery> }>(
    '/unsubscribe',
    {
      schema: { querystring: P.TokenQuery, response: responses({ 200: P.UnsubscribeResponse }) },
      config: { openapi: { summary: 'RFC 8058 one-click unsubscribe: no login, the signed token in the URL says who and from what' } },
    },
    async (request, reply) => {
      const found = mail.links.readUnsubscribeToken(request.query.token);
      const lang = languageOf(request);
      const t = PAGE_STRINGS[lang];
      if (found && (await store.getIdentity(found.identityId))) {
        if (found.scope.kind === 'all') await store.setNotifyPreferences(found.identityId, { notify: 'off' });
        else await store.setThreadMuted(found.identityId, found.scope.thread, true);
      }
      if (isForm(request) && wantsPage(request)) {
        if (!found) return sendPage(reply, 404, actionPage(lang, t.unsubscribeTitle, t.badUnsubscribe));
        return sendPage(reply, 200, actionPage(lang, t.unsubscribeTitle, found.scope.kind === 'all' ? t.unsubscribed : t.muted));
      }
      if (!found) throw new ColloquyError('not_found', 'This unsubscribe link is not valid.');
      return found.scope.kind === 'all' ? { unsubscribed: 'all' as const } : { unsubscribed: 'thread' as const, thread: found.scope.thread };
    },
  );
};
