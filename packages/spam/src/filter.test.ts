import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ColloquyError } from '@colloquy/core';
import { createSpamFilter, SpamFilter } from './filter.js';

const SPAM = [
  'Check out my new music video, subscribe to my channel please',
  'Make money online fast, click here http://cash.example.com',
  'Free gift cards for everyone, visit my page to claim yours',
  'Subscribe to my channel for daily vlogs and giveaways',
  'Win a free phone today, click the link in my profile',
  'Earn money from home, message me for the secret',
];
const HAM = [
  'My father was treated there and the nurses were wonderful',
  'I disagree with the article about the diet, my doctor said otherwise',
  'Does anyone know whether the clinic takes new patients in autumn?',
  'Thanks for writing this, it helped me understand my diagnosis',
  'The study they cite is small, I would wait for more research',
  'We drove four hours to see the specialist and it was worth it',
];

function trained(): SpamFilter {
  const filter = createSpamFilter({ minimumDecisions: 1 });
  for (const body of SPAM) filter.learn(body, undefined, 'spam');
  for (const body of HAM) filter.learn(body, 'Reader', 'ham');
  return filter;
}

const probes = [
  { body: 'Subscribe to my channel and win free gift cards' },
  { body: 'Click here to make money, visit my page' },
  { body: 'The nurses at the clinic helped my father a lot' },
  { body: 'I would ask my doctor about the study first', authorName: 'Amber' },
  { body: '' },
];

describe('learned filter', () => {
  it('learns from moderator decisions: a spam-like comment flips to spam, a reader stays ham', () => {
    const untrained = createSpamFilter();
    const probe = { body: 'Win free gift cards and make money from home today' };
    assert.equal(untrained.classify(probe).learnedScore, 0);
    assert.equal(untrained.classify(probe).verdict, 'ham');

    const filter = trained();
    const spam = filter.classify(probe);
    assert.equal(spam.verdict, 'spam');
    assert.ok(spam.learnedScore > 0);
    assert.match(spam.reasons.at(-1) ?? '', /^learned: resembles spam/);
    const ham = filter.classify({ body: 'The nurses at the clinic helped my father a lot' });
    assert.equal(ham.verdict, 'ham');
    assert.ok(ham.learnedScore < 0);
    assert.deepEqual(filter.trainedOn, { spam: SPAM.length, ham: HAM.length });
  });

  it('leaves the decision to the rules until enough decisions are learned', () => {
    const probe = { body: 'Win free gift cards and make money from home today' };
    const filter = createSpamFilter({ model: trained().toJSON() });
    assert.equal(filter.classify(probe).learnedScore, 0);
    assert.equal(filter.classify(probe).verdict, 'ham');
    for (let i = 0; i < 4; i++) {
      filter.learn(`Free gift card number ${i}, click my profile`, undefined, 'spam');
      filter.learn(`My appointment number ${i} went well, thanks to the nurses`, undefined, 'ham');
    }
    assert.equal(filter.classify(probe).verdict, 'spam');
  });

  it('approving a comment pulls similar comments back to ham', () => {
    const filter = trained();
    const probe = { body: 'Free concert tickets for the charity run, visit the page' };
    const before = filter.classify(probe).learnedScore;
    filter.learn('Free concert tickets for the charity run this weekend', undefined, 'ham');
    filter.learn('The charity run page lists free tickets for patients', undefined, 'ham');
    assert.ok(filter.classify(probe).learnedScore < before);
  });

  it('keeps verdicts and scores exactly through JSON persistence', () => {
    const filter = trained();
    const stored = JSON.stringify(filter.toJSON());
    const restored = SpamFilter.fromJSON(JSON.parse(stored), { minimumDecisions: 1 });
    const fromText = SpamFilter.fromJSON(stored, { minimumDecisions: 1 });
    const viaCreate = createSpamFilter({ model: JSON.parse(stored), minimumDecisions: 1 });
    for (const probe of probes) {
      const expected = filter.classify(probe);
      assert.deepEqual(restored.classify(probe), expected);
      assert.deepEqual(fromText.classify(probe), expected);
      assert.deepEqual(viaCreate.classify(probe), expected);
    }
    // The restored filter keeps learning from where the original stopped.
    filter.learn('Win free gift cards now', undefined, 'spam');
    restored.learn('Win free gift cards now', undefined, 'spam');
    assert.deepEqual(restored.toJSON(), filter.toJSON());
  });

  it('lets the site choose a stricter threshold', () => {
    const probe = { body: 'Click here to make money, visit my page' };
    const score = trained().classify(probe).score;
    const strict = createSpamFilter({ model: trained().toJSON(), threshold: score + 1, minimumDecisions: 1 });
    assert.equal(strict.classify(probe).verdict, 'ham');
  });
});

