import { linkHost, toPlainText } from './text.js';

/**
 * The features the learned filter counts for one comment: lower-case words, word pairs,
 * one token per link and per link host, markers for long digit runs, shouting and phone-like numbers,
 * and the words of the author's display name (prefixed, so "check" in a name and in a body
 * are different evidence). Each feature counts once per comment: in short texts presence
 * is the signal and repetition mostly adds noise.
 */
export function extractFeatures(body: string, authorName?: string): Set<string> {
  const { text, links } = toPlainText(body);
  const features = new Set<string>();
  let withoutLinks = text;
  for (const link of links) {
    features.add('link');
    const host = linkHost(link);
    features.add(host ? `host:${host}` : 'link:path');
    withoutLinks = withoutLinks.split(link).join(' ');
  }
  if (links.length >= 2) features.add('links:many');

  const lower = withoutLinks.toLowerCase();
  const words = lower.match(/[\p{L}\p{N}']+/gu)?.map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    features.add(`w:${/^\d{4,}$/.test(word) ? '#digits' : word}`);
    if (i > 0) features.add(`b:${words[i - 1]} ${word}`);
  }
  // Emoji or punctuation alone; a bare link has its own tokens and must not look the same.
  if (words.length === 0) features.add(links.length ? 'only:links' : 'only:symbols');
  else if (words.length <= 3) features.add('len:short');
  else if (words.length >= 30) features.add('len:long');

  const letters = withoutLinks.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 12 && letters.replace(/\p{Lu}/gu, '').length / letters.length < 0.3) features.add('shouting');
  if (/(?:\+?\d[\s.-]?){9,}/.test(withoutLinks)) features.add('phone');

  if (authorName) {
    for (const word of toPlainText(authorName).text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      features.add(`a:${word}`);
    }
  }
  return features;
}
