import { isColloquyError } from '@colloquy/core';
import type { Comment, CommentStatus, Page, Role, StorageAdapter, ThreadEvent } from '@colloquy/core';
import { deepEqual, equal, eventually, ok, rejectsWith, sleep } from './check.js';

/** A comment as it really sits in storage, read past the adapter. */
export interface RawComment {
  id: string;
  thread: string;
  parentId: string | null;
  body: string;
  status: CommentStatus;
}

/** A backdoor into the backing storage, so the suite checks what was stored, not only what is read back. */
export interface RawAccess {
  getComment(id: string): RawComment | null | Promise<RawComment | null>;
  /** Every stored comment of a thread, deleted and hidden ones included. */
  countStored(thread: string): number | Promise<number>;
}

export interface ConnectOptions {
  /** The role the new client's identity should hold; adapters without roles ignore it. */
  role?: Role;
}

/** One test's world: fresh storage and a way to open clients on it. */
export interface SuiteContext {
  /**
   * A new client acting as a new identity over the same storage, like another browser. It has
   * no identity until `identify`.
   */
  connect(options?: ConnectOptions): StorageAdapter | Promise<StorageAdapter>;
  raw?: RawAccess;
  teardown?(): void | Promise<void>;
}

type Hook = () => void | Promise<void>;

export interface AdapterSuiteOptions {
  /** Shown as the outer group's title. */
  name: string;
  /** The runner's functions: `node:test` and Mocha both fit. */
  describe: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>) => unknown;
  beforeEach: (hook: Hook) => unknown;
  afterEach: (hook: Hook) => unknown;
  /** Called before every test for fresh storage. */
  setup(): Promise<SuiteContext>;
}

// Characters that break naive storage: astral emoji with joiners, CJK, right-to-left scripts
// and combining marks that normalisation would fold.
const UNICODE_SAMPLES = [
  'Family: 👩‍👩‍👧‍👦 and flags 🇪🇸🇺🇦, skin tone 👋🏽',
  '中文评论，日本語のコメント、한국어 댓글',
  'עברית וערבית: مرحبا بالعالم',
  'Combining: e\u0301 a\u0308 n\u0303 (not normalised) and precomposed é',
  'Mixed ← RTL \u202Eoverride\u202C stays as typed',
];

