import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A request as bytes on the wire. The fuzzer writes requests itself rather than through
 * fetch or node:http, which refuse (or quietly repair) exactly what it wants to send: NUL and
 * control bytes in header values, invalid percent-encodings, raw non-ASCII in the target.
 */
export interface WireRequest {
  method: string;
  /** The request target as sent: path and query, already encoded (or deliberately not). */
  target: string;
  /** Names and values; values are written as latin1 strings or as the given bytes. */
  headers: Array<[string, string | Buffer]>;
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The answer was an event stream, closed by the fuzzer once its headers arrived. */
  stream: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Sends one request on a fresh connection and reads the whole answer (or an event stream's head). */
export function sendWire(port: number, request: WireRequest, timeoutMs = 15_000): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null, read?: () => WireResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      try {
        resolve(read!());
      } catch (failure) {
        reject(failure as Error);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (error) => {
      // The server may close before reading a body it has already refused; what it said counts.
      const received = Buffer.concat(chunks);
      if (received.indexOf(HEAD_END) >= 0) finish(null, () => parseResponse(received, request.method, true));
      else finish(error);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const received = Buffer.concat(chunks);
      const headEnd = received.indexOf(HEAD_END);
      if (headEnd < 0) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      // An event stream never ends by itself: its head is the answer.
      if (/^content-type:\s*text\/event-stream/im.test(head) && /^HTTP\/1\.1 2/.test(head)) {
        finish(null, () => ({ ...parseResponse(received, request.method, true), stream: true }));
      }
    });
    socket.on('end', () => finish(null, () => parseResponse(Buffer.concat(chunks), request.method, false)));
    socket.on('connect', () => {
      const lines = [`${request.method} ${request.target} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
      const head: Buffer[] = [Buffer.from(lines.join('\r\n') + '\r\n', 'latin1')];
      for (const [name, value] of request.headers) {
        head.push(Buffer.from(`${name}: `, 'latin1'), typeof value === 'string' ? Buffer.from(value, 'latin1') : value, Buffer.from('\r\n'));
      }
      if (request.body !== undefined) head.push(Buffer.from(`content-length: ${request.body.length}\r\n`));
      head.push(Buffer.from('\r\n'));
      if (request.body !== undefined) head.push(request.body);
      // No half-close: the server answers a request before it sees the connection end, and `connection: close` ends it after.
      socket.write(Buffer.concat(head));
    });
  });
}

function parseResponse(received: Buffer, method: string, partial: boolean): WireResponse {
  const headEnd = received.indexOf(HEAD_END);
  if (headEnd < 0) throw new Error(`the connection closed before an answer: ${JSON.stringify(received.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...headerLines] = received.subarray(0, headEnd).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = received.subarray(headEnd + HEAD_END.length);
  if (method === 'HEAD') body = Buffer.alloc(0);
  else if (!partial && /chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  // Only the first answer: a header value with a line break in it can make the server see (and answer) two requests.
  const length = Number(headers['content-length'] ?? NaN);
  if (Number.isInteger(length) && !/chunked/i.test(headers['transfer-encoding'] ?? '')) body = body.subarray(0, length);
  if (!partial && /gzip/i.test(headers['content-encoding'] ?? '')) body = gunzipSync(body);
  return { status: Number(match[1]), headers, body, stream: false };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('a chunked answer ended inside a chunk size line');
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('a chunked answer has a malformed chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
