/** A Server-Sent Events reader over fetch for tests: what a browser's EventSource (or a fetch-streaming client) sees. */
export interface SseEvent {
  event: string;
  /** The event's `id:` field, if it had one. */
  id?: string;
  // Tests read arbitrary event shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export interface SseStream {
  response: Response;
  /** Events in order, without the `ping` events that only move the id on. */
  received: SseEvent[];
  /** The last `id:` seen, as an EventSource would send it back in `Last-Event-ID`. */
  readonly lastEventId: string;
  /** Resolves when the stream ends, whichever side ended it. */
  readonly ended: Promise<void>;
  /** Resolves once a `ping` has arrived after `count` pings (the server's "you are up to date"). */
  waitForPing(count?: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `count` events have arrived (all of them), or fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream', ...headers } });
  const received: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let lastEventId = '';
  let pings = 0;
  let pump: Promise<void> = Promise.resolve();
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            const id = /^id: (.*)$/m.exec(block)?.[1];
            if (id !== undefined) lastEventId = id;
            if (event === 'ping') pings++;
            else if (event && data) received.push({ event, data: JSON.parse(data), ...(id === undefined ? {} : { id }) });
            waiters.splice(0).forEach((w) => w());
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  async function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out ${what()}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
  return {
    response,
    received,
    get lastEventId() {
      return lastEventId;
    },
    get ended() {
      return pump;
    },
    async waitFor(count, timeoutMs = 5000) {
      await until(() => received.length >= count, timeoutMs, () => `with ${received.length} of ${count} events: ${JSON.stringify(received)}`);
      return received;
    },
    async waitForPing(count = 0, timeoutMs = 5000) {
      await until(() => pings > count, timeoutMs, () => `waiting for ping ${count + 1}`);
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
