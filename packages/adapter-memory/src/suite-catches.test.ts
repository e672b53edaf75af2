// The conformance suite is only worth running if it fails adapters that break the rules. For
// every rule of ADAPTER_RULES, one or more mutants (the memory adapter with exactly that rule
// broken) must fail at least one suite test tagged with that rule's id; the memory adapter as
// it is must pass every test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ColloquyError, DEFAULT_LIMITS, REPORT_REASONS } from '@colloquy/core';
import type { Comment, Page, Role, StorageAdapter } from '@colloquy/core';
import { ADAPTER_RULES } from '@colloquy/adapter-test-suite';
import { createMemoryAdapter } from './index.js';
import type { IdentityHolder } from './index.js';
import { PIN_MUTANTS } from './pin-mutants.test-support.js';
import { createWorld, failingTests, honestContext, mutantContext, wrappedContext, type Mutant } from './suite-world.test-support.js';
import { HELPFUL_MUTANTS, mapTree } from './mutants-helpful.test-support.js';
import { PREVIEW_MUTANTS, previewing } from './preview-mutants.test-support.js';

const reject = (code: ColloquyError['code'], message: string) => Promise.reject(new ColloquyError(code, message));
const isQuery = (query: unknown): query is Record<string, unknown> => typeof query === 'object' && query !== null;

