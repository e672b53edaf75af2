// Registers the moderation elements for npm users; importing this module is the side effect.
// Separate from `define.ts` so pages with only the reader's widget never load the queue.
import { ColloquyAuditLog } from './moderation/audit-log/audit-log.js';
import { ColloquyBanList } from './moderation/ban-list/ban-list.js';
import { ColloquyModeration } from './moderation/moderation.js';
import { ColloquyReasonDialog } from './moderation/reason-dialog/reason-dialog.js';

const MODERATION_ELEMENTS = {
  'colloquy-moderation': ColloquyModeration,
  'colloquy-audit-log': ColloquyAuditLog,
  'colloquy-ban-list': ColloquyBanList,
  'colloquy-reason-dialog': ColloquyReasonDialog,
} as const;

for (const [tag, element] of Object.entries(MODERATION_ELEMENTS)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'colloquy-moderation': ColloquyModeration;
    'colloquy-audit-log': ColloquyAuditLog;
    'colloquy-ban-list': ColloquyBanList;
    'colloquy-reason-dialog': ColloquyReasonDialog;
  }
}
