import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATABASES } from '../test-support.js';
import { createStore, type Store } from './index.js';

for (const { name, make } of DATABASES) {
  describe(`the durable outbox on ${name}`, () => {
    async function open(database = make(), clock = { t: 1_700_000_000_000 }) {
      const options = { now: () => clock.t, ...(database.schema ? { schema: database.schema } : {}) };
      const store = await createStore(database.url, options);
      return { database, clock, store, another: () => createStore(database.url, options) };
    }

    test('several workers claiming at once take each job exactly once', async () => {
      const { database, store, another } = await open();
      const second = await another();
      try {
        const jobs = Array.from({ length: 60 }, (_, i) => ({ kind: 'mail' as const, payload: { n: i } }));
        assert.equal(await store.enqueueOutbox(jobs), 60);
        const taken: string[][] = [[], [], [], []];
        const stores = [store, second, store, second];
        await Promise.all(
          stores.map(async (s, w) => {
            for (;;) {
              const claimed = await s.claimOutbox(`w${w}`, 5, 60_000);
              if (claimed.length === 0) return;
              taken[w]!.push(...claimed.map((j) => j.id));
              for (const job of claimed) assert.equal(await s.completeOutbox(job, `w${w}`), true);
            }
          }),
        );
        const all = taken.flat();
        assert.equal(all.length, 60);
        assert.equal(new Set(all).size, 60, 'a job was claimed twice');
        assert.deepEqual(await store.outboxCounts(), { pending: 0, done: 60, failed: 0, cancelled: 0 });
      } finally {
        await second.close();
        await store.close();
        await database.cleanup();
      }
    });

    test('a claim whose lease ran out is taken again, and the late worker can no longer finish it', async () => {
      const { database, clock, store } = await open();
      try {
        await store.enqueueOutbox({ kind: 'webhook', payload: { x: 1 } });
        const [job] = await store.claimOutbox('dead', 10, 1_000);
        assert.ok(job);
        assert.equal(job.attempts, 1);
        assert.deepEqual(await store.claimOutbox('other', 10, 1_000), [], 'held while the lease lasts');
        assert.equal(await store.nextOutboxDue(), clock.t + 1_000, 'due again when the lease ends');
        clock.t += 1_001;
        const [again] = await store.claimOutbox('other', 10, 1_000);
        assert.equal(again?.id, job.id);
        assert.equal(again?.attempts, 2);
        // The first worker comes back: its work is not kept.
        let ran = false;
        assert.equal(
          await store.completeOutbox(job, 'dead', async (tx) => {
            ran = true;
            await store.enqueueOutbox({ kind: 'mail', payload: { from: 'dead' } }, tx);
          }),
          false,
        );
        assert.ok(ran);
        assert.equal(await store.retryOutbox(job, 'dead', clock.t, 'late'), false);
        assert.deepEqual(await store.outboxCounts('mail'), { pending: 0, done: 0, failed: 0, cancelled: 0 }, 'the late worker’s next job was rolled back');
        assert.equal(await store.completeOutbox(again!, 'other'), true);
      } finally {
        await store.close();
        await database.cleanup();
      }
    });

    test('a retry waits until its time; abandoning ends the job', async () => {
      const { database, clock, store } = await open();
      try {
        await store.enqueueOutbox({ kind: 'mail', payload: {} });
        const [job] = await store.claimOutbox('w', 1, 60_000);
        assert.equal(await store.retryOutbox(job!, 'w', clock.t + 5_000, 'connection refused'), true);
        assert.deepEqual(await store.claimOutbox('w', 1, 60_000), []);
        clock.t += 5_000;
        const [second] = await store.claimOutbox('w', 1, 60_000);
        assert.equal(second?.attempts, 2);
        assert.equal(await store.abandonOutbox(second!, 'w', 'failed', '550 no such user'), true);
        assert.deepEqual(await store.outboxCounts(), { pending: 0, done: 0, failed: 1, cancelled: 0 });
        assert.equal(await store.nextOutboxDue(), null);
      } finally {
        await store.close();
        await database.cleanup();
      }
    });

    test('a dedupe key makes an enqueue once-only; a pending: key only while its job waits', async () => {
      const { database, store } = await open();
      try {
        assert.equal(await store.enqueueOutbox({ kind: 'reply', payload: {}, dedupeKey: 'reply:c1' }), 1);
        assert.equal(await store.enqueueOutbox({ kind: 'reply', payload: {}, dedupeKey: 'reply:c1' }), 0);
        assert.equal(await store.enqueueOutbox({ kind: 'notify', payload: {}, dedupeKey: 'pending:notify:i1' }), 1);
        assert.equal(await store.enqueueOutbox({ kind: 'notify', payload: {}, dedupeKey: 'pending:notify:i1' }), 0);
        for (const job of await store.claimOutbox('w', 10, 60_000)) await store.completeOutbox(job, 'w');
        assert.equal(await store.enqueueOutbox({ kind: 'reply', payload: {}, dedupeKey: 'reply:c1' }), 0, 'a reply notifies once ever');
        assert.equal(await store.enqueueOutbox({ kind: 'notify', payload: {}, dedupeKey: 'pending:notify:i1' }), 1, 'the next message may wait');
      } finally {
        await store.close();
        await database.cleanup();
      }
    });

    test('a comment queues its notification job (whom it answers, the thread’s followers) when it becomes visible, once', async () => {
      const { database, store } = await open();
      const replyJobs = async (s: Store) => (await s.db.all<{ payload: string }>(`SELECT payload FROM outbox WHERE kind = 'reply' ORDER BY id`)).map((r) => JSON.parse(r.payload));
      try {
        const a = await store.createIdentity({ name: 'A', tokenHash: 'ha' });
        const b = await store.createIdentity({ name: 'B', tokenHash: 'hb' });
        const mod = await store.createIdentity({ name: 'M', tokenHash: 'hm', role: 'moderator' });
        const base = { thread: '/t', html: '<p>x</p>', requestHash: 'h', maxDepth: 5 };
        const top = (await store.createComment({ ...base, parentId: null, body: 'top', authorId: a.id, status: 'visible' })).comment;
        assert.deepEqual(await replyJobs(store), [{ commentId: top.id, repliedTo: null }], 'a top-level comment answers nobody; its job tells the followers');
        const visible = (await store.createComment({ ...base, parentId: top.id, body: 'hi', authorId: b.id, status: 'visible' })).comment;
        const held = (await store.createComment({ ...base, parentId: top.id, body: 'held', authorId: b.id, status: 'held' })).comment;
        assert.deepEqual(await replyJobs(store), [{ commentId: top.id, repliedTo: null }, { commentId: visible.id, repliedTo: top.id }], 'a held reply notifies nobody yet');
        await store.moderate({ commentId: held.id, moderatorId: mod.id, action: 'approve', reason: null });
        await store.moderate({ commentId: held.id, moderatorId: mod.id, action: 'hide', reason: null });
        await store.moderate({ commentId: held.id, moderatorId: mod.id, action: 'restore', reason: null });
        assert.deepEqual(await replyJobs(store), [
          { commentId: top.id, repliedTo: null },
          { commentId: visible.id, repliedTo: top.id },
          { commentId: held.id, repliedTo: top.id },
        ]);
      } finally {
        await store.close();
        await database.cleanup();
      }
    });
  });
}
