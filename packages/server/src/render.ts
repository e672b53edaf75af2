import { Worker } from 'node:worker_threads';
import { ColloquyError } from '@colloquy/core';
import type { WorkerReply } from './render-worker.js';

export interface BodyRenderer {
  /** Sanitized HTML for a comment body, stored beside it at write time. */
  render(body: string): Promise<string>;
  /**
   * Proves the DOM renderer works (jsdom loads, DOMPurify supports its window, a probe script
   * is removed); rejects otherwise, and the server then refuses to start.
   */
  check(): Promise<void>;
  /** Ends the worker, if one is running. */
  close(): Promise<void>;
}

/*
 * Most comments are plain sentences. For a body made only of characters that mean nothing to
 * the markdown subset (letters, digits, spaces, emoji and prose punctuation, with no line that
 * could open a list, heading or code block, no `.` that could join a domain name), the
 * rendering is known without parsing: paragraphs at blank lines, `<br>` at single newlines,
 * the text unchanged. None of these characters needs escaping, so the output cannot carry
 * markup. Anything else takes the full path (marked, then DOMPurify). A test checks that both
 * paths give identical HTML.
 */
const PLAIN_LINE =
  /^["'\p{L}](?:[\p{L}\p{M}\p{N}\p{Extended_Pictographic} ,;?!'"/()%$€£-]|\u200D|\uFE0F|[\u{1F3FB}-\u{1F3FF}]|\.(?= |$))*(?<! )$/u;

/** The HTML of a plain body, or null when the body needs the markdown renderer. */
export function renderPlainBody(body: string): string | null {
  const lines = body.replace(/^\n+|\n+$/g, '').split('\n');
  const paragraphs: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line === '') {
      if (current.length > 0) paragraphs.push(current);
      current = [];
      continue;
    }
    if (!PLAIN_LINE.test(line)) return null;
    current.push(line);
  }
  if (current.length > 0) paragraphs.push(current);
  if (paragraphs.length === 0) return null;
  return paragraphs.map((p) => `<p>${p.join('<br>')}</p>`).join('\n');
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './render-worker.ts' : './render-worker.js', import.meta.url);

/**
 * Run from the TypeScript sources (tests, through tsx), the worker needs tsx's loader, which a
 * worker thread does not inherit on Node 20; a small bootstrap registers it first.
 */
function spawnWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`,
    { eval: true },
  );
}

export interface BodyRendererOptions {
  /** Milliseconds without markdown bodies after which the worker (and jsdom's memory) is let go. */
  idleMs?: number;
  /** Skip the plain-text path, so every body goes through marked and DOMPurify (tests compare the two). */
  markdownOnly?: boolean;
}

/**
 * Renders bodies: plain ones at once, the rest in a worker thread that holds one jsdom window
 * with DOMPurify. The worker starts on the first markdown body (or on `check`) and ends after
 * `idleMs` without work, so a server that mostly serves reads does not carry a DOM around.
 */
export function createBodyRenderer(options: BodyRendererOptions = {}): BodyRenderer {
  const idleMs = options.idleMs ?? 10_000;
  let worker: Worker | null = null;
  let ready: Promise<Worker> | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (html: string) => void; reject: (error: Error) => void }>();
  let idleTimer: NodeJS.Timeout | undefined;

  function failAll(error: Error) {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  }

  function start(): Promise<Worker> {
    if (ready) return ready;
    ready = new Promise<Worker>((resolve, reject) => {
      const w = spawnWorker();
      w.unref();
      w.on('message', (message: WorkerReply) => {
        if ('ready' in message) {
          worker = w;
          resolve(w);
        } else if ('fatal' in message) {
          reject(new Error(`The body renderer cannot start: ${message.fatal}`));
          void w.terminate();
        } else {
          const job = pending.get(message.id);
          if (!job) return;
          pending.delete(message.id);
          if ('html' in message) job.resolve(message.html);
          else job.reject(new ColloquyError('invalid_input', `The comment could not be rendered: ${message.error}`));
          if (pending.size === 0) scheduleIdle();
        }
      });
      const gone = (error: Error) => {
        if (worker === w) worker = null;
        ready = null;
        reject(error);
        failAll(new ColloquyError('unavailable', 'The body renderer stopped; try again.', { cause: error }));
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`render worker exited with code ${code}`)));
    });
    ready.catch(() => {
      ready = null;
    });
    return ready;
  }

  function scheduleIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (pending.size > 0 || !worker) return;
      const w = worker;
      worker = null;
      ready = null;
      void w.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  return {
    async render(body) {
      if (!options.markdownOnly) {
        const plain = renderPlainBody(body);
        if (plain !== null) return plain;
      }
      const w = await start();
      clearTimeout(idleTimer);
      return new Promise<string>((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        w.postMessage({ id, body });
      });
    },
    async check() {
      await start();
      scheduleIdle();
    },
    async close() {
      clearTimeout(idleTimer);
      const w = worker;
      worker = null;
      ready = null;
      await w?.terminate();
    },
  };
}
