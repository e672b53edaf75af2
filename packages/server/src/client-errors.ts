import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { ColloquyError } from '@colloquy/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from './http-errors.js';

/**
 * Requests Node's HTTP parser refuses before fastify sees them: a NUL or line break in a header
 * value, headers over Node's 16 KiB, a client too slow to send its headers. They are answered in
 * the protocol's error envelope, as every other refusal is, and the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let answer: ColloquyError;
  if (error.code === 'HPE_HEADER_OVERFLOW') answer = new ColloquyError('too_large', 'The request headers are larger than this server accepts.', { status: 431 });
  else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') answer = new ColloquyError('timeout', 'The request took too long to arrive.', { status: 408 });
  else answer = new ColloquyError('invalid_input', 'The request is not valid HTTP (a header may contain a forbidden character).');
  const body = JSON.stringify(answer.toJSON());
  // Only where nothing was answered yet: a stream cut mid-answer cannot take a second status line.
  if (socket.writable && socket.bytesWritten === 0) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Errors fastify's router raises before any hook runs (a URL that does not decode, a path
 * parameter over the length limit): the same envelope and headers as any API error.
 */
export function frameworkErrors(headers: Readonly<Record<string, string>>) {
  return (error: Error, _request: FastifyRequest, reply: FastifyReply): void => {
    const answer = toHttpError(error);
    reply.headers(headers).code(answer.status).type('application/json; charset=utf-8').send(answer.toJSON());
  };
}
