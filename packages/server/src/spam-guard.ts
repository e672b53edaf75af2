import { createSpamFilter, SpamFilter, type SpamFilterOptions } from '@colloquy/spam';
import type { IdentityRecord, Store } from './store/index.js';

export interface SpamGuard {
  /** Reasons to hold a new comment, or an empty list to publish it. */
  check(input: { body: string; thread: string; author: IdentityRecord }): Promise<string[]>;
  /** Teaches the filter a moderator's decision and saves the model. */
  learn(body: string, authorName: string | null, label: 'spam' | 'ham'): Promise<void>;
  /** Picks up what other processes have taught (PostgreSQL). */
  reload(): Promise<void>;
}

/**
 * The server's use of `@colloquy/spam`: rules from the start, the learned filter once moderators
 * have made enough decisions. The model lives in the store. Learning reads the stored model,
 * adds the decision and writes it back, one decision at a time in this process; two processes
 * deciding in the same instant may lose one decision, which only delays the learning slightly.
 * A failure of the filter never stops a comment: it is published and can still be reported.
 */
export async function createSpamGuard(
  store: Store,
  options: { now: () => number; trustedHosts: string[]; onError: (error: unknown) => void },
): Promise<SpamGuard> {
  const filterOptions: Omit<SpamFilterOptions, 'model'> = { heuristics: { trustedHosts: options.trustedHosts } };
  const load = async (): Promise<SpamFilter> => {
    const saved = await store.loadSpamModel();
    if (!saved) return createSpamFilter(filterOptions);
    try {
      return SpamFilter.fromJSON(saved, filterOptions);
    } catch (error) {
      options.onError(error);
      return createSpamFilter(filterOptions);
    }
  };
  let filter = await load();
  let learning: Promise<void> = Promise.resolve();

  return {
    async check({ body, thread, author }) {
      try {
        const activity = await store.authorActivity(author.id);
        const verdict = filter.classify({
          body,
          ...(author.name ? { authorName: author.name } : {}),
          identityAgeSeconds: Math.max(0, Math.floor((options.now() - Date.parse(author.createdAt)) / 1000)),
          identityCommentCount: activity.commentCount,
          recentBodies: activity.recent.filter((r) => r.thread !== thread).map((r) => r.body),
          recentPostTimes: activity.recent.map((r) => r.createdAt),
          now: options.now(),
          thread: { key: thread },
        });
        return verdict.verdict === 'spam' ? verdict.reasons : [];
      } catch (error) {
        options.onError(error);
        return [];
      }
    },
    learn(body, authorName, label) {
      learning = learning.then(async () => {
        try {
          const fresh = await load();
          fresh.learn(body, authorName, label);
          await store.saveSpamModel(JSON.stringify(fresh.toJSON()));
          filter = fresh;
        } catch (error) {
          options.onError(error);
        }
      });
      return learning;
    },
    async reload() {
      try {
        filter = await load();
      } catch (error) {
        options.onError(error);
      }
    },
  };
}
