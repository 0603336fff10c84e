/**
 * Local-time arithmetic with the runtime's ICU data only (Intl.DateTimeFormat), no tz library.
 * Everything is cached per (zone, date[, time]): the strategy runs ~200k times a day but only
 * ever touches a few dozen zones on a single date.
 */
import { isValidTimeZone } from './policy';

/**
 * USPS state -> IANA zones. The first zone is the display zone (where most residents live);
 * the others are zones part of the state observes. With no account timezone we may only
 * contact at hours convenient in all of them (Reg F §1006.6(b)(1)(i)).
 */
export const STATE_TIMEZONES: Readonly<Record<string, readonly string[]>> = {
  AL: ['America/Chicago'],
  AK: ['America/Anchorage', 'America/Juneau', 'America/Sitka', 'America/Yakutat', 'America/Nome', 'America/Metlakatla', 'America/Adak'],
  // Navajo Nation observes DST (America/Denver) while the rest of Arizona does not.
  AZ: ['America/Phoenix', 'America/Denver'],
  AR: ['America/Chicago'],
  CA: ['America/Los_Angeles'],
  CO: ['America/Denver'],
  CT: ['America/New_York'],
  DE: ['America/New_York'],
  DC: ['America/New_York'],
  FL: ['America/New_York', 'America/Chicago'],
  GA: ['America/New_York'],
  HI: ['Pacific/Honolulu'],
  ID: ['America/Boise', 'America/Los_Angeles'],
  IL: ['America/Chicago'],
  IN: ['America/Indiana/Indianapolis', 'America/Chicago'],
  IA: ['America/Chicago'],
  KS: ['America/Chicago', 'America/Denver'],
  KY: ['America/New_York', 'America/Chicago'],
  LA: ['America/Chicago'],
  ME: ['America/New_York'],
  MD: ['America/New_York'],
  MA: ['America/New_York'],
  MI: ['America/Detroit', 'America/Menominee'],
  MN: ['America/Chicago'],
  MS: ['America/Chicago'],
  MO: ['America/Chicago'],
  MT: ['America/Denver'],
  NE: ['America/Chicago', 'America/Denver'],
  NV: ['America/Los_Angeles', 'America/Denver'],
  NH: ['America/New_York'],
  NJ: ['America/New_York'],
  NM: ['America/Denver'],
  NY: ['America/New_York'],
  NC: ['America/New_York'],
  ND: ['America/Chicago', 'America/Denver'],
  OH: ['America/New_York'],
  OK: ['America/Chicago'],
  OR: ['America/Los_Angeles', 'America/Boise'],
  PA: ['America/New_York'],
  RI: ['America/New_York'],
  SC: ['America/New_York'],
  SD: ['America/Chicago', 'America/Denver'],
  TN: ['America/Chicago', 'America/New_York'],
  TX: ['America/Chicago', 'America/Denver'],
  UT: ['America/Denver'],
  VT: ['America/New_York'],
  VA: ['America/New_York'],
  WA: ['America/Los_Angeles'],
  WV: ['America/New_York'],
  WI: ['America/Chicago'],
  WY: ['America/Denver'],
  PR: ['America/Puerto_Rico'],
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    remember(formatters, zone, f);
  }
  return f;
}

// Long-lived Lambda containers keep these caches across days; a crude bound keeps them small.
const CACHE_LIMIT = 20_000;
function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const offsetCache = new Map<string, number>();

