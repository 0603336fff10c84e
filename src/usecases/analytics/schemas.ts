/** Request and response schemas of GET /analytics/operational and /analytics/strategic (OpenAPI from these). */
import { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import { zodIssues } from '../../middleware/parse-event';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const analyticsQuerySchema = z
  .object({
    from: date.optional().describe('first run date (YYYY-MM-DD); default: 6 days before `to`'),
    to: date.optional().describe('last run date (YYYY-MM-DD); default: the latest run in the lake'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'at most 366 days', path: ['to'] });
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const rate = z.number().nullable().describe('ratio in [0, 1], null when the denominator is 0');
const period = z.object({ from: z.string(), to: z.string() });
const byChannel = z.object({ email: z.number(), sms: z.number(), total: z.number() });
const channelRates = z.object({ delivered: rate, open: rate, click: rate, reply: rate });

export const operationalSchema = z.object({
  period,
  messagesByDay: z.array(z.object({ date: z.string(), channel: z.string(), planned: z.number(), sent: z.number(), suppressed: z.number(), notSent: z.number() })),
  messages: z.object({ email: z.number(), sms: z.number(), voicePlanned: z.number() }),
  rates: z.object({ email: channelRates, sms: channelRates }),
  optOuts: byChannel,
  bounces: byChannel.extend({ permanent: z.number(), transient: z.number() }),
  complaints: byChannel,
  payments: z.object({ count: z.number(), amountCents: z.number(), accounts: z.number() }),
  calls: z
    .object({
      placed: z.number(),
      byOutcome: z.record(z.string(), z.number()),
      conversations: z.number().describe('connected + cease: right-party conversations'),
      rightPartyContactRate: rate,
      doNotCall: z.number().describe('cease + wrong_number: numbers put on the voice suppression list'),
    })
    .describe('what the dialer reported (docs/dialer.md)'),
  costs: z.object({
    unitCostsUsd: z.object({ email: z.number(), sms: z.number(), voice: z.number() }),
    contacts: z.number().describe('emails and texts sent + calls planned'),
    totalUsd: z.number(),
    perContactUsd: z.number().nullable(),
    cures: z.number(),
    perCureUsd: z.number().nullable(),
  }),
  runs: z.array(
    z.object({
      runDate: z.string(),
      status: z.string(),
      accounts: z.number(),
      scored: z.number(),
      rejected: z.number(),
      contacted: z.number(),
      actions: z.object({ email: z.number(), sms: z.number(), voice: z.number(), total: z.number() }),
      chunks: z.number(),
      failedChunks: z.array(z.object({ index: z.number(), error: z.string() })),
      error: z.string().nullable(),
    }),
  ),
  latestRun: z
    .object({ runDate: z.string(), rejects: z.array(z.object({ reason: z.string(), rows: z.number() })) })
    .nullable()
    .describe('the last run of the period (its summary is the last entry of runs) and its rejected rows by reason'),
});
export type Operational = z.infer<typeof operationalSchema>;

const rateOf = z.object({ accounts: z.number(), cured: z.number(), rate });
const armOutcome = z.object({ successes: z.number(), trials: z.number(), rate: z.number() });
const lift = z.object({
  learned: armOutcome,
  holdout: armOutcome,
  lift: z.number(),
  relativeLift: z.number().nullable(),
  lower: z.number(),
  upper: z.number(),
  confidence: z.number(),
  method: z.string(),
});

export const strategicSchema = z.object({
  period,
  cureRateBySegment: z.record(z.string(), rateOf),
  cureRateByWeek: z.array(rateOf.extend({ week: z.string(), segment: z.string() })),
  rollRates: z.array(z.object({ from: z.string(), to: z.string(), accounts: z.number(), rate })),
  channelEffectiveness: z.array(z.object({ date: z.string(), channel: z.string(), contacted: z.number(), responded: z.number(), rate })),
  lift: z.object({ responseRate: lift.nullable(), cureRate: lift.nullable() }).describe('learned vs holdout; null while an arm has no trials'),
  compliance: z.object({
    suppressedByRule: z.record(z.string(), z.number()),
    optOutLatencySeconds: z.object({ events: z.number(), p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }),
    caps: z.object({
      regF: z.object({ limit: z.number(), maxIn7Days: z.number(), headroom: z.number(), accountsAtCap: z.number(), accountsOverCap: z.number() }),
      stateMA: z.object({ limit: z.number(), maxIn7Days: z.number(), headroom: z.number(), accountsAtCap: z.number(), accountsOverCap: z.number() }),
    }),
    violations: z.record(z.string(), z.number()),
    totalViolations: z.number(),
  }),
});
export type Strategic = z.infer<typeof strategicSchema>;

/** The query string of GET /analytics/*, validated (400 with field-level issues). */
export function parseAnalyticsQuery(query: Record<string, string | undefined> | undefined): AnalyticsQuery {
  const parsed = analyticsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw new ValidationError('invalid query string', zodIssues(parsed.error));
  return parsed.data;
}
