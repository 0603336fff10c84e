/**
 * IP addresses for the admin allowlist: strict parsing of IPv4 dotted quads and IPv6 (RFC 4291
 * text forms), canonical text (RFC 5952: lowercase, no leading zeros, the longest run of two or
 * more zero groups as "::"), prefix matching. Pure TypeScript: no node:net, so the same rules
 * run everywhere and are tested here.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

export type ParseResult = { ok: true; address: IpAddress } | { ok: false; reason: string };

const bits = (family: IpFamily) => (family === 4 ? 32 : 128);

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): ParseResult {
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'an IPv4 address has four dot-separated numbers (e.g. 198.51.100.7)' };
  let value = 0n;
  for (const part of parts) {
    // "010" would be octal to some parsers and decimal to others: refuse the ambiguity.
    if (!DECIMAL_OCTET.test(part)) {
      return { ok: false, reason: /^0[0-9]+$/.test(part) ? 'IPv4 numbers must not have leading zeros' : 'each IPv4 number must be a decimal 0-255' };
    }
    const n = Number(part);
    if (n > 255) return { ok: false, reason: 'each IPv4 number must be a decimal 0-255' };
    value = (value << 8n) | BigInt(n);
  }
  return { ok: true, address: { family: 4, value } };
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseIpv6(text: string): ParseResult {
  if (text.includes('%')) return { ok: false, reason: 'IPv6 zone indexes (%…) are not allowed' };
  const bad = { ok: false as const, reason: 'not a valid IPv6 address' };
  const halves = text.split('::');
  if (halves.length > 2) return { ok: false, reason: 'an IPv6 address may contain "::" only once' };
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        // Embedded IPv4 in the last 32 bits (e.g. ::ffff:192.0.2.1).
        const v4 = parseIpv4(p);
        if (!v4.ok) return undefined;
        const v = Number(v4.address.value);
        out.push(v >>> 16, v & 0xffff);
      } else if (HEXTET.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return bad;
  const given = head.length + tail.length;
  if (halves.length === 1 && given !== 8) return { ok: false, reason: 'an IPv6 address has eight groups (or "::" for a run of zeros)' };
  if (halves.length === 2 && given > 7) return bad;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { ok: true, address: { family: 6, value } };
}

/** Parses one address (no prefix length). */
export function parseIp(input: string): ParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'must not be empty' };
  if (text.length > 45) return { ok: false, reason: 'not an IP address' };
  if (text.includes(':')) return parseIpv6(text);
  if (/^[0-9.]+$/.test(text)) return parseIpv4(text);
  return { ok: false, reason: 'not an IP address (IPv4 like 198.51.100.7 or IPv6 like 2001:db8::7)' };
}

/** Canonical text: dotted quad, or RFC 5952 IPv6. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 0xffn).toString()).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((address.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of ≥ 2 zero groups; the first one on a tie (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** A prefix such as 10.0.0.0/8; `contains` checks an address of the same family. */
export interface Prefix {
  family: IpFamily;
  base: bigint;
  length: number;
}

export function prefix(text: string): Prefix {
  const [addr, len] = text.split('/');
  const parsed = parseIp(addr ?? '');
  if (!parsed.ok) throw new Error(`bad prefix ${text}: ${parsed.reason}`);
  const length = Number(len ?? bits(parsed.address.family));
  return { family: parsed.address.family, base: parsed.address.value, length };
}

export function contains(p: Prefix, a: IpAddress): boolean {
  if (p.family !== a.family) return false;
  const shift = BigInt(bits(a.family) - p.length);
  return a.value >> shift === p.base >> shift;
}

/** The host prefix length of a family: /32 or /128. */
export const hostPrefixLength = bits;
