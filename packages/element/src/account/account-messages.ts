import type { ErrorCode } from '@colloquy/core';

/**
 * The account panel's words, apart from the thread's table (`Messages`): they travel in the
 * panel's on-demand chunk (docs/decisions/0034), so a reader who never opens it never
 * downloads them. `{…}` placeholders are filled by `Localizer.format`.
 */
export interface AccountMessages {
  title: string;
  /** `{name}`: the reader's screen name. */
  postingAs: string;
  noIdentity: string;
  hostAccount: string;
  nameLabel: string;
  rename: string;
  renamed: string;
  signOut: string;
  signOutHint: string;
  signOutNoAddress: string;
  signedOut: string;
  emailTitle: string;
  emailLabel: string;
  emailSave: string;
  emailRemove: string;
  /** `{address}` */
  emailUnconfirmed: string;
  /** `{address}` */
  emailConfirmed: string;
  emailRemoved: string;
  notifyLabel: string;
  notify: Record<'immediate' | 'digest' | 'off', string>;
  notifySaved: string;
  followTitle: string;
  following: string;
  notFollowing: string;
  follow: string;
  unfollow: string;
  followed: string;
  unfollowed: string;
  followOnPost: string;
  followNeedsAddress: string;
  signInTitle: string;
  signInIntro: string;
  signInSend: string;
  /** `{address}` */
  signInSent: string;
  signingIn: string;
  /** `{name}` */
  signedIn: string;
  signInOtherBrowser: string;
  signInExpired: string;
  dataTitle: string;
  download: string;
  deleteAll: string;
  confirmRemove: string;
  confirmAnonymise: string;
  confirmDeleteButton: string;
  cancel: string;
  deleted: string;
  loading: string;
}

const en: AccountMessages = {
  title: 'Your account',
  postingAs: 'You post as {name}.',
  noIdentity: 'You have not posted from this browser.',
  hostAccount: 'You are signed in through this site; change your name there.',
  nameLabel: 'Screen name',
  rename: 'Rename',
  renamed: 'Your name was changed.',
  signOut: 'Sign out',
  signOutHint: 'This browser forgets who you are. To come back, sign in with a link sent to your confirmed address.',
  signOutNoAddress: 'You have no confirmed e-mail address: once signed out, you cannot come back to this name.',
  signedOut: 'You are signed out in this browser.',
  emailTitle: 'E-mail',
  emailLabel: 'E-mail address',
  emailSave: 'Send confirmation',
  emailRemove: 'Remove address',
  emailUnconfirmed: 'We sent a message to {address}. Open its link to confirm the address; nothing else is sent until then.',
  emailConfirmed: '{address} is confirmed.',
  emailRemoved: 'Your address was removed. Nothing more is sent to it.',
  notifyLabel: 'Replies to my comments',
  notify: { immediate: 'Tell me at once', digest: 'Once a day', off: 'Do not tell me' },
  notifySaved: 'Saved.',
  followTitle: 'This conversation',
  following: 'Following this conversation.',
  notFollowing: 'Not following this conversation.',
  follow: 'Follow',
  unfollow: 'Unfollow',
  followed: 'You follow this conversation now: new comments show in your activity.',
  unfollowed: 'You no longer follow this conversation.',
  followOnPost: 'Follow conversations I comment in',
  followNeedsAddress: 'Messages about new comments need a confirmed e-mail address.',
  signInTitle: 'Sign in with e-mail',
  signInIntro: 'Used your confirmed address here before, in another browser? We send you a link that signs this browser in as you.',
  signInSend: 'Send me a sign-in link',
  signInSent: 'If {address} is confirmed for comments here, a link is on its way. Open it in this browser within 15 minutes.',
  signingIn: 'Signing you in…',
  signedIn: 'You are signed in as {name}.',
  signInOtherBrowser: 'This sign-in link was asked for in another browser, and works only there. Ask for a new link here.',
  signInExpired: 'This sign-in link is used or expired. Ask for a new one.',
  dataTitle: 'Your data',
  download: 'Download my data',
  deleteAll: 'Delete my comments',
  confirmRemove:
    'This deletes your comments on every page of this site, your name and your e-mail address. Comments that others replied to stay as “deleted”, with no text and no name, so the replies keep their place. You are signed out in every browser. This cannot be undone.',
  confirmAnonymise:
    'This deletes your name and your e-mail address, and signs you out in every browser. Your comments stay on this site, shown with no author. This cannot be undone.',
  confirmDeleteButton: 'Delete for good',
  cancel: 'Cancel',
  deleted: 'Done: your data was deleted.',
  loading: 'Loading…',
};

