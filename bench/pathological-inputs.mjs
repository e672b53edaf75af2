// Times the parts of a POST that read the body on hostile inputs at or past the limits: the
// markdown renderer on pathological bodies (deep quotes and lists, runs of brackets, backticks
// and emphasis markers), `validateBody` on a megabyte, and the spam filter on long repetitive
// bodies. The tests check what these inputs produce; this prints how long they take (median of
// a few runs), which a test cannot assert reliably on a shared machine.
//   node --conditions=colloquy-source --import tsx bench/pathological-inputs.mjs
import { createRequire } from 'node:module';
import { validateBody } from '../packages/core/src/index.ts';
import { renderMarkdown } from '../packages/core/src/markdown.ts';
import { createSpamFilter } from '../packages/spam/src/index.ts';

const RUNS = 3;
// jsdom is the core's development dependency, not the benchmarks'.
const { JSDOM } = createRequire(new URL('../packages/core/package.json', import.meta.url))('jsdom');
const window = new JSDOM('<!doctype html><body></body>').window;

function median(work) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)];
}
const row = (what, input, ms) => console.log(`${what.padEnd(36)} ${String(input.length).padStart(8)} chars  median ${ms.toFixed(1)} ms`);

const markdown = {
  'deep quotes': '> '.repeat(4_999) + 'x',
  'open brackets': '['.repeat(9_990) + 'x](y)',
  'backticks': '`'.repeat(9_999) + 'x',
  'deep list': '- '.repeat(4_999) + 'x',
  'emphasis markers': '*_'.repeat(4_999),
};
for (const [name, source] of Object.entries(markdown)) row(`markdown: ${name}`, source, median(() => renderMarkdown(source, window)));

const huge = 'a'.repeat(1_000_000);
row('validateBody: a megabyte (refused)', huge, median(() => {
  try {
    validateBody(huge);
  } catch {
    // body_too_long is the expected answer
  }
}));

const filter = createSpamFilter({ minimumDecisions: 1 });
filter.learn('Win a free phone today, click the link in my profile', undefined, 'spam');
filter.learn('Thanks for writing this, it helped me understand my diagnosis', 'Reader', 'ham');
const bodies = {
  'one letter': 'a'.repeat(10_000),
  'letter and dot': 'a.'.repeat(5_000),
  'unclosed href': `<a href="${'x'.repeat(10_000)}`,
  'open tags': '<a '.repeat(3_000),
  'numbers': '1 '.repeat(5_000),
  'domains': 'spam.com '.repeat(1_000),
};
for (const [name, body] of Object.entries(bodies)) row(`spam filter: ${name}`, body, median(() => filter.classify({ body, recentBodies: [body] })));
