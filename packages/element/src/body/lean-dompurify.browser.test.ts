/*
 * embed.js ships DOMPurify (a chunk, for browsers without Element.setHTML) with its default profile lists emptied and specialised to the core
 * sanitizer's configuration (build/lean-dompurify.ts). This checks the claims that make that
 * safe: the folded options are the core's, and under the core's configuration the lean
 * DOMPurify gives exactly the output of the full one, on every record of the security corpus
 * (`shared/corpus/xss.jsonl`, mutation-XSS and namespace-confusion payloads included).
 */
import { expect } from '@open-wc/testing';
import DOMPurify, { type Config } from 'dompurify';
// The configuration itself, not a copy: it is not part of the core package's API.
import { SANITIZE_CONFIG } from '../../../core/src/sanitize.js';
import { CORE_HOOKS, FOLDED_OPTIONS, leanDompurifySource } from '../../build/lean-dompurify.js';

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
  const url = URL.createObjectURL(new Blob([leanDompurifySource(source)], { type: 'text/javascript' }));
  try {
    return ((await import(/* @vite-ignore */ url)) as { default: typeof DOMPurify }).default;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Options the lean DOMPurify still reads from each call; every other one is folded. */
const HONOURED_OPTIONS = ['ALLOWED_TAGS', 'ALLOWED_ATTR', 'ALLOWED_URI_REGEXP'];

/**
 * A much wider HTML allowlist with the core's other options (the ones the build folds), so
 * agreement does not hinge on how narrow the core's allowlist is.
 */
const WIDE_CONFIG = {
  ...SANITIZE_CONFIG,
  ALLOWED_TAGS: ['a', 'b', 'blockquote', 'br', 'code', 'details', 'div', 'em', 'font', 'form', 'h1', 'i', 'img', 'input', 'li', 'ol', 'p', 'pre', 'section', 'select', 'option', 'span', 'strong', 'summary', 'table', 'tbody', 'td', 'textarea', 'title', 'tr', 'ul', 'style', 'noscript', 'template'],
  ALLOWED_ATTR: ['href', 'src', 'alt', 'title', 'class', 'id', 'name', 'value', 'type', 'style'],
} satisfies Config;

/** The markup of a sanitized fragment, as the core serializes it (null: a frameset document). */
function serialize(fragment: DocumentFragment | null): string {
  if (fragment === null) return 'null';
  const holder = document.createElement('div');
  holder.appendChild(fragment);
  return holder.innerHTML;
}

describe('the DOMPurify inside embed.js', () => {
  it('folds exactly the options the core sets, to the values it sets', () => {
    for (const [option, value] of Object.entries(SANITIZE_CONFIG)) {
      if (HONOURED_OPTIONS.includes(option)) continue;
      expect(FOLDED_OPTIONS, option).to.have.property(option, value);
    }
  });

  it('keeps exactly the hooks the core adds', async () => {
    const source = await (await fetch('/packages/core/src/sanitize.ts')).text();
    const added = [...source.matchAll(/\.addHook\(['"](\w+)['"]/g)].map(([, hook]) => hook).sort();
    expect(added).to.deep.equal([...CORE_HOOKS].sort());
  });

  it('runs the hooks it keeps, as the full DOMPurify does', async () => {
    const lean = (await leanPurify())(window);
    lean.addHook('uponSanitizeElement', (node) => {
      if (node.nodeType === 3) (node as Text).data = (node as Text).data.toUpperCase();
    });
    expect(serialize(lean.sanitize('<p>hi <a href="https://example.org/">there</a></p>', SANITIZE_CONFIG))).to.equal('<p>HI <a href="https://example.org/">THERE</a></p>');
  });

  it('still sanitizes, and with no allowlist of its own allows nothing', async () => {
    const lean = (await leanPurify())(window);
    expect(lean.isSupported).to.equal(true);
    expect(serialize(lean.sanitize('<p onclick="x()">hi <img src=x onerror=alert(1)><svg><script>alert(1)</script></svg></p>', SANITIZE_CONFIG))).to.equal('<p>hi </p>');
    // The default profiles are gone, so a call without a config allows no element, never more.
    // Output is always a fragment, as the core asks for.
    expect(serialize(lean.sanitize('<b>bold</b><img src=x onerror=alert(1)>') as unknown as DocumentFragment)).to.equal('bold');
  });

  it('gives the full DOMPurify’s output for every corpus record, under the core’s configuration and with a wider allowlist', async function () {
    this.timeout(60_000);
    const corpus = await fetch('/corpus/xss.jsonl');
    if (!corpus.ok) throw new Error(await corpus.text());
    const records = (await corpus.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as CorpusRecord);
    expect(records.length).to.be.greaterThan(100);
    const full = DOMPurify(window);
    const lean = (await leanPurify())(window);
    const differences: string[] = [];
    for (const record of records) {
      const payload = payloadOf(record);
      for (const [name, config] of [['core', SANITIZE_CONFIG], ['wide', WIDE_CONFIG]] as const) {
        const expected = serialize(full.sanitize(payload, config));
        const actual = serialize(lean.sanitize(payload, config));
        if (actual !== expected) differences.push(`${record.id} (${name}): ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
      }
    }
    expect(differences).to.deep.equal([]);
  });
});
