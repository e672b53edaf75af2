/** A Server-Sent Events reader over fetch for tests: what a browser's EventSource (or a fetch-streaming client) sees. */
export interface SseEvent {
  event: string;
  // Tests read arbitrary event shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export interface SseStream {
  response: Response;
  received: SseEvent[];
  /** Resolves once `count` events have arrived (all of them), or fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream', ...headers } });
  const received: SseEvent[] = [];
  const waiters: Array<() => void> = [];
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
            if (event && data) {
              received.push({ event, data: JSON.parse(data) });
              waiters.splice(0).forEach((w) => w());
            }
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return {
    response,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out with ${received.length} of ${count} events: ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
