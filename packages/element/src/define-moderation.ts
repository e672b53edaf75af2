// Registers <colloquy-moderation> for npm users; importing this module is the side effect.
// Separate from `define.ts` so pages with only the reader's widget never load the queue.
import { ColloquyModeration } from './moderation/moderation.js';

if (!customElements.get('colloquy-moderation')) customElements.define('colloquy-moderation', ColloquyModeration);

declare global {
  interface HTMLElementTagNameMap {
    'colloquy-moderation': ColloquyModeration;
  }
}
