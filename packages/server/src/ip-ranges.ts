import { isIPv4, isIPv6 } from 'node:net';
import { ColloquyError } from '@colloquy/core';

/**
 * IPv4 and IPv6 ranges in CIDR notation: parsed to a canonical form (host bits cleared,
 * IPv6 compressed as RFC 5952 prescribes) and matched against a request's address. An
 * IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, what a dual-stack socket reports) matches
 * IPv4 ranges.
 */
export interface IpRange {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  /** Canonical text, e.g. `203.0.113.0/24` or `2001:db8::/32`. */
  cidr: string;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]!);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
}

function formatIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (the first, on a tie).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `addr/prefix` (or a bare address, a range of one); `invalid_input` naming the text otherwise. */
export function parseCidr(input: string): IpRange {
  const text = input.trim();
  const invalid = () =>
    new ColloquyError('invalid_input', `"${text.slice(0, 100)}" is not an IP range; write it like 203.0.113.0/24 or 2001:db8::/32.`);
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  let family: 4 | 6;
  if (isIPv4(address)) family = 4;
  else if (isIPv6(address) && !address.includes('%')) family = 6;
  else throw invalid();
  const bits = family === 4 ? 32 : 128;
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) throw invalid();
  const prefix = prefixText === null ? bits : Number(prefixText);
  if (prefix > bits) throw invalid();
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  return { family, network, prefix, cidr: `${family === 4 ? formatIpv4(network) : formatIpv6(network)}/${prefix}` };
}

/** An address as a family and number; IPv4-mapped IPv6 counts as IPv4. Null for anything else. */
function parseAddress(address: string): { family: 4 | 6; value: bigint } | null {
  if (isIPv4(address)) return { family: 4, value: ipv4ToBigInt(address) };
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return null;
  const value = ipv6ToBigInt(bare);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

export function rangeContains(range: IpRange, address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed || parsed.family !== range.family) return false;
  const hostBits = BigInt((range.family === 4 ? 32 : 128) - range.prefix);
  return parsed.value >> hostBits === range.network >> hostBits;
}

/** The first range that holds the address, if any. */
export function findRange(ranges: readonly IpRange[], address: string): IpRange | undefined {
  return ranges.find((range) => rangeContains(range, address));
}

/**
 * The network an address belongs to, as canonical CIDR: its first `v4Bits` (IPv4, and
 * IPv4-mapped IPv6) or `v6Bits` (IPv6) bits. Null for text that is not an address.
 */
export function addressNetwork(address: string, v4Bits: number, v6Bits: number): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return null;
  const bits = parsed.family === 4 ? 32 : 128;
  const prefix = parsed.family === 4 ? v4Bits : v6Bits;
  const hostBits = BigInt(bits - prefix);
  const network = (parsed.value >> hostBits) << hostBits;
  return `${parsed.family === 4 ? formatIpv4(network) : formatIpv6(network)}/${prefix}`;
}
