import type { NotificationItem } from './store/index.js';

/** Languages mail is written in; a reader's stored or browser language picks one, English otherwise. */
export const MAIL_LANGUAGES = ['en', 'es'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/** The first supported language of an `Accept-Language` header (or a stored tag like `es-MX`), else English. */
export function mailLanguage(header: string | undefined | null): MailLanguage {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split('-')[0]!, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) if ((MAIL_LANGUAGES as readonly string[]).includes(r.base)) return r.base as MailLanguage;
  return 'en';
}

/** A message ready for the outbox: both parts and the headers it needs besides From, To, Subject. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const STRINGS = {
  en: {
    confirmSubject: 'Confirm your e-mail address for comments',
    confirmIntro: 'Someone (we hope you) asked to be told by e-mail about replies to their comments at',
    confirmAction: 'Confirm this address',
    confirmIgnore: 'If it was not you, ignore this message: nothing else will be sent to this address.',
    oneReplySubject: (name: string) => `${name} replied to your comment`,
    manyRepliesSubject: (n: number) => `${n} new replies to your comments`,
    digestSubject: (n: number) => (n === 1 ? 'Your daily digest: 1 reply' : `Your daily digest: ${n} replies`),
    wrote: (name: string) => `${name} replied:`,
    oneFollowSubject: (name: string) => `${name} commented in a conversation you follow`,
    manyCommentsSubject: (n: number) => `${n} new comments in your conversations`,
    digestCommentsSubject: (n: number) => (n === 1 ? 'Your daily digest: 1 comment' : `Your daily digest: ${n} comments`),
    commented: (name: string) => `${name} commented in a conversation you follow:`,
    someone: 'Someone',
    open: 'See it in the conversation',
    why: 'You get this because you asked to be told of replies to your comments and of new comments in conversations you follow.',
    mute: 'Stop messages about this conversation',
    unsubscribe: 'Unsubscribe from all reply messages',
    signInSubject: 'Your sign-in link for comments',
    signInIntro: 'Someone (we hope you) asked to sign in with this address to comment at',
    signInAction: 'Sign in',
    signInRules: 'The link works once, for 15 minutes, in the browser where you asked for it.',
    signInIgnore: 'If it was not you, ignore this message: nobody can sign in without it.',
  },
  es: {
    confirmSubject: 'Confirma tu dirección de correo para los comentarios',
    confirmIntro: 'Alguien (esperamos que tú) pidió recibir por correo las respuestas a sus comentarios en',
    confirmAction: 'Confirmar esta dirección',
    confirmIgnore: 'Si no fuiste tú, ignora este mensaje: no se enviará nada más a esta dirección.',
    oneReplySubject: (name: string) => `${name} respondió a tu comentario`,
    manyRepliesSubject: (n: number) => `${n} respuestas nuevas a tus comentarios`,
    digestSubject: (n: number) => (n === 1 ? 'Tu resumen diario: 1 respuesta' : `Tu resumen diario: ${n} respuestas`),
    wrote: (name: string) => `${name} respondió:`,
    oneFollowSubject: (name: string) => `${name} comentó en una conversación que sigues`,
    manyCommentsSubject: (n: number) => `${n} comentarios nuevos en tus conversaciones`,
    digestCommentsSubject: (n: number) => (n === 1 ? 'Tu resumen diario: 1 comentario' : `Tu resumen diario: ${n} comentarios`),
    commented: (name: string) => `${name} comentó en una conversación que sigues:`,
    someone: 'Alguien',
    open: 'Verla en la conversación',
    why: 'Recibes esto porque pediste que te avisáramos de las respuestas a tus comentarios y de los comentarios nuevos en las conversaciones que sigues.',
    mute: 'No recibir más mensajes de esta conversación',
    unsubscribe: 'Darse de baja de todos los mensajes de respuestas',
    signInSubject: 'Tu enlace para entrar a los comentarios',
    signInIntro: 'Alguien (esperamos que tú) pidió entrar con esta dirección para comentar en',
    signInAction: 'Entrar',
    signInRules: 'El enlace funciona una vez, durante 15 minutos, en el navegador donde lo pediste.',
    signInIgnore: 'Si no fuiste tú, ignora este mensaje: nadie puede entrar sin él.',
  },
} as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (lang: MailLanguage, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">${body}</body></html>`;

/** The confirmation message: the only one ever sent to an address not yet confirmed. */
export function confirmationMessage(lang: MailLanguage, input: { confirmUrl: string; site: string }): MailContent {
  const t = STRINGS[lang];
  return {
    subject: t.confirmSubject,
    text: `${t.confirmIntro} ${input.site}.\n\n${t.confirmAction}:\n${input.confirmUrl}\n\n${t.confirmIgnore}\n`,
    html: page(
      lang,
      `<p>${escapeHtml(t.confirmIntro)} ${escapeHtml(input.site)}.</p><p><a href="${escapeHtml(input.confirmUrl)}">${escapeHtml(t.confirmAction)}</a></p><p>${escapeHtml(t.confirmIgnore)}</p>`,
    ),
    headers: {},
  };
}

