import { decodeHTML } from 'entities';
import { ColloquyError } from '@colloquy/core';
import type { CommentStatus } from '@colloquy/core';
import type { ImportedComment, ImportRecord, ImportRecordStream } from './records.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { threadKeyFromUrl } from './thread-key.js';
import { nonEmpty, readWordPressDate } from './export-fields.js';
import { XmlRecordStream, type ImportInput, type XmlNode } from './xml-stream.js';
import { checkParseOptions, type ParseOptions } from './disqus.js';

export interface WxrParseOptions extends ParseOptions {
  /**
   * The site's UTC offset in minutes, used only for a comment that has `comment_date` but no
   * `comment_date_gmt` (WordPress writes local time without an offset). Default 0.
   */
  localTimeOffsetMinutes?: number;
}

/** The WXR version is part of the namespace URI (`…/export/1.0/`, `1.1`, `1.2`), so match the prefix. */
function isWordPress(uri: string): boolean {
  return /^https?:\/\/wordpress\.org\/export\//.test(uri);
}

function wp(node: XmlNode, local: string): string | undefined {
  return node.children.find((c) => c.local === local && isWordPress(c.uri))?.text;
}

const STATUS: Readonly<Record<string, { status: CommentStatus; spam: boolean }>> = {
  '1': { status: 'visible', spam: false },
  approve: { status: 'visible', spam: false },
  '0': { status: 'held', spam: false },
  hold: { status: 'held', spam: false },
  spam: { status: 'hidden', spam: true },
  trash: { status: 'deleted', spam: false },
  'post-trashed': { status: 'deleted', spam: false },
};

const TYPES: Readonly<Record<string, ImportedComment['type']>> = {
  '': 'comment',
  comment: 'comment',
  pingback: 'pingback',
  trackback: 'trackback',
};

const ITEM_FIELDS = new Set(['link', 'title', 'post_id', 'comment_status', 'comment']);

interface ItemState {
  ordinal: number;
  link?: string;
  /** The thread key, or why there is none, worked out once per item. */
  key?: { ok: true; value: string } | { ok: false; reason: string };
  title?: string;
  postId?: string;
  closed: boolean;
}

/**
 * Streams a WordPress WXR export (any version) as normalised comment records, one per
 * `wp:comment`, in file order. Only the current item's link, title, id and comment status
 * are kept while its comments stream past.
 */
export function parseWxr(input: ImportInput, options: WxrParseOptions = {}): ImportRecordStream {
  checkParseOptions(options);
  const offset = options.localTimeOffsetMinutes;
  if (offset !== undefined && (!Number.isInteger(offset) || Math.abs(offset) > 24 * 60)) {
    throw new ColloquyError('invalid_input', `localTimeOffsetMinutes must be a whole number of minutes within a day, not ${offset}.`);
  }
  return new XmlRecordStream(
    input,
    { local: 'rss', describe: 'WordPress WXR export' },
    (emit) => {
      let items = 0;
      let item: ItemState | null = null;
      return {
        open(element, ancestors) {
          const parent = ancestors[ancestors.length - 1];
          if (ancestors.length === 2 && element.local === 'item' && element.uri === '') {
            item = { ordinal: ++items, closed: false };
            return false;
          }
          // Only the fields a comment needs are captured; the post's own content streams past.
          return item !== null && ancestors.length === 3 && parent?.local === 'item' && ITEM_FIELDS.has(element.local);
        },
        close(element, ancestors) {
          if (ancestors.length === 2 && element.local === 'item') item = null;
        },
        captured(node) {
          if (!item) return;
          if (node.uri === '' && node.local === 'link') {
            item.link = nonEmpty(node.text);
            item.key = item.link ? threadKeyOf(item.link, options) : undefined;
          } else if (node.uri === '' && node.local === 'title') item.title = nonEmpty(node.text);
          else if (isWordPress(node.uri) && node.local === 'post_id') item.postId = nonEmpty(node.text);
          else if (isWordPress(node.uri) && node.local === 'comment_status') item.closed = node.text.trim() === 'closed';
          else if (isWordPress(node.uri) && node.local === 'comment') emit(readComment(node, item, options));
        },
      };
    },
    options.totalBytes,
  );
}

