export type { SpamFilterOptions, SpamModelJSON, SpamVerdict } from './filter.js';
export { createSpamFilter, DEFAULT_MINIMUM_DECISIONS, DEFAULT_THRESHOLD, SpamFilter } from './filter.js';
export type { HeuristicsOptions, RuleHit, SpamInput } from './heuristics.js';
export { DEFAULT_HEURISTICS, RULE_WEIGHTS } from './heuristics.js';
export type { Label } from './naive-bayes.js';
export { toPlainText } from './text.js';
export type { PlainText } from './text.js';
export type { Counts, EvaluationOptions, FoldResult, LabelledComment } from './evaluation.js';
export { chooseThreshold, evaluateLeaveOneGroupOut, scoreAfterTraining, selectThreshold } from './evaluation.js';
