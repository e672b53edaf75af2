import { ColloquyError } from '@colloquy/core';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { renderPlainHtml } from '@colloquy/core/markdown';
import type { ParserReady, RenderAnswer, RenderJob } from './render-worker.js';

export interface BodyRenderer {
  /** Sanitized HTML for a comment body, stored beside it at write time. */
  render(body: string): Promise<string>;
  /** Proves the renderer escapes markup (a probe script and handler do not survive); the server refuses to start otherwise. */
  check(): Promise<void>;
  /** Ends the parser thread; renders still queued are refused. */
  close(): Promise<void>;
}

/*
 * Most comments are plain sentences. For a body made only of characters that mean nothing to
 * the markdown subset (letters, digits, spaces, emoji and prose punctuation, with no line that
 * could open a list, heading or code block, no `.` that could join a domain name), the
 * rendering is known without parsing: paragraphs at blank lines, `<br>` at single newlines,
 * the text unchanged but for quotes. No other of these characters needs escaping, so the output
 * cannot carry markup. Anything else takes the full path (marked, with raw HTML escaped). A test checks that both
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
  // Quotes are escaped as the markdown renderer escapes them, so both paths give identical HTML.
  return paragraphs.map((p) => `<p>${p.join('<br>').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</p>`).join('\n');
}

export interface BodyRendererOptions {
  /** Skip the plain-text path, so every body goes through the markdown renderer (tests compare the two). */
  markdownOnly?: boolean;
  /**
   * How much CPU time the markdown parser may spend on one body, in milliseconds, before the body
   * is shown as typed instead (default 20). Counted on the parser thread's own CPU clock where the
   * system has one (Linux), so a loaded machine slows a body down without cutting it short;
   * elsewhere counted in wall time, at `wallDeadlineMs`.
   */
  deadlineMs?: number;
  /**
   * The wall-clock limit on one body (default 5,000 ms, or 250 ms where no CPU clock can be
   * read). A backstop: with a CPU clock, only a machine starved for seconds reaches it.
   */
  wallDeadlineMs?: number;
}

export const DEFAULT_RENDER_DEADLINE_MS = 20;
const DEFAULT_WALL_DEADLINE_MS = 5_000;
const WALL_DEADLINE_WITHOUT_CPU_CLOCK_MS = 250;

/** The CPU time a thread has used, in milliseconds, from its schedstat file; null if unreadable. */
function cpuMs(clock: string): number | null {
  try {
    return Number(readFileSync(clock, 'latin1').split(' ', 1)[0]) / 1e6;
  } catch {
    return null;
  }
}

/** A body made to break the renderer: a script or a handler surviving means it is not safe to start. */
const PROBE = '<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))';

/*
 * Built, the worker is a sibling .js file. Run from source under tsx (the tests), this module is
 * .ts and worker threads do not inherit tsx's loader, so the worker registers it first.
 */
function startParserWorker(): Worker {
  // A larger young generation than a worker's default: crafted bodies allocate fast, and fewer
  // scavenges keep the parser's wall time close to its CPU time.
  const resourceLimits = { maxYoungGenerationSizeMb: 48 };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./render-worker.js', import.meta.url), { resourceLimits });
  const source = new URL('./render-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, {
    eval: true,
    resourceLimits,
  });
}

interface Pending {
  body: string;
  resolve(html: string): void;
  reject(error: unknown): void;
}

interface ParserThread {
  thread: Worker;
  /** Settles once the thread has loaded and warmed the parser. */
  ready: Promise<void>;
  /** Where the thread's own CPU time is read, once it is ready (null: count wall time). */
  cpuClock: string | null;
}

/*
 * The markdown parser runs on its own thread, one body at a time, against a deadline. No parser
 * we tried (marked, markdown-it, micromark) renders every 10,000-character body in bounded time:
 * crafted bodies of brackets, emphasis runs or short lines take from hundreds of milliseconds to
 * minutes. Off the event loop, a slow body can only delay the bodies queued behind it; at the
 * deadline the thread is ended, a spare thread started beforehand takes over, and the body is
 * shown as typed (docs/decisions/0018-bounded-rendering.md).
 */
