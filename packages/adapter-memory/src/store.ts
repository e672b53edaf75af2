// The engine behind the memory and local-storage adapters and the msw handlers: comments,
// identities, reports and idempotency records in one plain data object, with the rules of
// docs/protocol.md applied on every write. It acts for whoever the caller names, so several
// adapters (readers) and an HTTP mock can share one store.
import {
  ColloquyError,
  DEFAULT_LIMITS,
  validateBody,
  validateCommentId,
  validateCreateInput,
  validateHelpful,
  validateListQuery,
  validateName,
  validateReport,
  validateThreadKey,
} from '@colloquy/core';
import type {
  Comment,
  Identity,
  Limits,
  Role,
  SortOrder,
  ThreadEvent,
  ThreadEventType,
  Unsubscribe,
} from '@colloquy/core';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { SortKey } from './cursor.js';
import { bestScores, helpfulOf, openMark } from './helpful.js';
import { compareKeys, compareOldest, emptyData, parseData } from './store-data.js';
import type { MemoryStore, MemoryStoreOptions, StoreData, StoredComment, StoredReport } from './store-types.js';

export type { CreateResult, MemoryStore, MemoryStoreOptions, MemoryStoreRaw, StoreData, StoredComment, StoredReport, StorePersistence } from './store-types.js';

const PLACEHOLDER_AUTHOR = Object.freeze({ id: '', name: '', role: 'reader' as Role });
const PRIVILEGED: readonly Role[] = ['moderator', 'staff'];

