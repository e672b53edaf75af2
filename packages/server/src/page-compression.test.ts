import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './test-support.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.stop());

/** A GET with exactly these headers (fetch would add and undo compression by itself). */
function get(path: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${t.url}/api/v1${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

test('a comment page goes gzipped to clients that accept it, and plain to the rest, with the same JSON', async () => {
  const { token } = await t.identity('Ada');
  for (let i = 0; i < 30; i++) {
    const r = await t.call('POST', '/comments', { token, body: { thread: '/gz', body: `Comment number ${i}, long enough to be worth compressing.` } });
    assert.equal(r.status, 201);
  }
  // Twice each: the first read fills the page cache, the second is served from it.
  for (let round = 0; round < 2; round++) {
    const plain = await get('/comments?thread=%2Fgz&limit=50', {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/);
    const zipped = await get('/comments?thread=%2Fgz&limit=50', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.ok(zipped.body.length < plain.body.length / 2, `gzip ${zipped.body.length} bytes vs ${plain.body.length}`);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString('utf8')), JSON.parse(plain.body.toString('utf8')));
    assert.equal(JSON.parse(plain.body.toString('utf8')).comments.length, 30);
  }
});