function threadKeyOf(link: string, options: WxrParseOptions): ItemState['key'] {
  try {
    return { ok: true, value: threadKeyFromUrl(link, options.threadKey) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function readComment(node: XmlNode, item: ItemState, options: WxrParseOptions): ImportRecord {
  const reasons: string[] = [];
  // comment_id is meant to be unique per site, but exports exist where two posts share one
  // (see the isso sample), so the id is qualified by the post it belongs to.
  const itemRef = item.postId ?? item.link ?? `item-${item.ordinal}`;
  const id = nonEmpty(wp(node, 'comment_id'));
  if (!id) reasons.push('wp:comment has no wp:comment_id');
  else if (!/^\d+$/.test(id)) reasons.push(`wp:comment_id "${id}" is not a number`);
  const sourceId = id ? `${itemRef}#${id}` : undefined;

  const parent = nonEmpty(wp(node, 'comment_parent')) ?? '0';
  if (!/^\d+$/.test(parent)) reasons.push(`wp:comment_parent "${parent}" is not a number`);

  const gmt = readWordPressDate(wp(node, 'comment_date_gmt'), 'wp:comment_date_gmt');
  const local = gmt?.ok ? null : readWordPressDate(wp(node, 'comment_date'), 'wp:comment_date', options.localTimeOffsetMinutes ?? 0);
  const date = gmt?.ok ? gmt : (local ?? gmt);
  if (!date) reasons.push('wp:comment has neither wp:comment_date_gmt nor wp:comment_date');
  else if (!date.ok) reasons.push(date.reason);

  const approved = (wp(node, 'comment_approved') ?? '').trim();
  const state = STATUS[approved];
  if (!state) reasons.push(`wp:comment_approved "${approved}" is not 1, 0, spam or trash`);

  const typeName = (wp(node, 'comment_type') ?? '').trim();
  const type = TYPES[typeName];
  if (!type) reasons.push(`wp:comment_type "${typeName}" is not a reader comment, pingback or trackback`);

  const key = item.key?.ok ? item.key.value : undefined;
  if (!item.key) reasons.push(`item ${itemRef} has no <link> to derive a thread key from`);
  else if (!item.key.ok) reasons.push(item.key.reason);

  if (reasons.length || !sourceId || !date?.ok || !state || !type || key === undefined) {
    return { kind: 'skipped', source: 'wordpress', ...(sourceId ? { sourceId } : {}), line: node.line, column: node.column, reason: reasons.join('; ') };
  }

  // WordPress stores names, URLs and titles HTML-escaped; decode them exactly once.
  const email = nonEmpty(wp(node, 'comment_author_email'));
  const url = nonEmpty(wp(node, 'comment_author_url'));
  const ip = nonEmpty(wp(node, 'comment_author_IP'));
  const userId = nonEmpty(wp(node, 'comment_user_id'));
  return {
    kind: 'comment',
    source: 'wordpress',
    sourceId,
    thread: { key, url: item.link ?? null, title: item.title ? decodeHTML(item.title) : null, closed: item.closed },
    parentSourceId: parent === '0' ? null : `${itemRef}#${parent}`,
    author: {
      name: decodeHTML(nonEmpty(wp(node, 'comment_author')) ?? '') || 'Anonymous',
      ...(email ? { email } : {}),
      ...(url ? { url: decodeHTML(url) } : {}),
      ...(ip ? { ip } : {}),
      anonymous: !userId || userId === '0',
    },
    createdAt: date.value,
    body: htmlToMarkdown((wp(node, 'comment_content') ?? '').trim(), { newlines: 'keep' }),
    status: state.status,
    spam: state.spam,
    type,
  };
}
