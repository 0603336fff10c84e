/**
 * The preference policy (config/preference-policy.json), kept apart from the contact policy: the
 * contact policy says what is allowed (law, consent, caps); this one only says how to order what is
 * allowed, and it changes on a different rhythm (experiments, refreshed priors). Validated once at
 * cold start so a bad edit fails loudly.
 */
import { z } from 'zod';
import { parseConfigDocument } from '../config-document';
import { CHANNELS, type Channel } from '../portfolio/account';
import defaultPolicyJson from '../../../config/preference-policy.json';

const channel = z.enum(CHANNELS);
const kind = z.string().regex(/^[a-z][a-z_]*$/, 'counter kind: lower_snake_case');
const prior = z.strictObject({ alpha: z.number().positive().max(1e6), beta: z.number().positive().max(1e6) });

const responseSpec = z.strictObject({
  /** Counter kinds that count as an attempt, in order of preference: the first with a non-zero total is used. */
  attempts: z.array(kind).min(1),
  /** Counter kind -> weight in [0, 1] of one such event as a response (0 = ignored). */
  responses: z.record(kind, z.number().min(0).max(1)),
});

export const preferencePolicySchema = z
  .strictObject({
    version: z.literal(1),
    /** false: every account keeps the baseline plan order (ranker name `baseline`). */
    enabled: z.boolean(),
    experiment: z.strictObject({
      /** Also the holdout hashing salt: a new id reshuffles who is held out. */
      id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
      /** Share of accounts kept on the baseline order (champion), stable across days. */
      holdoutFraction: z.number().min(0).max(1),
    }),
    /** Salt of the per (account, day, channel) Thompson draws. */
    samplingSalt: z.string().min(1),
    responses: z.strictObject({ email: responseSpec, sms: responseSpec, voice: responseSpec }),
    history: z.strictObject({
      /** Monthly counter items older than this many months (run month = 0) are ignored. */
      maxMonths: z.number().int().min(1).max(24),
      /** A month `k` months back weighs 0.5^(k / halfLifeMonths); null = no decay. */
      halfLifeMonths: z.number().positive().nullable(),
    }),
    paymentAttribution: z.strictObject({
      /** A payment dated within N days after the last attempt credits that attempt's channel; 0 = off. */
      windowDays: z.number().int().min(0).max(35),
      weight: z.number().min(0).max(1),
    }),
    /** Multiplier of each channel's sampled response probability (what a response is worth). */
    value: z.strictObject({ email: z.number().positive(), sms: z.number().positive(), voice: z.number().positive() }),
    priors: z.strictObject({
      default: z.strictObject({ email: prior, sms: prior, voice: prior }),
      segments: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.partialRecord(channel, prior)),
    }),
    /** Bounds of empiricalBayesPrior (pseudo-observations) and the pooled size below which it falls back. */
    empiricalBayes: z.strictObject({
      minStrength: z.number().positive(),
      maxStrength: z.number().positive(),
      minAccounts: z.number().int().min(1),
    }),
  })
  .superRefine((p, ctx) => {
    if (p.empiricalBayes.minStrength > p.empiricalBayes.maxStrength) {
      ctx.addIssue({ code: 'custom', path: ['empiricalBayes'], message: 'minStrength must be <= maxStrength' });
    }
    for (const c of CHANNELS) {
      if (!Object.values(p.responses[c].responses).some((w) => w > 0)) {
        ctx.addIssue({ code: 'custom', path: ['responses', c, 'responses'], message: 'at least one kind must have a weight > 0' });
      }
    }
  });

export type PreferencePolicy = z.infer<typeof preferencePolicySchema>;
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** Validate a preference policy document (parsed JSON). Throws ConfigurationError listing every issue. */
export function loadPreferencePolicy(json: unknown): PreferencePolicy {
  return parseConfigDocument(preferencePolicySchema, json, 'preference policy');
}

export const DEFAULT_PREFERENCE_POLICY: PreferencePolicy = loadPreferencePolicy(defaultPolicyJson);

/** The segment's prior for a channel, else the default one. */
export function priorFor(policy: PreferencePolicy, segment: string, ch: Channel): BetaPrior {
  return policy.priors.segments[segment]?.[ch] ?? policy.priors.default[ch];
}

