import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSpamFilter } from './filter.js';

// An untrained filter: every verdict here comes from the rules alone.
const rulesOnly = (heuristics = {}) => createSpamFilter({ heuristics });
const ruleNames = (reasons: string[]) => reasons.map((r) => r.split(':')[0]);

describe('spam rules', () => {
  it('leaves an ordinary comment alone, with no reasons', () => {
    const result = rulesOnly().classify({ body: 'I read this twice; the part on follow-up care helped me.' });
    assert.equal(result.verdict, 'ham');
    assert.deepEqual(result.reasons, []);
    assert.equal(result.score, 0);
  });

  it('holds a comment with a banned word, whole words only, any case', () => {
    const filter = rulesOnly({ bannedWords: ['casino', 'cheap pills'] });
    const held = filter.classify({ body: 'Best CASINO bonus here' });
    assert.equal(held.verdict, 'spam');
    assert.deepEqual(held.reasons, ['banned-word: contains the banned word "casino"']);
    assert.equal(filter.classify({ body: 'Buy  cheap\npills' }).verdict, 'spam');
    assert.equal(filter.classify({ body: 'The casinos in my town closed.' }).verdict, 'ham');
  });

  it('holds a comment whose author name contains a banned name', () => {
    const filter = rulesOnly({ bannedNames: ['forex'] });
    const held = filter.classify({ body: '', authorName: 'copy trade Forex' });
    assert.equal(held.verdict, 'spam');
    assert.deepEqual(ruleNames(held.reasons), ['banned-name']);
    assert.equal(filter.classify({ body: 'Thanks', authorName: 'Amber' }).verdict, 'ham');
  });

  it('holds more links than maxLinks, not counting links to the thread itself', () => {
    const filter = rulesOnly({ maxLinks: 2 });
    const body = 'see http://a.example.com http://b.example.com http://c.example.com';
    const held = filter.classify({ body });
    assert.equal(held.verdict, 'spam');
    assert.match(held.reasons[0] ?? '', /^too-many-links: 3 links, more than the 2 allowed/);

    const own = 'best parts: https://news.example/story-42#c1 https://news.example/story-42#c9 http://c.example.com';
    const result = filter.classify({ body: own, thread: { url: 'https://news.example/story-42' } });
    assert.equal(result.verdict, 'ham');
    assert.deepEqual(ruleNames(result.reasons), ['link']);
  });

  it('does not count links to trusted hosts', () => {
    const filter = rulesOnly({ trustedHosts: ['www.mayoclinic.org'] });
    const result = filter.classify({ body: 'More at http://mayoclinic.org/a', identityAgeSeconds: 5 });
    assert.deepEqual(result.reasons, []);
  });

  it('holds a link from a new identity but lets an established one post it', () => {
    const body = 'My review is at https://reviews.example.com/post/1';
    const fresh = rulesOnly().classify({ body, identityAgeSeconds: 120, identityCommentCount: 0 });
    assert.equal(fresh.verdict, 'spam');
    assert.deepEqual(ruleNames(fresh.reasons), ['new-identity-link', 'link']);
    const known = rulesOnly().classify({ body, identityAgeSeconds: 90 * 86400, identityCommentCount: 40 });
    assert.equal(known.verdict, 'ham');
    assert.deepEqual(ruleNames(known.reasons), ['link']);
  });

  it('adds weight for a shortened link and holds it with self-promotion', () => {
    const result = rulesOnly().classify({ body: 'check out my channel bit.ly/x1y2z3' });
    assert.equal(result.verdict, 'spam');
    assert.deepEqual(ruleNames(result.reasons), ['link', 'link-shortener', 'self-promotion']);
  });

  it('holds text the identity already posted on other threads, but not a short stock phrase', () => {
    const body = 'Earn 500 dollars a day from home, message me to learn how it works';
    const held = rulesOnly().classify({
      body,
      recentBodies: ['I liked the article', 'Earn 500 dollars a day from home!! Message me to learn how this works'],
    });
    assert.equal(held.verdict, 'spam');
    assert.deepEqual(ruleNames(held.reasons), ['repeated-text']);
    assert.equal(rulesOnly().classify({ body: 'Great post', recentBodies: ['great post'] }).verdict, 'ham');
  });

  it('holds a burst of posts and ignores posts outside the window', () => {
    const now = 1_700_000_000_000;
    const burst = [now - 5_000, now - 10_000, now - 20_000, now - 40_000];
    const held = rulesOnly().classify({ body: 'hello', recentPostTimes: burst, now });
    assert.equal(held.verdict, 'spam');
    assert.deepEqual(held.reasons, ['posting-burst: 5 comments within 60 seconds']);
    const spread = [now - 5_000, now - 120_000, now - 240_000, now - 360_000];
    assert.equal(rulesOnly().classify({ body: 'hello', recentPostTimes: spread, now }).verdict, 'ham');
  });
});