function threadClosed(): ColloquyError {
  return new ColloquyError('thread_closed', 'Comments on this page are closed: new comments, replies and edits are not accepted.');
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const limits: Readonly<Limits> = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
  const now = options.now ?? (() => new Date());
  const persistence = options.persistence;
  const maxPins = options.maxPins ?? 3;
  const listeners = new Map<string, Set<(event: ThreadEvent) => void>>();
  let data = emptyData();
  let lastSerialized: string | null = null;
  let stopWatching: Unsubscribe | null = null;

  /** Brings `data` up to date with the persistence, telling subscribers what changed elsewhere. */
  function load(): StoreData {
    if (!persistence) return data;
    const serialized = persistence.read();
    if (serialized === lastSerialized) return data;
    const next = parseData(serialized);
    if (listeners.size > 0) announceChanges(data, next);
    data = next;
    lastSerialized = serialized;
    return data;
  }

  function save(): void {
    if (!persistence) return;
    lastSerialized = JSON.stringify(data);
    persistence.write(lastSerialized);
  }

  function announceChanges(before: StoreData, after: StoreData): void {
    for (const record of Object.values(after.comments)) {
      const old = before.comments[record.id];
      let type: ThreadEventType | null = null;
      if (!old) type = 'created';
      else if (old.status !== record.status) {
        if (record.status === 'deleted') type = 'deleted';
        else if (record.status === 'hidden') type = 'hidden';
        else if (record.status === 'visible' && old.status === 'hidden') type = 'restored';
      } else if (old.editedAt !== record.editedAt) type = 'edited';
      else if (isPinned(old) !== isPinned(record)) type = isPinned(record) ? 'pinned' : 'unpinned';
      else if (helpfulOf(before.marks ?? [], record.id, null).count !== helpfulOf(after.marks ?? [], record.id, null).count) type = 'helpful';
      if (type) emit(type, record, after);
    }
  }

  function emit(type: ThreadEventType, record: StoredComment, source: StoreData = data): void {
    const set = listeners.get(record.thread);
    if (!set || set.size === 0) return;
    const comment = present(record, source);
    for (const listener of [...set]) {
      queueMicrotask(() => listener({ type, comment: structuredClone(comment) }));
    }
  }

  function present(record: StoredComment, source: StoreData = data, viewerId: string | null = null): Comment {
    const gone = record.status === 'deleted' || record.status === 'hidden';
    const author = source.identities[record.authorId];
    const answered = record.replyTo ? source.comments[record.replyTo] : undefined;
    const answeredGone = !answered || answered.status === 'deleted' || answered.status === 'hidden';
    return {
      id: record.id,
      thread: record.thread,
      parentId: record.parentId,
      // Named by the rules of the answered comment's own author: none once it is gone.
      replyTo: record.replyTo
        ? { id: record.replyTo, name: answeredGone ? null : (source.identities[answered.authorId]?.name ?? null) }
        : null,
      author: gone || !author ? { ...PLACEHOLDER_AUTHOR } : { id: author.id, name: author.name ?? '', role: author.role },
      body: gone ? '' : record.body,
      createdAt: record.createdAt,
      editedAt: record.editedAt,
      status: record.status,
      helpful: helpfulOf(source.marks ?? [], record.id, viewerId),
      // A pin shows while the comment does; hidden, it lists in its place as a placeholder.
      pinnedAt: isPinned(record) ? record.pinnedAt! : null,
      replies: [],
    };
  }

  function isPinned(record: StoredComment): boolean {
    return Boolean(record.pinnedAt) && record.status === 'visible' && record.parentId === null;
  }

  function requireActor(actorId: string | null): Identity {
    const actor = actorId === null ? undefined : data.identities[actorId];
    if (!actor) throw new ColloquyError('unauthenticated', 'Pick a screen name first.');
    return actor;
  }

  function requireComment(id: unknown): StoredComment {
    const record = data.comments[validateCommentId(id)];
    if (!record) throw new ColloquyError('not_found', 'That comment does not exist.');
    return record;
  }

  function requireAuthority(actor: Identity, record: StoredComment): void {
    if (PRIVILEGED.includes(actor.role)) return;
    if (record.authorId !== actor.id) {
      throw new ColloquyError('forbidden', 'Only the author or a moderator can change this comment.');
    }
    if (now().getTime() - Date.parse(record.createdAt) > limits.editWindowSeconds * 1000) {
      throw new ColloquyError('edit_window_closed', 'The time to change this comment has passed.');
    }
  }

  function isClosed(thread: string): boolean {
    return data.closed?.includes(thread) ?? false;
  }

  function depthOf(record: StoredComment): number {
    let depth = 0;
    let current = record;
    while (current.parentId !== null) {
      const parent = data.comments[current.parentId];
      if (!parent) break;
      depth++;
      current = parent;
    }
    return depth;
  }

  /** Children of each comment in a thread, oldest first. */
  function childrenIndex(thread: string): Map<string | null, StoredComment[]> {
    const index = new Map<string | null, StoredComment[]>();
    for (const record of Object.values(data.comments)) {
      if (record.thread !== thread) continue;
      const siblings = index.get(record.parentId) ?? [];
      siblings.push(record);
      index.set(record.parentId, siblings);
    }
    for (const siblings of index.values()) siblings.sort(compareOldest);
    return index;
  }

  function isShownTo(record: StoredComment, viewerId: string | null): boolean {
    return record.status === 'visible' || (record.status === 'held' && record.authorId === viewerId);
  }

  /** The comment with its visible replies, or null when neither it nor any reply shows. */
  function buildTree(
    record: StoredComment,
    index: Map<string | null, StoredComment[]>,
    viewerId: string | null,
  ): { comment: Comment; visibleReplies: number } | null {
    const replies: Comment[] = [];
    let visibleReplies = 0;
    for (const child of index.get(record.id) ?? []) {
      const built = buildTree(child, index, viewerId);
      if (!built) continue;
      replies.push(built.comment);
      visibleReplies += built.visibleReplies + (child.status === 'visible' ? 1 : 0);
    }
    if (!isShownTo(record, viewerId) && replies.length === 0) return null;
    return { comment: { ...present(record, data, viewerId), replies }, visibleReplies };
  }

  function sortKey(sort: SortOrder, record: StoredComment, replies: number, scores: Map<string, number>, asOf: { seq: number; ms: number }): SortKey {
    if (sort === 'best') return { sort, createdAt: record.createdAt, id: record.id, score: scores.get(record.id) ?? 0, asOfSeq: asOf.seq, asOfMs: asOf.ms };
    return sort === 'top'
      ? { sort, createdAt: record.createdAt, id: record.id, replies }
      : { sort, createdAt: record.createdAt, id: record.id };
  }

  return {
    limits,
    raw: {
      getComment(id) {
        load();
        const record = data.comments[id];
        return record ? structuredClone(record) : null;
      },
      countStored(thread) {
        load();
        return Object.values(data.comments).filter((c) => c.thread === thread).length;
      },
      reports(commentId) {
        load();
        return structuredClone(data.reports.filter((r) => r.commentId === commentId));
      },
      getIdentity(id) {
        load();
        return structuredClone(data.identities[id] ?? null);
      },
    },

    createIdentity(input = {}) {
      load();
      const name = input.name === undefined || input.name === null ? null : validateName(input.name, limits);
      const identity: Identity = { id: `i_${randomId()}`, name, role: input.role ?? 'reader' };
      data.identities[identity.id] = identity;
      save();
      return { ...identity };
    },

    getIdentity(id) {
      load();
      const identity = data.identities[id];
      return identity ? { ...identity } : null;
    },

    nameIdentity(id, name) {
      load();
      const identity = requireActor(id);
      const checked = validateName(name, limits);
      if (identity.name !== null) {
        if (identity.name === checked) return { ...identity };
        throw new ColloquyError('conflict', 'This identity already has a screen name.');
      }
      identity.name = checked;
      save();
      return { ...identity };
    },

    list(viewerId, query) {
      load();
      const { thread, sort, limit, cursor } = validateListQuery(query, limits);
      const after = cursor === null ? null : decodeCursor(cursor, sort);
      const index = childrenIndex(thread);
      // `best` ranks as of the first page's moment on every page (decision 0036).
      const asOf = { seq: after?.asOfSeq ?? data.sequence, ms: after?.asOfMs ?? now().getTime() };
      const roots = index.get(null) ?? [];
      const scores = sort === 'best' ? bestScores(data.marks ?? [], roots, asOf.seq, asOf.ms) : new Map<string, number>();
      const rows: { key: SortKey; comment: Comment }[] = [];
      const pinned: Comment[] = [];
      for (const record of roots) {
        const built = buildTree(record, index, viewerId);
        if (built && isPinned(record)) pinned.push(built.comment);
        else if (built) rows.push({ key: sortKey(sort, record, built.visibleReplies, scores, asOf), comment: built.comment });
      }
      pinned.sort((a, b) => (a.pinnedAt! < b.pinnedAt! ? 1 : a.pinnedAt! > b.pinnedAt! ? -1 : compareOldest(b, a)));
      rows.sort((a, b) => compareKeys(a.key, b.key));
      const remaining = after ? rows.filter((row) => compareKeys(row.key, after) > 0) : rows;
      const page = remaining.slice(0, limit);
      const last = page[page.length - 1];
      return {
        comments: page.map((row) => row.comment),
        nextCursor: remaining.length > limit && last ? encodeCursor(last.key) : null,
        closed: isClosed(thread),
        // Only a first page has them, and only when there are some (an empty thread is R11's page).
        ...(after || pinned.length === 0 ? {} : { pinned }),
      };
    },

    create(actorId, input) {
      load();
      const { thread, body, parentId, idempotencyKey: key } = validateCreateInput(input, limits);
      const actor = requireActor(actorId);
      if (actor.name === null) throw new ColloquyError('name_required', 'Pick a screen name before posting.');
      if (isClosed(thread)) throw threadClosed();

      const fingerprint = JSON.stringify([thread, parentId, body]);
      const idempotencyId = `${actor.id}\u0000${key}`;
      const earlier = data.idempotency[idempotencyId];
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          throw new ColloquyError('idempotency_conflict', 'This idempotency key was already used for another comment.');
        }
        const record = data.comments[earlier.commentId];
        if (record) return { comment: present(record), replayed: true };
      }

      let storedParent: string | null = null;
      let replyTo: string | null = null;
      if (parentId !== null) {
        const parent = data.comments[parentId];
        if (!parent || parent.thread !== thread) {
          throw new ColloquyError('not_found', 'The comment you are replying to does not exist.');
        }
        if (parent.status === 'deleted') {
          throw new ColloquyError('conflict', 'The comment you are replying to was deleted.');
        }
        // A reply below the deepest level becomes a sibling of its parent (protocol: depth cap),
        // and keeps the comment it answers.
        const capped = depthOf(parent) >= limits.maxDepth;
        storedParent = capped ? parent.parentId : parent.id;
        if (capped) replyTo = parent.id;
      }

      data.sequence += 1;
      const record: StoredComment = {
        id: `c_${data.sequence.toString(36).padStart(8, '0')}${randomId().slice(0, 8)}`,
        thread,
        parentId: storedParent,
        replyTo,
        authorId: actor.id,
        body,
        createdAt: now().toISOString(),
        editedAt: null,
        status: 'visible',
      };
      data.comments[record.id] = record;
      data.idempotency[idempotencyId] = { fingerprint, commentId: record.id };
      save();
      emit('created', record);
      return { comment: present(record), replayed: false };
    },

    edit(actorId, id, body) {
      load();
      const record = requireComment(id);
      const checked = validateBody(body, limits);
      const actor = requireActor(actorId);
      if (record.status === 'deleted') throw new ColloquyError('conflict', 'A deleted comment cannot be edited.');
      requireAuthority(actor, record);
      if (isClosed(record.thread) && !PRIVILEGED.includes(actor.role)) throw threadClosed();
      record.body = checked;
      record.editedAt = now().toISOString();
      save();
      emit('edited', record);
      return present(record);
    },

    remove(actorId, id) {
      load();
      const record = requireComment(id);
      if (record.status === 'deleted') throw new ColloquyError('not_found', 'That comment was already deleted.');
      const actor = requireActor(actorId);
      requireAuthority(actor, record);
      record.status = 'deleted';
      // The text is dropped, not just hidden: deleting must really remove what the reader wrote.
      record.body = '';
      save();
      emit('deleted', record);
      return present(record);
    },

    report(actorId, id, input) {
      load();
      const record = requireComment(id);
      const report = validateReport(input, limits);
      const actor = requireActor(actorId);
      if (record.status === 'deleted') throw new ColloquyError('not_found', 'That comment was deleted.');
      if (data.reports.some((r) => r.commentId === record.id && r.identityId === actor.id)) {
        throw new ColloquyError('already_reported', 'You have already reported this comment.');
      }
      const stored: StoredReport = {
        commentId: record.id,
        identityId: actor.id,
        reason: report.reason,
        details: report.details ?? null,
        createdAt: now().toISOString(),
      };
      data.reports.push(stored);
      save();
      return { ...stored };
    },

    mark(actorId, id, helpful) {
      load();
      const record = requireComment(id);
      const flag = validateHelpful(helpful);
      const actor = requireActor(actorId);
      if (record.status !== 'visible') throw new ColloquyError('not_found', 'That comment is not available.');
      if (record.authorId === actor.id) throw new ColloquyError('forbidden', 'You cannot mark your own comment helpful.');
      const marks = (data.marks ??= []);
      const open = openMark(marks, record.id, actor.id);
      if (flag !== Boolean(open)) {
        data.sequence += 1;
        if (open) open.unmarkedSeq = data.sequence;
        else marks.push({ commentId: record.id, identityId: actor.id, weight: 1, markedSeq: data.sequence, unmarkedSeq: null });
        save();
        emit('helpful', record);
      }
      return { commentId: record.id, ...helpfulOf(marks, record.id, actor.id) };
    },

    counts(threads) {
      load();
      if (!Array.isArray(threads) || threads.length === 0 || threads.length > 100) {
        throw new ColloquyError('invalid_input', 'Ask for the counts of 1 to 100 threads.');
      }
      const result: Record<string, number> = {};
      for (const thread of threads) result[validateThreadKey(thread)] = 0;
      for (const record of Object.values(data.comments)) {
        if (record.status === 'visible' && record.thread in result) result[record.thread]! += 1;
      }
      return result;
    },

    setThreadClosed(key, closed) {
      load();
      const thread = validateThreadKey(key);
      const others = (data.closed ?? []).filter((t) => t !== thread);
      data.closed = closed ? [...others, thread] : others;
      save();
    },

    setPinned(id, pinned) {
      load();
      const record = requireComment(id);
      if (typeof pinned !== 'boolean') throw new ColloquyError('invalid_input', 'pinned is true or false.');
      if (pinned && !isPinned(record)) {
        if (record.parentId !== null) throw new ColloquyError('conflict', 'Only a top-level comment can be pinned.');
        if (record.status !== 'visible') throw new ColloquyError('conflict', 'Only a visible comment can be pinned.');
        const held = Object.values(data.comments).filter((c) => c.thread === record.thread && isPinned(c)).length;
        if (held >= maxPins) throw new ColloquyError('pin_limit', `This thread already has ${maxPins} pinned comments: unpin one first.`);
        record.pinnedAt = now().toISOString();
        save();
        emit('pinned', record);
      } else if (!pinned && record.pinnedAt) {
        const shown = isPinned(record);
        record.pinnedAt = null;
        save();
        // Readers saw no pin on a hidden comment: nothing changes for them.
        if (shown) emit('unpinned', record);
      }
      return present(record);
    },

    subscribe(key, listener) {
      const thread = validateThreadKey(key);
      if (typeof listener !== 'function') throw new ColloquyError('invalid_input', 'subscribe needs a listener function.');
      load();
      const set = listeners.get(thread) ?? new Set();
      set.add(listener);
      listeners.set(thread, set);
      if (persistence?.watch && !stopWatching) stopWatching = persistence.watch(() => load());
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(thread);
        if (listeners.size === 0 && stopWatching) {
          stopWatching();
          stopWatching = null;
        }
      };
    },
  };
}
