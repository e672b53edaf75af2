/*
 * Where a link really goes, for labels that name a place. `[https://bank.example](https://evil.example)`
 * reads as the bank; the markdown renderer shows the real host beside such a label
 * (docs/decisions/0021-link-hosts-and-reserved-names.md). Only labels with a word that looks like
 * a URL or a domain are checked: "the guide" promises no destination, "bank.example" does.
 */

/** Scripts with letters that pass for Latin ones (and for each other): "аpple" is Cyrillic "а" + Latin. */
const LOOKALIKE_SCRIPTS = [/\p{sc=Latin}/u, /\p{sc=Cyrillic}/u, /\p{sc=Greek}/u, /\p{sc=Armenian}/u, /\p{sc=Cherokee}/u];
const SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;
/** A last label that makes a word a domain: letters (after IDNA mapping) or an IDN's `xn--` form. */
const TOP_LEVEL = /\.(?:[a-z]{2,63}|xn--[a-z\d-]{1,59})$/;

/** A host without the parts that do not change where a reader lands: `www.` and a final dot. */
function comparable(host: string): string {
  return host.replace(/\.$/, '').replace(/^www\./, '');
}

/** The host a word of a label names, or null when the word does not read as a URL or domain. */
function namedHost(word: string): { host: string; typed: string } | null {
  const hasScheme = SCHEME.test(word);
  let url: URL;
  try {
    url = new URL(hasScheme ? word : `http://${word}`);
  } catch {
    return null;
  }
  // The URL parser maps full-width letters and ideographic dots, and gives IDNs as `xn--`.
  const host = url.hostname.replace(/\.$/, '');
  if (!hasScheme && !TOP_LEVEL.test(host)) return null;
  if (host === '') return null;
  const typed = word.replace(SCHEME, '').split(/[/?#]/)[0] ?? '';
  return { host, typed };
}

function mixesScripts(text: string): boolean {
  return LOOKALIKE_SCRIPTS.filter((script) => script.test(text)).length > 1;
}

/**
 * The host to show beside a link's label, or null when the label is honest. A label word that
 * reads as a URL or domain ("https://bank.example", "www.bank.example", "bank.example",
 * "bаnk.example" with a Cyrillic "а") must name the host the link goes to (`www.` aside), and
 * must not spell it in a mix of look-alike scripts. The host comes back as the URL parser gives
 * it: ASCII, with IDNs in their `xn--` form, which cannot pass for another name.
 */
export function misleadingHost(label: string, href: string): string | null {
  let destination: string;
  try {
    destination = new URL(href).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
  if (destination === '') return null;
  for (const raw of label.split(/\s+/)) {
    const word = raw.replace(/^[("'[<«‹“‘]+|[)"'\]>»›”’.,;:!?]+$/gu, '');
    const named = word === '' ? null : namedHost(word);
    if (!named) continue;
    if (comparable(named.host) !== comparable(destination)) return destination;
    if (named.host.includes('xn--') && mixesScripts(named.typed.normalize('NFKC'))) return destination;
  }
  return null;
}
