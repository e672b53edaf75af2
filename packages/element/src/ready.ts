import { whenSanitizerReady, type RenderWindow } from './body/body-renderer.js';
import { whenLanguageReady } from './i18n/locale.js';

/**
 * For an element's `scheduleUpdate`: runs `update` now when the words of its language (and,
 * for one that shows comment bodies, a sanitizer) are at hand, else once they are, fetched on
 * first use, so the first paint is complete rather than English or plain text first.
 */
export function updateWhenReady(element: Element, update: () => void | Promise<unknown>, bodies = true): void | Promise<unknown> {
  const language = whenLanguageReady(element);
  const sanitizer = bodies ? whenSanitizerReady((element.ownerDocument.defaultView ?? window) as RenderWindow) : null;
  return language || sanitizer ? Promise.all([language, sanitizer]).then(update) : update();
}