const MUTANTS: Mutant[] = [
  ...PIN_MUTANTS,
  {
    rule: 'R1',
    breaks: 'throws synchronously on a malformed id',
    adapter: (a) => ({
      ...a,
      editComment(id, body) {
        if (typeof id !== 'string') throw new ColloquyError('invalid_input', 'The id must be a string.');
        return a.editComment(id, body);
      },
    }),
  },
  {
    rule: 'R2',
    breaks: 'rejects deletes with a plain Error',
    adapter: (a) => ({ ...a, deleteComment: (id) => a.deleteComment(id).catch((e: Error) => Promise.reject(new Error(e.message))) }),
  },
  {
    rule: 'R3',
    breaks: 'declares live updates but has no subscribe',
    adapter: (a) => {
      const copy: StorageAdapter = { ...a };
      delete copy.subscribe;
      return copy;
    },
  },
  {
    rule: 'R4',
    breaks: 'makes an identity when asked which one it has',
    adapter: (a) => ({ ...a, getIdentity: async () => (await a.getIdentity()) ?? a.identify() }),
  },
  {
    rule: 'R5',
    breaks: 'posts as "Anonymous" when the identity has no name',
    adapter: (a) => ({
      ...a,
      async createComment(input) {
        if ((await a.getIdentity())?.name === null) await a.identify('Anonymous');
        return a.createComment(input);
      },
    }),
  },
  {
    rule: 'R5',
    breaks: 'answers identify(name) with the new name though the identity keeps its old one',
    adapter: (a) => ({
      ...a,
      async identify(name) {
        const identity = await a.identify(name);
        return name === undefined ? identity : { ...identity, name };
      },
    }),
  },
  {
    rule: 'R6',
    breaks: 'every client shares one identity',
    context() {
      const world = createWorld();
      let shared: string | null = null;
      const holder: IdentityHolder = { get: () => shared, set: (id) => void (shared = id) };
      return { ...honestContext(world), connect: () => createMemoryAdapter({ store: world.store, identityHolder: holder }) };
    },
  },
  {
    rule: 'R7',
    breaks: 'measures names in UTF-16 units',
    adapter: (a) => ({
      ...a,
      identify: (name) =>
        typeof name === 'string' && name.length > a.capabilities.limits.maxNameLength
          ? reject('name_too_long', 'That name is too long.')
          : a.identify(name),
    }),
  },
  {
    rule: 'R8',
    breaks: 'lists newest first by default',
    adapter: (a) => ({ ...a, listComments: (q) => a.listComments(isQuery(q) ? { ...q, sort: q.sort ?? 'newest' } : q) }),
  },
  {
    rule: 'R9',
    breaks: 'ranks top by age alone',
    adapter: (a) => ({ ...a, listComments: (q) => a.listComments(isQuery(q) && q.sort === 'top' ? { ...q, sort: 'newest' } : q) }),
  },
  {
    rule: 'R10',
    breaks: 'lists replies newest first',
    adapter: (a) => ({
      ...a,
      listComments: async (q) => {
        const page = await a.listComments(q);
        return { ...page, comments: page.comments.map((c) => ({ ...c, replies: mapTree([...c.replies].reverse(), (r) => ({ ...r, replies: [...r.replies].reverse() })) })) };
      },
    }),
  },
  {
    rule: 'R11',
    breaks: 'answers an unknown thread with not_found',
    adapter: (a) => ({
      ...a,
      listComments: async (q) => {
        const page = await a.listComments(q);
        return page.comments.length === 0 && !q.cursor ? reject('not_found', 'No such thread.') : page;
      },
    }),
  },
  {
    rule: 'R12',
    breaks: 'pages by offset',
    adapter: (a) => ({
      ...a,
      async listComments(query) {
        const all = await a.listComments({ ...query, cursor: null, limit: 100 });
        const offset = query.cursor ? Number(query.cursor) : 0;
        const limit = query.limit ?? 20;
        const comments = all.comments.slice(offset, offset + limit);
        return { comments, nextCursor: offset + limit < all.comments.length ? String(offset + limit) : null, closed: all.closed };
      },
    }),
  },
  {
    rule: 'R13',
    breaks: 'pages by 10 by default',
    adapter: (a) => ({ ...a, listComments: (q) => a.listComments(isQuery(q) ? { ...q, limit: q.limit ?? 10 } : q) }),
  },
  {
    rule: 'R13',
    breaks: 'gives a full last page a cursor to an empty one',
    adapter: (a) => ({
      ...a,
      async listComments(query) {
        const page = await a.listComments(query);
        const limit = query.limit ?? 20;
        if (page.nextCursor !== null || page.comments.length !== limit || limit < 2) return page;
        return { ...page, nextCursor: (await a.listComments({ ...query, limit: limit - 1 })).nextCursor };
      },
    }),
  },
  {
    rule: 'R14',
    breaks: 'starts over on a cursor it cannot read',
    adapter: (a) => ({
      ...a,
      listComments: (q) => a.listComments(q).catch((e: ColloquyError) => (e.code === 'invalid_cursor' ? a.listComments({ ...q, cursor: null }) : Promise.reject(e))),
    }),
  },
  {
    rule: 'R15',
    breaks: 'answers a new comment as already edited',
    adapter: (a) => ({ ...a, createComment: async (input) => ({ ...(await a.createComment(input)), editedAt: new Date().toISOString() }) }),
  },
  {
    rule: 'R16',
    breaks: 'ignores idempotency keys',
    adapter: (a) => ({ ...a, createComment: (input) => a.createComment({ ...input, idempotencyKey: Math.random().toString(36) }) }),
  },
  {
    rule: 'R16',
    breaks: 'makes a new comment when a key is reused for another body',
    adapter: (a) => ({
      ...a,
      createComment: (input) =>
        a.createComment(input).catch((e: ColloquyError) =>
          e.code === 'idempotency_conflict' ? a.createComment({ ...input, idempotencyKey: `${input.idempotencyKey}-2` }) : Promise.reject(e),
        ),
    }),
  },
  {
    rule: 'R17',
    breaks: 'declares a depth cap of 3 but nests to 5',
    adapter: (a) => ({ ...a, capabilities: { ...a.capabilities, limits: { ...a.capabilities.limits, maxDepth: 3 } } }),
  },
  {
    rule: 'R37',
    breaks: 'keeps only the parent it stored a too-deep reply under',
    adapter: (a) => ({
      ...a,
      createComment: async (input) => ({ ...(await a.createComment(input)), replyTo: null }),
      listComments: async (q) => {
        const page = await a.listComments(q);
        return { ...page, comments: mapTree(page.comments, (c) => ({ ...c, replyTo: null })) };
      },
    }),
  },
  {
    rule: 'R37',
    breaks: 'still names the author of a deleted comment answered',
    adapter: (a, world) => ({
      ...a,
      listComments: async (q) => {
        const page = await a.listComments(q);
        const nameOf = (id: string) => world.store.getIdentity(world.store.raw.getComment(id)?.authorId ?? '')?.name ?? null;
        return { ...page, comments: mapTree(page.comments, (c) => (c.replyTo ? { ...c, replyTo: { id: c.replyTo.id, name: nameOf(c.replyTo.id) } } : c)) };
      },
    }),
  },
  {
    rule: 'R18',
    breaks: 'posts a reply to a missing comment at the top level',
    adapter: (a) => ({
      ...a,
      createComment: (input) =>
        a.createComment(input).catch((e: ColloquyError) => (e.code === 'not_found' ? a.createComment({ ...input, parentId: null }) : Promise.reject(e))),
    }),
  },
  {
    rule: 'R19',
    breaks: 'forgets editedAt',
    adapter: (a) => ({
      ...a,
      editComment: async (id, body) => ({ ...(await a.editComment(id, body)), editedAt: null }),
      listComments: async (q) => {
        const page: Page = await a.listComments(q);
        return { ...page, comments: mapTree(page.comments, (c) => ({ ...c, editedAt: null })) };
      },
    }),
  },
  {
    rule: 'R20',
    breaks: 'treats every client as a moderator',
    context() {
      const world = createWorld();
      return { ...honestContext(world), connect: () => createMemoryAdapter({ store: world.store, role: 'moderator' }) };
    },
  },
  {
    rule: 'R21',
    breaks: 'declares a 15-minute edit window but never closes it',
    context() {
      const world = createWorld({ editWindowSeconds: 10 ** 9 });
      return {
        ...honestContext(world),
        connect: () => {
          const adapter = createMemoryAdapter({ store: world.store });
          return { ...adapter, capabilities: { ...adapter.capabilities, limits: { ...adapter.capabilities.limits, editWindowSeconds: DEFAULT_LIMITS.editWindowSeconds } } };
        },
      };
    },
  },
  {
    rule: 'R22',
    breaks: 'reports the moderator role without granting its rights',
    context() {
      const world = createWorld();
      return {
        ...honestContext(world),
        connect: (options) => {
          const adapter = createMemoryAdapter({ store: world.store });
          const role: Role = options?.role ?? 'reader';
          return { ...adapter, getIdentity: async () => {
            const identity = await adapter.getIdentity();
            return identity && { ...identity, role };
          } };
        },
      };
    },
  },
  {
    rule: 'R23',
    breaks: 'deletes by blanking the body, leaving the comment listed',
    adapter: (a) => ({ ...a, deleteComment: async (id) => ({ ...(await a.editComment(id, '[deleted]')), status: 'deleted' }) }),
  },
  {
    rule: 'R24',
    breaks: 'shows the author of a deleted comment',
    adapter: (a, world) => ({
      ...a,
      listComments: async (q) => {
        const page = await a.listComments(q);
        const author = (c: Comment) => world.store.getIdentity(world.store.raw.getComment(c.id)?.authorId ?? '');
        return { ...page, comments: mapTree(page.comments, (c) => (c.status === 'deleted' ? { ...c, author: { id: author(c)!.id, name: author(c)!.name ?? '', role: author(c)!.role } } : c)) };
      },
    }),
  },
  {
    rule: 'R24',
    breaks: 'keeps the text of deleted comments in a trash table',
    context() {
      const world = createWorld();
      const trash = new Map<string, string>();
      return {
        ...honestContext(world),
        connect: (options) => {
          const adapter = createMemoryAdapter({ store: world.store, ...(options?.role ? { role: options.role } : {}) });
          return {
            ...adapter,
            async deleteComment(id) {
              const body = world.store.raw.getComment(id)?.body;
              const deleted = await adapter.deleteComment(id);
              if (body !== undefined) trash.set(id, body);
              return deleted;
            },
          };
        },
        raw: {
          getComment: (id) => {
            const stored = world.store.raw.getComment(id);
            return stored && { ...stored, body: trash.get(id) ?? stored.body };
          },
          countStored: (thread) => world.store.raw.countStored(thread),
        },
      };
    },
  },
  {
    rule: 'R25',
    breaks: 'takes a second report silently',
    adapter: (a) => ({
      ...a,
      reportComment: (id, report) => a.reportComment(id, report).catch((e: ColloquyError) => (e.code === 'already_reported' ? undefined : Promise.reject(e))),
    }),
  },
  {
    rule: 'R26',
    breaks: 'files a report with an unknown reason as "other"',
    adapter: (a) => ({
      ...a,
      reportComment: (id, report) => a.reportComment(id, REPORT_REASONS.includes(report?.reason) ? report : { ...report, reason: 'other' }),
    }),
  },
  {
    rule: 'R27',
    breaks: 'leaves unknown threads out of the counts',
    adapter: (a) => ({
      ...a,
      countComments: async (threads) => Object.fromEntries(Object.entries(await a.countComments(threads)).filter(([, n]) => n > 0)),
    }),
  },
  {
    rule: 'R28',
    breaks: 'normalises bodies to NFC',
    adapter: (a) => ({ ...a, createComment: (input) => a.createComment({ ...input, body: input.body.normalize('NFC') }) }),
  },
  {
    rule: 'R28',
    breaks: 'trims bodies',
    adapter: (a) => ({ ...a, createComment: (input) => a.createComment({ ...input, body: input.body.trim() }) }),
  },
  {
    rule: 'R29',
    breaks: 'measures bodies in UTF-16 units',
    adapter: (a) => ({
      ...a,
      createComment: (input) =>
        input.body.length > a.capabilities.limits.maxBodyLength ? reject('body_too_long', 'Too long.') : a.createComment(input),
    }),
  },
  {
    rule: 'R30',
    breaks: 'hands out its cached comment objects',
    adapter: (a) => {
      const cache = new Map<string, Comment>();
      const keep = (c: Comment): Comment => cache.get(c.id) ?? (cache.set(c.id, c), c);
      return {
        ...a,
        createComment: async (input) => keep(await a.createComment(input)),
        listComments: async (q) => {
          const page = await a.listComments(q);
          return { ...page, comments: page.comments.map(keep) };
        },
      };
    },
  },
  {
    rule: 'R31',
    breaks: 'answers an edit of an unknown id with forbidden',
    adapter: (a) => ({
      ...a,
      editComment: (id, body) => a.editComment(id, body).catch((e: ColloquyError) => (e.code === 'not_found' ? reject('forbidden', 'Not yours.') : Promise.reject(e))),
    }),
  },
  {
    rule: 'R32',
    breaks: 'counts nothing for a non-list instead of refusing it',
    adapter: (a) => ({ ...a, countComments: (threads) => (Array.isArray(threads) ? a.countComments(threads) : Promise.resolve({})) }),
  },
  {
    rule: 'R33',
    breaks: 'cannot unsubscribe',
    adapter: (a) => ({
      ...a,
      subscribe(thread, listener) {
        a.subscribe(thread, listener);
        return () => undefined;
      },
    }),
  },
  {
    rule: 'R34',
    breaks: 'keeps a trailing slash, so `/post/` and `/post` are two threads',
    adapter: (a) => {
      const keepSlash = <T extends { thread: string }>(x: T): T => ({ ...x, thread: x.thread.endsWith('/') ? `${x.thread}\u2060` : x.thread });
      return { ...a, createComment: (input) => a.createComment(keepSlash(input)), listComments: (q) => a.listComments(keepSlash(q)) };
    },
  },
  {
    rule: 'R35',
    breaks: 'ignores closing: a closed thread takes comments',
    context: () => ({ ...honestContext(createWorld()), setThreadClosed: () => undefined }),
  },
  {
    rule: 'R35',
    breaks: 'refuses comments in a closed thread but lists it as open',
    adapter: (a) => ({ ...a, listComments: async (q) => ({ ...(await a.listComments(q)), closed: false }) }),
  },
  {
    rule: 'R36',
    breaks: 'lets the author edit in a closed thread',
    adapter: (a, world) => ({
      ...a,
      async editComment(id, body) {
        const thread = typeof id === 'string' ? world.store.raw.getComment(id)?.thread : undefined;
        if (!thread || !world.store.list(null, { thread }).closed) return a.editComment(id, body);
        world.store.setThreadClosed(thread, false);
        try {
          return await a.editComment(id, body);
        } finally {
          world.store.setThreadClosed(thread, true);
        }
      },
    }),
  },
  ...HELPFUL_MUTANTS,
  ...PREVIEW_MUTANTS,
];

describe('the conformance suite', () => {
  it('passes the memory adapter as it is', async () => {
    assert.deepEqual(await failingTests(() => honestContext(createWorld())), []);
  });

  it('passes the memory adapter with comments rendered and previewed by one renderer (R47 runs)', async () => {
    assert.deepEqual(await failingTests(() => wrappedContext((a) => previewing(a))), []);
  });

  it('has at least one mutant for every rule', () => {
    const covered = new Set(MUTANTS.map((mutant) => mutant.rule));
    assert.deepEqual(ADAPTER_RULES.map((rule) => rule.id).filter((id) => !covered.has(id)), []);
  });

  for (const mutant of MUTANTS) {
    it(`fails a ${mutant.rule} mutant that ${mutant.breaks}`, async () => {
      const failed = await failingTests(() => mutantContext(mutant), mutant.rule);
      assert.ok(failed.length > 0, `no ${mutant.rule} test failed the adapter that ${mutant.breaks}`);
    });
  }
});
