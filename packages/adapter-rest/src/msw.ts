// msw request handlers that answer Colloquy's v1 protocol from a memory store, for tests,
// examples and docs that need a server without running one. Named scenarios give the failure
// modes a widget must survive.
import { delay, http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';
import { ColloquyError, toColloquyError, validateBody } from '@colloquy/core';
import type { Comment, Page, ThreadEvent } from '@colloquy/core';
import { renderMarkdownHtml } from '@colloquy/core/markdown';
import { createMemoryStore } from '@colloquy/adapter-memory';
import type { MemoryStore } from '@colloquy/adapter-memory';

export const scenarios = {
  /** Answers like a healthy server. */
  default: 'answers every endpoint from the memory store',
  /** Reads answer 503 `unavailable`, writes 500 `server_error`. */
  error: 'reads answer 503 unavailable, writes 500 server_error',
  /** Like default, after a delay (`delayMs`, default 1500 ms). */
  slow: 'answers like default after a delay',
  /** Every request answers 429 `rate_limited` with `Retry-After` (`retryAfterSeconds`, default 30). */
  'rate-limited': 'answers 429 rate_limited with Retry-After',
} as const;

export type Scenario = keyof typeof scenarios;

export interface HandlerOptions {
  /** The origin the adapter talks to, as passed to `createRestAdapter({endpoint})`. */
  endpoint: string;
  scenario?: Scenario;
  /** The backing store; pass one to share it or read it through `store.raw`. */
  store?: MemoryStore;
  /** Delay of the `slow` scenario. */
  delayMs?: number;
  /** `Retry-After` of the `rate-limited` scenario. */
  retryAfterSeconds?: number;
}

function errorResponse(error: unknown, headers?: Record<string, string>): Response {
  const failure = toColloquyError(error);
  return HttpResponse.json(failure.toJSON(), { status: failure.status || 500, ...(headers ? { headers } : {}) });
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new ColloquyError('unsupported_media_type', 'Send JSON with Content-Type: application/json.');
  }
  try {
    const body: unknown = await request.json();
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new ColloquyError('invalid_input', 'The request body must be a JSON object.');
}

/*
 * Comments carry `html` as the reference server's do: the body rendered by the same markdown
 * renderer (`renderMarkdownHtml`, which escapes raw HTML), once for comments and previews
 * alike, so a preview is exactly what posting shows (rule R47). The memory store keeps only
 * the text; a deleted comment's empty body renders empty.
 */
function withHtml(comment: Comment): Comment {
  const html = renderMarkdownHtml(comment.body);
  // An event's comment may come without its replies.
  return comment.replies ? { ...comment, html, replies: comment.replies.map(withHtml) } : { ...comment, html };
}

function pageWithHtml(page: Page): Page {
  return { ...page, comments: page.comments.map(withHtml), ...(page.pinned ? { pinned: page.pinned.map(withHtml) } : {}) };
}

function withoutReplies(comment: Comment): Omit<Comment, 'replies'> {
  const { replies: _replies, ...rest } = comment;
  return rest;
}

let tokenCounter = 0;

export function createHandlers(options: HandlerOptions): HttpHandler[] {
  if (typeof options !== 'object' || options === null || typeof options.endpoint !== 'string') {
    throw new ColloquyError('invalid_input', 'createHandlers needs {endpoint}.');
  }
  const scenario: Scenario = options.scenario ?? 'default';
  if (!(scenario in scenarios)) {
    throw new ColloquyError('invalid_input', `scenario must be one of ${Object.keys(scenarios).join(', ')}.`);
  }
  const api = `${options.endpoint.replace(/\/+$/, '')}/api/v1`;
  const store = options.store ?? createMemoryStore();
  const tokens = new Map<string, string>();

  if (scenario === 'error') {
    return [
      http.get(`${api}/*`, () => errorResponse(new ColloquyError('unavailable', 'The comment service is down for maintenance.'))),
      http.all(`${api}/*`, () => errorResponse(new ColloquyError('server_error', 'The comment service failed.'))),
    ];
  }
  if (scenario === 'rate-limited') {
    const seconds = options.retryAfterSeconds ?? 30;
    return [
      http.all(`${api}/*`, () =>
        errorResponse(new ColloquyError('rate_limited', `Too many requests; try again in ${seconds} s.`), {
          'Retry-After': String(seconds),
        }),
      ),
    ];
  }

  function caller(request: Request): string | null {
    const header = request.headers.get('Authorization');
    if (!header) return null;
    const match = /^Bearer (.+)$/.exec(header);
    const identityId = match ? tokens.get(match[1]!) : undefined;
    if (!identityId) throw new ColloquyError('invalid_token', 'This token is not known here; identify again.');
    return identityId;
  }
  function writer(request: Request): string {
    const id = caller(request);
    if (id === null) throw new ColloquyError('unauthenticated', 'Writes need Authorization: Bearer <token>.');
    return id;
  }

  /** Wraps a route: the scenario's delay, and every thrown error as the protocol's envelope. */
  function route(answer: (request: Request, params: Record<string, string>) => Promise<Response> | Response) {
    return async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
      if (scenario === 'slow') await delay(options.delayMs ?? 1_500);
      try {
        return await answer(request, params as Record<string, string>);
      } catch (error) {
        return errorResponse(error);
      }
    };
  }

  return [
    http.get(
      `${api}/comments`,
      route((request) => {
        const url = new URL(request.url);
        const limit = url.searchParams.get('limit');
        if (limit !== null && !/^\d+$/.test(limit)) {
          throw new ColloquyError('invalid_input', 'limit must be a whole number.');
        }
        const page = store.list(caller(request), {
          thread: url.searchParams.get('thread') as string,
          ...(url.searchParams.has('sort') ? { sort: url.searchParams.get('sort') as 'oldest' } : {}),
          ...(url.searchParams.has('cursor') ? { cursor: url.searchParams.get('cursor') } : {}),
          ...(limit === null ? {} : { limit: Number(limit) }),
        });
        return HttpResponse.json(pageWithHtml(page));
      }),
    ),
    http.post(
      `${api}/preview`,
      route(async (request) => {
        // As the server: anyone may ask, the body is checked as a post's is, nothing is stored.
        const body = validateBody((await readJson(request)).body, store.limits);
        return HttpResponse.json({ html: renderMarkdownHtml(body) });
      }),
    ),
    http.post(
      `${api}/comments`,
      route(async (request) => {
        const actor = writer(request);
        const body = await readJson(request);
        const key = request.headers.get('Idempotency-Key');
        if (!key) throw new ColloquyError('invalid_input', 'Creating a comment needs an Idempotency-Key header.');
        const result = store.create(actor, {
          thread: body.thread as string,
          body: body.body as string,
          parentId: (body.parentId as string | null | undefined) ?? null,
          idempotencyKey: key,
        });
        return HttpResponse.json(
          { comment: withHtml(result.comment) },
          { status: 201, headers: result.replayed ? { 'Idempotent-Replayed': 'true' } : {} },
        );
      }),
    ),
    http.patch(
      `${api}/comments/:id`,
      route(async (request, params) => {
        const actor = writer(request);
        const body = await readJson(request);
        return HttpResponse.json({ comment: withHtml(store.edit(actor, params.id!, body.body)) });
      }),
    ),
    http.delete(
      `${api}/comments/:id`,
      route((request, params) => HttpResponse.json({ comment: withHtml(store.remove(writer(request), params.id!)) })),
    ),
    http.post(
      `${api}/comments/:id/reports`,
      route(async (request, params) => {
        const actor = writer(request);
        const report = store.report(actor, params.id!, await readJson(request));
        return HttpResponse.json(
          { report: { commentId: report.commentId, reason: report.reason, createdAt: report.createdAt } },
          { status: 201 },
        );
      }),
    ),
    http.put(
      `${api}/comments/:id/helpful`,
      route(async (request, params) => {
        const body = await readJson(request);
        return HttpResponse.json({ helpful: store.mark(writer(request), params.id!, body.helpful) });
      }),
    ),
    http.get(
      `${api}/counts`,
      route((request) => HttpResponse.json({ counts: store.counts(new URL(request.url).searchParams.getAll('thread')) })),
    ),
    http.get(
      `${api}/events`,
      route((request) => {
        const thread = new URL(request.url).searchParams.get('thread');
        if (!thread) throw new ColloquyError('invalid_input', 'events needs ?thread=.');
        const encoder = new TextEncoder();
        let unsubscribe: (() => void) | null = null;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(': connected\n\n'));
            unsubscribe = store.subscribe(thread, (event: ThreadEvent) => {
              const data = JSON.stringify({ comment: withoutReplies(withHtml(event.comment)) });
              try {
                controller.enqueue(encoder.encode(`event: ${event.type}\ndata: ${data}\n\n`));
              } catch {
                unsubscribe?.();
              }
            });
            request.signal?.addEventListener('abort', () => unsubscribe?.());
          },
          cancel() {
            unsubscribe?.();
          },
        });
        return new HttpResponse(stream, {
          headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
        });
      }),
    ),
    http.post(
      `${api}/identities`,
      route(async (request) => {
        const body = await readJson(request);
        const identity = store.createIdentity({ name: (body.name as string | undefined) ?? null });
        tokenCounter += 1;
        const token = `t_${tokenCounter}_${Math.random().toString(36).slice(2)}`;
        tokens.set(token, identity.id);
        return HttpResponse.json({ token, identity }, { status: 201 });
      }),
    ),
    http.get(
      `${api}/identities/me`,
      route((request) => HttpResponse.json({ identity: store.getIdentity(writer(request)) })),
    ),
    http.patch(
      `${api}/identities/me`,
      route(async (request) => {
        const actor = writer(request);
        const body = await readJson(request);
        return HttpResponse.json({ identity: store.nameIdentity(actor, body.name) });
      }),
    ),
    http.get(
      `${api}/config`,
      route(() => HttpResponse.json({ limits: store.limits, moderation: 'post' })),
    ),
  ];
}