const es: AccountMessages = {
  title: 'Tu cuenta',
  postingAs: 'Publicas como {name}.',
  noIdentity: 'No has publicado desde este navegador.',
  hostAccount: 'Entraste a través de este sitio; cambia tu nombre allí.',
  nameLabel: 'Nombre público',
  rename: 'Cambiar nombre',
  renamed: 'Tu nombre se cambió.',
  signOut: 'Salir',
  signOutHint: 'Este navegador olvida quién eres. Para volver, entra con un enlace enviado a tu dirección confirmada.',
  signOutNoAddress: 'No tienes una dirección de correo confirmada: si sales, no podrás volver a este nombre.',
  signedOut: 'Saliste en este navegador.',
  emailTitle: 'Correo',
  emailLabel: 'Dirección de correo',
  emailSave: 'Enviar confirmación',
  emailRemove: 'Quitar dirección',
  emailUnconfirmed: 'Enviamos un mensaje a {address}. Abre su enlace para confirmar la dirección; hasta entonces no se envía nada más.',
  emailConfirmed: '{address} está confirmada.',
  emailRemoved: 'Se quitó tu dirección. No se le enviará nada más.',
  notifyLabel: 'Respuestas a mis comentarios',
  notify: { immediate: 'Avisarme al momento', digest: 'Una vez al día', off: 'No avisarme' },
  notifySaved: 'Guardado.',
  followTitle: 'Esta conversación',
  following: 'Sigues esta conversación.',
  notFollowing: 'No sigues esta conversación.',
  follow: 'Seguir',
  unfollow: 'Dejar de seguir',
  followed: 'Ahora sigues esta conversación: los comentarios nuevos aparecen en tu actividad.',
  unfollowed: 'Ya no sigues esta conversación.',
  followOnPost: 'Seguir las conversaciones en las que comento',
  followNeedsAddress: 'Los avisos de comentarios nuevos necesitan una dirección de correo confirmada.',
  signInTitle: 'Entrar con tu correo',
  signInIntro: '¿Ya usaste aquí tu dirección confirmada, en otro navegador? Te enviamos un enlace que te identifica en este navegador.',
  signInSend: 'Enviarme un enlace para entrar',
  signInSent: 'Si {address} está confirmada para los comentarios de este sitio, te llegará un enlace. Ábrelo en este navegador antes de 15 minutos.',
  signingIn: 'Entrando…',
  signedIn: 'Entraste como {name}.',
  signInOtherBrowser: 'Este enlace se pidió en otro navegador y solo funciona allí. Pide un enlace nuevo aquí.',
  signInExpired: 'Este enlace ya se usó o caducó. Pide uno nuevo.',
  dataTitle: 'Tus datos',
  download: 'Descargar mis datos',
  deleteAll: 'Eliminar mis comentarios',
  confirmRemove:
    'Esto elimina tus comentarios en todas las páginas de este sitio, tu nombre y tu dirección de correo. Los comentarios que otros respondieron quedan como «eliminado», sin texto ni nombre, para que las respuestas conserven su lugar. Sales en todos los navegadores. No se puede deshacer.',
  confirmAnonymise:
    'Esto elimina tu nombre y tu dirección de correo, y sales en todos los navegadores. Tus comentarios siguen en este sitio, sin autor. No se puede deshacer.',
  confirmDeleteButton: 'Eliminar definitivamente',
  cancel: 'Cancelar',
  deleted: 'Listo: tus datos se eliminaron.',
  loading: 'Cargando…',
};

/** By language, as `Localizer.lang` names it. */
export const accountMessages: Record<string, AccountMessages> = { en, es };

/**
 * What the reader is told about errors only the panel's changes meet, by language: registered
 * with `addErrors` when the panel loads, so they cost the critical path nothing.
 */
export const accountErrors = {
  en: { follow_limit: 'You follow as many conversations as one reader may. Unfollow one to follow this one.' },
  es: { follow_limit: 'Ya sigues todas las conversaciones que se permiten. Deja de seguir alguna para seguir esta.' },
} satisfies Record<string, Partial<Record<ErrorCode, string>>>;
