// embed.js and the other static files on the wire: precompressed brotli and gzip negotiated by
// Accept-Encoding, an ETag per representation, caching headers, and HEAD. Bytes are read raw
// (node:http does not decompress), so the sizes are what a browser receives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { elementFile } from './element-files.js';
import { startTestServer, type TestServer } from './test-support.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const CHROME = 'gzip, deflate, br, zstd';

describe('static files precompressed and negotiated', () => {
  let server: TestServer;
  const embed = readFileSync(elementFile('embed.js'));
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test("a browser's usual Accept-Encoding gets brotli, under a third of the file, and it decompresses to the file", async () => {
    const res = await raw(`${server.url}/embed.js`, { 'accept-encoding': CHROME });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.ok(res.body.length < embed.length / 3, `${res.body.length} bytes of brotli for ${embed.length}`);
    assert.deepEqual(brotliDecompressSync(res.body), embed);
  });

  test('gzip only gets gzip, smaller than the file and larger than brotli; nothing or identity gets the file as is', async () => {
    const br = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'br' });
    const gzip = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), embed);
    assert.ok(gzip.body.length < embed.length / 2.5);
    assert.ok(br.body.length < gzip.body.length, `brotli ${br.body.length} < gzip ${gzip.body.length}`);
    for (const headers of [{} as Record<string, string>, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }, { 'accept-encoding': 'zstd' }]) {
      const plain = await raw(`${server.url}/embed.js`, headers);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined, JSON.stringify(headers));
      assert.equal(plain.headers.vary, 'Accept-Encoding');
      assert.deepEqual(plain.body, embed);
    }
    const preferGzip = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'br;q=0.5, gzip' });
    assert.equal(preferGzip.headers['content-encoding'], 'gzip', 'a higher quality wins over our preference');
  });

  test('each representation has its own strong ETag; If-None-Match answers 304 for that one only', async () => {
    const br = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'br' });
    const gzip = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip' });
    const plain = await raw(`${server.url}/embed.js`);
    const tags = [br, gzip, plain].map((r) => String(r.headers.etag));
    assert.equal(new Set(tags).size, 3, tags.join(' '));
    for (const tag of tags) assert.match(tag, /^"[A-Za-z0-9_-]+"$/, 'strong, not W/');
    const again = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'br', 'if-none-match': tags[0]! });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, tags[0]);
    assert.equal(again.headers.vary, 'Accept-Encoding');
    const listed = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip', 'if-none-match': `"other", ${tags[1]}` });
    assert.equal(listed.status, 304);
    // The brotli tag does not validate the gzip body: the cache must fetch what it lacks.
    const other = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip', 'if-none-match': tags[0]! });
    assert.equal(other.status, 200);
    assert.deepEqual(gunzipSync(other.body), embed);
  });

  test('embed.js and moderation.js are cached briefly, since sites link them by a fixed name, and load from any origin', async () => {
    for (const name of ['embed.js', 'moderation.js']) {
      const res = await raw(`${server.url}/${name}`, { 'accept-encoding': CHROME, origin: 'https://blog.example' });
      assert.equal(res.status, 200, name);
      assert.equal(res.headers['cache-control'], 'public, max-age=300, stale-while-revalidate=86400');
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.deepEqual(brotliDecompressSync(res.body), readFileSync(elementFile(name as 'embed.js')));
    }
  });

  test('the report dialog is a content-hashed chunk beside embed.js, cached for a year as immutable', async () => {
    const chunks = join(dirname(elementFile('embed.js')), 'chunks');
    // The build keeps earlier builds' chunks beside the current ones: the one embed.js names is it.
    const name = readdirSync(chunks).find((file) => /^report-[\w-]+\.js$/.test(file) && embed.toString().includes(`./chunks/${file}`));
    assert.ok(name, `embed.js imports a report chunk from ${chunks}`);
    const res = await raw(`${server.url}/chunks/${name}`, { 'accept-encoding': CHROME });
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(res.body), readFileSync(join(chunks, name)));
    for (const bad of ['report-dialog-nothere1.js', 'embed.js', '..%2Fembed.js', 'x.css']) {
      const missing = await raw(`${server.url}/chunks/${bad}`);
      assert.equal(missing.status, 404, bad);
      assert.equal(JSON.parse(missing.body.toString()).error.code, 'not_found');
    }
  });

  test('HEAD gives the headers of GET with no body', async () => {
    const get = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip' });
    const head = await raw(`${server.url}/embed.js`, { 'accept-encoding': 'gzip' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    for (const name of ['content-type', 'content-encoding', 'etag', 'vary', 'cache-control']) {
      assert.equal(head.headers[name], get.headers[name], name);
    }
  });

  test("the demo's pages and scripts are compressed too; a page is revalidated every time", async () => {
    const page = await raw(`${server.url}/`, { 'accept-encoding': CHROME });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-encoding'], 'br');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(brotliDecompressSync(page.body).toString(), /<colloquy-thread/);
    const script = await raw(`${server.url}/moderation-page.js`, { 'accept-encoding': 'gzip' });
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  });
});
