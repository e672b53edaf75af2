import { readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { renderMarkdownHtml } from '@colloquy/core/markdown';

/*
 * The markdown parser's thread (see render.ts): it renders one body at a time, so the server's
 * event loop never waits on the parser, and a body that takes too long is stopped by ending this
 * thread.
 */

export interface RenderJob {
  id: number;
  body: string;
}

export type RenderAnswer = { id: number; html: string } | { id: number; error: string };

/** The thread's first message: warmed up, and where its own CPU time can be read (Linux), if anywhere. */
export interface ParserReady {
  ready: true;
  /** `/proc/<pid>/task/<tid>/schedstat` of this thread, whose first field is its CPU time in nanoseconds. */
  cpuClock: string | null;
}

/** This thread's schedstat file, found through `/proc/thread-self` (Linux 3.17 and later). */
function threadCpuClock(): string | null {
  try {
    return `/proc/${readlinkSync('/proc/thread-self')}/schedstat`;
  } catch {
    return null;
  }
}

if (!parentPort) throw new Error('render-worker.ts runs as a worker thread of the body renderer.');
const port = parentPort;
port.on('message', ({ id, body }: RenderJob) => {
  let answer: RenderAnswer;
  try {
    answer = { id, html: renderMarkdownHtml(body) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
// A cold parser is several times slower than a warm one; warm it before taking bodies against the deadline.
const WARM_UP = 'Hello *there*, see [the guide](https://example.org/a) and www.example.org.\n\n- one\n- **two**\n\n> quoted `code`\n\n```\nfenced\n```';
for (let i = 0; i < 20; i++) renderMarkdownHtml(WARM_UP);
port.postMessage({ ready: true, cpuClock: threadCpuClock() } satisfies ParserReady);
