import { Type, type Static } from '@sinclair/typebox';
import { Nullable, literals } from './builders.js';
import { ThreadKey } from './common.js';

/* A reader's e-mail address (double opt-in) and what they are told by mail: docs/protocol.md, "E-mail and reply notifications". */

export const NOTIFY_MODES = ['immediate', 'digest', 'off'] as const;
export const MAIL_LANGUAGE_TAGS = ['en', 'es'] as const;

export const NotifyModeSchema = literals(NOTIFY_MODES);
export const MailLanguageSchema = literals(MAIL_LANGUAGE_TAGS);

export const EmailBody = Type.Object({
  address: Type.String({ minLength: 3, maxLength: 254, description: 'Where to send reply notifications; nothing but a confirmation goes there until it is confirmed.' }),
  language: Type.Optional(MailLanguageSchema),
});

export const EmailStateSchema = Type.Object(
  {
    address: Type.String(),
    confirmed: Type.Boolean(),
    notify: NotifyModeSchema,
    language: MailLanguageSchema,
    mutedThreads: Type.Array(Type.String()),
  },
  { description: 'A reader’s address and mail settings.' },
);

export const EmailResponse = Type.Object({
  email: Nullable(EmailStateSchema, { description: 'Null when the reader has given no address.' }),
});

export const NotificationSettingsBody = Type.Object({
  notify: Type.Optional(NotifyModeSchema),
  language: Type.Optional(MailLanguageSchema),
});

export const MutedThreadBody = Type.Object({ thread: ThreadKey, muted: Type.Boolean() });

export const ConfirmEmailBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const TokenQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 2000 }) });

export const UnsubscribeResponse = Type.Object({
  unsubscribed: Type.Union([Type.Literal('all'), Type.Literal('thread')]),
  thread: Type.Optional(Type.String()),
});

export type NotifyMode = Static<typeof NotifyModeSchema>;
export type EmailBody = Static<typeof EmailBody>;
export type EmailState = Static<typeof EmailStateSchema>;
export type EmailResponse = Static<typeof EmailResponse>;
export type NotificationSettingsBody = Static<typeof NotificationSettingsBody>;
export type MutedThreadBody = Static<typeof MutedThreadBody>;
export type ConfirmEmailBody = Static<typeof ConfirmEmailBody>;
export type UnsubscribeResponse = Static<typeof UnsubscribeResponse>;
