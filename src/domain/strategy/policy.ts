/**
 * The contact policy: every threshold of the strategy lives in config/contact-policy.json and is
 * validated here once (cold start), so a bad edit fails loudly instead of silently over-contacting.
 */
import { z } from 'zod';
import { parseConfigDocument } from '../config-document';
import { CHANNELS, type Channel } from '../portfolio/account';
import defaultPolicyJson from '../../../config/contact-policy.json';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
const channel = z.enum(CHANNELS);
const count = z.number().int().min(0);
const capSchema = z.strictObject({ max: count, windowDays: z.number().int().min(1).max(35) });

const segmentSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'segment id: lower_snake_case'),
  description: z.string().optional(),
  /** All conditions must hold (AND); the first matching segment wins; omit a bound to leave it open. */
  when: z.strictObject({
    dpdMin: count.optional(),
    dpdMax: count.optional(),
    scoreMin: z.number().min(0).max(1).optional(),
    scoreMax: z.number().min(0).max(1).optional(),
    balanceMinCents: count.optional(),
    balanceMaxCents: count.optional(),
  }),
  channels: z.array(channel).min(1),
  maxChannelsPerDay: z.number().int().min(1).max(3),
  templates: z.partialRecord(channel, z.string().regex(/^[a-z0-9][a-z0-9-]*$/)),
  sendTimes: z.partialRecord(channel, HHMM),
});

const statePolicySchema = z.strictObject({
  /** Calls and texts (and recorded messages) together, rolling 7 days (e.g. MA 940 CMR 7.04(1)(f)). */
  callsAndTextsPer7Days: count.optional(),
  /** Every channel together, rolling 7 days (e.g. NYC-style rules). */
  allChannelsPer7Days: count.optional(),
});

export const contactPolicySchema = z
  .strictObject({
    version: z.literal(1),
    contactWindow: z.strictObject({ start: HHMM, end: HHMM }),
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
    defaultLanguage: z.string().regex(/^[a-z]{2}$/),
    regF: z.strictObject({
      /** §1006.14(b)(2)(i): at most this many call attempts per debt in 7 consecutive days. */
      callsPer7Days: count,
      /** §1006.14(b)(2)(ii): no call within this many days after a phone conversation. */
      conversationCooldownDays: count,
    }),
    channelCaps: z.strictObject({ email: capSchema, sms: capSchema }),
    statePolicies: z.record(z.string().regex(/^[A-Z]{2}$/), statePolicySchema),
    promiseToPay: z.strictObject({
      /** Outreach resumes on promiseDate + N days (0: the promise date itself). */
      resumeDaysAfterPromise: count,
    }),
    /** Overrides of the built-in USPS state -> IANA zones table (first zone = display zone). */
    stateTimezones: z.record(z.string().regex(/^[A-Z]{2}$/), z.array(z.string().min(1)).min(1)),
    segments: z.array(segmentSchema).min(1),
  })
  .superRefine((p, ctx) => {
    if (p.contactWindow.start >= p.contactWindow.end) {
      ctx.addIssue({ code: 'custom', path: ['contactWindow'], message: 'start must be before end' });
    }
    if (!p.languages.includes(p.defaultLanguage)) {
      ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: 'must be one of languages' });
    }
    const ids = new Set<string>();
    p.segments.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['segments', i, 'id'], message: `duplicate segment ${s.id}` });
      ids.add(s.id);
      if (new Set(s.channels).size !== s.channels.length) {
        ctx.addIssue({ code: 'custom', path: ['segments', i, 'channels'], message: 'duplicate channel' });
      }
      for (const c of s.channels) {
        if (!s.templates[c]) ctx.addIssue({ code: 'custom', path: ['segments', i, 'templates', c], message: 'missing template' });
        if (!s.sendTimes[c]) ctx.addIssue({ code: 'custom', path: ['segments', i, 'sendTimes', c], message: 'missing send time' });
      }
    });
    // A catch-all last segment guarantees every account gets a segment (and an audit line).
    const last = p.segments[p.segments.length - 1];
    if (last && Object.values(last.when).some((v) => v !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['segments', p.segments.length - 1, 'when'], message: 'the last segment must be a catch-all ({})' });
    }
    for (const [state, zones] of Object.entries(p.stateTimezones)) {
      zones.forEach((zone, i) => {
        if (!isValidTimeZone(zone)) ctx.addIssue({ code: 'custom', path: ['stateTimezones', state, i], message: `unknown IANA zone ${zone}` });
      });
    }
  });

export type ContactPolicy = z.infer<typeof contactPolicySchema>;
export type SegmentPolicy = ContactPolicy['segments'][number];

/** Validate a policy document (parsed JSON). Throws ConfigurationError listing every issue. */
export function loadContactPolicy(json: unknown): ContactPolicy {
  return parseConfigDocument(contactPolicySchema, json, 'contact policy');
}

export const DEFAULT_CONTACT_POLICY: ContactPolicy = loadContactPolicy(defaultPolicyJson);

/**
 * How many days of contact history the rules can look back over: the longest cap or cooldown
 * window, plus a day because a window ending in the consumer's evening spans two UTC dates.
 * Keeping only this much keeps the ledger item small (its size drives write cost).
 */
export function historyWindowDays(policy: ContactPolicy): number {
  const windows = [7, policy.regF.conversationCooldownDays, policy.channelCaps.email.windowDays, policy.channelCaps.sms.windowDays];
  return Math.max(...windows) + 1;
}

const zoneValidity = new Map<string, boolean>();
/** True when the runtime's ICU knows this IANA zone. Cached: called for every account. */
export function isValidTimeZone(zone: string): boolean {
  let ok = zoneValidity.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0;
    } catch {
      ok = false;
    }
    zoneValidity.set(zone, ok);
  }
  return ok;
}

export type { Channel };