/** UTC offset of `zone` at instant `utcMs`, in minutes (e.g. -240 for EDT). */
export function offsetMinutes(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const key = `${zone}|${whole}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  return remember(offsetCache, key, computeOffset(zone, whole));
}

function computeOffset(zone: string, whole: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of formatterFor(zone).formatToParts(whole)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  return Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - whole) / MINUTE);
}

export interface ZonedInstant {
  utcMs: number;
  offsetMinutes: number;
  /** False when the wall-clock time did not exist (spring-forward gap) and was moved later. */
  exists: boolean;
}

const zonedCache = new Map<string, ZonedInstant>();

/**
 * The instant a wall-clock time happens in `zone` on `date` (YYYY-MM-DD, HH:MM).
 * Like Temporal's 'compatible' disambiguation: a time in the spring-forward gap moves forward by
 * the gap (02:30 -> 03:30 EDT); a repeated time in the fall-back hour takes the earlier instant.
 */
export function zonedTimeToUtc(zone: string, date: string, hhmm: string): ZonedInstant {
  const key = `${zone}|${date}|${hhmm}`;
  let hit = zonedCache.get(key);
  if (hit) return hit;
  const local = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5)));
  // Real offsets lie within [-12h, +14h], so these bracket any transition near `local`.
  const before = offsetMinutes(zone, local - 14 * HOUR);
  const after = offsetMinutes(zone, local + 14 * HOUR);
  const candidates: ZonedInstant[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const utcMs = local - off * MINUTE;
    if (offsetMinutes(zone, utcMs) === off) candidates.push({ utcMs, offsetMinutes: off, exists: true });
  }
  candidates.sort((a, b) => a.utcMs - b.utcMs);
  if (candidates[0]) {
    hit = candidates[0];
  } else {
    const utcMs = local - before * MINUTE;
    hit = { utcMs, offsetMinutes: offsetMinutes(zone, utcMs), exists: false };
  }
  return remember(zonedCache, key, hit);
}

interface LocalView {
  iso: string;
  hhmm: string;
}

// zone -> instant -> view. Nested maps: no key strings built on the hot path.
const viewCache = new Map<string, Map<number, LocalView>>();

function localView(utcMs: number, zone: string): LocalView {
  let byMs = viewCache.get(zone);
  if (!byMs) byMs = remember(viewCache, zone, new Map<number, LocalView>());
  let v = byMs.get(utcMs);
  if (!v) {
    const off = offsetMinutes(zone, utcMs);
    const local = new Date(utcMs + off * MINUTE).toISOString().slice(0, 19);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    v = remember(byMs, utcMs, { iso: `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`, hhmm: local.slice(11, 16) });
  }
  return v;
}

/** `2026-03-09T12:00:00-04:00`: the instant as wall-clock time in `zone` with its offset. */
export function formatInZone(utcMs: number, zone: string): string {
  return localView(utcMs, zone).iso;
}

/** Wall-clock HH:MM of an instant in `zone`. */
export function localHHMM(utcMs: number, zone: string): string {
  return localView(utcMs, zone).hhmm;
}

export interface ResolvedZones {
  /** Display zone: `timezone` of the actions and the offset of `sendAt`. */
  primary: string;
  /** Every zone the consumer may be in; sends must be convenient in all of them. */
  zones: readonly string[];
  source: 'account' | 'state';
}

/**
 * The consumer's zones: an explicit valid account timezone alone; otherwise every zone of the
 * state (policy overrides first). Null when neither is known.
 */
export function resolveZones(
  timezone: string | null,
  state: string,
  overrides: Readonly<Record<string, readonly string[]>> = {},
): ResolvedZones | null {
  if (timezone && isValidTimeZone(timezone)) return { primary: timezone, zones: [timezone], source: 'account' };
  const zones = overrides[state] ?? STATE_TIMEZONES[state];
  if (!zones || !zones[0]) return null;
  return { primary: zones[0], zones, source: 'state' };
}

export interface SendWindow {
  /** First allowed instant (inclusive). */
  startMs: number;
  /** End of the window (exclusive): nothing is sent at or after it. */
  endMs: number;
}

const windowCache = new Map<string, SendWindow | null>();

/**
 * The instants of `date` that are inside [start, end) local time in every zone: the
 * intersection of each zone's window. Null when the zones share no convenient time.
 */
export function sendWindow(zones: readonly string[], date: string, start: string, end: string): SendWindow | null {
  const key = `${zones.join(',')}|${date}|${start}|${end}`;
  const cached = windowCache.get(key);
  if (cached !== undefined) return cached;
  let startMs = -Infinity;
  let endMs = Infinity;
  for (const z of zones) {
    startMs = Math.max(startMs, zonedTimeToUtc(z, date, start).utcMs);
    endMs = Math.min(endMs, zonedTimeToUtc(z, date, end).utcMs);
  }
  const w = startMs < endMs ? { startMs, endMs } : null;
  return remember(windowCache, key, w);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
