import type { ErrorCode } from '@colloquy/core';
import type { ErrorWords, Localizer } from './locale.js';

/**
 * Words only a write needs (posting, naming, editing, deleting, reporting), apart from the
 * thread's table (`Messages`): they travel in on-demand parts (docs/decisions/0032), so a
 * reader who only reads never downloads them. The errors are registered with `addErrors` by
 * the part that loads them, so `Localizer.error` finds them from then on.
 */
export interface WriteMessages {
  /** Label of the edit box. */
  editLabel: string;
  /** The delete confirmation's question. */
  confirmDelete: string;
  /** Said once a comment is posted. */
  announcePosted: string;
  /** Said once an edit is saved. */
  announceEdited: string;
  /** Said once a comment is deleted. */
  announceDeleted: string;
  /** Said instead of `announcePosted` when the comment waits for a moderator. */
  announceHeld: string;
}

const en: WriteMessages = {
  editLabel: 'Edit your comment',
  confirmDelete: 'Delete this comment? This cannot be undone.',
  announcePosted: 'Your comment was posted.',
  announceEdited: 'Your comment was updated.',
  announceDeleted: 'The comment was deleted.',
  announceHeld: 'Your comment was sent and awaits review by a moderator.',
};

const es: WriteMessages = {
  editLabel: 'Editar tu comentario',
  confirmDelete: '¿Eliminar este comentario? No se puede deshacer.',
  announcePosted: 'Tu comentario se publicó.',
  announceEdited: 'Tu comentario se actualizó.',
  announceDeleted: 'El comentario se eliminó.',
  announceHeld: 'Tu comentario se envió y espera la revisión de un moderador.',
};

const tables: Record<string, WriteMessages> = { en, es };

/** The write words in the localizer's language. */
export function writeWords(localizer: Localizer): WriteMessages {
  return tables[localizer.lang] ?? en;
}

/**
 * `banned` in `lang`: for a suspension (the error's `until`), when the reader may write again,
 * told in their language and time zone; for a ban for good (or an end that cannot be read),
 * `forGood`. Never an offer to retry: a refused writer's failed post has Edit and Discard.
 */
function banned(lang: string, forGood: string, suspended: string): ErrorWords {
  return ({ until }) => {
    const end = until === undefined ? NaN : Date.parse(until);
    if (Number.isNaN(end)) return forGood;
    return suspended.replace('{date}', new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(end));
  };
}

/** What the reader is told about errors only a write meets, by language. */
export const writeErrors: Record<string, Partial<Record<ErrorCode, ErrorWords>>> = {
  en: {
    body_too_long: 'Your comment is too long.',
    name_too_long: 'That screen name is too long.',
    name_not_allowed: 'That name is reserved or looks like a staff name. Please choose another.',
    banned: banned('en', 'You can no longer post here.', 'Your account is suspended. You can post again on {date}.'),
    edit_window_closed: 'The time to edit or delete this comment has passed.',
    already_reported: 'You have already reported this comment.',
  },
  es: {
    body_too_long: 'Tu comentario es demasiado largo.',
    name_too_long: 'Ese nombre es demasiado largo.',
    name_not_allowed: 'Ese nombre está reservado o se parece al de alguien del equipo. Elige otro.',
    banned: banned('es', 'Ya no puedes publicar aquí.', 'Tu cuenta está suspendida. Podrás volver a publicar el {date}.'),
    edit_window_closed: 'Ya pasó el plazo para editar o eliminar este comentario.',
    already_reported: 'Ya denunciaste este comentario.',
  },
};
