// Static files as sent: read once, compressed once (brotli and gzip, kept in memory), and
// negotiated per request by Accept-Encoding, each representation with its own strong ETag.
// Why at first request and not at build time: docs/decisions/0025-precompressed-static-files.md.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip as gzipCallback } from 'node:zlib';
import Negotiator from 'negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCallback);

type Coding = 'br' | 'gzip' | 'identity';

interface Representation {
  body: Buffer;
  etag: string;
}

interface StaticFile {
  mtimeMs: number;
  size: number;
  type: string;
  identity: Representation;
  /** Absent when compressing would not make the file smaller (images, tiny files). */
  br?: Representation;
  gzip?: Representation;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const COMPRESSIBLE = new Set(['.js', '.map', '.html', '.css', '.svg']);
/** Below this a compressed body saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 256;
/** Most preferred first: brotli is about a tenth smaller than gzip on embed.js. */
const CODINGS: Coding[] = ['br', 'gzip', 'identity'];

function representation(body: Buffer, hash: string, suffix: string): Representation {
  return { body, etag: `"${hash}${suffix}"` };
}

/**
 * Compression runs on libuv's thread pool, never on the event loop: brotli at quality 11 can
 * take seconds for embed.js on a loaded machine; it runs once per file version.
 */
async function build(path: string, body: Buffer, mtimeMs: number): Promise<StaticFile> {
  const ext = path.slice(path.lastIndexOf('.'));
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const file: StaticFile = {
    mtimeMs,
    size: body.length,
    type: TYPES[ext] ?? 'application/octet-stream',
    identity: representation(body, hash, ''),
  };
  if (!COMPRESSIBLE.has(ext) || body.length < MIN_COMPRESS_BYTES) return file;
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip(body, { level: 9 }),
  ]);
  if (br.length < body.length) file.br = representation(br, hash, '-br');
  if (gz.length < body.length) file.gzip = representation(gz, hash, '-gz');
  return file;
}

/**
 * A cache of files by path. A file is re-read (and recompressed) when its modification time or
 * size changes, so a rebuilt `embed.js` is served without a restart. Concurrent first requests
 * share one read and one compression.
 */
export function staticFiles() {
  const cache = new Map<string, StaticFile>();
  const loading = new Map<string, Promise<StaticFile>>();
  return async (path: string): Promise<StaticFile | null> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    const key = `${path}\0${info.mtimeMs}\0${info.size}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = readFile(path).then((body) => build(path, body, info.mtimeMs));
      loading.set(key, pending);
      void pending.then(
        (file) => {
          cache.set(path, file);
          loading.delete(key);
        },
        () => loading.delete(key),
      );
    }
    return pending;
  };
}

/** negotiator 1.x breaks ties of quality by our order (`preferred`); its types predate that. */
interface PreferringNegotiator {
  encodings(available: readonly string[], options: { preferred: readonly string[] }): string[];
}

/** The representation the request prefers among those the file has: br, then gzip, then identity. */
function choose(request: FastifyRequest, file: StaticFile): { coding: Coding; rep: Representation } {
  const available = CODINGS.filter((coding) => coding === 'identity' || file[coding] !== undefined);
  // A reader refusing every coding offered (`identity;q=0` alone) gets identity all the same,
  // as RFC 9110 (12.5.3) allows: more useful than a 406 for a script tag.
  const negotiator = new Negotiator(request) as unknown as PreferringNegotiator;
  const [coding = 'identity'] = negotiator.encodings(available, { preferred: CODINGS }) as Coding[];
  return { coding, rep: coding === 'identity' ? file.identity : file[coding]! };
}

/** Whether an If-None-Match header names this representation (weak comparison, as RFC 9110 asks). */
function notModified(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Sends a file's best representation with its type, caching headers, Vary and ETag; 304 when unchanged. */
export function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile, cacheControl: string) {
  reply.header('Content-Type', file.type);
  reply.header('Cache-Control', cacheControl);
  reply.header('Vary', 'Accept-Encoding');
  const chosen = choose(request, file);
  reply.header('ETag', chosen.rep.etag);
  if (chosen.coding !== 'identity') reply.header('Content-Encoding', chosen.coding);
  if (notModified(request.headers['if-none-match'], chosen.rep.etag)) return reply.code(304).send();
  return reply.send(chosen.rep.body);
}