/** A magic sign-in link (docs/decisions/0034): the page where the reader asked, with a one-time code. */
export function signInMessage(lang: MailLanguage, input: { signInUrl: string; site: string }): MailContent {
  const t = STRINGS[lang];
  return {
    subject: t.signInSubject,
    text: `${t.signInIntro} ${input.site}.\n\n${t.signInAction}:\n${input.signInUrl}\n\n${t.signInRules}\n${t.signInIgnore}\n`,
    html: page(
      lang,
      `<p>${escapeHtml(t.signInIntro)} ${escapeHtml(input.site)}.</p><p><a href="${escapeHtml(input.signInUrl)}">${escapeHtml(t.signInAction)}</a></p><p>${escapeHtml(t.signInRules)}<br>${escapeHtml(t.signInIgnore)}</p>`,
    ),
    headers: {},
  };
}

export interface NotificationLinks {
  permalink(item: NotificationItem): string;
  /** One-click unsubscribe from every reply message (the `List-Unsubscribe` target). */
  unsubscribeUrl: string;
  /** Mutes one thread. */
  muteUrl(thread: string): string;
}

/** One message for replies and comments in followed threads: one, a burst of them, or the daily digest. */
export function notificationMessage(lang: MailLanguage, items: readonly NotificationItem[], digest: boolean, links: NotificationLinks): MailContent {
  const t = STRINGS[lang];
  const name = (item: NotificationItem) => item.authorName || t.someone;
  const onlyReplies = items.every((item) => item.reason === 'reply');
  const first = items[0]!;
  const subject = digest
    ? (onlyReplies ? t.digestSubject : t.digestCommentsSubject)(items.length)
    : items.length === 1
      ? (first.reason === 'reply' ? t.oneReplySubject : t.oneFollowSubject)(name(first))
      : (onlyReplies ? t.manyRepliesSubject : t.manyCommentsSubject)(items.length);
  const intro = (item: NotificationItem) => (item.reason === 'reply' ? t.wrote : t.commented)(name(item));
  const threads = [...new Set(items.map((i) => i.thread))];
  const quote = (body: string) => body.split('\n').map((line) => `> ${line}`).join('\n');
  const text = [
    ...items.map((item) => `${intro(item)}\n${quote(item.body)}\n\n${t.open}: ${links.permalink(item)}\n`),
    '--',
    t.why,
    ...threads.map((thread) => `${t.mute} (${thread}): ${links.muteUrl(thread)}`),
    `${t.unsubscribe}: ${links.unsubscribeUrl}`,
    '',
  ].join('\n');
  const html = page(
    lang,
    items
      .map(
        (item) =>
          `<p><strong>${escapeHtml(intro(item))}</strong></p><blockquote style="margin:0 0 .5em;padding-left:1em;border-left:3px solid #ccc;white-space:pre-wrap">${escapeHtml(item.body)}</blockquote><p><a href="${escapeHtml(links.permalink(item))}">${escapeHtml(t.open)}</a></p>`,
      )
      .join('') +
      `<hr><p style="font-size:.9em;color:#555">${escapeHtml(t.why)}<br>` +
      threads.map((thread) => `<a href="${escapeHtml(links.muteUrl(thread))}">${escapeHtml(t.mute)}</a> (${escapeHtml(thread)})<br>`).join('') +
      `<a href="${escapeHtml(links.unsubscribeUrl)}">${escapeHtml(t.unsubscribe)}</a></p>`,
  );
  return {
    subject,
    text,
    html,
    // RFC 8058: a mail client unsubscribes with one POST, no login, no page to load.
    headers: { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** Words of the small pages behind the links in mail (confirm, unsubscribe). */
export const PAGE_STRINGS = {
  en: {
    confirmTitle: 'Confirm your e-mail address',
    confirmButton: 'Confirm',
    confirmed: 'Your address is confirmed. You will be told of replies to your comments.',
    badConfirm: 'This link is used or expired. Add your address again to get a new one.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeButton: 'Unsubscribe from reply messages',
    muteButton: 'Stop messages about this conversation',
    unsubscribed: 'You will get no more reply messages.',
    muted: 'You will get no more messages about this conversation.',
    badUnsubscribe: 'This link is not valid.',
  },
  es: {
    confirmTitle: 'Confirma tu dirección de correo',
    confirmButton: 'Confirmar',
    confirmed: 'Tu dirección está confirmada. Te avisaremos de las respuestas a tus comentarios.',
    badConfirm: 'Este enlace ya se usó o caducó. Vuelve a añadir tu dirección para recibir otro.',
    unsubscribeTitle: 'Darse de baja',
    unsubscribeButton: 'Darme de baja de los mensajes de respuestas',
    muteButton: 'No recibir más mensajes de esta conversación',
    unsubscribed: 'No recibirás más mensajes de respuestas.',
    muted: 'No recibirás más mensajes de esta conversación.',
    badUnsubscribe: 'Este enlace no es válido.',
  },
} as const;

/** A small page with a message and, optionally, a button that POSTs back to the same address. */
export function actionPage(lang: MailLanguage, title: string, message: string, button?: { label: string; action: string }): string {
  const form = button
    ? `<form method="post" action="${escapeHtml(button.action)}"><input type="hidden" name="confirm" value="1"><button type="submit">${escapeHtml(button.label)}</button></form>`
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32em;margin:3em auto;padding:0 1em"><main><h1>${escapeHtml(title)}</h1>${message ? `<p>${escapeHtml(message)}</p>` : ''}${form}</main></body></html>`;
}

export { escapeHtml };