describe('bad input', () => {
  const invalid = (fn: () => unknown) =>
    assert.throws(fn, (error: unknown) => error instanceof ColloquyError && error.code === 'invalid_input' && error.message.length > 0);

  it('rejects bad classify input with invalid_input', () => {
    const filter = createSpamFilter();
    invalid(() => filter.classify(undefined as never));
    invalid(() => filter.classify({ body: 42 } as never));
    invalid(() => filter.classify({ body: 'x', authorName: 7 } as never));
    invalid(() => filter.classify({ body: 'x', identityAgeSeconds: -1 }));
    invalid(() => filter.classify({ body: 'x', identityCommentCount: Number.NaN }));
    invalid(() => filter.classify({ body: 'x', recentBodies: 'x' } as never));
    invalid(() => filter.classify({ body: 'x', recentBodies: [1] } as never));
    invalid(() => filter.classify({ body: 'x', recentPostTimes: ['now'] } as never));
    invalid(() => filter.classify({ body: 'x', thread: 'k' } as never));
    invalid(() => filter.classify({ body: 'x'.repeat(200_001) }));
  });

  it('rejects bad learn input with invalid_input', () => {
    const filter = createSpamFilter();
    invalid(() => filter.learn(undefined as never, undefined, 'spam'));
    invalid(() => filter.learn('x', 5 as never, 'spam'));
    invalid(() => filter.learn('x', undefined, 'maybe' as never));
    assert.deepEqual(filter.trainedOn, { spam: 0, ham: 0 });
  });

  it('rejects bad options and saved models with invalid_input', () => {
    invalid(() => createSpamFilter(null as never));
    invalid(() => createSpamFilter({ threshold: Number.POSITIVE_INFINITY }));
    invalid(() => createSpamFilter({ heuristics: { bannedWords: 'casino' } as never }));
    invalid(() => createSpamFilter({ heuristics: { maxLinks: -2 } }));
    invalid(() => createSpamFilter({ minimumDecisions: -1 }));
    invalid(() => SpamFilter.fromJSON('{not json'));
    invalid(() => SpamFilter.fromJSON({ format: 'other', version: 1, model: {} }));
    invalid(() =>
      SpamFilter.fromJSON({
        format: 'colloquy-spam-nb',
        version: 1,
        model: { docs: { spam: 1, ham: 1 }, total: { spam: 1, ham: 1 }, counts: { 'w:x': [1] } },
      }),
    );
  });
});

describe('hostile input', () => {
  // How fast: `node --conditions=colloquy-source --import tsx bench/pathological-inputs.mjs`.
  // A time limit here would fail on a busy machine rather than on a slow filter.
  it('classifies long pathological bodies to a verdict, so a crafted comment cannot break the server', () => {
    const filter = trained();
    const bodies = [
      'a'.repeat(10_000),
      'a.'.repeat(5_000),
      `<a href="${'x'.repeat(10_000)}`,
      '<a '.repeat(3_000),
      '1 '.repeat(5_000),
      'spam.com '.repeat(1_000),
    ];
    for (const body of bodies) {
      const result = filter.classify({ body, recentBodies: [body] });
      assert.ok(result.verdict === 'spam' || result.verdict === 'ham', body.slice(0, 12));
      assert.ok(Number.isFinite(result.score), `${body.slice(0, 12)}… scored ${result.score}`);
    }
  });
});
