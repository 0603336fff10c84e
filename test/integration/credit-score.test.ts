/**
 * POST /credit-scores through the real Middy handler: real local-issuer tokens (signatures
 * verified), the committed model, every status the route can answer.
 */
import { CREDIT_MODEL_VERSION } from '../../src/domain/credit/version';
import { CREDIT_SCORE_MAX_BYTES } from '../../src/http/routes/credit';
import { creditScoreResponseSchema } from '../../src/usecases/credit/score-application';
import { httpEvent, lambdaContext, parseResult, tokenFor } from '../helpers/http';

const prime = {
  application_id: 'app-0001',
  fico_score: 790,
  annual_income: 145000,
  debt_to_income: 0.08,
  loan_amount: 8000,
  term_months: 36,
  employment_length_years: 10,
  open_credit_lines: 11,
  delinquencies_2y: 0,
  months_since_last_delinquency: null,
  inquiries_6m: 0,
  credit_utilization: 0.07,
  months_since_oldest_trade: 260,
  home_ownership: 'mortgage',
  loan_purpose: 'home_improvement',
};

const risky = {
  application_id: 'app-0002',
  fico_score: 585,
  annual_income: 28000,
  debt_to_income: 0.52,
  loan_amount: 18000,
  term_months: 60,
  employment_length_years: 0,
  open_credit_lines: 2,
  delinquencies_2y: 3,
  months_since_last_delinquency: 2,
  inquiries_6m: 5,
  credit_utilization: 0.95,
  months_since_oldest_trade: 30,
  home_ownership: 'rent',
  loan_purpose: 'small_business',
};

// The function reads its configuration at import (cold start), as in Lambda.
process.env.STAGE ??= 'test';
let handler: typeof import('../../functions/credit-score').handler;
let agent: string;
let admin: string;
let customer: string;

beforeAll(async () => {
  ({ handler } = await import('../../functions/credit-score'));
  agent = await tokenFor({ group: 'agent', sub: 'agent-1' });
  admin = await tokenFor({ group: 'admin', sub: 'admin-1' });
  customer = await tokenFor({ group: 'customer', sub: 'cust-1', username: 'C000001' });
});

