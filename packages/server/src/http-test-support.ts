import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';

/** A host-site token (HS256) issued at `at` (epoch ms), valid for an hour unless `expiresAt` (epoch s) says otherwise. */
export async function signJwt(claims: Record<string, unknown>, { secret, at = Date.now(), expiresAt }: { secret: string; at?: number; expiresAt?: number }): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(Math.floor(at / 1000))
    .setExpirationTime(expiresAt ?? Math.floor(at / 1000) + 3600)
    .sign(new TextEncoder().encode(secret));
}

/** The answer is the protocol's error envelope with this status and code. */
export function assertError(r: { status: number; json: { error?: { code?: unknown; message?: unknown } } | null }, status: number, code: string): void {
  assert.equal(r.status, status, `status ${r.status} body ${JSON.stringify(r.json)}`);
  assert.equal(r.json?.error?.code, code);
  assert.equal(typeof r.json?.error?.message, 'string');
}

/** A settable condition over what arrived so far: `until(check)` resolves once `check` holds after an arrival. */
export function arrivals<T>(): { items: T[]; push(item: T): void; until(check: (items: T[]) => boolean): Promise<void> } {
  const items: T[] = [];
  const waiting = new Set<() => void>();
  return {
    items,
    push(item) {
      items.push(item);
      for (const wake of [...waiting]) wake();
    },
    until(check) {
      if (check(items)) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => {
          if (!check(items)) return;
          waiting.delete(wake);
          resolve();
        };
        waiting.add(wake);
      });
    },
  };
}

/** A log stream for a test server; `lines.until` waits for a line to be written. */
export function captureLog(): { lines: ReturnType<typeof arrivals<string>>; logStream: Writable } {
  const lines = arrivals<string>();
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logStream };
}

/** A real HTTP receiver on loopback; `answer` gives the status for each request. */
export async function listen(
  answer: (headers: IncomingHttpHeaders, body: string, request: { closed(): boolean }) => number | Promise<number>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const closed = () => response.destroyed || request.socket.destroyed;
      void Promise.resolve(answer(request.headers, Buffer.concat(chunks).toString('utf8'), { closed })).then((status) => response.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/colloquy`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
