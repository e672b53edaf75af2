// The DOM side of body rendering, in a worker thread: jsdom and DOMPurify live here, so the
// server's main thread stays free for requests and the DOM's memory goes when the worker ends.
import { parentPort } from 'node:worker_threads';
import { JSDOM } from 'jsdom';
import { createSanitizer, type SanitizerWindow } from '@colloquy/core';
import { renderMarkdown } from '@colloquy/core/markdown';

export type WorkerRequest = { id: number; body: string };
export type WorkerReply = { ready: true } | { fatal: string } | { id: number; html: string } | { id: number; error: string };

const port = parentPort!;
try {
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  const domWindow = window as unknown as SanitizerWindow;
  // Throws `unsupported` when DOMPurify cannot use the window: the server must not start then.
  createSanitizer(domWindow);
  // A probe: a script must never survive, or this build of the sanitizer is not working.
  if (renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)>', domWindow).includes('<script')) {
    throw new Error('the sanitizer let a script through');
  }
  port.on('message', (request: WorkerRequest) => {
    try {
      port.postMessage({ id: request.id, html: renderMarkdown(request.body, domWindow) } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    }
  });
  port.postMessage({ ready: true } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ fatal: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
}
