/** The words of `<colloquy-activity>`, English and Spanish (kept out of embed.js's tables). */
export interface ActivityMessages {
  title: string;
  unread: (n: number) => string;
  unreadMark: string;
  replied: (name: string) => string;
  commented: (name: string, where: string) => string;
  someone: string;
  thisConversation: string;
  markAllRead: string;
  loadMore: string;
  loading: string;
  empty: string;
  signedOut: string;
  failed: string;
  retry: string;
}

export const ACTIVITY_MESSAGES: Record<'en' | 'es', ActivityMessages> = {
  en: {
    title: 'Your activity',
    unread: (n) => (n === 1 ? '1 unread' : `${n} unread`),
    unreadMark: 'Unread:',
    replied: (name) => `${name} replied to you`,
    commented: (name, where) => `${name} commented in ${where}`,
    someone: 'Someone',
    thisConversation: 'a conversation you follow',
    markAllRead: 'Mark all as read',
    loadMore: 'Show older',
    loading: 'Loading…',
    empty: 'Nothing yet. Replies to you and new comments in conversations you follow appear here.',
    signedOut: 'Comment once on this site to see replies to you and the conversations you follow here.',
    failed: 'Your activity could not be loaded.',
    retry: 'Try again',
  },
  es: {
    title: 'Tu actividad',
    unread: (n) => (n === 1 ? '1 sin leer' : `${n} sin leer`),
    unreadMark: 'Sin leer:',
    replied: (name) => `${name} te respondió`,
    commented: (name, where) => `${name} comentó en ${where}`,
    someone: 'Alguien',
    thisConversation: 'una conversación que sigues',
    markAllRead: 'Marcar todo como leído',
    loadMore: 'Ver anteriores',
    loading: 'Cargando…',
    empty: 'Aún no hay nada. Aquí aparecen las respuestas que recibas y los comentarios nuevos de las conversaciones que sigues.',
    signedOut: 'Comenta una vez en este sitio para ver aquí las respuestas que recibas y las conversaciones que sigues.',
    failed: 'No se pudo cargar tu actividad.',
    retry: 'Reintentar',
  },
};

export const activityMessages = (lang: string): ActivityMessages => ACTIVITY_MESSAGES[lang === 'es' ? 'es' : 'en'];

/**
 * `en` or `es` by the same rule as the other elements (its own `lang`, the nearest ancestor's,
 * the page's, then the browser's), without their message tables.
 */
export function activityLanguage(element: Element): 'en' | 'es' {
  const candidates = [
    element.getAttribute('lang'),
    element.parentElement?.closest('[lang]')?.getAttribute('lang'),
    element.ownerDocument.documentElement.getAttribute('lang'),
    ...(navigator.languages ?? [navigator.language]),
  ];
  for (const tag of candidates) {
    const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (base === 'en' || base === 'es') return base;
  }
  return 'en';
}
