import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { ColloquyError } from '@colloquy/core';
import { parseDisqus, XmlSyntaxError, type ImportedComment, type ImportRecord, type SkippedRecord } from './index.js';
import { corpusFile } from './corpus.test-support.js';

async function collect(records: AsyncIterable<ImportRecord>): Promise<{ comments: ImportedComment[]; skipped: SkippedRecord[] }> {
  const comments: ImportedComment[] = [];
  const skipped: SkippedRecord[] = [];
  for await (const record of records) (record.kind === 'comment' ? comments : skipped).push(record as never);
  return { comments, skipped };
}

test('isso sample: 6 posts, 2 replies, 1 deleted, the orphan skipped with its position', async () => {
  const { comments, skipped } = await collect(parseDisqus(corpusFile('disqus/isso-tests-disqus.xml')));
  assert.deepEqual(comments.map((c) => c.sourceId), ['4', '5', '8', '9', '11']);
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0]?.sourceId, '6');
  assert.match(skipped[0]?.reason ?? '', /thread dsq:id 1337/);
  assert.deepEqual([skipped[0]?.line, skipped[0]?.column], [66, 5]);

  const byId = new Map(comments.map((c) => [c.sourceId, c]));
  assert.equal(byId.get('5')?.parentSourceId, '4');
  assert.equal(byId.get('11')?.parentSourceId, '9');
  assert.equal(byId.get('4')?.parentSourceId, null);
  assert.equal(byId.get('9')?.status, 'deleted');
  assert.equal(byId.get('9')?.body, '');
  assert.equal(comments.filter((c) => c.spam).length, 0);
  assert.equal(comments.filter((c) => c.status === 'visible').length, 4);

  assert.deepEqual(byId.get('4')?.author, { name: 'peter', email: 'foo@bar.com', ip: '127.0.0.1', anonymous: true });
  assert.equal(byId.get('5')?.author.anonymous, false);
  assert.equal(byId.get('5')?.createdAt, '2013-10-11T06:51:33.000Z');
  assert.equal(byId.get('5')?.body, 'Hello, World.');
  assert.deepEqual(byId.get('5')?.thread, { key: '/', url: 'http://example.org/', title: 'Hello, World!', closed: false });
  // The thread with an empty <id/> and empty <title/> still gets its key from <link>.
  assert.deepEqual(byId.get('8')?.thread, {
    key: '/blog/2013/02/12/redacted/index.html',
    url: 'http://localhost:4000/blog/2013/02/12/redacted/index.html',
    title: null,
    closed: false,
  });
});

test('the remark42 sample as published is refused, naming the line and column', async () => {
  const file = corpusFile('disqus/remark42-disqus.xml');
  await assert.rejects(collect(parseDisqus(file)), (error: unknown) => {
    assert.ok(error instanceof ColloquyError);
    assert.ok(error instanceof XmlSyntaxError);
    assert.equal(error.code, 'invalid_input');
    // The stray backtick before <?xml is text outside the root; the parser notices at the "<" after it.
    assert.equal(error.line, 1);
    assert.equal(error.column, 2);
    assert.match(error.message, /remark42-disqus\.xml is not a well-formed Disqus export: line 1, column 2: text data outside of root node/);
    return true;
  });
});