export function runAdapterSuite(options: AdapterSuiteOptions): void {
  const { describe, it, beforeEach, afterEach } = options;
  let context: SuiteContext | null = null;
  const cleanups: (() => void)[] = [];
  let counter = 0;

  beforeEach(async () => {
    context = await options.setup();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    const finished = context;
    context = null;
    await finished?.teardown?.();
  });

  function ctx(): SuiteContext {
    if (!context) throw new Error('setup() did not provide a suite context');
    return context;
  }
  /** Thread keys unique per test, so the suite can also run against long-lived storage. */
  function thread(label = 'thread'): string {
    counter += 1;
    return `/suite/${label}/${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  }
  function key(): string {
    counter += 1;
    return `suite-${counter}-${Math.random().toString(36).slice(2)}`;
  }
  async function reader(name: string, role?: Role): Promise<StorageAdapter> {
    const adapter = await ctx().connect(role ? { role } : {});
    await adapter.identify(name);
    return adapter;
  }
  async function post(adapter: StorageAdapter, threadKey: string, body: string, parentId?: string): Promise<Comment> {
    return adapter.createComment({ thread: threadKey, body, idempotencyKey: key(), ...(parentId ? { parentId } : {}) });
  }
  async function listAll(adapter: StorageAdapter, threadKey: string): Promise<Comment[]> {
    return (await adapter.listComments({ thread: threadKey, limit: adapter.capabilities.limits.maxPageSize })).comments;
  }
  async function pageThrough(
    adapter: StorageAdapter,
    threadKey: string,
    sort: 'oldest' | 'newest' | 'top',
    limit: number,
    between?: () => Promise<void>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page: Page = await adapter.listComments({ thread: threadKey, sort, limit, cursor });
      ok(page.comments.length <= limit, `a page of limit ${limit} had ${page.comments.length} comments`);
      seen.push(...page.comments.map((c) => c.id));
      if (page.nextCursor === null) return seen;
      equal(typeof page.nextCursor, 'string', 'nextCursor is a string or null');
      cursor = page.nextCursor;
      if (between) await between();
    }
    throw new Error('paging did not end after 100 pages');
  }

  describe(options.name, () => {
    describe('identity', () => {
      it('identify(name) gives the client a named reader identity it keeps', async () => {
        const adapter = await ctx().connect();
        const identity = await adapter.identify('Ada');
        equal(identity.name, 'Ada', 'identity name');
        equal(typeof identity.id, 'string', 'identity id type');
        ok(identity.id.length > 0, 'identity id is not empty');
        deepEqual(await adapter.getIdentity(), identity, 'getIdentity answers the same identity');
        const comment = await post(adapter, thread(), 'Hello');
        deepEqual(comment.author, { id: identity.id, name: 'Ada', role: identity.role }, 'comment author');
      });

      it('a nameless identity can report but not post until it is named', async () => {
        const threadKey = thread();
        const author = await reader('Author');
        const target = await post(author, threadKey, 'Worth reporting');
        const adapter = await ctx().connect();
        const nameless = await adapter.identify();
        equal(nameless.name, null, 'a nameless identity has name null');
        await rejectsWith(() => post(adapter, threadKey, 'Hi'), 'name_required', 'posting without a name');
        await adapter.reportComment(target.id, { reason: 'spam' });
        const named = await adapter.identify('Bo');
        equal(named.id, nameless.id, 'naming keeps the identity');
        equal(named.name, 'Bo', 'identify(name) names a nameless identity');
        const comment = await post(adapter, threadKey, 'Now I can post');
        equal(comment.author.name, 'Bo', 'the new comment carries the name');
        equal((await listAll(author, threadKey)).length, 2, 'both comments are listed');
      });

      it('two clients are two identities', async () => {
        const a = await reader('One');
        const b = await reader('Two');
        const [ia, ib] = [await a.getIdentity(), await b.getIdentity()];
        ok(ia && ib && ia.id !== ib.id, 'connect() gives a different identity');
      });

      it('rejects screen names that are too long or not text', async () => {
        const adapter = await ctx().connect();
        const max = adapter.capabilities.limits.maxNameLength;
        await rejectsWith(() => adapter.identify('n'.repeat(max + 1)), 'name_too_long', 'a name one over the limit');
        await rejectsWith(() => adapter.identify(42 as unknown as string), 'invalid_input', 'a number as name');
        const identity = await adapter.identify('😀'.repeat(max));
        equal(identity.name, '😀'.repeat(max), 'a name of exactly the limit in astral characters');
      });
    });

    describe('ordering', () => {
      it('lists oldest first and newest first', async () => {
        const adapter = await reader('Ada');
        const threadKey = thread();
        const ids: string[] = [];
        for (const body of ['first', 'second', 'third', 'fourth']) ids.push((await post(adapter, threadKey, body)).id);
        const oldest = await adapter.listComments({ thread: threadKey, sort: 'oldest' });
        deepEqual(oldest.comments.map((c) => c.id), ids, 'oldest order');
        equal(oldest.nextCursor, null, 'one page holds them all');
        const newest = await adapter.listComments({ thread: threadKey, sort: 'newest' });
        deepEqual(newest.comments.map((c) => c.id), [...ids].reverse(), 'newest order');
        const byDefault = await adapter.listComments({ thread: threadKey });
        deepEqual(byDefault.comments.map((c) => c.id), ids, 'oldest is the default');
      });

      it('lists top by replies, ties newest first', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const quiet = await post(ada, threadKey, 'no replies');
        const popular = await post(ada, threadKey, 'two replies');
        const middling = await post(ada, threadKey, 'one reply');
        const late = await post(ada, threadKey, 'no replies, later');
        await post(bo, threadKey, 'reply', popular.id);
        await post(bo, threadKey, 'reply', popular.id);
        await post(bo, threadKey, 'reply', middling.id);
        const top = await ada.listComments({ thread: threadKey, sort: 'top' });
        deepEqual(top.comments.map((c) => c.id), [popular.id, middling.id, late.id, quiet.id], 'top order');
      });

      it('an empty or unknown thread is an empty last page', async () => {
        const adapter = await ctx().connect();
        deepEqual(await adapter.listComments({ thread: thread('empty') }), { comments: [], nextCursor: null }, 'empty page');
      });
    });

    describe('paging', () => {
      it('keyset pages oldest first with no repeats and no gaps while another client posts', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await post(ada, threadKey, `comment ${i}`)).id);
        const added: string[] = [];
        const seen = await pageThrough(ada, threadKey, 'oldest', 2, async () => {
          added.push((await post(bo, threadKey, `written while paging ${added.length}`)).id);
        });
        equal(new Set(seen).size, seen.length, 'no comment appears twice');
        deepEqual(seen.slice(0, 5), ids, 'every earlier comment, in order');
        deepEqual(seen.slice(5), added, 'comments written meanwhile come after, none lost');
      });

      it('keyset pages newest first with no repeats while another client posts', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await post(ada, threadKey, `comment ${i}`)).id);
        const seen = await pageThrough(ada, threadKey, 'newest', 2, async () => {
          await post(bo, threadKey, 'newer than the first page');
        });
        deepEqual(seen, [...ids].reverse(), 'the pages hold exactly the earlier comments, newest first');
      });

      it('keyset pages top with every comment once', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await post(ada, threadKey, `comment ${i}`)).id);
        await post(ada, threadKey, 'reply', ids[2]);
        const seen = await pageThrough(ada, threadKey, 'top', 2);
        deepEqual(seen, [ids[2], ids[4], ids[3], ids[1], ids[0]], 'top order across pages');
      });

      it('honours every limit from 1 to maxPageSize', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        for (let i = 0; i < 3; i++) await post(ada, threadKey, `comment ${i}`);
        const max = ada.capabilities.limits.maxPageSize;
        ok(max >= 1, 'maxPageSize is at least 1');
        const one = await ada.listComments({ thread: threadKey, limit: 1 });
        equal(one.comments.length, 1, 'limit 1');
        ok(one.nextCursor !== null, 'limit 1 leaves more');
        equal((await ada.listComments({ thread: threadKey, limit: 3 })).nextCursor, null, 'an exact fit is the last page');
        equal((await ada.listComments({ thread: threadKey, limit: max })).comments.length, 3, 'limit maxPageSize');
      });

      it('rejects bad limits, sorts and cursors', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        await post(ada, threadKey, 'x');
        const max = ada.capabilities.limits.maxPageSize;
        for (const limit of [0, -1, max + 1, 2.5, Number.NaN]) {
          await rejectsWith(() => ada.listComments({ thread: threadKey, limit }), 'invalid_input', `limit ${String(limit)}`);
        }
        await rejectsWith(
          () => ada.listComments({ thread: threadKey, sort: 'random' as 'top' }),
          'invalid_input',
          'an unknown sort',
        );
        for (const cursor of ['not a cursor', '%%%', 'eyJub3QiOiJ0aGF0In0']) {
          await rejectsWith(() => ada.listComments({ thread: threadKey, cursor }), 'invalid_cursor', `cursor ${cursor}`);
        }
      });
    });

    describe('nesting', () => {
      it('nests replies under their parent, oldest first', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const root = await post(ada, threadKey, 'root');
        const first = await post(bo, threadKey, 'first reply', root.id);
        const second = await post(ada, threadKey, 'second reply', root.id);
        const nested = await post(ada, threadKey, 'reply to the first reply', first.id);
        equal(first.parentId, root.id, 'a reply names its parent');
        const [listed, ...rest] = await listAll(bo, threadKey);
        equal(rest.length, 0, 'replies are not top-level comments');
        ok(listed, 'the root is listed');
        deepEqual(listed.replies.map((c) => c.id), [first.id, second.id], 'replies oldest first');
        deepEqual(listed.replies[0]?.replies.map((c) => c.id), [nested.id], 'a reply to a reply nests again');
        equal(listed.replies[0]?.replies[0]?.parentId, first.id, 'nested parentId');
      });

      it('attaches replies beyond the depth cap at the deepest level', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const maxDepth = ada.capabilities.limits.maxDepth;
        const chain: Comment[] = [await post(ada, threadKey, 'depth 0')];
        for (let depth = 1; depth <= maxDepth; depth++) {
          chain.push(await post(ada, threadKey, `depth ${depth}`, chain[depth - 1]!.id));
        }
        const deepest = chain[maxDepth]!;
        const tooDeep = await post(ada, threadKey, 'one level too deep', deepest.id);
        equal(tooDeep.parentId, deepest.parentId, 'stored as a sibling of the deepest comment');
        let level = await listAll(ada, threadKey);
        for (let depth = 0; depth < maxDepth; depth++) level = level[0]!.replies;
        deepEqual(level.map((c) => c.id), [deepest.id, tooDeep.id], 'both sit at the deepest level');
        equal(level[0]!.replies.length, 0, 'nothing nests below the deepest level');
        if (ctx().raw) equal((await ctx().raw!.getComment(tooDeep.id))?.parentId, deepest.parentId ?? null, 'raw parentId');
      });

      it('refuses a reply to a comment that does not exist', async () => {
        const ada = await reader('Ada');
        await rejectsWith(() => post(ada, thread(), 'orphan', 'no-such-comment'), 'not_found', 'unknown parent');
      });
    });

    describe('edit', () => {
      it('lets the author edit and marks the comment edited', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const comment = await post(ada, threadKey, 'before');
        equal(comment.editedAt, null, 'a new comment is not edited');
        const edited = await ada.editComment(comment.id, 'after');
        equal(edited.body, 'after', 'the edit answers the new body');
        equal(edited.id, comment.id, 'same comment');
        ok(edited.editedAt !== null && Date.parse(edited.editedAt) >= Date.parse(comment.createdAt), 'editedAt is set');
        const [listed] = await listAll(ada, threadKey);
        equal(listed?.body, 'after', 'the listing shows the edit');
        equal(listed?.editedAt, edited.editedAt, 'the listing shows editedAt');
      });

      it('refuses edits by another identity', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const comment = await post(ada, threadKey, 'mine');
        await rejectsWith(() => bo.editComment(comment.id, 'yours now'), 'forbidden', 'another reader editing');
        equal((await listAll(ada, threadKey))[0]?.body, 'mine', 'the body is unchanged');
      });
    });

    describe('delete', () => {
      it('removes a comment without replies from the listing', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const keep = await post(ada, threadKey, 'keep');
        const gone = await post(ada, threadKey, 'delete me');
        await rejectsWith(() => bo.deleteComment(gone.id), 'forbidden', 'another reader deleting');
        const deleted = await ada.deleteComment(gone.id);
        equal(deleted.status, 'deleted', 'delete answers status deleted');
        deepEqual((await listAll(bo, threadKey)).map((c) => c.id), [keep.id], 'only the other comment is listed');
        equal((await bo.countComments([threadKey]))[threadKey], 1, 'the count drops');
      });

      it('keeps the place of a deleted comment that has replies, without its text', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const parent = await post(ada, threadKey, 'secret parent text');
        const reply = await post(bo, threadKey, 'a reply', parent.id);
        await ada.deleteComment(parent.id);
        const [listed] = await listAll(bo, threadKey);
        ok(listed, 'the deleted parent is still listed');
        equal(listed.id, parent.id, 'in its place');
        equal(listed.status, 'deleted', 'as deleted');
        equal(listed.body, '', 'with an empty body');
        deepEqual(listed.replies.map((c) => c.id), [reply.id], 'its replies stay under it');
        equal(listed.replies[0]?.body, 'a reply', 'the reply keeps its text');
        const raw = ctx().raw;
        if (raw) {
          const stored = await raw.getComment(parent.id);
          equal(stored?.status, 'deleted', 'stored as deleted');
          ok(!stored?.body.includes('secret'), 'the deleted text is not kept in storage');
        }
      });
    });

    describe('reports', () => {
      it('takes one report per identity per comment', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        const cy = await reader('Cy');
        const comment = await post(ada, threadKey, 'contested');
        await bo.reportComment(comment.id, { reason: 'spam', details: 'links to a shop' });
        await rejectsWith(() => bo.reportComment(comment.id, { reason: 'hate' }), 'already_reported', 'a second report');
        await cy.reportComment(comment.id, { reason: 'off-topic' });
      });

      it('rejects unknown reasons and unknown comments', async () => {
        const ada = await reader('Ada');
        const comment = await post(ada, thread(), 'x');
        const bo = await reader('Bo');
        await rejectsWith(
          () => bo.reportComment(comment.id, { reason: 'boring' as 'spam' }),
          'invalid_input',
          'an unknown reason',
        );
        await rejectsWith(() => bo.reportComment('no-such-comment', { reason: 'spam' }), 'not_found', 'unknown comment');
      });
    });

    describe('idempotent create', () => {
      it('answers a retried create with the first comment and stores one', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const input = { thread: threadKey, body: 'sent twice', idempotencyKey: key() };
        const first = await ada.createComment(input);
        const again = await ada.createComment({ ...input });
        equal(again.id, first.id, 'the same comment id');
        equal((await listAll(ada, threadKey)).length, 1, 'listed once');
        if (ctx().raw) equal(await ctx().raw!.countStored(threadKey), 1, 'one stored row');
        const other = await ada.createComment({ ...input, idempotencyKey: key() });
        ok(other.id !== first.id, 'a new key makes a new comment');
      });

      it('refuses a reused key with a different comment', async () => {
        const ada = await reader('Ada');
        const input = { thread: thread(), body: 'original', idempotencyKey: key() };
        await ada.createComment(input);
        await rejectsWith(
          () => ada.createComment({ ...input, body: 'something else' }),
          'idempotency_conflict',
          'same key, other body',
        );
      });
    });

    describe('counts', () => {
      it('counts visible comments per thread, 0 for unknown threads', async () => {
        const a = thread('a');
        const b = thread('b');
        const unknown = thread('unknown');
        const ada = await reader('Ada');
        const root = await post(ada, a, 'one');
        await post(ada, a, 'reply', root.id);
        const gone = await post(ada, a, 'deleted');
        await ada.deleteComment(gone.id);
        await post(ada, b, 'other thread');
        deepEqual(await ada.countComments([a, b, unknown]), { [a]: 2, [b]: 1, [unknown]: 0 }, 'counts');
        const reader2 = await ctx().connect();
        deepEqual(await reader2.countComments([b]), { [b]: 1 }, 'anyone can count');
      });
    });

    describe('text', () => {
      it('round-trips emoji, CJK, right-to-left text and combining marks exactly', async () => {
        const threadKey = thread();
        const adapter = await ctx().connect();
        const name = 'José 李 مريم e\u0301';
        await adapter.identify(name);
        const created: Comment[] = [];
        for (const body of UNICODE_SAMPLES) created.push(await post(adapter, threadKey, body));
        const listed = await listAll(adapter, threadKey);
        deepEqual(listed.map((c) => c.body), UNICODE_SAMPLES, 'bodies as typed');
        deepEqual(created.map((c) => c.body), UNICODE_SAMPLES, 'create answers bodies as typed');
        equal(listed[0]?.author.name, name, 'the name as typed');
        if (ctx().raw) equal((await ctx().raw!.getComment(created[3]!.id))?.body, UNICODE_SAMPLES[3], 'stored as typed');
      });

      it('accepts a body of exactly maxBodyLength code points and refuses one more', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const max = ada.capabilities.limits.maxBodyLength;
        const longest = '😀'.repeat(max);
        const comment = await post(ada, threadKey, longest);
        equal(comment.body, longest, 'the longest body is kept whole');
        await rejectsWith(() => post(ada, threadKey, `${longest}!`), 'body_too_long', 'one code point over');
        await rejectsWith(() => ada.editComment(comment.id, `${longest}!`), 'body_too_long', 'an edit one over');
      });

      it('returns copies that callers cannot use to change storage', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const comment = await post(ada, threadKey, 'original');
        comment.body = 'mutated';
        const page = await ada.listComments({ thread: threadKey });
        page.comments[0]!.body = 'mutated too';
        equal((await listAll(ada, threadKey))[0]?.body, 'original', 'storage is untouched');
      });
    });

    describe('errors', () => {
      it('answers unknown ids with not_found', async () => {
        const ada = await reader('Ada');
        await rejectsWith(() => ada.editComment('no-such-comment', 'x'), 'not_found', 'edit');
        await rejectsWith(() => ada.deleteComment('no-such-comment'), 'not_found', 'delete');
        await rejectsWith(() => ada.reportComment('no-such-comment', { reason: 'spam' }), 'not_found', 'report');
      });

      it('answers bad input types with invalid_input', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const comment = await post(ada, threadKey, 'x');
        const cases: [string, () => Promise<unknown>][] = [
          ['list without thread', () => ada.listComments({} as { thread: string })],
          ['list with a numeric thread', () => ada.listComments({ thread: 42 as unknown as string })],
          ['create with a numeric body', () => ada.createComment({ thread: threadKey, body: 42 as unknown as string, idempotencyKey: key() })],
          ['create with an empty body', () => ada.createComment({ thread: threadKey, body: '   ', idempotencyKey: key() })],
          ['create with an empty thread', () => ada.createComment({ thread: '', body: 'x', idempotencyKey: key() })],
          ['create with control characters', () => ada.createComment({ thread: threadKey, body: 'bell\u0007', idempotencyKey: key() })],
          ['edit with a numeric body', () => ada.editComment(comment.id, 42 as unknown as string)],
          ['report without a reason', () => ada.reportComment(comment.id, {} as { reason: 'spam' })],
          ['counts of a non-list', () => ada.countComments(42 as unknown as string[])],
        ];
        for (const [label, work] of cases) await rejectsWith(work, 'invalid_input', label);
      });

      it('rejects only with ColloquyError', async () => {
        const adapter = await ctx().connect();
        const attempts = [
          () => adapter.createComment(undefined as unknown as { thread: string; body: string; idempotencyKey: string }),
          () => adapter.listComments(null as unknown as { thread: string }),
          () => adapter.editComment(undefined as unknown as string, 'x'),
        ];
        for (const attempt of attempts) {
          try {
            await attempt();
            ok(false, 'a malformed call resolved');
          } catch (error) {
            ok(isColloquyError(error), `rejected with ${String(error)}`);
            ok(typeof error.code === 'string' && error.message.length > 0, 'with a code and a message');
          }
        }
      });
    });

    describe('roles', () => {
      it('a moderator may edit and delete anyone’s comment; without the role a client may not', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const comment = await post(ada, threadKey, 'needs moderating');
        const moderator = await reader('Mod', 'moderator');
        const identity = await moderator.getIdentity();
        if (identity?.role === 'moderator') {
          equal((await moderator.editComment(comment.id, 'moderated')).body, 'moderated', 'moderator edit');
          equal((await moderator.deleteComment(comment.id)).status, 'deleted', 'moderator delete');
        } else {
          // This adapter does not hand out roles on connect: the client is an ordinary reader.
          equal(identity?.role, 'reader', 'an identity without the moderator role is a reader');
          await rejectsWith(() => moderator.editComment(comment.id, 'x'), 'forbidden', 'edit without the role');
          await rejectsWith(() => moderator.deleteComment(comment.id), 'forbidden', 'delete without the role');
        }
      });
    });

    describe('live (when capabilities.live)', () => {
      it('delivers another client’s writes to a subscriber until it unsubscribes', async () => {
        const threadKey = thread();
        const ada = await reader('Ada');
        const bo = await reader('Bo');
        if (!ada.capabilities.live) {
          equal(ada.capabilities.live, false, 'this adapter declares no live updates');
          return;
        }
        ok(typeof ada.subscribe === 'function', 'live adapters have subscribe');
        const events: ThreadEvent[] = [];
        const otherThread: ThreadEvent[] = [];
        const unsubscribe = ada.subscribe!(threadKey, (event) => events.push(event));
        const unsubscribeOther = ada.subscribe!(thread('other'), (event) => otherThread.push(event));
        cleanups.push(unsubscribe, unsubscribeOther);
        // Give connection-based transports a moment to open before writing.
        await sleep(50);
        const comment = await post(bo, threadKey, 'live!');
        await eventually(() => events.some((e) => e.type === 'created'), 'the created event arrives');
        const created = events.find((e) => e.type === 'created')!;
        equal(created.comment.id, comment.id, 'for the new comment');
        equal(created.comment.body, 'live!', 'with its body');
        await bo.editComment(comment.id, 'live, edited');
        await eventually(() => events.some((e) => e.type === 'edited'), 'the edited event arrives');
        equal(events.find((e) => e.type === 'edited')!.comment.body, 'live, edited', 'edited body');
        await bo.deleteComment(comment.id);
        await eventually(() => events.some((e) => e.type === 'deleted'), 'the deleted event arrives');
        equal(otherThread.length, 0, 'events stay in their thread');
        unsubscribe();
        const before = events.length;
        await post(bo, threadKey, 'after unsubscribe');
        await sleep(300);
        equal(events.length, before, 'no events after unsubscribe');
      });
    });
  });
}
