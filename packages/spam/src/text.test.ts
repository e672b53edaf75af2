import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkHost, toPlainText } from './text.js';

describe('toPlainText', () => {
  it('drops markup and decodes entities, so the filter reads what a reader sees', () => {
    const { text } = toPlainText('I can&#39;t stop<br />listening &amp; <b>dancing</b>&quot;!\ufeff');
    assert.equal(text, 'I can\'t stop listening & dancing"!');
  });

  it('removes zero-width characters that split words past a word list', () => {
    assert.equal(toPlainText('fr\u200bee mo\ufeffney').text, 'free money');
  });

  it('finds links in anchors, full URLs, www. and bare domains, counting an anchor once', () => {
    const { links } = toPlainText(
      '<a href="http://adf.ly">http://adf.ly</a> and www.example.org/x plus shop-now.com/deal and https://a.example.net/p?q=1',
    );
    assert.deepEqual(links, ['http://adf.ly', 'www.example.org/x', 'shop-now.com/deal', 'https://a.example.net/p?q=1']);
  });

  it('does not mistake a missing space after a full stop for a link', () => {
    assert.deepEqual(toPlainText('two reasons: 1.it is about Africa. 2.me and you.So good').links, []);
  });

  it('gives the host of a link without www.', () => {
    assert.equal(linkHost('https://WWW.Example.com/a'), 'example.com');
    assert.equal(linkHost('bit.ly/abc'), 'bit.ly');
    assert.equal(linkHost('/watch?v=abc'), '');
  });
});
