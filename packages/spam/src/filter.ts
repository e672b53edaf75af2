import { ColloquyError } from '@colloquy/core';
import { extractFeatures } from './features.js';
import { type HeuristicsOptions, type RuleHit, type SpamInput, resolveHeuristics, runHeuristics } from './heuristics.js';
import { type Label, NaiveBayes, type NaiveBayesState } from './naive-bayes.js';

/**
 * Score at or above which a comment is held as spam. Chosen on the YouTube Spam Collection by
 * leave-one-video-out selection for precision ≥ 0.97 (see docs/spam.md): a false positive hides
 * a real reader's comment, so the filter leans towards letting doubtful comments through.
 */
export const DEFAULT_THRESHOLD = 1.22;

/** Spam and ham decisions each that the learned filter needs before it takes part. */
export const DEFAULT_MINIMUM_DECISIONS = 10;

/** Additive smoothing of the naive Bayes counts. */
const ALPHA = 0.3;

/** The longest body or name the filter reads; longer input is a caller's bug, not a comment. */
const MAX_TEXT = 200_000;

export interface SpamVerdict {
  verdict: 'ham' | 'spam';
  /** Learned score plus the weights of the soft rules; `threshold` and above is spam. */
  score: number;
  /** Why, one entry per rule that fired, then the learned filter's view when it has one. */
  reasons: string[];
  /** The rules that fired, for callers that act on a specific rule. */
  rules: RuleHit[];
  /** The learned filter's part of the score (0 until it has seen `minimumDecisions` of each kind). */
  learnedScore: number;
}

/** The persisted state of a filter: what moderators taught it. Plain JSON. */
export interface SpamModelJSON {
  format: 'colloquy-spam-nb';
  version: 1;
  model: NaiveBayesState;
}

export interface SpamFilterOptions {
  /** A model saved earlier with `toJSON()`; without one the filter starts untrained. */
  model?: SpamModelJSON;
  heuristics?: Partial<HeuristicsOptions>;
  threshold?: number;
  /**
   * Decisions of each kind (spam and ham) the learned filter needs before its score counts;
   * until then the rules decide alone. A handful of examples makes naive Bayes erratic, and
   * a model taught elsewhere transfers badly (see docs/spam.md), so a new site starts on rules.
   */
  minimumDecisions?: number;
  /** `false` runs the rules alone (the learned score counts 0). */
  learned?: boolean;
  /** `false` runs the learned filter alone (no rule fires). */
  rules?: boolean;
}

function invalid(message: string): ColloquyError {
  return new ColloquyError('invalid_input', message);
}

function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string.`);
  if (value.length > MAX_TEXT) throw invalid(`${what} is longer than ${MAX_TEXT} characters.`);
  return value;
}

function checkOptionalText(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : checkText(value, what);
}

function checkCount(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(`${what} must be a number ≥ 0.`);
  return value;
}

function checkInput(input: unknown): SpamInput {
  if (typeof input !== 'object' || input === null) throw invalid('classify() takes an object with a string `body`.');
  const raw = input as Record<string, unknown>;
  const checked: SpamInput = { body: checkText(raw.body, '`body`') };
  const authorName = checkOptionalText(raw.authorName, '`authorName`');
  if (authorName !== undefined) checked.authorName = authorName;
  const age = checkCount(raw.identityAgeSeconds, '`identityAgeSeconds`');
  if (age !== undefined) checked.identityAgeSeconds = age;
  const count = checkCount(raw.identityCommentCount, '`identityCommentCount`');
  if (count !== undefined) checked.identityCommentCount = count;
  const now = checkCount(raw.now, '`now`');
  if (now !== undefined) checked.now = now;
  if (raw.recentBodies !== undefined) {
    if (!Array.isArray(raw.recentBodies)) throw invalid('`recentBodies` must be an array of strings.');
    checked.recentBodies = raw.recentBodies.map((b, i) => checkText(b, `\`recentBodies[${i}]\``));
  }
  if (raw.recentPostTimes !== undefined) {
    if (!Array.isArray(raw.recentPostTimes)) throw invalid('`recentPostTimes` must be an array of times in ms.');
    checked.recentPostTimes = raw.recentPostTimes.map((t, i) => checkCount(t, `\`recentPostTimes[${i}]\``) as number);
  }
  if (raw.thread !== undefined) {
    if (typeof raw.thread !== 'object' || raw.thread === null) throw invalid('`thread` must be an object {key?, url?}.');
    const thread = raw.thread as Record<string, unknown>;
    const key = checkOptionalText(thread.key, '`thread.key`');
    const url = checkOptionalText(thread.url, '`thread.url`');
    checked.thread = {};
    if (key !== undefined) checked.thread.key = key;
    if (url !== undefined) checked.thread.url = url;
  }
  return checked;
}

function checkStringList(value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(`${what} must be an array of strings.`);
  return value as string[];
}

function checkHeuristics(value: unknown): Partial<HeuristicsOptions> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw invalid('`heuristics` must be an object.');
  const raw = value as Record<string, unknown>;
  const checked: Partial<HeuristicsOptions> = {};
  for (const key of ['bannedWords', 'bannedNames', 'trustedHosts'] as const) {
    const list = checkStringList(raw[key], `\`heuristics.${key}\``);
    if (list) checked[key] = list;
  }
  for (const key of ['maxLinks', 'newIdentitySeconds', 'newIdentityComments', 'burstCount', 'burstSeconds'] as const) {
    const number = checkCount(raw[key], `\`heuristics.${key}\``);
    if (number !== undefined) checked[key] = number;
  }
  return checked;
}

