/**
 * Deterministic generator of synthetic consumer-loan applications and their hidden ground truth:
 * each applicant's true probability of default (90+ days past due or charged off within 12 months
 * of origination). Every application is derived from (seed, index) alone, so any slice can be
 * produced independently. The ground truth is documented in docs/credit-scoring.md; the model's
 * holdout AUC is compared with the oracle AUC (ranking by `trueDefaultProbability` itself).
 *
 * Neither the features nor the ground truth use any protected characteristic. The generator also
 * draws a fictitious `auditGroup` (A/B) per applicant, correlated with income only, so training can
 * measure the approval-rate gap between groups the way a disparate-impact test would — it is never
 * a model input and never reaches the API.
 */
import {
  creditFeatureVector,
  CREDIT_FEATURE_NAMES,
  NUM_CREDIT_FEATURES,
  type CreditApplication,
  type HomeOwnership,
  type LoanPurpose,
} from '../domain/credit/application';
import { Rng, streamSeed } from './prng';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Log-odds of default. Exported for the docs and tests. */
export function trueDefaultLogit(a: CreditApplication): number {
  let z = -2.95;
  const fico = a.ficoScore;
  if (fico === null) z += 0.45; // thin file
  else z -= 0.011 * (clamp(fico, 300, 850) - 690);

  z += 2.6 * clamp(a.debtToIncome - 0.15, 0, 0.55);
  const lti = a.annualIncome > 0 ? a.loanAmount / a.annualIncome : 1;
  z += 1.4 * clamp(lti - 0.15, 0, 0.6);
  z -= 0.3 * Math.log(Math.max(a.annualIncome, 5000) / 62000);
  if (a.termMonths === 60) z += 0.35;

  const emp = a.employmentLengthYears;
  if (emp === null) z += 0.25;
  else z += -0.05 * Math.min(emp, 10) + (emp < 1 ? 0.2 : 0);

  z += 0.3 * Math.min(a.delinquencies2y, 4);
  const msld = a.monthsSinceLastDelinquency;
  if (msld !== null && msld < 12) z += 0.35 * (1 - msld / 12);
  z += 0.14 * Math.min(a.inquiries6m, 8);

  const util = a.creditUtilization;
  if (util === null) z += 0.15;
  else z += 1.3 * clamp(util - 0.3, 0, 0.9);

  const oldest = a.monthsSinceOldestTrade;
  if (oldest === null) z += 0.2;
  else z -= 0.0025 * (Math.min(oldest, 300) - 150);

  if (a.openCreditLines < 3) z += 0.3;
  else if (a.openCreditLines > 20) z += 0.015 * (a.openCreditLines - 20);

  switch (a.homeOwnership) {
    case 'rent': z += 0.12; break;
    case 'own': z -= 0.08; break;
    case 'mortgage': z -= 0.12; break;
    case 'other': break;
  }
  switch (a.loanPurpose) {
    case 'small_business': z += 0.55; break;
    case 'medical': z += 0.2; break;
    case 'debt_consolidation': z += 0.08; break;
    case 'credit_card': z -= 0.05; break;
    case 'car': z -= 0.2; break;
    case 'home_improvement': z -= 0.12; break;
    case 'major_purchase':
    case 'other': break;
  }

  // Interactions the model has to discover.
  if (a.debtToIncome > 0.4 && util !== null && util > 0.8) z += 0.35; // stretched on every line
  if (fico !== null && fico < 640 && a.inquiries6m >= 3) z += 0.3; // credit seeking while subprime
  if (a.termMonths === 60 && lti > 0.4) z += 0.25; // long, large loans
  return z;
}

/** True probability of default (0.002..0.95). */
export function trueDefaultProbability(a: CreditApplication): number {
  return clamp(sigmoid(trueDefaultLogit(a)), 0.002, 0.95);
}

export interface GeneratedApplication {
  index: number;
  application: CreditApplication;
  /** Fictitious group for the disparate-impact audit only (never a feature, never in the ground truth). */
  auditGroup: 'A' | 'B';
}

const S_APPLICANT = 11;
const S_LABEL = 12;

const HOME_CUM: readonly (readonly [HomeOwnership, number])[] = [['rent', 0.38], ['mortgage', 0.83], ['own', 0.95], ['other', 1]];
const PURPOSE_CUM: readonly (readonly [LoanPurpose, number])[] = [
  ['debt_consolidation', 0.45], ['credit_card', 0.63], ['home_improvement', 0.71], ['major_purchase', 0.78],
  ['car', 0.84], ['medical', 0.89], ['small_business', 0.93], ['other', 1],
];
const pickCum = <T>(cum: readonly (readonly [T, number])[], u: number): T => (cum.find(([, c]) => u < c) ?? cum[cum.length - 1]!)[0];

