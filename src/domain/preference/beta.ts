/**
 * Beta-Binomial: a channel's response probability θ ~ Beta(α, β) a priori (per segment × channel);
 * after `attempts` with `responses`, θ | data ~ Beta(α + responses, β + attempts − responses).
 */
import type { BetaPrior } from './policy';
import { sampleBeta, type RandomSource } from './random';
import type { ChannelStat } from './stats';

export type BetaPosterior = BetaPrior;

export function posterior(prior: BetaPrior, stat: ChannelStat | undefined): BetaPosterior {
  if (!stat) return { alpha: prior.alpha, beta: prior.beta };
  const attempts = Math.max(0, stat.attempts);
  const responses = Math.min(attempts, Math.max(0, stat.responses));
  return { alpha: prior.alpha + responses, beta: prior.beta + attempts - responses };
}

export function betaMean(p: BetaPosterior): number {
  return p.alpha / (p.alpha + p.beta);
}

export function betaVariance(p: BetaPosterior): number {
  const s = p.alpha + p.beta;
  return (p.alpha * p.beta) / (s * s * (s + 1));
}

/** One draw of θ from the posterior. */
export function samplePosterior(p: BetaPosterior, rng: RandomSource): number {
  return sampleBeta(rng, p.alpha, p.beta);
}

export interface EmpiricalBayesOptions {
  minStrength: number;
  maxStrength: number;
  /** Fewer accounts with attempts than this: return `fallback`. */
  minAccounts: number;
  fallback: BetaPrior;
}

export interface EmpiricalBayesResult extends BetaPrior {
  /** α + β: how many pseudo-observations the prior is worth. */
  strength: number;
  accounts: number;
  source: 'empirical' | 'fallback';
}

/**
 * A segment × channel prior from the pooled stats of many accounts (method of moments):
 * mean μ = Σr / Σn; between-account variance τ² = (Σ nᵢ(pᵢ − μ)² − (k − 1)·μ(1 − μ)) / (Σn − Σn²/Σn)
 * (the observed spread minus the binomial noise expected from the sample sizes); a Beta with
 * that mean and variance has strength κ = μ(1 − μ)/τ² − 1, clamped to [minStrength, maxStrength]
 * (τ² ≤ 0, i.e. no detectable spread, gives maxStrength). The cap keeps a prior from drowning an
 * account's own history; the floor keeps one odd segment from producing a near-flat prior.
 */
export function empiricalBayesPrior(stats: Iterable<ChannelStat>, opts: EmpiricalBayesOptions): EmpiricalBayesResult {
  const rows: ChannelStat[] = [];
  let sumN = 0;
  let sumR = 0;
  let sumN2 = 0;
  for (const s of stats) {
    if (!(s.attempts > 0)) continue;
    const r = Math.min(s.attempts, Math.max(0, s.responses));
    rows.push({ attempts: s.attempts, responses: r });
    sumN += s.attempts;
    sumR += r;
    sumN2 += s.attempts * s.attempts;
  }
  const k = rows.length;
  const fallback = (): EmpiricalBayesResult => ({ ...opts.fallback, strength: opts.fallback.alpha + opts.fallback.beta, accounts: k, source: 'fallback' });
  if (k < Math.max(2, opts.minAccounts) || sumN <= 0) return fallback();
  // Keep μ off 0 and 1: a Beta needs both shapes > 0, and no segment truly never (or always) responds.
  const mu = Math.min(1 - 1e-4, Math.max(1e-4, sumR / sumN));
  let ss = 0;
  for (const r of rows) {
    const d = r.responses / r.attempts - mu;
    ss += r.attempts * d * d;
  }
  const denom = sumN - sumN2 / sumN;
  const tau2 = denom > 0 ? (ss - (k - 1) * mu * (1 - mu)) / denom : 0;
  const raw = tau2 > 0 ? (mu * (1 - mu)) / tau2 - 1 : Infinity;
  const strength = Math.min(opts.maxStrength, Math.max(opts.minStrength, raw));
  return { alpha: mu * strength, beta: (1 - mu) * strength, strength, accounts: k, source: 'empirical' };
}
