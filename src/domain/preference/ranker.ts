/**
 * Thompson-sampling ChannelRanker with a champion/challenger holdout. For each allowed channel it
 * draws θ from the account's Beta posterior (segment prior + the account's own attempts and
 * responses) and orders channels by value × θ. It only reorders `ctx.allowed` (consent, opt-outs
 * and caps are decided before, and re-checked after, by the engine), so it can change which
 * compliant channel is used, never whether a rule is kept.
 *
 * Deterministic: each draw uses its own PRNG seeded from (samplingSalt, accountId, runDate,
 * channel), so re-running a day reproduces the same samples whatever other channels are allowed;
 * and channels this run already planned for the account (a re-run after a partial failure, seen in
 * the LOG) keep their place at the top even if engagement counters moved since.
 */
import type { Channel } from '../portfolio/account';
import type { ChannelRanker, RankerContext } from '../strategy/types';
import { posterior, samplePosterior } from './beta';
import { assignArm, type Arm } from './holdout';
import { priorFor, type PreferencePolicy } from './policy';
import { SeededRng, type RandomSource } from './random';
import { attributePayment, creditResponse, voiceStatsFromHistory, type ChannelStat, type ChannelStats } from './stats';

/** Names in reasons (`ranker:<name>(…)`, `channel:<ch>(rank=…,ranker=<name>)`): they carry the arm. */
export const LEARNED_RANKER_NAME = 'thompson';
export const HOLDOUT_RANKER_NAME = 'baseline-holdout';
export const DISABLED_RANKER_NAME = 'baseline';

export interface ThompsonRankerOptions {
  /** The account's email/SMS (and optionally voice) stats, loaded for the whole chunk beforehand. */
  statsFor: (accountId: string) => ChannelStats | undefined;
  policy: PreferencePolicy;
  /** Random source for one draw key; default: a mulberry32 seeded with a hash of the key. */
  rngFor?: (key: string) => RandomSource;
}

export interface ChannelScore {
  channel: Channel;
  stat: ChannelStat | undefined;
  alpha: number;
  beta: number;
  /** The Thompson draw. */
  theta: number;
  /** value × theta: the sort key. */
  score: number;
  /** Already planned by an earlier run of this day (kept first). */
  planned: boolean;
}

export interface PreferenceRanker extends ChannelRanker {
  /**
   * `thompson`, `baseline-holdout` or `baseline` (disabled) — the arm of the account ranked last.
   * decide() is synchronous and reads the name right after rank(), so with one ranker per chunk
   * the name always belongs to the account being decided. Use forAccount() for a stateless ranker.
   */
  readonly name: string;
  armOf(accountId: string): Arm;
  /** A stateless ranker for one account: the learned one or the holdout baseline. */
  forAccount(accountId: string): ChannelRanker;
  /** The draws behind a learned ranking (for audits, simulations and tests); order = rank order. */
  explain(ctx: RankerContext): ChannelScore[];
}

export function createThompsonRanker(opts: ThompsonRankerOptions): PreferenceRanker {
  const { policy, statsFor } = opts;
  const rngFor = opts.rngFor ?? ((key: string) => SeededRng.fromKey(key));

  const holdoutRanker: ChannelRanker = {
    name: policy.enabled ? HOLDOUT_RANKER_NAME : DISABLED_RANKER_NAME,
    rank: (ctx) => ctx.allowed,
  };
  const explain = (ctx: RankerContext): ChannelScore[] => {
    const accountId = ctx.account.accountId;
    const own = `${ctx.runDate}#${accountId}#`;
    const stats = statsFor(accountId) ?? {};
    const fromLog = ctx.allowed.includes('voice') && !stats.voice ? voiceStatsFromHistory(ctx.history, own, policy) : undefined;
    const paid = attributePayment(ctx.history, ctx.account.lastPaymentDate, policy.paymentAttribution.windowDays, own);
    // Channels planned by an earlier run of this day, in the order they were sent.
    const plannedOrder = ctx.history
      .filter((e) => e.kind === 'attempt' && e.actionId?.startsWith(own))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .map((e) => e.channel);
    const scores = ctx.allowed.map((channel, planIndex) => {
      let stat = channel === 'voice' ? (stats.voice ?? fromLog) : stats[channel];
      if (paid === channel) stat = creditResponse(stat, policy.paymentAttribution.weight);
      const post = posterior(priorFor(policy, ctx.segment, channel), stat);
      const theta = samplePosterior(post, rngFor(`${policy.samplingSalt}|${accountId}|${ctx.runDate}|${channel}`));
      const p = plannedOrder.indexOf(channel);
      return { s: { channel, stat, alpha: post.alpha, beta: post.beta, theta, score: policy.value[channel] * theta, planned: p >= 0 }, planIndex, p };
    });
    scores.sort((a, b) => {
      if (a.s.planned !== b.s.planned) return a.s.planned ? -1 : 1;
      if (a.s.planned) return a.p - b.p;
      // Ties (practically never with continuous draws) keep the plan order.
      return b.s.score - a.s.score || a.planIndex - b.planIndex;
    });
    return scores.map((x) => x.s);
  };
  const learnedRanker: ChannelRanker = { name: LEARNED_RANKER_NAME, rank: (ctx) => explain(ctx).map((s) => s.channel) };

  const armOf = (accountId: string): Arm => (policy.enabled ? assignArm(accountId, policy.experiment) : 'holdout');
  const forAccount = (accountId: string): ChannelRanker => (armOf(accountId) === 'learned' ? learnedRanker : holdoutRanker);

  let current: ChannelRanker = learnedRanker;
  return {
    get name() {
      return current.name;
    },
    rank(ctx: RankerContext) {
      // Set before ranking so even a throwing rank is reported under the right arm.
      current = forAccount(ctx.account.accountId);
      return current.rank(ctx);
    },
    armOf,
    forAccount,
    explain,
  };
}
