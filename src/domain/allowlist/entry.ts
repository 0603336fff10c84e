/**
 * The allowlist's rules: which host may be added (one public host, /32 or /128), for how long,
 * with which note, and the text of the security group rule's description.
 */
import { contains, formatIp, hostPrefixLength, parseIp, type IpAddress, type IpFamily, type Prefix } from './ip';
import { specialPurposeReason } from './special-ranges';

/** The one port the allowlist opens (HTTPS). */
export const ALLOWLIST_PORT = 443;

export const HOURS = { min: 1, max: 24, default: 12 } as const;
export const NOTE_MAX = 200;
/** EC2 security group rule descriptions: at most 255 characters of this set. */
export const EC2_DESCRIPTION_MAX = 255;
const EC2_DESCRIPTION_CHAR = /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/;

export type HostResult = { ok: true; host: Host } | { ok: false; reason: string };

/** One host: the canonical address and its CIDR (what EC2 gets). */
export interface Host {
  family: IpFamily;
  ip: string;
  cidr: string;
  address: IpAddress;
}

/**
 * Parses "198.51.100.7", "198.51.100.7/32", "2001:db8::7" or "2001:db8::7/128" into one public
 * host. Any other prefix length, and any special-purpose address, is refused with the reason.
 */
export function parseHost(input: string): HostResult {
  const text = input.trim();
  const slash = text.indexOf('/');
  const parsed = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!parsed.ok) return parsed;
  const { address } = parsed;
  const hostLength = hostPrefixLength(address.family);
  if (slash >= 0) {
    const len = text.slice(slash + 1);
    if (len !== String(hostLength)) {
      return { ok: false, reason: `only a single host can be allowed: /${hostLength} for ${address.family === 4 ? 'IPv4' : 'IPv6'}` };
    }
  }
  const special = specialPurposeReason(address);
  if (special) return { ok: false, reason: `refused: ${special}` };
  const ip = formatIp(address);
  return { ok: true, host: { family: address.family, ip, cidr: `${ip}/${hostLength}`, address } };
}

/** A CIDR as EC2 reports it (office ranges); undefined when it is not one we can read. */
export function parseCidr(text: string): Prefix | undefined {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const parsed = parseIp(addr);
  if (!parsed.ok) return undefined;
  const max = hostPrefixLength(parsed.address.family);
  const length = len === undefined ? max : Number(len);
  if (!Number.isInteger(length) || length < 0 || length > max || (len !== undefined && !/^[0-9]{1,3}$/.test(len))) return undefined;
  return { family: parsed.address.family, base: parsed.address.value, length };
}

/** True when the host already falls inside one of these CIDRs (e.g. the office ranges). */
export function coveredBy(host: Host, cidrs: readonly string[]): string | undefined {
  return cidrs.find((c) => {
    const p = parseCidr(c);
    return p !== undefined && contains(p, host.address);
  });
}

export type HoursResult = { ok: true; hours: number } | { ok: false; reason: string };

export function checkHours(hours: number | undefined): HoursResult {
  if (hours === undefined) return { ok: true, hours: HOURS.default };
  if (!Number.isInteger(hours) || hours < HOURS.min || hours > HOURS.max) {
    return { ok: false, reason: `must be a whole number of hours from ${HOURS.min} to ${HOURS.max}` };
  }
  return { ok: true, hours };
}

export type NoteResult = { ok: true; note: string | undefined } | { ok: false; reason: string };

/** Free text for the audit trail and the listing (never sent to EC2). Control characters refused. */
export function checkNote(note: string | undefined): NoteResult {
  if (note === undefined) return { ok: true, note: undefined };
  const trimmed = note.trim();
  if (trimmed.length > NOTE_MAX) return { ok: false, reason: `must be at most ${NOTE_MAX} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return { ok: false, reason: 'must not contain control characters' };
  return { ok: true, note: trimmed === '' ? undefined : trimmed };
}

export const expiryOf = (now: Date, hours: number): Date => new Date(now.getTime() + hours * 3_600_000);

/** UTC, second precision: 2026-01-05T10:04:05Z. */
export const utcStamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/**
 * The rule's description, `<user> <UTC date-time>`: what an operator sees in the console.
 * Characters EC2 does not accept become "_", and the user part is cut so the whole fits 255.
 */
export function ruleDescription(user: string, now: Date): string {
  const stamp = utcStamp(now);
  const clean = [...user].map((c) => (EC2_DESCRIPTION_CHAR.test(c) ? c : '_')).join('');
  const room = EC2_DESCRIPTION_MAX - stamp.length - 1;
  return `${clean.slice(0, room) || 'unknown'} ${stamp}`;
}

/** True when every character is one EC2 accepts in a description and the length fits. */
export const isValidEc2Description = (s: string): boolean =>
  s.length <= EC2_DESCRIPTION_MAX && [...s].every((c) => EC2_DESCRIPTION_CHAR.test(c));

/** A dynamic entry as the allowlist keeps it (who, when, until when). */
export interface AllowlistEntry {
  ip: string;
  cidr: string;
  family: IpFamily;
  addedBy: string;
  addedBySub: string;
  note?: string;
  createdAt: string;
  expiresAt: string;
  description: string;
}

export const isExpired = (e: Pick<AllowlistEntry, 'expiresAt'>, now: Date): boolean => Date.parse(e.expiresAt) <= now.getTime();