test('with only the backtick removed, the unquoted attribute is reported at line 147, column 24', async () => {
  const text = readFileSync(corpusFile('disqus/remark42-disqus.xml'), 'utf8').replace(/^`/, '');
  await assert.rejects(collect(parseDisqus(Readable.from([text]))), (error: unknown) => {
    assert.ok(error instanceof XmlSyntaxError);
    assert.deepEqual([error.line, error.column], [147, 24]);
    assert.match(error.message, /line 147, column 24: unquoted attribute value/);
    return true;
  });
});

test('the repaired remark42 sample: 5 usable posts (1 spam), 1 skipped with reasons, closed flag kept', async () => {
  const { comments, skipped } = await collect(parseDisqus(corpusFile('disqus/remark42-disqus.repaired.xml')));
  assert.equal(comments.length, 5);
  assert.equal(comments.filter((c) => c.spam).length, 1);
  const spam = comments.find((c) => c.spam);
  assert.equal(spam?.sourceId, '299986073');
  assert.equal(spam?.status, 'hidden');
  assert.ok(comments.every((c) => c.parentSourceId === null));

  assert.equal(skipped.length, 1);
  assert.equal(skipped[0]?.sourceId, 'x299986073');
  assert.match(skipped[0]?.reason ?? '', /createdAt "2011-x09-30T22:48:43Z"/);
  assert.match(skipped[0]?.reason ?? '', /isSpam "123" is not true or false/);
  assert.deepEqual([skipped[0]?.line, skipped[0]?.column], [135, 5]);

  const closed = comments.filter((c) => c.thread.closed);
  assert.deepEqual(closed.map((c) => c.sourceId).sort(), ['299619020', '299744309', '299986073']);
  assert.equal(closed[0]?.thread.key, '/p/2011/03/05/podcast-229');
  assert.equal(closed[0]?.thread.title, 'Радио-Т: Радио-Т 229');
  assert.ok(comments.filter((c) => !c.thread.closed).every((c) => c.thread.key === '/2011/03/229_8880.html'));

  // The post without dsq:id is kept through its <id>; empty <email/> and missing <username> are fine.
  const noDsqId = comments.find((c) => c.sourceId === 'id:12345678890');
  assert.equal(noDsqId?.body, 'This comment had no ID');
  assert.equal(comments.find((c) => c.sourceId === '299619020')?.author.email, undefined);
  assert.equal(comments.find((c) => c.sourceId === '299986072')?.author.name, 'No Username');

  // CDATA framed by newlines: trimmed outside, HTML converted, the odd link kept as written.
  assert.equal(
    comments.find((c) => c.sourceId === '299619020')?.body,
    'The quick brown fox jumps over the lazy dog.\n\n[some link](https://https://radio-t.com)',
  );
  const cyrillic = comments.find((c) => c.sourceId === '299986072')?.body ?? '';
  assert.ok(cyrillic.startsWith('Google App Engine скоро выходит из превью статуса.\n\nСейчас письмо пришло от гугла.\n\n'));
  assert.match(cyrillic, /uptime SLA\.\nБудут Премьер/);
});

test('a WordPress export or an empty file handed to parseDisqus is refused clearly', async () => {
  await assert.rejects(collect(parseDisqus(corpusFile('wxr/isso-tests-wordpress.xml'))), (error: unknown) => {
    assert.ok(error instanceof XmlSyntaxError);
    assert.match(error.message, /expected a <disqus> root element, found <rss>/);
    assert.equal(error.line, 2);
    return true;
  });
  await assert.rejects(collect(parseDisqus(Readable.from(['']))), (error: unknown) => error instanceof XmlSyntaxError);
  await assert.rejects(collect(parseDisqus('/nonexistent/export.xml')), (error: unknown) => {
    assert.ok(error instanceof ColloquyError);
    assert.equal(error.code, 'invalid_input');
    assert.match(error.message, /Cannot read the export \/nonexistent\/export\.xml/);
    return true;
  });
  await assert.rejects(
    collect(parseDisqus(42 as never)),
    (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input',
  );
});

test('chunk boundaries anywhere give the same records, and bytes read are counted', async () => {
  // The Cyrillic sample, so that chunks also cut through multi-byte characters.
  const bytes = readFileSync(corpusFile('disqus/remark42-disqus.repaired.xml'));
  const whole = await collect(parseDisqus(corpusFile('disqus/remark42-disqus.repaired.xml')));
  assert.equal(whole.comments.length, 5);
  // 7-byte chunks cut through tags, CDATA sections and characters.
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  const stream = parseDisqus(Readable.from(chunks), { totalBytes: bytes.length });
  const pieces = await collect(stream);
  assert.deepEqual(pieces, whole);
  assert.equal(stream.bytesRead, bytes.length);
  assert.equal(stream.totalBytes, bytes.length);
});

test('an export in another encoding or with broken UTF-8 is refused, not misread', async () => {
  const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><disqus></disqus>';
  await assert.rejects(collect(parseDisqus(Readable.from([latin1]))), /only UTF-8 exports are supported/);
  const broken = Buffer.concat([Buffer.from('<disqus><post dsq:id="1"><message>'), Buffer.from([0xff, 0xfe]), Buffer.from('</message></post></disqus>')]);
  await assert.rejects(collect(parseDisqus(Readable.from([broken]))), /not valid UTF-8/);
});

test('a record stream can be read once only', async () => {
  const stream = parseDisqus(corpusFile('disqus/isso-tests-disqus.xml'));
  await collect(stream);
  await assert.rejects(collect(stream), /can be read only once/);
});

test('a byte-order mark and Windows line endings are read like any other file', async () => {
  const text = readFileSync(corpusFile('disqus/isso-tests-disqus.xml'), 'utf8').replace(/\n/g, '\r\n');
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  const { comments, skipped } = await collect(parseDisqus(Readable.from([bytes])));
  assert.equal(comments.length, 5);
  assert.deepEqual([skipped[0]?.line, skipped[0]?.column], [66, 5]);
});
