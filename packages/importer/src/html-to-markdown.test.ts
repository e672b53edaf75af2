import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToMarkdown } from './index.js';

test('paragraphs, line breaks, emphasis, strong and code become the markdown subset', () => {
  assert.equal(htmlToMarkdown('<p>One <em>two</em> <strong>three</strong></p><p>Line<br>break <code>x()</code></p>'), 'One *two* **three**\n\nLine\nbreak `x()`');
  assert.equal(htmlToMarkdown('<i> spaced </i>and<b></b>'), '*spaced* and');
  assert.equal(htmlToMarkdown('<code>a`b</code>'), '``a`b``');
  assert.equal(htmlToMarkdown('<pre>line 1\n  line 2</pre>'), '```\nline 1\n  line 2\n```');
});

test('links keep safe destinations only', () => {
  assert.equal(htmlToMarkdown('<a href="https://a.example/x (1)">see</a>'), '[see](https://a.example/x%20%281%29)');
  assert.equal(htmlToMarkdown('<a href="https://a.example/">https://a.example/</a>'), '<https://a.example/>');
  assert.equal(htmlToMarkdown('<a href="javascript:alert(1)">click</a>'), 'click');
  assert.equal(htmlToMarkdown('<a href="mailto:a@b.example">mail</a>'), '[mail](mailto:a@b.example)');
  assert.equal(htmlToMarkdown('<a>no href</a>'), 'no href');
});

test('quotes and lists', () => {
  assert.equal(htmlToMarkdown('<blockquote><p>a</p><p>b</p></blockquote><p>reply</p>'), '> a\n>\n> b\n\nreply');
  assert.equal(htmlToMarkdown('<ul><li>one</li><li>two</li></ul>'), '- one\n- two');
  assert.equal(htmlToMarkdown('<ol><li>one</li><li>two<br>more</li></ol>'), '1. one\n2. two\nmore');
});

test('entities are decoded once and markup-looking text is escaped, so it shows as typed', () => {
  assert.equal(htmlToMarkdown('Tom &amp; Jerry &amp;lt;3 &lt;b&gt;'), 'Tom & Jerry \\&lt;3 \\<b>');
  assert.equal(htmlToMarkdown('2 * 3 = 6, snake_case, _under_'), '2 \\* 3 = 6, snake_case, \\_under\\_');
  assert.equal(htmlToMarkdown('# not a heading'), '\\# not a heading');
  assert.equal(htmlToMarkdown('[text](http://x)'), '\\[text](http://x)');
  assert.equal(htmlToMarkdown('[...] fine'), '[...] fine');
});

test('scripts and styles disappear; unknown tags keep their text; whitespace is tidied', () => {
  assert.equal(htmlToMarkdown('<script>alert(1)</script><span class="x">kept</span><style>p{}</style>'), 'kept');
  assert.equal(htmlToMarkdown('  <p>\n  a\n  b  </p>\n\n\n<p>c</p>  '), 'a b\n\nc');
  assert.equal(htmlToMarkdown('a\n\n\n\nb\nc', { newlines: 'keep' }), 'a\n\nb\nc');
  assert.equal(htmlToMarkdown(''), '');
  assert.equal(htmlToMarkdown('<p>    four spaces are not code</p><pre>  kept\n    indented</pre>'), 'four spaces are not code\n\n```\n  kept\n    indented\n```');
  assert.equal(htmlToMarkdown('<img src="x.png" alt="a cat">'), 'a cat');
});

test('anything but a string is refused', () => {
  assert.throws(() => htmlToMarkdown(undefined as never), /needs the HTML as a string/);
});