function createParserThreads(deadlineMs: number, wallDeadlineMs: number | undefined) {
  const queue: Pending[] = [];
  let active: ParserThread | null = null;
  let spare: ParserThread | null = null;
  let current: { id: number; job: Pending; timer: NodeJS.Timeout; watch: NodeJS.Timeout | null } | null = null;
  let nextId = 1;
  let closed = false;
  let starting = false;

  function spawn(): ParserThread {
    const thread = startParserWorker();
    thread.unref();
    const parser: ParserThread = { thread, ready: Promise.resolve(), cpuClock: null };
    parser.ready = new Promise<void>((resolve, reject) => {
      const failed = (error: unknown) => reject(error instanceof Error ? error : new Error(`The markdown thread stopped (${String(error)}).`));
      thread.once('error', failed);
      thread.once('exit', failed);
      thread.once('message', (message: ParserReady) => {
        parser.cpuClock = message.cpuClock && cpuMs(message.cpuClock) !== null ? message.cpuClock : null;
        thread.off('error', failed);
        thread.off('exit', failed);
        thread.on('message', answered);
        thread.on('error', (error) => crashed(thread, error));
        thread.on('exit', (code) => crashed(thread, new Error(`The markdown thread exited with code ${code}.`)));
        // Adding a 'message' listener refs the thread's port again: settle who holds the process.
        holdProcess();
        resolve();
      });
    });
    // A spare that fails to start is noticed when it is needed.
    parser.ready.catch(() => {});
    return parser;
  }

  // Once a body has run out of time, a spare thread is kept warm so the next one need not wait.
  let keepSpare = false;

  /** The thread that takes the next body: the active one, else the spare, else a new one. */
  function take(): ParserThread {
    if (!active) {
      active = spare ?? spawn();
      spare = null;
    }
    return active;
  }

  /**
   * A new spare starts only when no body is waiting: its start and warm-up take a core for a
   * while, which would slow the body being parsed beside it (and the event loop) on a small machine.
   */
  function startSpareWhenIdle(): void {
    if (keepSpare && !spare && !closed && !current && !starting && queue.length === 0) spare = spawn();
  }

  function retire(thread: Worker): void {
    if (active?.thread === thread) active = null;
    thread.unref();
    void thread.terminate();
    keepSpare = true;
  }

  function finish(): Pending | null {
    if (!current) return null;
    clearTimeout(current.timer);
    if (current.watch) clearInterval(current.watch);
    const { job } = current;
    current = null;
    holdProcess();
    return job;
  }

  /**
   * While a body is being rendered or waits for a thread, the threads keep the process alive (a
   * CLI import waiting on its last body must not exit); idle, they never do.
   */
  function holdProcess(): void {
    const busy = current !== null || starting || queue.length > 0;
    for (const parser of [active, spare]) {
      if (!parser) continue;
      if (busy && parser === active) parser.thread.ref();
      else parser.thread.unref();
    }
  }

  function answered(answer: RenderAnswer): void {
    if (!current || answer.id !== current.id) return;
    const job = finish()!;
    job.resolve('html' in answer ? answer.html : renderPlainHtml(job.body));
    void pump();
  }

  function crashed(thread: Worker, error: unknown): void {
    if (active?.thread !== thread) return;
    active = null;
    const job = finish();
    if (job) job.reject(error);
    void pump();
  }

  function timedOut(thread: Worker): void {
    // The parser is still busy with this body: show it as typed and hand over to the spare.
    const job = finish();
    retire(thread);
    if (job) job.resolve(renderPlainHtml(job.body));
    void pump();
  }

  async function pump(): Promise<void> {
    if (current || starting || closed || queue.length === 0) return startSpareWhenIdle();
    const job = queue.shift()!;
    const parser = take();
    starting = true;
    holdProcess();
    try {
      await parser.ready;
    } catch (error) {
      if (active === parser) active = null;
      job.reject(error);
      return;
    } finally {
      starting = false;
      holdProcess();
      if (!active) void pump();
    }
    if (closed) {
      job.reject(new Error('The body renderer is closed.'));
      return;
    }
    if (parser !== active) {
      // The thread was replaced while starting: the body waits for the next one.
      queue.unshift(job);
      void pump();
      return;
    }
    const id = nextId++;
    const clock = parser.cpuClock;
    const wall = wallDeadlineMs ?? (clock ? DEFAULT_WALL_DEADLINE_MS : WALL_DEADLINE_WITHOUT_CPU_CLOCK_MS);
    const timer = setTimeout(() => timedOut(parser.thread), clock ? wall : Math.min(wall, deadlineMs));
    // With a CPU clock, the thread's own CPU time is read every few milliseconds while it parses.
    const startedCpu = clock ? cpuMs(clock) : null;
    const watch =
      clock && startedCpu !== null
        ? setInterval(() => {
            const used = cpuMs(clock);
            if (used === null || used - startedCpu >= deadlineMs) timedOut(parser.thread);
          }, Math.max(2, Math.min(5, deadlineMs / 8)))
        : null;
    current = { id, job, timer, watch };
    holdProcess();
    parser.thread.postMessage({ id, body: job.body } satisfies RenderJob);
  }

  return {
    render(body: string): Promise<string> {
      if (closed) return Promise.reject(new Error('The body renderer is closed.'));
      return new Promise<string>((resolve, reject) => {
        queue.push({ body, resolve, reject });
        void pump();
      });
    },
    async close(): Promise<void> {
      closed = true;
      finish()?.reject(new Error('The body renderer is closed.'));
      for (const waiting of queue.splice(0)) waiting.reject(new Error('The body renderer is closed.'));
      const threads = [active, spare].filter((p): p is ParserThread => p !== null);
      active = spare = null;
      await Promise.all(threads.map((p) => p.thread.terminate()));
    },
  };
}

/**
 * Renders bodies without a DOM (docs/decisions/0003): plain ones directly, the rest with
 * `renderMarkdownHtml` on the parser thread, whose output is built only from the markdown
 * subset's own elements with every raw-HTML token escaped. Every browser still sanitizes the
 * HTML with DOMPurify before inserting it.
 */
export function createBodyRenderer(options: BodyRendererOptions = {}): BodyRenderer {
  const parser = createParserThreads(options.deadlineMs ?? DEFAULT_RENDER_DEADLINE_MS, options.wallDeadlineMs);
  async function render(body: string): Promise<string> {
    if (!options.markdownOnly) {
      const plain = renderPlainBody(body);
      if (plain !== null) return plain;
    }
    try {
      return await parser.render(body);
    } catch (error) {
      throw new ColloquyError('invalid_input', 'The comment could not be rendered.', { cause: error });
    }
  }
  return {
    render,
    async check() {
      const html = await render(PROBE);
      const tags = html.match(/<[^>]*>/g) ?? [];
      if (tags.some((tag) => /^<\/?(?:script|img)\b|\son\w+=|javascript:/i.test(tag))) {
        throw new Error(`The body renderer let markup through: ${html}`);
      }
    },
    close: () => parser.close(),
  };
}
