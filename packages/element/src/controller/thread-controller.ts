import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ThreadSnapshot, ThreadState } from '@colloquy/core';

/**
 * The element's one link to the core: follows a `ThreadState`, keeps its latest snapshot and
 * asks the host to render whenever it changes. Swapping the state (new thread, new adapter)
 * unsubscribes from the old one and disposes it.
 */
export class ThreadController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private current: ThreadState | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;
  /** Whether the live stream may open: the host says so once it comes near the viewport. */
  private live = false;
  /** The state whose stream was opened (or is opening). */
  private streaming: ThreadState | null = null;
  /** The latest snapshot, or null before a state is attached. */
  snapshot: ThreadSnapshot | null = null;
  /** Called after each new snapshot, before the host renders. */
  onChange: ((snapshot: ThreadSnapshot, previous: ThreadSnapshot | null) => void) | null = null;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  get state(): ThreadState | null {
    return this.current;
  }

  /** Follows `state` from now on (null detaches), disposing the previous one. */
  attach(state: ThreadState | null): void {
    if (state === this.current) return;
    this.detach();
    this.current?.dispose();
    this.current = state;
    this.snapshot = state ? state.getSnapshot() : null;
    if (this.connected) this.follow();
    this.host.requestUpdate();
  }

  /** Opens the live stream (now and for every state attached later) or, with false, holds it back. */
  setLive(live: boolean): void {
    this.live = live;
    if (live && this.unsubscribe) this.connectLive();
  }

  hostConnected(): void {
    this.connected = true;
    this.follow();
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
      if (this.live) this.connectLive();
    });
    if (this.live) this.connectLive();
  }

  /**
   * Opens the current state's live stream once its first page is in: a thread whose page could
   * not be read (the server refuses this site's origin, or is down) opens none until a load
   * succeeds. When the stream's code cannot be fetched the thread stays as loaded and tries
   * again 5 s later while it is still shown and live.
   */
  private connectLive(): void {
    const state = this.current;
    if (!state || state === this.streaming || state.getSnapshot().status !== 'ready') return;
    this.streaming = state;
    state.connect().catch(() => {
      if (this.streaming === state) this.streaming = null;
      setTimeout(() => {
        if (state === this.current && this.live && this.unsubscribe) this.connectLive();
      }, 5000);
    });
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
