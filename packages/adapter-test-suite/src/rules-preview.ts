// Rule R47: an adapter that renders bodies itself offers `previewHtml` (decision 0037), and the
// composer's preview is only honest if it is exactly what posting the body then shows.
import { isColloquyError } from '@colloquy/core';
import type { ErrorCode } from '@colloquy/core';
import { equal, ok, rejectsWith } from './check.js';
import type { Harness } from './harness.js';

/** Markdown the subset renders, and markup a reader typed that must come back as text. */
const BODY = 'Some *emphasis*, a [link](https://example.org/page)\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>';

/** The code posting `work` is refused with, or null when it was taken. */
async function refusalOf(work: () => Promise<unknown>): Promise<ErrorCode | null> {
  try {
    await work();
    return null;
  } catch (error) {
    ok(isColloquyError(error), `posting rejected with ${String(error)}, not a ColloquyError`);
    return error.code;
  }
}

export function previewRules(h: Harness): void {
  h.describe('preview (when the adapter offers previewHtml)', () => {
    h.it(['R47'], 'a preview is the html the comment posted with that body shows, and refuses what posting refuses', async () => {
      const ada = await h.reader('Ada');
      if (!ada.previewHtml) return;
      const threadKey = h.thread('preview');
      const preview = await ada.previewHtml(BODY);
      equal(typeof preview, 'string', 'the preview is HTML as text');
      ok(/<em>emphasis<\/em>/.test(preview), `markdown emphasis is rendered: ${preview}`);
      ok(/<a [^>]*href="https:\/\/example\.org\/page"/.test(preview), `a markdown link is rendered as a link: ${preview}`);
      ok(!/<(script|img)\b/i.test(preview), `markup in the body does not come back as markup: ${preview}`);
      ok(!/<[^>]*\son[a-z]+\s*=/i.test(preview), `no element carries an event handler: ${preview}`);

      const posted = await h.post(ada, threadKey, BODY);
      equal(posted.html, preview, 'the posted comment carries the html its preview showed');
      const listed = (await h.listAll(ada, threadKey)).find((c) => c.id === posted.id);
      ok(listed, 'the posted comment is listed');
      equal(listed.html, preview, 'and the thread lists it with that html');

      const max = ada.capabilities.limits.maxBodyLength;
      const refused: [string, string][] = [
        ['an empty body', ''],
        ['a body of spaces and line breaks', ' \n\t \n'],
        [`a body of ${max + 1} code points`, 'x'.repeat(max + 1)],
      ];
      for (const [label, body] of refused) {
        const code = await refusalOf(() => h.post(ada, threadKey, body));
        ok(code !== null, `posting ${label} is refused`);
        await rejectsWith(() => ada.previewHtml!(body), code, `previewing ${label}, as posting it is`);
      }
    });
  });
}
