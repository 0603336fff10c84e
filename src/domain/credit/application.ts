/**
 * A consumer-loan application as the credit model sees it, and the one definition of the model's
 * inputs. Training data is produced by running `creditFeatureVector` over synthetic applications
 * (local/generate-credit.ts), so Python only fits and cannot drift from what the API computes.
 *
 * Protected characteristics (ECOA / Regulation B: race, colour, religion, national origin, sex,
 * marital status, age, receipt of public assistance…) are not fields of this type at all; the
 * HTTP edge rejects a request that carries one (./protected.ts).
 */

export const HOME_OWNERSHIP = ['rent', 'mortgage', 'own', 'other'] as const;
export type HomeOwnership = (typeof HOME_OWNERSHIP)[number];

export const LOAN_PURPOSES = [
  'debt_consolidation',
  'credit_card',
  'home_improvement',
  'major_purchase',
  'car',
  'medical',
  'small_business',
  'other',
] as const;
export type LoanPurpose = (typeof LOAN_PURPOSES)[number];

export const LOAN_TERMS = [36, 60] as const;
export type LoanTerm = (typeof LOAN_TERMS)[number];

/** Amounts in US dollars; ratios as fractions (0.35 = 35 %). `null` = not available (missing). */
export interface CreditApplication {
  /** FICO score 300–850; null for a thin file with no score. */
  ficoScore: number | null;
  annualIncome: number;
  /** Monthly debt payments (excluding the requested loan) / monthly gross income. */
  debtToIncome: number;
  loanAmount: number;
  termMonths: LoanTerm;
  /** Years with the current employer (0 = under a year); null when not stated. */
  employmentLengthYears: number | null;
  openCreditLines: number;
  delinquencies2y: number;
  /** Months since the most recent 30+ day delinquency; null when there never was one. */
  monthsSinceLastDelinquency: number | null;
  inquiries6m: number;
  /** Revolving balances / revolving limits; null when the applicant has no revolving credit. */
  creditUtilization: number | null;
  monthsSinceOldestTrade: number | null;
  homeOwnership: HomeOwnership;
  loanPurpose: LoanPurpose;
}

export const CREDIT_FEATURE_NAMES = [
  'fico_score',
  'annual_income',
  'debt_to_income',
  'loan_amount',
  'loan_to_income',
  'term_60',
  'employment_length_years',
  'open_credit_lines',
  'delinquencies_2y',
  'months_since_last_delinquency',
  'inquiries_6m',
  'credit_utilization',
  'months_since_oldest_trade',
  'home_rent',
  'home_mortgage',
  'home_own',
  'purpose_debt_consolidation',
  'purpose_credit_card',
  'purpose_home_improvement',
  'purpose_major_purchase',
  'purpose_car',
  'purpose_medical',
  'purpose_small_business',
] as const;

export type CreditFeatureName = (typeof CREDIT_FEATURE_NAMES)[number];
export const NUM_CREDIT_FEATURES = CREDIT_FEATURE_NAMES.length;

const orNaN = (x: number | null): number => (x === null ? NaN : x);

/** Model input row of one application (NaN = missing, routed down each split's default branch). */
export function creditFeatureVector(a: CreditApplication, out: Float64Array = new Float64Array(NUM_CREDIT_FEATURES)): Float64Array {
  out[0] = orNaN(a.ficoScore);
  out[1] = a.annualIncome;
  out[2] = a.debtToIncome;
  out[3] = a.loanAmount;
  out[4] = a.annualIncome > 0 ? a.loanAmount / a.annualIncome : NaN;
  out[5] = a.termMonths === 60 ? 1 : 0;
  out[6] = orNaN(a.employmentLengthYears);
  out[7] = a.openCreditLines;
  out[8] = a.delinquencies2y;
  out[9] = orNaN(a.monthsSinceLastDelinquency);
  out[10] = a.inquiries6m;
  out[11] = orNaN(a.creditUtilization);
  out[12] = orNaN(a.monthsSinceOldestTrade);
  out[13] = a.homeOwnership === 'rent' ? 1 : 0;
  out[14] = a.homeOwnership === 'mortgage' ? 1 : 0;
  out[15] = a.homeOwnership === 'own' ? 1 : 0;
  // 'other' purpose / housing are the all-zero baselines of their one-hot groups.
  out[16] = a.loanPurpose === 'debt_consolidation' ? 1 : 0;
  out[17] = a.loanPurpose === 'credit_card' ? 1 : 0;
  out[18] = a.loanPurpose === 'home_improvement' ? 1 : 0;
  out[19] = a.loanPurpose === 'major_purchase' ? 1 : 0;
  out[20] = a.loanPurpose === 'car' ? 1 : 0;
  out[21] = a.loanPurpose === 'medical' ? 1 : 0;
  out[22] = a.loanPurpose === 'small_business' ? 1 : 0;
  return out;
}
