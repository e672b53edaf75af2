import { configureElements, type ElementDefaults } from './config.js';
import { ColloquyComposer } from './composer/composer.js';
import { ColloquyCount } from './count/count.js';
import type { ColloquyReportDialog } from './report-dialog/report-dialog.js';
import { ColloquyThread } from './thread/thread.js';

/**
 * The tags and the classes behind them. `<colloquy-report-dialog>` is not among them: the
 * thread loads and defines it when a reader first asks to report (`defineReportDialog`), so
 * embed.js does not carry it (a content-hashed chunk, docs/decisions/0025).
 */
export const ELEMENTS = {
  'colloquy-thread': ColloquyThread,
  'colloquy-count': ColloquyCount,
  'colloquy-composer': ColloquyComposer,
} as const;

/**
 * Sets the bundle's defaults and registers every tag not yet defined (a page that loads
 * Colloquy twice keeps the first registration instead of throwing).
 */
export function defineElements(defaults: Partial<ElementDefaults> = {}, registry: CustomElementRegistry = customElements): void {
  configureElements(defaults);
  for (const [tag, element] of Object.entries(ELEMENTS)) {
    if (!registry.get(tag)) registry.define(tag, element);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'colloquy-thread': ColloquyThread;
    'colloquy-count': ColloquyCount;
    'colloquy-composer': ColloquyComposer;
    'colloquy-report-dialog': ColloquyReportDialog;
  }
}
