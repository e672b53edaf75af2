import type { ReportReason } from '@colloquy/core';

/**
 * The report dialog's words, apart from the thread's table (`Messages`): they travel in the
 * dialog's on-demand chunk, so a reader who never reports never downloads them.
 */
export interface ReportMessages {
  reportTitle: string;
  reportIntro: string;
  reportReason: string;
  reasons: Record<ReportReason, string>;
  reportDetails: string;
  reportSubmit: string;
  reasonRequired: string;
  /** Said once the report is sent. */
  announceReported: string;
}

const en: ReportMessages = {
  reportTitle: 'Report abuse',
  reportIntro: 'Why should moderators look at this comment?',
  reportReason: 'Reason',
  reasons: {
    spam: 'Spam or advertising',
    harassment: 'Harassment or bullying',
    hate: 'Hate speech',
    misinformation: 'Harmful misinformation',
    'off-topic': 'Off topic',
    other: 'Something else',
  },
  reportDetails: 'Details (optional)',
  reportSubmit: 'Send report',
  reasonRequired: 'Please choose a reason.',
  announceReported: 'Thank you. The comment was reported to the moderators.',
};

const es: ReportMessages = {
  reportTitle: 'Denunciar abuso',
  reportIntro: '¿Por qué deberían revisar este comentario los moderadores?',
  reportReason: 'Motivo',
  reasons: {
    spam: 'Spam o publicidad',
    harassment: 'Acoso o intimidación',
    hate: 'Discurso de odio',
    misinformation: 'Desinformación dañina',
    'off-topic': 'Fuera de tema',
    other: 'Otro motivo',
  },
  reportDetails: 'Detalles (opcional)',
  reportSubmit: 'Enviar denuncia',
  reasonRequired: 'Elige un motivo.',
  announceReported: 'Gracias. El comentario se envió a los moderadores.',
};

/** By language, as `Localizer.lang` names it. */
export const reportMessages: Record<string, ReportMessages> = { en, es };
