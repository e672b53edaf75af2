import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createMemoryImportSink, createProgressReporter, importInto, parseDisqus, type ImportProgress } from './index.js';
import { corpusFile } from './corpus.test-support.js';

function capture(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; text: () => string };
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.text = () => written;
  return stream;
}

const progress = (records: number, bytesRead: number, totalBytes: number | null): ImportProgress => ({
  records, created: records - 1, existing: 0, skipped: 1, deferred: 0, detached: 0, bytesRead, totalBytes,
});

test('on a terminal: one line redrawn in place with a bar, ended by a newline', () => {
  const stream = capture(true);
  let time = 0;
  const reporter = createProgressReporter({ stream, now: () => time, minIntervalMs: 100 });
  reporter.update(progress(10, 256, 1024));
  time = 50;
  reporter.update(progress(20, 512, 1024)); // too soon: not drawn
  time = 200;
  reporter.update(progress(30, 768, 1024));
  reporter.done(progress(40, 1024, 1024));
  const text = stream.text();
  assert.equal(text.split('\r').length - 1, 3);
  assert.ok(!text.slice(0, -1).includes('\n'), 'no newline before the end');
  assert.ok(text.endsWith('\n'));
  assert.match(text, /\[######------------------\] {2}25% {2}10 records, 9 created, 0 existing, 1 skipped/);
  assert.match(text, /\[########################\] 100% {2}40 records/);
  assert.doesNotMatch(text, / 50%/);
});

test('elsewhere: a plain line every N records, and a final line', () => {
  const stream = capture(false);
  const reporter = createProgressReporter({ stream, every: 100 });
  for (let records = 10; records <= 350; records += 10) reporter.update(progress(records, records * 10, null));
  reporter.done(progress(355, 3550, null));
  const lines = stream.text().trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.ok(!stream.text().includes('\r'));
  assert.equal(lines[0], 'import: 100 records, 99 created, 0 existing, 1 skipped (1.0 KB read)');
  assert.match(lines[3] ?? '', /^import: 355 records/);
});

test('wired to importInto, it reports a real import', async () => {
  const stream = capture(false);
  const reporter = createProgressReporter({ stream, every: 2 });
  const summary = await importInto(parseDisqus(corpusFile('disqus/isso-tests-disqus.xml')), createMemoryImportSink(), {
    progressEvery: 1,
    onProgress: (p) => reporter.update(p),
  });
  reporter.done(summary);
  const lines = stream.text().trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines.at(-1) ?? '', /^import: 6 records, 5 created, 0 existing, 1 skipped \(4\.5 KB of 4\.5 KB read\)$/);
});

test('bad reporter options are refused', () => {
  assert.throws(() => createProgressReporter({ every: 0 }), /every must be a positive integer/);
  assert.throws(() => createProgressReporter({ minIntervalMs: -1 }), /minIntervalMs must be zero or more/);
  assert.throws(() => createProgressReporter({ stream: {} as never }), /must be writable/);
});