function checkModel(value: unknown): NaiveBayesState {
  const fail = () => invalid('The saved spam model is not a colloquy-spam-nb version 1 object.');
  if (typeof value !== 'object' || value === null) throw fail();
  const raw = value as Record<string, unknown>;
  if (raw.format !== 'colloquy-spam-nb' || raw.version !== 1) throw fail();
  const model = raw.model as Record<string, unknown> | undefined;
  if (typeof model !== 'object' || model === null) throw fail();
  const isPair = (v: unknown): v is { spam: number; ham: number } =>
    typeof v === 'object' && v !== null && [(v as { spam: unknown }).spam, (v as { ham: unknown }).ham].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0);
  if (!isPair(model.docs) || !isPair(model.total) || typeof model.counts !== 'object' || model.counts === null) throw fail();
  for (const pair of Object.values(model.counts)) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) throw fail();
  }
  return model as unknown as NaiveBayesState;
}

/**
 * Decides whether a new comment is held for review. Rules that `hold` decide alone; otherwise
 * the score is the learned filter's length-normalised log-odds plus the weights of the soft
 * rules that fired, and a score at or above the threshold is spam.
 */
export class SpamFilter {
  readonly #model: NaiveBayes;
  readonly #heuristics: HeuristicsOptions;
  readonly #threshold: number;
  readonly #useLearned: boolean;
  readonly #useRules: boolean;
  readonly #minimumDecisions: number;

  constructor(options: SpamFilterOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalid('createSpamFilter() takes an options object.');
    this.#model = options.model === undefined ? new NaiveBayes(ALPHA) : NaiveBayes.fromJSON(checkModel(options.model), ALPHA);
    this.#heuristics = resolveHeuristics(checkHeuristics(options.heuristics));
    if (options.threshold !== undefined && (typeof options.threshold !== 'number' || !Number.isFinite(options.threshold))) {
      throw invalid('`threshold` must be a finite number.');
    }
    this.#threshold = options.threshold ?? DEFAULT_THRESHOLD;
    this.#useLearned = options.learned !== false;
    this.#useRules = options.rules !== false;
    this.#minimumDecisions = checkCount(options.minimumDecisions, '`minimumDecisions`') ?? DEFAULT_MINIMUM_DECISIONS;
  }

  get threshold(): number {
    return this.#threshold;
  }

  /** How many spam and ham decisions the learned filter has seen. */
  get trainedOn(): { spam: number; ham: number } {
    return this.#model.documents;
  }

  classify(input: SpamInput): SpamVerdict {
    const checked = checkInput(input);
    const rules = this.#useRules ? runHeuristics(checked, this.#heuristics) : [];
    const { spam, ham } = this.#model.documents;
    const ready = this.#useLearned && Math.min(spam, ham) >= this.#minimumDecisions;
    const learnedScore = ready ? this.learnedScore(checked.body, checked.authorName) : 0;
    const score = learnedScore + rules.reduce((sum, hit) => sum + hit.weight, 0);
    const held = rules.some((hit) => hit.hold);
    const reasons = rules.map((hit) => `${hit.rule}: ${hit.reason}`);
    if (learnedScore !== 0) {
      reasons.push(`learned: ${learnedScore > 0 ? 'resembles' : 'unlike'} spam moderators marked (${learnedScore.toFixed(2)})`);
    }
    return { verdict: held || score >= this.#threshold ? 'spam' : 'ham', score, reasons, rules, learnedScore };
  }

  /**
   * The learned part alone: naive Bayes log-odds divided by the square root of the number of
   * features, so a long comment does not reach an extreme score merely by having many words.
   */
  learnedScore(body: string, authorName?: string): number {
    const features = extractFeatures(body, authorName);
    return this.#model.logOdds(features) / Math.sqrt(Math.max(features.size, 1));
  }

  /** Teaches the filter one moderator decision: `spam` when a comment was marked spam, `ham` when approved. */
  learn(body: string, authorName: string | null | undefined, label: Label): void {
    const text = checkText(body, '`body`');
    const name = checkOptionalText(authorName, '`authorName`');
    if (label !== 'spam' && label !== 'ham') throw invalid('`label` must be "spam" or "ham".');
    this.#model.learn(extractFeatures(text, name), label);
  }

  toJSON(): SpamModelJSON {
    return { format: 'colloquy-spam-nb', version: 1, model: this.#model.toJSON() };
  }

  static fromJSON(json: unknown, options: Omit<SpamFilterOptions, 'model'> = {}): SpamFilter {
    const parsed = typeof json === 'string' ? parseJSON(json) : json;
    return new SpamFilter({ ...options, model: parsed as SpamModelJSON });
  }
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ColloquyError('invalid_input', 'The saved spam model is not valid JSON.', { cause: error });
  }
}

export function createSpamFilter(options: SpamFilterOptions = {}): SpamFilter {
  return new SpamFilter(options);
}
