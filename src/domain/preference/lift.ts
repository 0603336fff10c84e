/**
 * Lift of the learned policy over the holdout: difference of two proportions (responses per
 * contact, or cures per account) with a confidence interval, so lift is measured, not assumed.
 */
import { sampleBeta, SeededRng } from './random';
import type { Arm } from './holdout';

export interface ArmOutcome {
  /** Responses, cures, … */
  successes: number;
  /** Contacts, accounts, … */
  trials: number;
}

export interface LiftEstimate {
  learned: ArmOutcome & { rate: number };
  holdout: ArmOutcome & { rate: number };
  /** rate(learned) − rate(holdout). */
  lift: number;
  /** lift / rate(holdout); null when the holdout rate is 0. */
  relativeLift: number | null;
  lower: number;
  upper: number;
  confidence: number;
  method: 'newcombe-wilson' | 'beta-posterior';
}

/** Tally of per-unit outcomes by arm (e.g. one row per account: did it cure?). */
export function tallyByArm(rows: Iterable<{ arm: Arm; successes: number; trials: number }>): Record<Arm, ArmOutcome> {
  const out: Record<Arm, ArmOutcome> = { learned: { successes: 0, trials: 0 }, holdout: { successes: 0, trials: 0 } };
  for (const r of rows) {
    out[r.arm].successes += r.successes;
    out[r.arm].trials += r.trials;
  }
  return out;
}

/**
 * Newcombe's hybrid score interval (method 10) for p₁ − p₂, from each arm's Wilson interval.
 * Chosen over the plain normal (Wald) interval because response rates are small (1–10 %) and the
 * holdout is small: Wald under-covers there; Newcombe stays near nominal and never leaves [−1, 1].
 * Successes and trials must be counts of independent units (accounts, or contacts if one
 * account's contacts are roughly independent — otherwise use accounts).
 */
export function liftInterval(learned: ArmOutcome, holdout: ArmOutcome, confidence = 0.95): LiftEstimate {
  check(learned, 'learned');
  check(holdout, 'holdout');
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = learned.successes / learned.trials;
  const p2 = holdout.successes / holdout.trials;
  const [l1, u1] = wilson(learned.successes, learned.trials, z);
  const [l2, u2] = wilson(holdout.successes, holdout.trials, z);
  const d = p1 - p2;
  return {
    learned: { ...learned, rate: p1 },
    holdout: { ...holdout, rate: p2 },
    lift: d,
    relativeLift: p2 > 0 ? d / p2 : null,
    lower: d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    upper: d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    confidence,
    method: 'newcombe-wilson',
  };
}

/**
 * Bayesian alternative: θ₁ − θ₂ with θᵢ ~ Beta(1 + sᵢ, 1 + nᵢ − sᵢ) (uniform priors), central
 * interval of `draws` samples from a fixed seed (reproducible). Point lift is the observed
 * difference, as in liftInterval.
 */
export function liftPosterior(learned: ArmOutcome, holdout: ArmOutcome, opts: { confidence?: number; draws?: number; seed?: number } = {}): LiftEstimate {
  check(learned, 'learned');
  check(holdout, 'holdout');
  const confidence = opts.confidence ?? 0.95;
  const draws = opts.draws ?? 20_000;
  const rng = new SeededRng(opts.seed ?? 12345);
  const diffs = new Float64Array(draws);
  for (let i = 0; i < draws; i++) {
    diffs[i] =
      sampleBeta(rng, 1 + learned.successes, 1 + learned.trials - learned.successes) -
      sampleBeta(rng, 1 + holdout.successes, 1 + holdout.trials - holdout.successes);
  }
  diffs.sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number) => diffs[Math.min(draws - 1, Math.max(0, Math.floor(q * draws)))]!;
  const p1 = learned.successes / learned.trials;
  const p2 = holdout.successes / holdout.trials;
  return {
    learned: { ...learned, rate: p1 },
    holdout: { ...holdout, rate: p2 },
    lift: p1 - p2,
    relativeLift: p2 > 0 ? (p1 - p2) / p2 : null,
    lower: at(tail),
    upper: at(1 - tail),
    confidence,
    method: 'beta-posterior',
  };
}

/** Wilson score interval for a proportion. */
export function wilson(successes: number, trials: number, z: number): [number, number] {
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Inverse standard normal CDF (Acklam; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile needs 0 < p < 1 (got ${p})`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function check(o: ArmOutcome, arm: string): void {
  if (!(Number.isFinite(o.trials) && o.trials > 0 && o.successes >= 0 && o.successes <= o.trials)) {
    throw new RangeError(`${arm}: need 0 <= successes <= trials and trials > 0 (got ${o.successes}/${o.trials})`);
  }
}
