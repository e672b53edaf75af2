import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveOptions, ModerationQueue, ModerationQueueSnapshot } from '@colloquy/core';

/**
 * The queue element's one link to the core, like the thread's `ThreadController`: follows a
 * `ModerationQueue`, keeps its latest snapshot, asks the host to render when it changes, and
 * holds the live stream (or the polling timer) open only while the host is in the page. Put back
 * after a removal, it catches up quietly on what happened meanwhile.
 */
export class ModerationController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly live: () => LiveOptions;
  private current: ModerationQueue | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;
  private wasConnected = false;
  /** The latest snapshot, or null before a queue is attached. */
  snapshot: ModerationQueueSnapshot | null = null;
  /** Called after each new snapshot, before the host renders. */
  onChange: ((snapshot: ModerationQueueSnapshot, previous: ModerationQueueSnapshot | null) => void) | null = null;

  /** Whether the item was decided elsewhere (still on screen, greyed). */
  isGone(id: string): boolean {
    return this.snapshot?.gone.has(id) ?? false;
  }

  /** Whether a decision on the item is under way. */
  isBusy(id: string): boolean {
    return this.snapshot?.busy.has(id) ?? false;
  }

  constructor(host: ReactiveControllerHost, live: () => LiveOptions) {
    this.host = host;
    this.live = live;
    host.addController(this);
  }

  get state(): ModerationQueue | null {
    return this.current;
  }

  /** Follows `state` from now on (null detaches), disposing the previous one. */
  attach(state: ModerationQueue | null): void {
    if (state === this.current) return;
    this.detach();
    this.current?.dispose();
    this.current = state;
    this.snapshot = state ? state.getSnapshot() : null;
    if (this.connected) this.follow();
    this.host.requestUpdate();
  }

  /** Opens the live stream again with the host's current options (a new refresh interval). */
  reconnect(): void {
    if (this.connected) this.current?.connect(this.live());
  }

  hostConnected(): void {
    this.connected = true;
    const back = this.wasConnected && this.current !== null;
    this.wasConnected = true;
    this.follow();
    if (back) void this.current?.refresh(true);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.detach();
  }

  private follow(): void {
    const state = this.current;
    if (!state || this.unsubscribe) return;
    this.snapshot = state.getSnapshot();
    this.unsubscribe = state.subscribe((snapshot) => {
      const previous = this.snapshot;
      this.snapshot = snapshot;
      this.onChange?.(snapshot, previous);
      this.host.requestUpdate();
    });
    state.connect(this.live());
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.current?.disconnect();
  }
}
