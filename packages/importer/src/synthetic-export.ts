import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ColloquyError } from '@colloquy/core';

export interface SyntheticDisqusOptions {
  /** Number of posts. */
  posts: number;
  /** Posts per thread. Default 20. */
  postsPerThread?: number;
}

export interface SyntheticDisqusExport {
  path: string;
  bytes: number;
  threads: number;
  posts: number;
  /** Posts with a parent; one in every 1000 replies points at a post that comes after it. */
  replies: number;
  spam: number;
  deleted: number;
}

/**
 * Writes a Disqus export of the given size, streamed to disk so that generating a gigabyte
 * takes no more memory than a small one. Deterministic: the same options give the same bytes.
 * Used by the large-file test and `bench/import-disqus.mjs`.
 */
export async function writeSyntheticDisqusExport(path: string, options: SyntheticDisqusOptions): Promise<SyntheticDisqusExport> {
  const { posts } = options;
  const perThread = options.postsPerThread ?? 20;
  if (!Number.isInteger(posts) || posts < 1) throw new ColloquyError('invalid_input', `posts must be a positive integer, not ${posts}.`);
  if (!Number.isInteger(perThread) || perThread < 1) throw new ColloquyError('invalid_input', `postsPerThread must be a positive integer, not ${perThread}.`);
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const threads = Math.ceil(posts / perThread);
  const summary: SyntheticDisqusExport = { path, bytes: 0, threads, posts, replies: 0, spam: 0, deleted: 0 };

  await write(
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n' +
      '  <category dsq:id="1"><forum>bench</forum><title>General</title><isDefault>true</isDefault></category>\n',
  );
  for (let t = 1; t <= threads; t++) {
    await write(
      `  <thread dsq:id="t${t}"><id/><forum>bench</forum><category dsq:id="1"/><link>https://blog.example/${2000 + (t % 20)}/post-${t}/</link>` +
        `<title>Post ${t} &amp; friends</title><message/><createdAt>2015-01-01T00:00:00Z</createdAt><isClosed>${t % 10 === 0}</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  const base = Date.UTC(2015, 0, 2);
  let replyCount = 0;
  for (let p = 1; p <= posts; p++) {
    const thread = Math.ceil(p / perThread);
    const first = (thread - 1) * perThread + 1;
    let parent = '';
    if (p > first && p % 3 !== 0) {
      replyCount++;
      // A few exports list a reply before its parent; keep some of those in the mix (the
      // parent being top level, so no cycle).
      const target = replyCount % 1000 === 0 && p < Math.min(posts, thread * perThread) && (p + 1) % 3 === 0 ? p + 1 : first + ((p * 7919) % (p - first));
      parent = `<parent dsq:id="p${target}"/>`;
      summary.replies++;
    }
    const spam = p % 97 === 0;
    const deleted = p % 89 === 0;
    if (spam) summary.spam++;
    if (deleted) summary.deleted++;
    const created = new Date(base + p * 60_000).toISOString().replace('.000Z', 'Z');
    await write(
      `  <post dsq:id="p${p}"><id/><message><![CDATA[<p>Comment ${p} with <a href="https://example.org/${p}">a link</a> &amp; <em>some emphasis</em>.</p><p>A second paragraph,<br>on two lines.</p>]]></message>` +
        `<createdAt>${created}</createdAt><isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam>` +
        `<author><email>reader${p % 5000}@example.org</email><name>Reader ${p % 5000}</name><isAnonymous>${p % 4 === 0}</isAnonymous><username>reader${p % 5000}</username></author>` +
        `<ipAddress>192.0.2.${p % 250}</ipAddress><thread dsq:id="t${thread}"/>${parent}</post>\n`,
    );
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  summary.bytes = bytes;
  return summary;
}
