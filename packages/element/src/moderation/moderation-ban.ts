// Banning an author from the queue: the dialog asking for a reason and a length, opened on an
// item, and the decision it ends in; focus returns to the item when the ban is not made.
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { QueueItem } from '@colloquy/core';
import type { Localizer } from '../i18n/locale.js';
import type { ModerationMessages } from './i18n/moderation-messages.js';
import { nameOf } from './moderation-item.js';
import { chosenBanLength, renderBanDialog } from './moderation-panels.js';
import type { ColloquyReasonDialog, ReasonSubmitEvent } from './reason-dialog/reason-dialog.js';

/** The queue element, whose render shows the dialog. */
export type BanHost = Pick<ReactiveControllerHost, 'requestUpdate' | 'updateComplete'> & { readonly renderRoot: ParentNode };

/** What the ban flow asks of the queue. */
export interface BanActions {
  isGone(id: string): boolean;
  focusItem(id: string): Promise<void>;
  /** Runs the ban decision; true when the source made it. */
  ban(item: QueueItem, reason: string | null, duration: number | undefined): Promise<boolean>;
}

export class BanFlow {
  /** The item whose author the open dialog is about. */
  private banning: QueueItem | null = null;
  /** Whether the dialog asks for a number of days. */
  private customLength = false;

  constructor(
    private readonly host: BanHost,
    private readonly actions: BanActions,
  ) {}

  async open(item: QueueItem): Promise<void> {
    if (this.actions.isGone(item.comment.id)) return;
    this.banning = item;
    this.customLength = false;
    for (const input of this.host.renderRoot.querySelectorAll<HTMLInputElement>('[data-ban-length] input[name="ban-length"]')) input.checked = input.value === 'forever';
    this.host.requestUpdate();
    await this.host.updateComplete;
    await this.host.renderRoot.querySelector<ColloquyReasonDialog>('colloquy-reason-dialog')?.show();
  }

  render(localizer: Localizer, messages: ModerationMessages): TemplateResult {
    return renderBanDialog({
      localizer,
      messages,
      name: this.banning ? nameOf(this.banning.comment, messages) : '',
      onSubmit: (event) => void this.submit(event),
      onClose: () => void this.close(),
      customLength: this.customLength,
      onLengthChange: (event) => {
        this.customLength = (event.target as HTMLInputElement).value === 'custom';
        this.host.requestUpdate();
      },
    });
  }

  private take(): QueueItem | null {
    const item = this.banning;
    this.banning = null;
    this.host.requestUpdate();
    return item;
  }

  private async submit(event: ReasonSubmitEvent): Promise<void> {
    const item = this.take();
    if (!item) return;
    if (!(await this.actions.ban(item, event.reason, chosenBanLength(this.host.renderRoot)))) await this.actions.focusItem(item.comment.id);
  }

  private async close(): Promise<void> {
    const item = this.take();
    if (item) await this.actions.focusItem(item.comment.id);
  }
}
