/**
 * POST /credit-scores: one consumer-loan application → probability of default, decision band,
 * model version and the principal reasons (reason codes for an ECOA / Regulation B adverse-action
 * notice). The request schema is strict: unknown fields are refused, and protected characteristics
 * are refused by name before anything else looks at the body.
 */
import { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import { HOME_OWNERSHIP, LOAN_PURPOSES, type CreditApplication } from '../../domain/credit/application';
import { findProtectedFields } from '../../domain/credit/protected';
import { REASON_CODES } from '../../domain/credit/reasons';
import type { CreditScorer } from '../../domain/credit/scorer';
import { zodIssues } from '../../middleware/parse-event';

const money = (max: number) => z.number().finite().min(0).max(max);
const count = (max: number) => z.number().int().min(0).max(max);

export const creditScoreRequestSchema = z
  .object({
    application_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).optional().describe("caller's reference, echoed back"),
    fico_score: z.number().int().min(300).max(850).nullable().optional().describe('FICO score; null/absent for a thin file'),
    annual_income: money(10_000_000).describe('gross annual income, USD'),
    debt_to_income: z.number().finite().min(0).max(5).describe('monthly debt payments / gross monthly income, excluding this loan (0.35 = 35 %)'),
    loan_amount: z.number().finite().min(500).max(100_000).describe('amount requested, USD'),
    term_months: z.union([z.literal(36), z.literal(60)]).describe('repayment term in months'),
    employment_length_years: z.number().int().min(0).max(60).nullable().optional().describe('years with current employer (0 = under a year)'),
    open_credit_lines: count(200),
    delinquencies_2y: count(100).describe('30+ day delinquencies in the last 24 months'),
    months_since_last_delinquency: count(1200).nullable().optional().describe('null/absent when never delinquent'),
    inquiries_6m: count(100).describe('hard inquiries in the last 6 months'),
    credit_utilization: z.number().finite().min(0).max(5).nullable().optional().describe('revolving balances / limits (0.3 = 30 %); null/absent with no revolving credit'),
    months_since_oldest_trade: count(1200).nullable().optional(),
    home_ownership: z.enum(HOME_OWNERSHIP),
    loan_purpose: z.enum(LOAN_PURPOSES),
  })
  .strict()
  .describe('Loan application. Protected characteristics (race, colour, religion, national origin, sex/gender, marital status, age/date of birth, …) are refused with 400.');

export type CreditScoreRequest = z.infer<typeof creditScoreRequestSchema>;

const reasonCodeSchema = z.enum(Object.keys(REASON_CODES) as [keyof typeof REASON_CODES, ...(keyof typeof REASON_CODES)[]]);

export const creditScoreResponseSchema = z.object({
  application_id: z.string().optional(),
  model_version: z.string(),
  probability_of_default: z.number().min(0).max(1),
  decision: z.enum(['approve', 'refer', 'decline']),
  adverse_action: z.boolean().describe('true for decline/refer: `reasons` are the principal reasons for the adverse-action notice; false: reasons are informational only'),
  reasons: z
    .array(
      z.object({
        code: reasonCodeSchema,
        statement: z.string(),
        features: z.array(z.string()),
        contribution: z.number().describe('SHAP value in log-odds of default (> 0: raised the risk)'),
      }),
    )
    .max(4)
    .describe('up to four factors that raised the probability of default the most, largest first'),
  thresholds: z.object({ approve_below: z.number(), decline_at: z.number() }),
});

export type CreditScoreResponse = z.infer<typeof creditScoreResponseSchema>;

/** Body → request: protected characteristics first (specific message), then the strict schema. */
export function parseCreditScoreRequest(body: unknown): CreditScoreRequest {
  const protectedFields = findProtectedFields(body);
  if (protectedFields.length > 0) {
    const issues = protectedFields.map((f) => ({
      path: f.path,
      message: `"${f.path.split('.').pop()}" is a protected characteristic (${f.category}) under ECOA / Regulation B and must not be sent: credit decisions never consider it`,
    }));
    throw new ValidationError(`request carries protected characteristics: ${protectedFields.map((f) => f.path).join(', ')}`, issues);
  }
  const parsed = creditScoreRequestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    // One issue per unknown key, named, rather than zod's single "(root)" issue.
    const issues = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), message: 'unknown field' }))
        : zodIssues(new z.ZodError([i])),
    );
    throw new ValidationError('invalid request body', issues);
  }
  return parsed.data;
}

export function toApplication(r: CreditScoreRequest): CreditApplication {
  return {
    ficoScore: r.fico_score ?? null,
    annualIncome: r.annual_income,
    debtToIncome: r.debt_to_income,
    loanAmount: r.loan_amount,
    termMonths: r.term_months,
    employmentLengthYears: r.employment_length_years ?? null,
    openCreditLines: r.open_credit_lines,
    delinquencies2y: r.delinquencies_2y,
    monthsSinceLastDelinquency: r.months_since_last_delinquency ?? null,
    inquiries6m: r.inquiries_6m,
    creditUtilization: r.credit_utilization ?? null,
    monthsSinceOldestTrade: r.months_since_oldest_trade ?? null,
    homeOwnership: r.home_ownership,
    loanPurpose: r.loan_purpose,
  };
}

/** The request body for an application (the synthetic generator's --json, samples, benches). */
export function toCreditScoreRequest(a: CreditApplication, applicationId?: string): CreditScoreRequest {
  return {
    ...(applicationId !== undefined ? { application_id: applicationId } : {}),
    fico_score: a.ficoScore,
    annual_income: a.annualIncome,
    debt_to_income: a.debtToIncome,
    loan_amount: a.loanAmount,
    term_months: a.termMonths,
    employment_length_years: a.employmentLengthYears,
    open_credit_lines: a.openCreditLines,
    delinquencies_2y: a.delinquencies2y,
    months_since_last_delinquency: a.monthsSinceLastDelinquency,
    inquiries_6m: a.inquiries6m,
    credit_utilization: a.creditUtilization,
    months_since_oldest_trade: a.monthsSinceOldestTrade,
    home_ownership: a.homeOwnership,
    loan_purpose: a.loanPurpose,
  };
}

export interface ScoreApplicationDeps {
  scorer: CreditScorer;
}

export function scoreApplication(deps: ScoreApplicationDeps, body: unknown): CreditScoreResponse {
  const request = parseCreditScoreRequest(body);
  const s = deps.scorer.score(toApplication(request));
  return {
    ...(request.application_id !== undefined ? { application_id: request.application_id } : {}),
    model_version: s.modelVersion,
    probability_of_default: s.probabilityOfDefault,
    decision: s.decision,
    adverse_action: s.adverseAction,
    reasons: s.reasons.map((r) => ({ code: r.code, statement: r.statement, features: r.features, contribution: r.contribution })),
    // The bands the decision was made with, not a second copy that could differ.
    thresholds: { approve_below: deps.scorer.bands.approveBelow, decline_at: deps.scorer.bands.declineAt },
  };
}
