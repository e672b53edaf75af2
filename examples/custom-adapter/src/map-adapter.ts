// A complete Colloquy storage adapter in one file, over a plain Map. It is the worked example
// of docs/adapters.md: swap the Map calls for your database or API and keep the rules.
import {
  ColloquyError,
  DEFAULT_LIMITS,
  bestScore,
  validateHelpful,
  validateBody,
  validateCommentId,
  validateCreateInput,
  validateListQuery,
  validateName,
  validateReport,
  validateThreadKey,
} from '@colloquy/core';
import type { Comment, Identity, SortOrder, StorageAdapter } from '@colloquy/core';

interface Row {
  id: string;
  /** Insertion order: the keyset the cursors use. */
  seq: number;
  thread: string;
  parentId: string | null;
  /** The comment answered, when the depth cap stored the reply beside it; else null. */
  replyTo: string | null;
  authorId: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: 'visible' | 'deleted';
}

/** The storage several adapters (readers) share: in real life, your database. */
export class MapBackend {
  readonly rows = new Map<string, Row>();
  readonly identities = new Map<string, Identity>();
  /** `${identityId} ${commentId}` of every report. */
  readonly reports = new Set<string>();
  /**
   * Helpful marks with the sequence numbers of their making and taking back: a `best` listing
   * ranks every page with the marks that stood at its first page (docs/adapters.md, R41).
   */
  readonly marks: { commentId: string; identityId: string; made: number; taken: number | null }[] = [];
  /** `${identityId} ${idempotencyKey}` → the payload it created and the comment id. */
  readonly createdByKey = new Map<string, { payload: string; id: string }>();
  seq = 0;
  /** The storage's clock: timestamps and the edit window follow it (tests move it forward). */
  now: () => Date = () => new Date();
}

const limits = DEFAULT_LIMITS;

/**
 * A cursor names the last row shown: its sort, its rank (reply count for `top`, score for
 * `best`) and its sequence; a `best` cursor also carries the moment its listing ranks as of.
 */
interface Cursor {
  rank: number;
  seq: number;
  asOfSeq: number;
  asOfMs: number;
}
function encodeCursor(sort: SortOrder, c: Cursor): string {
  return btoa(`${sort}:${c.rank}:${c.seq}:${c.asOfSeq}:${c.asOfMs}`);
}
function decodeCursor(cursor: string, sort: SortOrder): Cursor {
  let text = '';
  try {
    text = atob(cursor);
  } catch {
    // not base64: refused below
  }
  const match = /^(oldest|newest|top|best):(\d+):(\d+):(\d+):(\d+)$/.exec(text);
  if (!match || match[1] !== sort) throw new ColloquyError('invalid_cursor', 'This cursor does not belong to this list.');
  return { rank: Number(match[2]), seq: Number(match[3]), asOfSeq: Number(match[4]), asOfMs: Number(match[5]) };
}

