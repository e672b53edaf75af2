// Rules R28–R30 and R33: text kept exactly as typed, lengths in code points, copies returned,
// and live events for adapters that declare them.
import type { Comment, ThreadEvent } from '@colloquy/core';
import { deepEqual, equal, eventually, ok, rejectsWith, sleep } from './check.js';
import type { Harness } from './harness.js';

// Characters that break naive storage: astral emoji with joiners, CJK, right-to-left scripts,
// combining marks that normalisation would fold, and whitespace that trimming would eat.
const UNICODE_SAMPLES = [
  'Family: 👩‍👩‍👧‍👦 and flags 🇪🇸🇺🇦, skin tone 👋🏽',
  '中文评论，日本語のコメント、한국어 댓글',
  'עברית וערבית: مرحبا بالعالم',
  'Combining: e\u0301 a\u0308 n\u0303 (not normalised) and precomposed é',
  'Mixed ← RTL \u202Eoverride\u202C stays as typed',
  '  indented code\n\n\tand a tab, then a blank line and trailing spaces  \n',
];

export function textAndLiveRules(h: Harness): void {
  h.describe('text', () => {
    h.it(['R28'], 'round-trips emoji, CJK, right-to-left text, combining marks and whitespace exactly', async () => {
      const threadKey = h.thread();
      const adapter = await h.ctx().connect();
      const name = 'José 李 مريم e\u0301';
      await adapter.identify(name);
      const created: Comment[] = [];
      for (const body of UNICODE_SAMPLES) created.push(await h.post(adapter, threadKey, body));
      const listed = await h.listAll(adapter, threadKey);
      deepEqual(listed.map((c) => c.body), UNICODE_SAMPLES, 'bodies as typed');
      deepEqual(created.map((c) => c.body), UNICODE_SAMPLES, 'create answers bodies as typed');
      equal(listed[0]?.author.name, name, 'the name as typed');
      const edited = await adapter.editComment(created[0]!.id, UNICODE_SAMPLES[3]!);
      equal(edited.body, UNICODE_SAMPLES[3], 'an edit answers the body as typed');
      const raw = h.ctx().raw;
      if (raw) equal((await raw.getComment(created[5]!.id))?.body, UNICODE_SAMPLES[5], 'stored as typed');
    });

    h.it(['R29'], 'accepts a body of exactly maxBodyLength code points and refuses one more', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const max = ada.capabilities.limits.maxBodyLength;
      const longest = '😀'.repeat(max);
      const comment = await h.post(ada, threadKey, longest);
      equal(comment.body, longest, 'the longest body is kept whole');
      await rejectsWith(() => h.post(ada, threadKey, `${longest}!`), 'body_too_long', 'one code point over');
      await rejectsWith(() => ada.editComment(comment.id, `${longest}!`), 'body_too_long', 'an edit one over');
      const edited = await ada.editComment(comment.id, `!${'😀'.repeat(max - 1)}`);
      equal(edited.body.length, 2 * max - 1, 'an edit of exactly the limit is kept whole');
    });

    h.it(['R30'], 'returns copies that callers cannot use to change storage', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const comment = await h.post(ada, threadKey, 'original');
      comment.body = 'mutated';
      const page = await ada.listComments({ thread: threadKey });
      page.comments[0]!.body = 'mutated too';
      page.comments[0]!.author.name = 'Mallory';
      const identity = await ada.getIdentity();
      if (identity) identity.name = 'Mallory';
      const [listed] = await h.listAll(ada, threadKey);
      equal(listed?.body, 'original', 'storage is untouched');
      equal(listed?.author.name, 'Ada', 'the author is untouched');
      equal((await ada.getIdentity())?.name, 'Ada', 'the identity is untouched');
    });
  });

  h.describe('live (when capabilities.live)', () => {
    h.it(['R33'], 'delivers another client’s writes to a subscriber until it unsubscribes', async () => {
      const threadKey = h.thread();
      const ada = await h.reader('Ada');
      const bo = await h.reader('Bo');
      if (!ada.capabilities.live) {
        equal(ada.capabilities.live, false, 'this adapter declares no live updates');
        return;
      }
      ok(typeof ada.subscribe === 'function', 'live adapters have subscribe');
      const events: ThreadEvent[] = [];
      const otherThread: ThreadEvent[] = [];
      const unsubscribe = ada.subscribe(threadKey, (event) => events.push(event));
      const unsubscribeOther = ada.subscribe(h.thread('other'), (event) => otherThread.push(event));
      h.cleanup(unsubscribe);
      h.cleanup(unsubscribeOther);
      // Give connection-based transports a moment to open before writing.
      await sleep(50);
      const comment = await h.post(bo, threadKey, 'live!');
      await eventually(() => events.some((e) => e.type === 'created'), 'the created event arrives');
      const created = events.find((e) => e.type === 'created')!;
      equal(created.comment.id, comment.id, 'for the new comment');
      equal(created.comment.body, 'live!', 'with its body');
      await bo.editComment(comment.id, 'live, edited');
      await eventually(() => events.some((e) => e.type === 'edited'), 'the edited event arrives');
      equal(events.find((e) => e.type === 'edited')!.comment.body, 'live, edited', 'edited body');
      await bo.deleteComment(comment.id);
      await eventually(() => events.some((e) => e.type === 'deleted'), 'the deleted event arrives');
      equal(events.find((e) => e.type === 'deleted')!.comment.id, comment.id, 'for the deleted comment');
      equal(otherThread.length, 0, 'events stay in their thread');
      unsubscribe();
      const before = events.length;
      await h.post(bo, threadKey, 'after unsubscribe');
      await sleep(300);
      equal(events.length, before, 'no events after unsubscribe');
    });
  });
}
