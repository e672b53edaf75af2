import { ColloquyActivity } from './activity/activity.js';

/** Registers `<colloquy-activity>` unless the page already has it. */
export function defineActivity(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('colloquy-activity')) registry.define('colloquy-activity', ColloquyActivity);
}

defineActivity();

declare global {
  interface HTMLElementTagNameMap {
    'colloquy-activity': ColloquyActivity;
  }
}