export function createMapAdapter(backend: MapBackend): StorageAdapter {
  let me: string | null = null;

  // Every method is async and turns any failure into a ColloquyError.
  const run = async <T>(work: () => T): Promise<T> => {
    try {
      return structuredClone(work());
    } catch (error) {
      if (error instanceof ColloquyError) throw error;
      throw new ColloquyError('server_error', String(error), { cause: error });
    }
  };

  function present(row: Row, replies: Comment[] = []): Comment {
    const deleted = row.status === 'deleted';
    const author = backend.identities.get(row.authorId)!;
    const answered = row.replyTo === null ? undefined : backend.rows.get(row.replyTo);
    return {
      id: row.id,
      thread: row.thread,
      parentId: row.parentId,
      // Whom a reply stored beside the comment it answers answers; no name once that is deleted.
      replyTo:
        row.replyTo === null
          ? null
          : { id: row.replyTo, name: answered?.status === 'visible' ? (backend.identities.get(answered.authorId)?.name ?? null) : null },
      author: deleted ? { id: '', name: '', role: 'reader' } : { id: author.id, name: author.name ?? '', role: author.role },
      body: deleted ? '' : row.body,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      status: row.status,
      helpful: {
        count: backend.marks.filter((m) => m.commentId === row.id && m.taken === null).length,
        mine: backend.marks.some((m) => m.commentId === row.id && m.taken === null && m.identityId === me),
      },
      replies,
    };
  }

  /** A comment with its replies; a deleted one stays only as the parent of live replies. */
  function tree(row: Row): { comment: Comment; visible: number } | null {
    const children = [...backend.rows.values()].filter((r) => r.parentId === row.id).sort((a, b) => a.seq - b.seq);
    const replies: Comment[] = [];
    let visible = 0;
    for (const child of children) {
      const built = tree(child);
      if (!built) continue;
      replies.push(built.comment);
      visible += built.visible + (child.status === 'visible' ? 1 : 0);
    }
    if (row.status === 'deleted' && replies.length === 0) return null;
    return { comment: present(row, replies), visible };
  }

  function depth(row: Row): number {
    return row.parentId === null ? 0 : 1 + depth(backend.rows.get(row.parentId)!);
  }

  function mine(id: unknown): Row {
    const row = backend.rows.get(validateCommentId(id));
    if (!row || row.status === 'deleted') throw new ColloquyError('not_found', 'No such comment.');
    if (row.authorId !== me) throw new ColloquyError('forbidden', 'Only the author can change this comment.');
    if (backend.now().getTime() - Date.parse(row.createdAt) > limits.editWindowSeconds * 1000) {
      throw new ColloquyError('edit_window_closed', 'The time to change this comment has passed.');
    }
    return row;
  }

  function newIdentity(name: string | null): Identity {
    const identity: Identity = { id: crypto.randomUUID(), name, role: 'reader' };
    backend.identities.set(identity.id, identity);
    me = identity.id;
    return identity;
  }

  return {
    // No live updates: the suite's live test only checks that this is declared.
    capabilities: { live: false, limits },

    getIdentity: () => run(() => (me ? backend.identities.get(me)! : null)),

    identify: (name) =>
      run(() => {
        const checked = name === undefined ? null : validateName(name, limits);
        const current = me ? backend.identities.get(me)! : null;
        if (!current) return newIdentity(checked);
        if (current.name === null && checked !== null) current.name = checked;
        return current;
      }),

    listComments: (query) =>
      run(() => {
        const { thread, sort, cursor, limit } = validateListQuery(query, limits);
        const after = cursor === null ? null : decodeCursor(cursor, sort);
        // `best` ranks as of its first page: the marks that stood then, ages at that clock.
        const asOfSeq = after?.asOfSeq ?? backend.seq;
        const asOfMs = after?.asOfMs ?? backend.now().getTime();
        const score = (row: Row) =>
          bestScore(
            backend.marks.filter((m) => m.commentId === row.id && m.made <= asOfSeq && (m.taken === null || m.taken > asOfSeq)).length,
            Date.parse(row.createdAt),
            asOfMs,
          );
        const rows = [...backend.rows.values()]
          .filter((row) => row.thread === thread && row.parentId === null)
          .flatMap((row) => {
            const built = tree(row);
            return built ? [{ row, ...built, rank: sort === 'best' ? score(row) : built.visible }] : [];
          });
        // Sort keys: oldest by seq; newest by -seq; top by visible replies and best by score, then newest.
        const key = (r: { rank: number; row: { seq: number } }): [number, number] =>
          sort === 'oldest' ? [0, r.row.seq] : sort === 'newest' ? [0, -r.row.seq] : [-r.rank, -r.row.seq];
        const compare = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
        rows.sort((a, b) => compare(key(a), key(b)));
        let remaining = rows;
        if (after !== null) {
          const afterKey = key({ rank: after.rank, row: { seq: after.seq } });
          remaining = rows.filter((r) => compare(key(r), afterKey) > 0);
        }
        const page = remaining.slice(0, limit);
        const last = page.at(-1);
        return {
          comments: page.map((r) => r.comment),
          nextCursor: remaining.length > limit && last ? encodeCursor(sort, { rank: last.rank, seq: last.row.seq, asOfSeq, asOfMs }) : null,
          // This backend cannot close threads; one that can says so here and refuses posts with `thread_closed`.
          closed: false,
        };
      }),

    createComment: (input) =>
      run(() => {
        const { thread, parentId, body, idempotencyKey } = validateCreateInput(input, limits);
        const author = me ? backend.identities.get(me) : undefined;
        if (!author?.name) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
        // A retried create with the same key answers the first comment instead of a duplicate.
        const payload = JSON.stringify([thread, parentId, body]);
        const earlier = backend.createdByKey.get(`${author.id} ${idempotencyKey}`);
        if (earlier) {
          if (earlier.payload !== payload) throw new ColloquyError('idempotency_conflict', 'That key was used for another comment.');
          return present(backend.rows.get(earlier.id)!);
        }
        let parent = parentId === null ? null : (backend.rows.get(parentId) ?? null);
        if (parentId !== null && (!parent || parent.thread !== thread)) {
          throw new ColloquyError('not_found', 'The comment you reply to does not exist.');
        }
        // Replies below the deepest level attach beside the deepest comment instead, and
        // remember the comment they answer.
        let replyTo: string | null = null;
        if (parent && depth(parent) >= limits.maxDepth) {
          replyTo = parent.id;
          parent = parent.parentId ? backend.rows.get(parent.parentId)! : null;
        }
        backend.seq += 1;
        const row: Row = {
          id: `c${backend.seq}`,
          seq: backend.seq,
          thread,
          parentId: parent?.id ?? null,
          replyTo,
          authorId: author.id,
          body,
          createdAt: backend.now().toISOString(),
          editedAt: null,
          status: 'visible',
        };
        backend.rows.set(row.id, row);
        backend.createdByKey.set(`${author.id} ${idempotencyKey}`, { payload, id: row.id });
        return present(row);
      }),

    editComment: (id, body) =>
      run(() => {
        const checked = validateBody(body, limits);
        const row = mine(id);
        row.body = checked;
        row.editedAt = backend.now().toISOString();
        return present(row);
      }),

    deleteComment: (id) =>
      run(() => {
        const row = mine(id);
        row.status = 'deleted';
        row.body = '';
        return present(row);
      }),

    reportComment: (id, report) =>
      run(() => {
        const row = backend.rows.get(validateCommentId(id));
        validateReport(report, limits);
        if (!row || row.status === 'deleted') throw new ColloquyError('not_found', 'No such comment.');
        const reporter = me ?? newIdentity(null).id;
        if (backend.reports.has(`${reporter} ${row.id}`)) {
          throw new ColloquyError('already_reported', 'You have already reported this comment.');
        }
        backend.reports.add(`${reporter} ${row.id}`);
      }),

    markHelpful: (id, helpful) =>
      run(() => {
        const row = backend.rows.get(validateCommentId(id));
        const flag = validateHelpful(helpful);
        if (!row || row.status === 'deleted') throw new ColloquyError('not_found', 'No such comment.');
        const marker = me ?? newIdentity(null).id;
        if (row.authorId === marker) throw new ColloquyError('forbidden', 'You cannot mark your own comment helpful.');
        const open = backend.marks.find((m) => m.commentId === row.id && m.identityId === marker && m.taken === null);
        if (flag && !open) backend.marks.push({ commentId: row.id, identityId: marker, made: ++backend.seq, taken: null });
        if (!flag && open) open.taken = ++backend.seq;
        return { commentId: row.id, ...present(row).helpful! };
      }),

    countComments: (threads) =>
      run(() => {
        if (!Array.isArray(threads)) throw new ColloquyError('invalid_input', 'Pass a list of thread keys.');
        const counts: Record<string, number> = {};
        for (const thread of threads) counts[validateThreadKey(thread)] = 0;
        for (const row of backend.rows.values()) {
          if (row.status === 'visible' && row.thread in counts) counts[row.thread]! += 1;
        }
        return counts;
      }),
  };
}