/** Geometric count with the given mean, capped. */
function count(rng: Rng, mean: number, cap: number): number {
  const p = mean / (1 + mean);
  let k = 0;
  while (k < cap && rng.next() < p) k++;
  return k;
}

/** Application number `index` under `seed`. */
export function generateApplication(seed: number, index: number, rng = new Rng(0)): GeneratedApplication {
  rng.reseed(streamSeed(seed, index, S_APPLICANT));
  // Latent credit quality: drives the correlations between fields; never observed directly.
  const q = rng.normal() / 1.0;
  const ficoScore = rng.chance(0.03) ? null : Math.round(clamp(695 + 55 * q + 18 * rng.normal(), 300, 850));
  const annualIncome = Math.round(clamp(Math.exp(Math.log(62000) + 0.5 * rng.normal() + 0.12 * q), 12000, 600000) / 100) * 100;
  const debtToIncome = Math.round(clamp(0.22 - 0.05 * q + 0.09 * rng.normal(), 0, 0.7) * 1000) / 1000;
  const loanAmount = Math.round(clamp(annualIncome * (0.05 + 0.3 * rng.next()) * (1 + 0.25 * rng.normal()), 1000, 40000) / 250) * 250;
  const termMonths = rng.chance(loanAmount > 20000 ? 0.5 : 0.25) ? 60 : 36;
  const employmentLengthYears = rng.chance(0.05) ? null : Math.floor(clamp(3.5 + 3 * rng.normal() + q, 0, 10));
  const openCreditLines = Math.round(clamp(9 + 4 * rng.normal() + q, 0, 40));
  const delinquencies2y = count(rng, 0.25 * Math.exp(-0.8 * q), 10);
  const monthsSinceLastDelinquency = delinquencies2y > 0 ? rng.int(1, 24) : rng.chance(0.15) ? rng.int(25, 120) : null;
  const inquiries6m = count(rng, 0.8 * Math.exp(-0.3 * q), 12);
  const creditUtilization = rng.chance(0.04) ? null : Math.round(clamp(0.35 - 0.15 * q + 0.18 * rng.normal(), 0, 1.2) * 1000) / 1000;
  const monthsSinceOldestTrade = ficoScore === null && rng.chance(0.5) ? null : Math.round(clamp(150 + 70 * rng.normal() + 20 * q, 6, 600));
  const homeOwnership = pickCum(HOME_CUM, clamp(rng.next() + (annualIncome > 90000 ? 0.15 : 0), 0, 0.999));
  const loanPurpose = pickCum(PURPOSE_CUM, rng.next());
  const auditGroup = rng.chance(sigmoid(-0.2 - 0.4 * Math.log(annualIncome / 62000))) ? 'B' : 'A';
  return {
    index,
    application: {
      ficoScore, annualIncome, debtToIncome, loanAmount, termMonths, employmentLengthYears, openCreditLines,
      delinquencies2y, monthsSinceLastDelinquency, inquiries6m, creditUtilization, monthsSinceOldestTrade,
      homeOwnership, loanPurpose,
    },
    auditGroup,
  };
}

export function* generateApplications(opts: { count: number; seed?: number }): Generator<GeneratedApplication> {
  const rng = new Rng(0);
  for (let i = 0; i < opts.count; i++) yield generateApplication(opts.seed ?? 1, i, rng);
}

/**
 * Labelled training set: production features (CREDIT_FEATURE_NAMES) + label (1 = default, drawn
 * from the ground truth) + true_pd + audit_group (0 = A, 1 = B). Empty field = missing.
 */
export function* creditHistoryCsvLines(opts: { count: number; seed?: number }): Generator<string> {
  yield [...CREDIT_FEATURE_NAMES, 'label', 'true_pd', 'audit_group'].join(',') + '\n';
  const v = new Float64Array(NUM_CREDIT_FEATURES);
  const rng = new Rng(0);
  const seed = opts.seed ?? 1;
  for (const g of generateApplications(opts)) {
    creditFeatureVector(g.application, v);
    const p = trueDefaultProbability(g.application);
    const label = rng.reseed(streamSeed(seed, g.index, S_LABEL)).next() < p ? 1 : 0;
    let line = '';
    for (let j = 0; j < NUM_CREDIT_FEATURES; j++) {
      const x = v[j]!;
      line += (Number.isNaN(x) ? '' : String(x)) + ',';
    }
    yield `${line}${label},${p},${g.auditGroup === 'B' ? 1 : 0}\n`;
  }
}