async function post(body: unknown, token?: string, headers?: Record<string, string>) {
  const event = httpEvent({ method: 'POST', path: '/credit-scores', body, ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
  return parseResult(await handler(event as never, lambdaContext('creditScore')));
}

describe('POST /credit-scores', () => {
  it('200: a strong application is approved; reasons are informational only', async () => {
    const res = await post(prime, agent);
    expect(res.statusCode).toBe(200);
    const body = creditScoreResponseSchema.parse(res.json);
    expect(body.application_id).toBe('app-0001');
    expect(body.model_version).toBe(CREDIT_MODEL_VERSION);
    expect(body.decision).toBe('approve');
    expect(body.adverse_action).toBe(false);
    expect(body.probability_of_default).toBeLessThan(body.thresholds.approve_below);
    expect(body.thresholds).toEqual({ approve_below: 0.1, decline_at: 0.25 });
  });

  it('200: a weak application is declined with up to four principal reasons, largest first, all raising the risk', async () => {
    const res = await post(risky, admin);
    expect(res.statusCode).toBe(200);
    const body = creditScoreResponseSchema.parse(res.json);
    expect(body.decision).toBe('decline');
    expect(body.adverse_action).toBe(true);
    expect(body.probability_of_default).toBeGreaterThanOrEqual(0.25);
    expect(body.reasons).toHaveLength(4);
    const contributions = body.reasons.map((r) => r.contribution);
    expect(contributions.every((c) => c > 0)).toBe(true);
    expect([...contributions].sort((a, b) => b - a)).toEqual(contributions);
    expect(new Set(body.reasons.map((r) => r.code)).size).toBe(4);
    // Among this applicant's ground-truth drivers: a 585 score and three recent delinquencies.
    expect(body.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['R01', 'R08']));
    expect(body.reasons.find((r) => r.code === 'R01')!.statement).toBe('Credit score too low');
    for (const r of body.reasons) expect(r.statement.length).toBeGreaterThan(10);
  });

  it('200: optional fields may be null or absent (thin file), with the missing-data statement', async () => {
    const { fico_score: _f, months_since_oldest_trade: _m, ...thin } = risky;
    const res = await post({ ...thin, credit_utilization: null }, agent);
    expect(res.statusCode).toBe(200);
    const r01 = (res.json.reasons as { code: string; statement: string }[]).find((r) => r.code === 'R01');
    expect(r01?.statement).toBe('No credit score available (insufficient credit file)');
  });

  it('is deterministic: the same application scores the same', async () => {
    const a = await post(risky, agent);
    const b = await post(risky, agent);
    expect(a.json).toEqual(b.json);
  });

  it.each([
    ['gender', { gender: 'F' }, 'sex'],
    ['race', { race: 'Asian' }, 'race'],
    ['date_of_birth', { date_of_birth: '1980-01-01' }, 'age'],
    ['maritalStatus', { maritalStatus: 'married' }, 'marital status'],
    ['applicant.ethnicity', { applicant: { ethnicity: 'Hispanic' } }, 'ethnicity'],
  ])('400: a protected characteristic (%s) is refused, naming the field', async (path, extra, category) => {
    const res = await post({ ...prime, ...extra }, agent);
    expect(res.statusCode).toBe(400);
    expect(res.json.error).toBe('VALIDATION_FAILED');
    expect(res.json.message).toContain(path);
    expect(res.json.issues).toEqual([
      { path, message: expect.stringMatching(new RegExp(`protected characteristic \\(${category}.*ECOA / Regulation B`)) },
    ]);
  });

  it('400: field-level messages for invalid values, missing fields and unknown fields', async () => {
    const { loan_purpose: _p, ...noPurpose } = prime;
    const res = await post({ ...noPurpose, fico_score: 900, term_months: 48, debt_to_income: -1, favourite_colour: 'blue' }, agent);
    expect(res.statusCode).toBe(400);
    const paths = (res.json.issues as { path: string; message: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['debt_to_income', 'favourite_colour', 'fico_score', 'loan_purpose', 'term_months']);
    expect(res.json.issues).toContainEqual({ path: 'favourite_colour', message: 'unknown field' });
  });

  it('400: malformed JSON and a non-object body', async () => {
    expect((await post('{"fico_score":', agent)).statusCode).toBe(400);
    const arr = await post([prime], agent);
    expect(arr.statusCode).toBe(400);
    expect(arr.json.issues[0].path).toBe('(root)');
  });

  it('401: no token, a garbage token, an expired token, a token from another issuer', async () => {
    const expired = await tokenFor({ group: 'agent', sub: 'agent-1', expiresIn: -60 });
    const foreign = await tokenFor({ group: 'agent', sub: 'agent-1', issuer: 'https://evil.example.com' });
    for (const token of [undefined, 'not-a-jwt', expired, foreign]) {
      const res = await post(prime, token);
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toMatch(/probability/);
    }
  });

  it('401 comes before body validation: no hint about the body without a valid token', async () => {
    const res = await post({ ...prime, gender: 'F' });
    expect(res.statusCode).toBe(401);
  });

  it('403: a customer may not score applications', async () => {
    const res = await post(prime, customer);
    expect(res.statusCode).toBe(403);
  });

  it('413: a body over the route limit', async () => {
    const res = await post({ ...prime, application_id: 'x'.repeat(CREDIT_SCORE_MAX_BYTES) }, agent);
    expect(res.statusCode).toBe(413);
  });

  it('415: a body that is not JSON', async () => {
    const res = await post('fico_score=700', agent, { 'content-type': 'text/plain' });
    expect([400, 415]).toContain(res.statusCode);
    expect(res.body).not.toMatch(/at .*\.ts/); // never a stack trace
  });
});
