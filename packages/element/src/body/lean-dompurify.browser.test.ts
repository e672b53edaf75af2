/*
 * embed.js ships DOMPurify with its default profile lists emptied (build/lean-dompurify.ts).
 * This checks the claim that makes that safe: with an HTML allowlist, the trimmed DOMPurify
 * gives exactly the output of the full one, on every record of the security corpus
 * (`shared/corpus/xss.jsonl`, mutation-XSS and namespace-confusion payloads included).
 */
import { expect } from '@open-wc/testing';
import DOMPurify, { type Config } from 'dompurify';
import { ALLOWED_TAGS } from '@colloquy/core';
import { trimDompurify } from '../../build/lean-dompurify.js';

interface CorpusRecord {
  id: string;
  payload: string | null;
  generator?: { prefix: string; unit: string; count: number; suffix: string };
}

/**
 * Generated records are 100 KB to 1 MB of repetition or nesting, size probes for the whole
 * pipeline; here they are cut to 2,000 repeats, past the HTML parser's nesting limit (512), so
 * depth tricks still apply (DOMPurify on a 100,000-deep tree takes most of a minute a call).
 */
const payloadOf = ({ payload, generator }: CorpusRecord): string =>
  payload ?? generator!.prefix + generator!.unit.repeat(Math.min(generator!.count, 2_000)) + generator!.suffix;

async function leanPurify(): Promise<typeof DOMPurify> {
  const source = await (await fetch('/packages/element/node_modules/dompurify/dist/purify.es.mjs')).text();
  const url = URL.createObjectURL(new Blob([trimDompurify(source)], { type: 'text/javascript' }));
  try {
    return ((await import(/* @vite-ignore */ url)) as { default: typeof DOMPurify }).default;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The core sanitizer's settings (packages/core/src/sanitize.ts). */
const CORE_CONFIG: Config = {
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
};

/** A much wider HTML allowlist, so agreement does not hinge on how narrow the core's is. */
const WIDE_CONFIG: Config = {
  ALLOWED_TAGS: ['a', 'b', 'blockquote', 'br', 'code', 'details', 'div', 'em', 'font', 'form', 'h1', 'i', 'img', 'input', 'li', 'ol', 'p', 'pre', 'section', 'select', 'option', 'span', 'strong', 'summary', 'table', 'tbody', 'td', 'textarea', 'title', 'tr', 'ul', 'style', 'noscript', 'template'],
  ALLOWED_ATTR: ['href', 'src', 'alt', 'title', 'class', 'id', 'name', 'value', 'type', 'style'],
};

describe('the DOMPurify inside embed.js', () => {
  it('trims only DOMPurify’s default lists and still sanitizes', async () => {
    const lean = (await leanPurify())(window);
    expect(lean.isSupported).to.equal(true);
    expect(lean.sanitize('<p onclick="x()">hi <img src=x onerror=alert(1)><svg><script>alert(1)</script></svg></p>', CORE_CONFIG)).to.equal('<p>hi </p>');
    // With no allowlist of its own it allows nothing (the default profiles are gone), never more.
    expect(lean.sanitize('<b>bold</b><img src=x onerror=alert(1)>')).to.equal('bold');
  });

  it('gives the full DOMPurify’s output for every corpus record, under the core’s and a wide allowlist', async function () {
    this.timeout(60_000);
    const records = (await (await fetch('/corpus/xss.jsonl')).text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as CorpusRecord);
    expect(records.length).to.be.greaterThan(100);
    const full = DOMPurify(window);
    const lean = (await leanPurify())(window);
    const differences: string[] = [];
    for (const record of records) {
      const payload = payloadOf(record);
      for (const [name, config] of [['core', CORE_CONFIG], ['wide', WIDE_CONFIG]] as const) {
        const expected = full.sanitize(payload, config);
        const actual = lean.sanitize(payload, config);
        if (actual !== expected) differences.push(`${record.id} (${name}): ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
      }
    }
    expect(differences).to.deep.equal([]);
  });
});
