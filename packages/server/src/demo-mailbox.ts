import type { FastifyInstance } from 'fastify';
import { escapeHtml } from './mail-messages.js';
import type { Store } from './store/index.js';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * `GET /demo/mail`: the mail the server would have sent, kept in the database because no SMTP
 * server is configured, newest first, so the demo shows confirmation and reply messages with
 * their links. Only with the demo on and no `COLLOQUY_SMTP_URL`; `?format=json` for scripts.
 */
export function registerDemoMailbox(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: { format?: string } }>('/demo/mail', async (request, reply) => {
    const mails = await store.listLocalMail(50);
    reply.header('cache-control', 'no-store');
    if (request.query.format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify({ mail: mails }));
    const linkify = (text: string) => escapeHtml(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
    const items = mails
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p><strong>To:</strong> ${escapeHtml(m.to)} · <strong>Message-ID:</strong> ${escapeHtml(m.messageId)} · ${new Date(m.createdAt).toISOString()}</p>` +
          Object.entries(m.headers).map(([k, v]) => `<p><code>${escapeHtml(k)}: ${escapeHtml(v)}</code></p>`).join('') +
          `<pre style="white-space:pre-wrap">${linkify(m.text)}</pre></article>`,
      )
      .join('<hr>');
    return reply
      .header('content-security-policy', PAGE_CSP)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Demo mailbox</title></head><body style="font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;padding:0 1em"><main><h1>Demo mailbox</h1><p>No SMTP server is configured (COLLOQUY_SMTP_URL), so messages are kept here instead of sent.</p>${items || '<p>No mail yet.</p>'}</main></body></html>`,
      );
  });
}
