// Rules R1–R7, R31, R32: the shape of the contract (Promises, ColloquyError, capabilities),
// identities, and the errors malformed or unknown input must get.
import { isColloquyError, isErrorCode } from '@colloquy/core';
import type { Limits, StorageAdapter } from '@colloquy/core';
import { deepEqual, equal, ok, rejectsWith } from './check.js';
import type { Harness } from './harness.js';

const LIMIT_NAMES: readonly (keyof Limits)[] = [
  'maxBodyLength',
  'maxNameLength',
  'maxDetailsLength',
  'maxDepth',
  'maxPageSize',
  'editWindowSeconds',
];

/** Calls that are malformed in every way the type system would normally stop. */
function malformedCalls(adapter: StorageAdapter): [string, () => Promise<unknown>][] {
  const nothing = undefined as never;
  return [
    ['identify(42)', () => adapter.identify(42 as unknown as string)],
    ['listComments(null)', () => adapter.listComments(null as never)],
    ['createComment(undefined)', () => adapter.createComment(nothing)],
    ['editComment(undefined)', () => adapter.editComment(nothing, 'x')],
    ['deleteComment(undefined)', () => adapter.deleteComment(nothing)],
    ['reportComment(undefined)', () => adapter.reportComment(nothing, { reason: 'spam' })],
    ['countComments(42)', () => adapter.countComments(42 as never)],
  ];
}

export function contractRules(h: Harness): void {
  h.describe('contract', () => {
    h.it(['R1'], 'every method answers a Promise, even for malformed input', async () => {
      const adapter = await h.ctx().connect();
      const calls: [string, () => Promise<unknown>][] = [
        ['getIdentity()', () => adapter.getIdentity()],
        ...malformedCalls(adapter),
      ];
      for (const [label, call] of calls) {
        let answer: unknown;
        let thrown: unknown = null;
        try {
          answer = call();
        } catch (error) {
          thrown = error;
        }
        ok(thrown === null, `${label} threw synchronously instead of rejecting: ${String(thrown)}`);
        ok(answer instanceof Promise, `${label} did not answer a Promise`);
        await answer.catch(() => undefined);
      }
    });

    h.it(['R2'], 'rejects only with ColloquyError, with a known code and a message', async () => {
      const adapter = await h.ctx().connect();
      for (const [label, call] of malformedCalls(adapter)) {
        try {
          await call();
          ok(false, `${label} resolved`);
        } catch (error) {
          ok(isColloquyError(error), `${label} rejected with ${String(error)}`);
          ok(isErrorCode(error.code), `${label}: ${String(error.code)} is not a code of ERROR_STATUS`);
          ok(typeof error.message === 'string' && error.message.length > 0, `${label}: the error has a message`);
        }
      }
    });

    h.it(['R3'], 'declares its capabilities: live, complete limits, and subscribe when live', async () => {
      const adapter = await h.ctx().connect();
      const { live, limits } = adapter.capabilities;
      equal(typeof live, 'boolean', 'capabilities.live is a boolean');
      for (const name of LIMIT_NAMES) {
        const value = limits[name];
        ok(Number.isInteger(value) && value >= (name === 'maxDepth' ? 0 : 1), `limits.${name} is ${String(value)}`);
      }
      if (live) ok(typeof adapter.subscribe === 'function', 'a live adapter has subscribe');
    });
  });

  h.describe('identity', () => {
    h.it(['R4', 'R15'], 'identify(name) gives the client a named reader identity it keeps', async () => {
      const adapter = await h.ctx().connect();
      equal(await adapter.getIdentity(), null, 'a new client has no identity before identify');
      const identity = await adapter.identify('Ada');
      equal(identity.name, 'Ada', 'identity name');
      equal(typeof identity.id, 'string', 'identity id type');
      ok(identity.id.length > 0, 'identity id is not empty');
      deepEqual(await adapter.getIdentity(), identity, 'getIdentity answers the same identity');
      const comment = await h.post(adapter, h.thread(), 'Hello');
      deepEqual(comment.author, { id: identity.id, name: 'Ada', role: identity.role }, 'comment author');
    });

    h.it(['R5'], 'a nameless identity can report but not post until it is named, and then keeps its name', async () => {
      const threadKey = h.thread();
      const author = await h.reader('Author');
      const target = await h.post(author, threadKey, 'Worth reporting');
      const adapter = await h.ctx().connect();
      const nameless = await adapter.identify();
      equal(nameless.name, null, 'a nameless identity has name null');
      await rejectsWith(() => h.post(adapter, threadKey, 'Hi'), 'name_required', 'posting without a name');
      await adapter.reportComment(target.id, { reason: 'spam' });
      const named = await adapter.identify('Bo');
      equal(named.id, nameless.id, 'naming keeps the identity');
      equal(named.name, 'Bo', 'identify(name) names a nameless identity');
      const comment = await h.post(adapter, threadKey, 'Now I can post');
      equal(comment.author.name, 'Bo', 'the new comment carries the name');
      equal((await h.listAll(author, threadKey)).length, 2, 'both comments are listed');
      const again = await adapter.identify('Someone else');
      equal(again.id, named.id, 'identify again keeps the identity');
      equal(again.name, 'Bo', 'a named identity keeps its name');
    });

    h.it(['R6'], 'two clients are two identities', async () => {
      const a = await h.reader('One');
      const b = await h.reader('Two');
      const [ia, ib] = [await a.getIdentity(), await b.getIdentity()];
      ok(ia && ib && ia.id !== ib.id, 'connect() gives a different identity');
      equal(ia.name, 'One', 'the first client keeps its own name');
    });

    h.it(['R7'], 'rejects screen names that are too long or not text', async () => {
      const adapter = await h.ctx().connect();
      const max = adapter.capabilities.limits.maxNameLength;
      await rejectsWith(() => adapter.identify('n'.repeat(max + 1)), 'name_too_long', 'a name one over the limit');
      await rejectsWith(() => adapter.identify(42 as unknown as string), 'invalid_input', 'a number as name');
      const identity = await adapter.identify('😀'.repeat(max));
      equal(identity.name, '😀'.repeat(max), 'a name of exactly the limit in astral characters');
    });
  });

  h.describe('errors', () => {
    h.it(['R31'], 'answers unknown ids with not_found', async () => {
      const ada = await h.reader('Ada');
      await rejectsWith(() => ada.editComment('no-such-comment', 'x'), 'not_found', 'edit');
      await rejectsWith(() => ada.deleteComment('no-such-comment'), 'not_found', 'delete');
      await rejectsWith(() => ada.reportComment('no-such-comment', { reason: 'spam' }), 'not_found', 'report');
    });

    h.it(['R32'], 'answers bad input types with invalid_input', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, threadKey, 'x');
      const key = h.key;
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
  });
}
