// Measures @colloquy/spam on real labelled comments and prints the tables docs/spam.md quotes.
//
//   node --conditions=colloquy-source --import tsx bench/spam-eval.mjs      (from the repository root)
//   pnpm --filter @colloquy/bench run spam-eval                    (the same, via the script entry)
//
// Reads the corpus beside the repository (../shared/corpus), or COLLOQUY_CORPUS if set:
//  1. the YouTube Spam Collection, leave one video out: for each video, the threshold is chosen
//     on the other four (by their own leave-one-video-out scores), the filter is trained on them
//     and tested on the held-out video. Input is body and author only, never date or id;
//  2. the CNN thread (43 comments, 3 spam), tested with a filter trained on all YouTube data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath } from '../scripts/corpus.mjs';
import {
  createSpamFilter,
  DEFAULT_THRESHOLD,
  evaluateLeaveOneGroupOut,
  selectThreshold,
  toPlainText,
} from '../packages/spam/src/index.ts';

const corpus = corpusPath();

const VIDEO_IDS = {
  psy: '9bZkp7q19f0',
  katyperry: 'CevxZvSJLk8',
  lmfao: 'KQ6zr6kCPj8',
  eminem: 'uelHwf8o7_U',
  shakira: 'pRpeEdMmmQ0',
};

const youtube = readFileSync(join(corpus, 'spam/youtube-spam-collection.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line))
  .map((r) => ({ group: r.video, body: r.body, authorName: r.author, spam: r.spam, thread: { key: VIDEO_IDS[r.video] } }));

const cnnFile = join(corpus, 'threads/cnn-2010-mayo-social-media.json');
const cnn = JSON.parse(readFileSync(cnnFile, 'utf8')).comments.map((c) => ({
  group: `cnn-${c.id}`,
  body: c.body,
  authorName: c.author ?? undefined,
  spam: c.spam,
}));

const n = (x) => x.toLocaleString('en-US');
const f3 = (x) => x.toFixed(3);
const row = (cells) => `| ${cells.join(' | ')} |`;
const clip = (body) => JSON.stringify(toPlainText(body).text.slice(0, 100));

const options = { useAuthor: true };
const combined = evaluateLeaveOneGroupOut(youtube, options);
const rulesAlone = evaluateLeaveOneGroupOut(youtube, { ...options, mode: 'rules' });
const learnedAlone = evaluateLeaveOneGroupOut(youtube, { ...options, mode: 'learned' });
const bodyOnly = evaluateLeaveOneGroupOut(youtube, { useAuthor: false });

console.log(`# @colloquy/spam on ${corpus}\n`);
console.log('## YouTube Spam Collection, leave one video out (rules + learned filter)\n');
console.log(row(['held-out video', 'spam', 'ham', 'TP', 'FP', 'FN', 'precision', 'recall']));
console.log(row(Array(8).fill('---')));
for (const fold of combined.folds) {
  console.log(row([fold.group, n(fold.spam), n(fold.ham), fold.tp, fold.fp, fold.fn, f3(fold.precision), f3(fold.recall)]));
}
const m = combined.micro;
console.log(row(['micro-average', n(m.spam), n(m.ham), m.tp, m.fp, m.fn, f3(m.precision), f3(m.recall)]));

console.log('\nThreshold chosen on the four training videos of each fold:');
console.log(combined.folds.map((fold) => `${fold.group} ${fold.threshold.toFixed(2)}`).join(', '));

console.log('\nFalse positives (ham flagged as spam), by held-out video:');
for (const fold of combined.folds) {
  console.log(`- ${fold.group} (${fold.fp})`);
  for (const body of fold.falsePositives) console.log(`    ${clip(body)}`);
}

console.log('\n## Rules and learned filter apart (micro-average over the five folds)\n');
console.log(row(['filter', 'TP', 'FP', 'FN', 'precision', 'recall']));
console.log(row(Array(6).fill('---')));
for (const [name, result] of [
  ['rules alone (no training, default threshold)', rulesAlone],
  ['learned filter alone', learnedAlone],
  ['rules + learned filter', combined],
  ['rules + learned filter, body only (author name not used)', bodyOnly],
]) {
  const r = result.micro;
  console.log(row([name, r.tp, r.fp, r.fn, f3(r.precision), f3(r.recall)]));
}

const chosen = selectThreshold(youtube, options);
console.log(
  `\nThreshold the same selection picks on all five videos: ${chosen.toFixed(2)} (DEFAULT_THRESHOLD is ${DEFAULT_THRESHOLD}).`,
);

// The thread is a different world (a 2010 health blog, 2021 link-less spam): this measures how
// a model taught on YouTube moderation transfers to a site that has taught it nothing yet.
console.log('\n## CNN thread (43 comments, 3 spam), filter trained on all 1,956 YouTube comments\n');
function runThread(mode) {
  const filter = createSpamFilter({ learned: mode !== 'rules', rules: mode !== 'learned' });
  if (mode !== 'rules') for (const c of youtube) filter.learn(c.body, c.authorName, c.spam ? 'spam' : 'ham');
  return cnn.map((c) => ({ comment: c, result: filter.classify({ body: c.body, authorName: c.authorName }) }));
}
// The same, after the site's moderators have decided on the thread's other comments: each
// comment is classified by a filter taught YouTube plus the other 42 decisions.
function runThreadWithSiteDecisions() {
  return cnn.map((c) => {
    const filter = createSpamFilter();
    for (const y of youtube) filter.learn(y.body, y.authorName, y.spam ? 'spam' : 'ham');
    for (const other of cnn) if (other !== c) filter.learn(other.body, other.authorName, other.spam ? 'spam' : 'ham');
    return { comment: c, result: filter.classify({ body: c.body, authorName: c.authorName }) };
  });
}
const summary = (outcomes) => {
  const tp = outcomes.filter((o) => o.comment.spam && o.result.verdict === 'spam').length;
  const fp = outcomes.filter((o) => !o.comment.spam && o.result.verdict === 'spam').length;
  const fn = outcomes.filter((o) => o.comment.spam && o.result.verdict === 'ham').length;
  return [tp, fp, fn, tp + fp ? f3(tp / (tp + fp)) : 'n/a', f3(tp / (tp + fn))];
};
const threadRuns = [
  ['rules alone', runThread('rules')],
  ['learned filter alone', runThread('learned')],
  ['rules + learned filter', runThread('combined')],
  ['rules + learned, also taught the other 42 decisions', runThreadWithSiteDecisions()],
];
console.log(row(['filter', 'TP', 'FP', 'FN', 'precision', 'recall']));
console.log(row(Array(6).fill('---')));
for (const [name, outcomes] of threadRuns) console.log(row([name, ...summary(outcomes)]));

for (const [name, outcomes] of [threadRuns[2], threadRuns[3]]) {
  console.log(`\nFlagged or missed by "${name}":`);
  for (const { comment, result } of outcomes) {
    if (result.verdict === 'ham' && !comment.spam) continue;
    const kind = comment.spam ? (result.verdict === 'spam' ? 'TP' : 'FN') : 'FP';
    console.log(`- ${kind} #${comment.group.slice(4)} score ${result.score.toFixed(2)} ${clip(comment.body || '(empty body)')}`);
    if (result.reasons.length) console.log(`    ${result.reasons.join('; ')}`);
  }
}
