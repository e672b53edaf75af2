import type { ImportedComment, ImportedThread, ImportRecord, ImportRecordStream } from './records.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { ColloquyError } from '@colloquy/core';
import { checkThreadKeyRule, threadKeyFromUrl, type ThreadKeyRule } from './thread-key.js';
import { nonEmpty, readBoolean, readIsoDate } from './export-fields.js';
import { XmlRecordStream, type ImportInput, type XmlNode } from './xml-stream.js';

export interface ParseOptions {
  /** How page URLs become thread keys; see `threadKeyFromUrl`. */
  threadKey?: ThreadKeyRule;
  /** Size of a stream input in bytes, for progress; a file path is measured automatically. */
  totalBytes?: number;
}

export function checkParseOptions(options: ParseOptions): void {
  if (typeof options !== 'object' || options === null) throw new ColloquyError('invalid_input', 'Parse options must be an object.');
  if (options.threadKey !== undefined) checkThreadKeyRule(options.threadKey);
  const total = options.totalBytes;
  if (total !== undefined && (!Number.isInteger(total) || total < 0)) {
    throw new ColloquyError('invalid_input', `totalBytes must be a whole number of bytes, not ${total}.`);
  }
}

function child(node: XmlNode, local: string): XmlNode | undefined {
  return node.children.find((c) => c.local === local);
}

/** `dsq:id`, whichever prefix the export bound to the internals namespace. */
function dsqId(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const attribute = node.attributes.find((a) => a.local === 'id' && a.uri !== '') ?? node.attributes.find((a) => a.local === 'id');
  return nonEmpty(attribute?.value);
}

type ThreadEntry = { ok: true; thread: ImportedThread } | { ok: false; reason: string };

function readThread(node: XmlNode, rule: ThreadKeyRule | undefined): ThreadEntry {
  const link = nonEmpty(child(node, 'link')?.text);
  const identifier = nonEmpty(child(node, 'id')?.text);
  // Sites often set the Disqus identifier to the page URL; it stands in when <link> is absent.
  const url = link ?? (identifier && /^(https?:\/\/|\/)/i.test(identifier) ? identifier : undefined);
  if (!url) return { ok: false, reason: `thread dsq:id ${dsqId(node) ?? '?'} has no <link> to derive a thread key from` };
  let key: string;
  try {
    key = threadKeyFromUrl(url, rule);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const closed = readBoolean(child(node, 'isClosed')?.text, 'isClosed');
  return {
    ok: true,
    thread: { key, url, title: nonEmpty(child(node, 'title')?.text) ?? null, closed: closed.ok ? closed.value : false },
  };
}

/**
 * Streams a Disqus XML export as normalised records, in file order. Threads are remembered
 * by `dsq:id` (metadata only, a few hundred bytes each) so that posts can be attached to
 * them; posts themselves are never kept. A post is skipped, with a reason, when its thread
 * is missing or comes after it, or when its date or a boolean is invalid.
 */
export function parseDisqus(input: ImportInput, options: ParseOptions = {}): ImportRecordStream {
  checkParseOptions(options);
  return new XmlRecordStream(
    input,
    { local: 'disqus', describe: 'Disqus export' },
    (emit) => {
      const threads = new Map<string, ThreadEntry>();
      return {
        open: (element, ancestors) => ancestors.length === 1 && (element.local === 'thread' || element.local === 'post'),
        captured(node) {
          if (node.local === 'thread') {
            const id = dsqId(node);
            if (id) threads.set(id, readThread(node, options.threadKey));
            return;
          }
          emit(readPost(node, threads));
        },
      };
    },
    options.totalBytes,
  );
}

function readPost(node: XmlNode, threads: ReadonlyMap<string, ThreadEntry>): ImportRecord {
  const reasons: string[] = [];
  const attributeId = dsqId(node);
  const ownId = nonEmpty(child(node, 'id')?.text);
  // A post without dsq:id is still usable through its own <id>, kept apart from dsq ids by a prefix.
  const sourceId = attributeId ?? (ownId ? `id:${ownId}` : undefined);
  if (!sourceId) reasons.push('post has neither a dsq:id attribute nor an <id>');

  const threadId = dsqId(child(node, 'thread'));
  const entry = threadId ? threads.get(threadId) : undefined;
  if (!threadId) reasons.push('post has no <thread dsq:id>');
  else if (!entry) reasons.push(`thread dsq:id ${threadId} is not in the export before this post`);
  else if (!entry.ok) reasons.push(entry.reason);

  const createdAt = readIsoDate(child(node, 'createdAt')?.text, 'createdAt');
  const deleted = readBoolean(child(node, 'isDeleted')?.text, 'isDeleted');
  const spam = readBoolean(child(node, 'isSpam')?.text, 'isSpam');
  const author = child(node, 'author');
  const anonymous = readBoolean(author && child(author, 'isAnonymous')?.text, 'author isAnonymous');
  for (const field of [createdAt, deleted, spam, anonymous]) if (!field.ok) reasons.push(field.reason);

  if (reasons.length || !createdAt.ok || !deleted.ok || !spam.ok || !anonymous.ok || !entry?.ok || !sourceId) {
    return {
      kind: 'skipped',
      source: 'disqus',
      ...(sourceId ? { sourceId } : {}),
      line: node.line,
      column: node.column,
      reason: reasons.join('; '),
    };
  }

  const name = nonEmpty(author && child(author, 'name')?.text) ?? nonEmpty(author && child(author, 'username')?.text) ?? 'Anonymous';
  const email = nonEmpty(author && child(author, 'email')?.text);
  const ip = nonEmpty(child(node, 'ipAddress')?.text);
  const comment: ImportedComment = {
    kind: 'comment',
    source: 'disqus',
    sourceId,
    thread: entry.thread,
    parentSourceId: dsqId(child(node, 'parent')) ?? null,
    author: { name, ...(email ? { email } : {}), ...(ip ? { ip } : {}), anonymous: anonymous.value },
    createdAt: createdAt.value,
    body: htmlToMarkdown((child(node, 'message')?.text ?? '').trim(), { newlines: 'collapse' }),
    status: deleted.value ? 'deleted' : spam.value ? 'hidden' : 'visible',
    spam: spam.value,
    type: 'comment',
  };
  return comment;
}
