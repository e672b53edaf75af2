import { createSpamFilter, type SpamFilterOptions } from './filter.js';

/** One labelled comment. `group` is the thread it was posted on (a video, an article). */
export interface LabelledComment {
  group: string;
  body: string;
  authorName?: string;
  spam: boolean;
  /** Passed to the rules as the comment's thread, so links to the page itself are not promotion. */
  thread?: { key?: string; url?: string };
}

export interface Counts {
  spam: number;
  ham: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface FoldResult extends Counts {
  group: string;
  threshold: number;
  /** Bodies of the ham comments flagged as spam. */
  falsePositives: string[];
}

export interface EvaluationOptions {
  /** Which parts decide: both (default), the rules alone or the learned filter alone. */
  mode?: 'combined' | 'rules' | 'learned';
  /** Give the learned filter the author's display name as well as the body. */
  useAuthor?: boolean;
  /** Precision the threshold selection aims at on the training groups. */
  targetPrecision?: number;
  heuristics?: SpamFilterOptions['heuristics'];
}

function counts(scored: { spam: boolean; flagged: boolean }[]): Counts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const item of scored) {
    if (item.flagged && item.spam) tp += 1;
    else if (item.flagged) fp += 1;
    else if (item.spam) fn += 1;
  }
  const spam = scored.filter((s) => s.spam).length;
  return {
    spam,
    ham: scored.length - spam,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

function filterOptions(options: EvaluationOptions, threshold?: number): SpamFilterOptions {
  const result: SpamFilterOptions = {
    learned: options.mode !== 'rules',
    rules: options.mode !== 'learned',
  };
  if (options.heuristics) result.heuristics = options.heuristics;
  if (threshold !== undefined) result.threshold = threshold;
  return result;
}

/** Trains on `train` and scores `test`; a comment a hold rule catches scores +∞. */
export function scoreAfterTraining(
  train: LabelledComment[],
  test: LabelledComment[],
  options: EvaluationOptions = {},
): { spam: boolean; score: number }[] {
  const filter = createSpamFilter(filterOptions(options));
  if (options.mode !== 'rules') {
    for (const item of train) filter.learn(item.body, options.useAuthor ? item.authorName : undefined, item.spam ? 'spam' : 'ham');
  }
  return test.map((item) => {
    const input: Parameters<typeof filter.classify>[0] = { body: item.body };
    if (options.useAuthor && item.authorName !== undefined) input.authorName = item.authorName;
    if (item.thread) input.thread = item.thread;
    const result = filter.classify(input);
    return { spam: item.spam, score: result.rules.some((r) => r.hold) ? Infinity : result.score };
  });
}

/**
 * The lowest threshold whose flagged set reaches `target` precision on the given scores, so
 * recall is as high as that precision allows. Falls back to +∞ (flag nothing) if none does.
 */
export function chooseThreshold(scored: { spam: boolean; score: number }[], target: number): number {
  const sorted = [...scored].filter((s) => Number.isFinite(s.score)).sort((a, b) => b.score - a.score);
  let tp = scored.filter((s) => s.score === Infinity && s.spam).length;
  let fp = scored.filter((s) => s.score === Infinity && !s.spam).length;
  let best = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    const item = sorted[i] as { spam: boolean; score: number };
    if (item.spam) tp += 1;
    else fp += 1;
    // Cut only between distinct scores: ties are flagged together.
    const next = sorted[i + 1];
    if (next && next.score === item.score) continue;
    if (tp / (tp + fp) >= target) best = item.score;
  }
  return best;
}

/**
 * Threshold for training data made of several groups: leave each group out in turn, score it
 * with a filter trained on the others, and choose on the pooled scores. Only `comments` is
 * looked at, so called on a fold's training groups it never sees the held-out group.
 */
export function selectThreshold(comments: LabelledComment[], options: EvaluationOptions = {}): number {
  const groups = [...new Set(comments.map((c) => c.group))];
  const pooled = groups.flatMap((group) =>
    scoreAfterTraining(
      comments.filter((c) => c.group !== group),
      comments.filter((c) => c.group === group),
      options,
    ),
  );
  return chooseThreshold(pooled, options.targetPrecision ?? 0.97);
}

/**
 * Leave-one-group-out evaluation: for each group, choose the threshold on the other groups
 * (by their own leave-one-group-out scores), train on them, and test on the held-out group.
 * In `rules` mode nothing is trained or chosen: the filter's default threshold applies.
 */
export function evaluateLeaveOneGroupOut(
  comments: LabelledComment[],
  options: EvaluationOptions = {},
): { folds: FoldResult[]; micro: Counts } {
  const groups = [...new Set(comments.map((c) => c.group))];
  const flaggedAll: { spam: boolean; flagged: boolean }[] = [];
  const folds = groups.map((group) => {
    const train = comments.filter((c) => c.group !== group);
    const test = comments.filter((c) => c.group === group);
    const threshold = options.mode === 'rules' ? createSpamFilter().threshold : selectThreshold(train, options);
    const scored = scoreAfterTraining(train, test, options);
    const flagged = scored.map((s) => ({ spam: s.spam, flagged: s.score >= threshold }));
    flaggedAll.push(...flagged);
    const falsePositives = test.filter((_c, i) => flagged[i]?.flagged && !flagged[i]?.spam).map((c) => c.body);
    return { group, threshold, ...counts(flagged), falsePositives };
  });
  return { folds, micro: counts(flaggedAll) };
}
