/**
 * Reason codes for adverse-action notices (ECOA / Regulation B, 12 CFR 1002.9(b)(2): the principal
 * specific reasons), from TreeSHAP contributions. Features that express one underwriting factor
 * (the one-hot loan purpose, delinquency count and recency…) share a code; a code's weight is the
 * sum of its features' contributions in log-odds of default. The principal reasons are the codes
 * that push the probability of default UP the most — a factor that helped the applicant is never
 * given as a reason for denying them.
 */
import { ConfigurationError } from '../errors';
import { CREDIT_FEATURE_NAMES, type CreditFeatureName } from './application';

export interface ReasonCodeDef {
  code: string;
  /** Plain-language statement for the notice (Reg B model form C-1 style). */
  statement: string;
  /** Used instead when the code's features were missing from the application. */
  missingStatement?: string;
}

export const REASON_CODES = {
  R01: { code: 'R01', statement: 'Credit score too low', missingStatement: 'No credit score available (insufficient credit file)' },
  R02: { code: 'R02', statement: 'Debt obligations too high relative to income' },
  R03: { code: 'R03', statement: 'Amount of credit requested too high relative to income' },
  R04: { code: 'R04', statement: 'Income insufficient for amount of credit requested' },
  R05: { code: 'R05', statement: 'Length of repayment term requested' },
  R06: { code: 'R06', statement: 'Length of employment too short', missingStatement: 'Length of employment not provided' },
  R07: { code: 'R07', statement: 'Number of open credit accounts', },
  R08: { code: 'R08', statement: 'Delinquent past or present credit obligations' },
  R09: { code: 'R09', statement: 'Number of recent inquiries on credit report' },
  R10: { code: 'R10', statement: 'Proportion of revolving balances to credit limits too high', missingStatement: 'No revolving credit history' },
  R11: { code: 'R11', statement: 'Length of credit history too short', missingStatement: 'Insufficient length of credit history' },
  R12: { code: 'R12', statement: 'Housing status' },
  R13: { code: 'R13', statement: 'Type or purpose of credit requested' },
} as const satisfies Record<string, ReasonCodeDef>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Every model feature belongs to exactly one reason code (a test checks the mapping is total). */
export const FEATURE_REASON: Record<CreditFeatureName, ReasonCode> = {
  fico_score: 'R01',
  debt_to_income: 'R02',
  loan_amount: 'R03',
  loan_to_income: 'R03',
  annual_income: 'R04',
  term_60: 'R05',
  employment_length_years: 'R06',
  open_credit_lines: 'R07',
  delinquencies_2y: 'R08',
  months_since_last_delinquency: 'R08',
  inquiries_6m: 'R09',
  credit_utilization: 'R10',
  months_since_oldest_trade: 'R11',
  home_rent: 'R12',
  home_mortgage: 'R12',
  home_own: 'R12',
  purpose_debt_consolidation: 'R13',
  purpose_credit_card: 'R13',
  purpose_home_improvement: 'R13',
  purpose_major_purchase: 'R13',
  purpose_car: 'R13',
  purpose_medical: 'R13',
  purpose_small_business: 'R13',
};

export interface Reason {
  code: ReasonCode;
  statement: string;
  /** Model features behind this reason. */
  features: CreditFeatureName[];
  /** Sum of the features' SHAP values, log-odds of default (> 0: raised the risk). */
  contribution: number;
}

/** Regulation B: disclosing more than four principal reasons is not meaningful (official comment 9(b)(2)-1). */
export const MAX_REASONS = 4;

/**
 * Principal reasons: reason codes ranked by their summed contribution, only those that raised the
 * probability of default (contribution > `minContribution`), at most `max`.
 * `phi` = TreeSHAP output in CREDIT_FEATURE_NAMES order (the bias slot, if present, is ignored);
 * `row` = the feature vector (NaN = missing) to choose the missing-data statement.
 */
export function principalReasons(phi: ArrayLike<number>, row: ArrayLike<number>, max = MAX_REASONS, minContribution = 1e-6): Reason[] {
  const byCode = new Map<ReasonCode, { features: CreditFeatureName[]; contribution: number; allMissing: boolean }>();
  CREDIT_FEATURE_NAMES.forEach((name, j) => {
    const code = FEATURE_REASON[name];
    const entry = byCode.get(code) ?? { features: [], contribution: 0, allMissing: true };
    entry.features.push(name);
    entry.contribution += phi[j]!;
    entry.allMissing &&= Number.isNaN(row[j]!);
    byCode.set(code, entry);
  });
  return [...byCode.entries()]
    .filter(([, e]) => e.contribution > minContribution)
    .sort((a, b) => b[1].contribution - a[1].contribution || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([code, e]) => {
      const def: ReasonCodeDef = REASON_CODES[code];
      return {
        code,
        statement: e.allMissing && def.missingStatement ? def.missingStatement : def.statement,
        features: e.features,
        contribution: e.contribution,
      };
    });
}

export type Decision = 'approve' | 'refer' | 'decline';

export interface DecisionBands {
  /** Probability of default strictly below this → approve. */
  approveBelow: number;
  /** Probability of default at or above this → decline; in between → refer to an underwriter. */
  declineAt: number;
}

export function checkBands(b: DecisionBands): DecisionBands {
  if (!(b.approveBelow > 0 && b.approveBelow <= b.declineAt && b.declineAt <= 1)) {
    throw new ConfigurationError(`decision bands need 0 < approveBelow (${b.approveBelow}) ≤ declineAt (${b.declineAt}) ≤ 1`);
  }
  return b;
}

export function decide(probabilityOfDefault: number, bands: DecisionBands): Decision {
  if (probabilityOfDefault < bands.approveBelow) return 'approve';
  if (probabilityOfDefault >= bands.declineAt) return 'decline';
  return 'refer';
}
