import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parseWxr, XmlSyntaxError, type ImportedComment, type ImportRecord, type SkippedRecord } from './index.js';
import { corpusFile } from './corpus.test-support.js';

async function collect(records: AsyncIterable<ImportRecord>): Promise<{ comments: ImportedComment[]; skipped: SkippedRecord[] }> {
  const comments: ImportedComment[] = [];
  const skipped: SkippedRecord[] = [];
  for await (const record of records) (record.kind === 'comment' ? comments : skipped).push(record as never);
  return { comments, skipped };
}

function wxr(items: string, wpVersion = '1.2'): Readable {
  return Readable.from([
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/${wpVersion}/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>${items}</channel></rss>`,
  ]);
}

function comment(fields: Record<string, string>): string {
  const defaults: Record<string, string> = {
    comment_id: '1',
    comment_author: 'Reader',
    comment_date_gmt: '2020-01-02 03:04:05',
    comment_content: 'Hello',
    comment_approved: '1',
    comment_parent: '0',
  };
  const all = { ...defaults, ...fields };
  return `<wp:comment>${Object.entries(all).map(([k, v]) => `<wp:${k}>${v}</wp:${k}>`).join('')}</wp:comment>`;
}

test('isso sample: 8 comments over 3 items, the reply chain 6 <- 7 <- {8, 9}', async () => {
  const { comments, skipped } = await collect(parseWxr(corpusFile('wxr/isso-tests-wordpress.xml')));
  assert.equal(skipped.length, 0);
  assert.equal(comments.length, 8);
  const byId = new Map(comments.map((c) => [c.sourceId, c]));
  assert.equal(byId.get('18#7')?.parentSourceId, '18#6');
  assert.equal(byId.get('18#8')?.parentSourceId, '18#7');
  assert.equal(byId.get('18#9')?.parentSourceId, '18#7');
  assert.equal(byId.get('18#6')?.parentSourceId, null);
  assert.equal(comments.filter((c) => c.parentSourceId === null).length, 5);

  // Comment 7 has only comment_date_gmt, no type and no user id: still a guest's normal comment.
  const seven = byId.get('18#7');
  assert.equal(seven?.createdAt, '2014-04-29T15:21:35.000Z');
  assert.equal(seven?.type, 'comment');
  assert.equal(seven?.author.anonymous, true);
  assert.equal(seven?.body, 'Drölfter!');

  // Comment 10: the GMT date wins over the local one 10 h later; its newline is kept as a line break.
  const ten = byId.get('18#10');
  assert.equal(ten?.createdAt, '2022-06-06T02:13:14.000Z');
  assert.equal(ten?.body, 'When you have a comment with multiple lines:\nWordPress exports it like this.');

  // The email with a trailing newline is trimmed; whitespace before CDATA content is dropped.
  const two = byId.get('18#2');
  assert.deepEqual(two?.author, { name: 'Ohai', email: 'test@example.org', url: 'http://example.tld/', ip: '::ffff:82.119.20.0', anonymous: true });
  assert.equal(two?.body, 'Erster!1');
  assert.deepEqual(two?.thread, { key: '/2014/test', url: 'http://example.tld/2014/test/', title: 'Hello, World…', closed: false });

  // comment_id 11 appears in two items: two distinct comments in two threads.
  const elevens = comments.filter((c) => c.sourceId.endsWith('#11'));
  assert.equal(elevens.length, 2);
  assert.notEqual(elevens[0]?.sourceId, elevens[1]?.sourceId);
  assert.deepEqual(elevens.map((c) => c.thread.key), ['/2014/test', '/?p=4']);
  assert.deepEqual(elevens.map((c) => c.author.name), ['Letzter :/', 'Anonymous']);

  // The third item (?p=6) has no comments and yields nothing.
  assert.ok(comments.every((c) => c.thread.key !== '/?p=6'));
  assert.ok(comments.every((c) => c.status === 'visible' && !c.spam));
});

test('remark42 sample: 4 comments, 3 visible and 1 pending, 14 under the pingback 13, entities decoded once', async () => {
  const { comments, skipped } = await collect(parseWxr(corpusFile('wxr/remark42-wordpress-xmlTestWP.xml')));
  assert.equal(skipped.length, 0);
  assert.deepEqual(comments.map((c) => c.sourceId), ['100#8', '100#9', '100#13', '100#14']);
  assert.equal(comments.filter((c) => c.status === 'visible').length, 3);
  assert.equal(comments.find((c) => c.status === 'held')?.sourceId, '100#9');
  const pingback = comments.find((c) => c.sourceId === '100#13');
  assert.equal(pingback?.type, 'pingback');
  assert.equal(pingback?.author.name, 'Wednesday Reading « Cynwise\'s Battlefield Manual');
  assert.equal(pingback?.author.email, undefined);
  assert.equal(pingback?.body, '[...] I know I’m a bit loony with my attachment to my bankers. \u00a0I’m glad I’m not the only one. [...]');
  assert.equal(comments.find((c) => c.sourceId === '100#14')?.parentSourceId, '100#13');
  assert.equal(comments.find((c) => c.sourceId === '100#14')?.body, '"Mekkatorque" was over in that tent up to the right');
  assert.equal(comments.find((c) => c.sourceId === '100#14')?.author.anonymous, false);
  assert.ok(comments.every((c) => c.thread.key === '/2010/07/do-you-rp' && c.thread.title === 'Post with comments. One is not approved'));
  assert.equal(comments[0]?.createdAt, '2010-07-20T12:08:08.000Z');
});

test('WordPress importer sample (WXR 1.1, a post and a page): its one comment', async () => {
  const { comments, skipped } = await collect(parseWxr(corpusFile('wxr/wordpress-importer-valid-wxr-1.1.xml')));
  assert.equal(skipped.length, 0);
  assert.equal(comments.length, 1);
  assert.equal(comments[0]?.author.name, 'Mr WordPress');
  assert.equal(comments[0]?.thread.key, '/?p=1');
  assert.equal(comments[0]?.createdAt, '2010-10-16T20:53:18.000Z');
  assert.match(comments[0]?.body ?? '', /^Hi, this is a comment\.\nTo delete a comment/);
});

test('every approval state maps to a Colloquy status; unknown ones are skipped with a reason', async () => {
  const items = `<item><title>T &amp;amp; more</title><link>https://blog.example/a/</link><wp:post_id>5</wp:post_id><wp:comment_status>closed</wp:comment_status>
    ${comment({ comment_id: '1', comment_approved: '1' })}
    ${comment({ comment_id: '2', comment_approved: '<![CDATA[0]]>' })}
    ${comment({ comment_id: '3', comment_approved: 'spam' })}
    ${comment({ comment_id: '4', comment_approved: 'trash' })}
    ${comment({ comment_id: '5', comment_approved: 'maybe' })}
    ${comment({ comment_id: '6', comment_type: 'note' })}
    ${comment({ comment_id: '7', comment_type: 'trackback' })}
  </item>`;
  const { comments, skipped } = await collect(parseWxr(wxr(items)));
  assert.deepEqual(
    comments.map((c) => [c.sourceId, c.status, c.spam]),
    [['5#1', 'visible', false], ['5#2', 'held', false], ['5#3', 'hidden', true], ['5#4', 'deleted', false], ['5#7', 'visible', false]],
  );
  assert.equal(comments.at(-1)?.type, 'trackback');
  assert.ok(comments.every((c) => c.thread.closed && c.thread.title === 'T & more'));
  assert.deepEqual(skipped.map((s) => s.sourceId), ['5#5', '5#6']);
  assert.match(skipped[0]?.reason ?? '', /wp:comment_approved "maybe"/);
  assert.match(skipped[1]?.reason ?? '', /wp:comment_type "note"/);
  assert.equal(skipped[0]?.line, 6); // the fifth comment's own line
});

test('dates: GMT preferred, local time shifted by the configured offset, bad or missing dates skipped', async () => {
  const items = `<item><link>https://blog.example/b</link><wp:post_id>9</wp:post_id>
    ${comment({ comment_id: '1', comment_date: '2020-01-02 10:00:00', comment_date_gmt: '0000-00-00 00:00:00' })}
    ${comment({ comment_id: '2', comment_date_gmt: '2020-02-30 10:00:00' })}
    ${comment({ comment_id: '3', comment_date_gmt: '' })}
    ${comment({ comment_id: '4', comment_parent: 'x' })}
  </item>`;
  const { comments, skipped } = await collect(parseWxr(wxr(items, '1.0'), { localTimeOffsetMinutes: 120 }));
  assert.deepEqual(comments.map((c) => [c.sourceId, c.createdAt]), [['9#1', '2020-01-02T08:00:00.000Z']]);
  assert.deepEqual(skipped.map((s) => s.sourceId), ['9#2', '9#3', '9#4']);
  assert.match(skipped[0]?.reason ?? '', /"2020-02-30 10:00:00" is not a date/);
  assert.match(skipped[1]?.reason ?? '', /neither wp:comment_date_gmt nor wp:comment_date/);
  assert.match(skipped[2]?.reason ?? '', /wp:comment_parent "x" is not a number/);
});

test('an item without a link cannot place its comments: they are skipped, the import goes on', async () => {
  const items = `<item><title>No link</title>${comment({ comment_id: '1' })}</item><item><link>https://blog.example/c</link>${comment({ comment_id: '2' })}</item>`;
  const { comments, skipped } = await collect(parseWxr(wxr(items)));
  assert.equal(skipped.length, 1);
  assert.match(skipped[0]?.reason ?? '', /has no <link>/);
  assert.deepEqual(comments.map((c) => [c.sourceId, c.thread.key]), [['https://blog.example/c#2', '/c']]);
});

test('HTML comment content becomes markdown; text outside CDATA is decoded by XML, then HTML, once', async () => {
  const items = `<item><link>https://blog.example/d</link><wp:post_id>3</wp:post_id>
    ${comment({ comment_id: '1', comment_content: '<![CDATA[<strong>Bold</strong> and <a href="https://x.example/?a=1&amp;b=2">a link</a>\n\n<blockquote>quoted</blockquote>]]>' })}
    ${comment({ comment_id: '2', comment_content: 'Tom &amp;amp; Jerry &lt;em&gt;wow&lt;/em&gt;', comment_author: 'A &amp;amp; B' })}
  </item>`;
  const { comments } = await collect(parseWxr(wxr(items)));
  assert.equal(comments[0]?.body, '**Bold** and [a link](https://x.example/?a=1&b=2)\n\n> quoted');
  assert.equal(comments[1]?.body, 'Tom & Jerry *wow*');
  assert.equal(comments[1]?.author.name, 'A & B');
});

test('a broken WXR file is refused with its line and column', async () => {
  const broken = Readable.from(['<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n<item><link>x</link>\n<wp:comment></item></channel></rss>']);
  await assert.rejects(collect(parseWxr(broken)), (error: unknown) => {
    assert.ok(error instanceof XmlSyntaxError);
    assert.equal(error.code, 'invalid_input');
    assert.equal(error.line, 3);
    assert.match(error.message, /WordPress WXR export: line 3, column \d+: unexpected close tag/);
    return true;
  });
  await assert.rejects(collect(parseWxr(corpusFile('disqus/isso-tests-disqus.xml'))), /expected a <rss> root element, found <disqus>/);
});

test('bad parse options are refused with invalid_input before reading', () => {
  assert.throws(() => parseWxr(wxr(''), { localTimeOffsetMinutes: 90.5 }), /localTimeOffsetMinutes/);
  assert.throws(() => parseWxr(wxr(''), { threadKey: { stripPrefix: 'blog' } }), /Invalid thread-key rule/);
  assert.throws(() => parseWxr(wxr(''), { totalBytes: -1 }), /totalBytes/);
});

test('a thread-key rule given to the parser shapes every key', async () => {
  const items = `<item><link>https://blog.example/blog/a/?p=3&amp;utm=x</link><wp:post_id>1</wp:post_id>${comment({ comment_id: '1' })}</item>`;
  const { comments } = await collect(parseWxr(wxr(items), { threadKey: { stripPrefix: '/blog', keepQuery: false } }));
  assert.equal(comments[0]?.thread.key, '/a');
  assert.equal(comments[0]?.thread.url, 'https://blog.example/blog/a/?p=3&utm=x');
});
