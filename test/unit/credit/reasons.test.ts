import { CREDIT_FEATURE_NAMES, NUM_CREDIT_FEATURES } from '../../../src/domain/credit/application';
import { findProtectedFields, protectedCategoryOf } from '../../../src/domain/credit/protected';
import { checkBands, decide, FEATURE_REASON, MAX_REASONS, principalReasons, REASON_CODES } from '../../../src/domain/credit/reasons';

const idx = (name: (typeof CREDIT_FEATURE_NAMES)[number]) => CREDIT_FEATURE_NAMES.indexOf(name);
const vec = (entries: [string, number][], fill = 0) => {
  const v = new Float64Array(NUM_CREDIT_FEATURES + 1).fill(fill);
  for (const [k, x] of entries) v[idx(k as never)] = x;
  return v;
};

describe('reason codes', () => {
  it('every feature maps to a defined code, and every code is used', () => {
    for (const f of CREDIT_FEATURE_NAMES) expect(REASON_CODES[FEATURE_REASON[f]]).toBeDefined();
    expect(new Set(Object.values(FEATURE_REASON))).toEqual(new Set(Object.keys(REASON_CODES)));
  });

  it('ranks codes by summed contribution, keeps only risk-raising ones, at most four', () => {
    const phi = vec([
      ['fico_score', 0.9],
      ['credit_utilization', -1.2], // helped the applicant: never a reason
      ['delinquencies_2y', 0.3],
      ['months_since_last_delinquency', 0.35], // R08 = 0.65 in total
      ['inquiries_6m', 0.2],
      ['term_60', 0.1],
      ['debt_to_income', 0.05],
      ['purpose_small_business', 0.4],
      ['purpose_debt_consolidation', -0.5], // R13 = -0.1 in total: not a reason
    ]);
    const reasons = principalReasons(phi, vec([]));
    expect(reasons.map((r) => r.code)).toEqual(['R01', 'R08', 'R09', 'R05']);
    expect(reasons).toHaveLength(MAX_REASONS);
    expect(reasons[1]!.contribution).toBeCloseTo(0.65, 12);
    expect(reasons[1]!.features).toEqual(['delinquencies_2y', 'months_since_last_delinquency']);
    expect(reasons[0]!.statement).toBe('Credit score too low');
  });

  it('uses the missing-data statement when all of the code\'s inputs were missing', () => {
    const phi = vec([['fico_score', 0.5], ['credit_utilization', 0.2], ['employment_length_years', 0.1]]);
    const row = vec([['credit_utilization', 0.9]]);
    row[idx('fico_score')] = NaN;
    row[idx('employment_length_years')] = NaN;
    const statements = Object.fromEntries(principalReasons(phi, row).map((r) => [r.code, r.statement]));
    expect(statements).toEqual({
      R01: 'No credit score available (insufficient credit file)',
      R10: 'Proportion of revolving balances to credit limits too high',
      R06: 'Length of employment not provided',
    });
  });

  it('no risk-raising factor → no reasons', () => {
    expect(principalReasons(vec([['fico_score', -1]]), vec([]))).toEqual([]);
  });
});

describe('decision bands', () => {
  const bands = { approveBelow: 0.1, declineAt: 0.25 };
  it.each([
    [0, 'approve'], [0.0999, 'approve'], [0.1, 'refer'], [0.2499, 'refer'], [0.25, 'decline'], [0.9, 'decline'],
  ] as const)('pd %d → %s', (pd, decision) => expect(decide(pd, bands)).toBe(decision));

  it('refuses inverted or out-of-range bands', () => {
    expect(() => checkBands({ approveBelow: 0.3, declineAt: 0.2 })).toThrow('decision bands');
    expect(() => checkBands({ approveBelow: 0, declineAt: 0.2 })).toThrow('decision bands');
    expect(() => checkBands({ approveBelow: 0.1, declineAt: 1.5 })).toThrow('decision bands');
  });
});

describe('protected characteristics', () => {
  it.each([
    ['gender', 'sex'], ['Sex', 'sex'], ['date_of_birth', 'age'], ['dateOfBirth', 'age'], ['DOB', 'age'], ['age', 'age'],
    ['race', 'race'], ['ethnicity', 'ethnicity (race / national origin)'], ['marital_status', 'marital status'],
    ['religion', 'religion'], ['national-origin', 'national origin'], ['zip_code', 'race (geography is a proxy)'],
  ])('%s → %s', (key, category) => expect(protectedCategoryOf(key)).toBe(category));

  it.each(['fico_score', 'annual_income', 'home_ownership', 'loan_purpose', 'application_id', 'term_months'])('%s is not protected', (key) =>
    expect(protectedCategoryOf(key)).toBeNull());

  it('finds protected keys at any depth, with their paths', () => {
    expect(findProtectedFields({ fico_score: 700, applicant: { gender: 'F', items: [{ race: 'x' }] }, age: 40 })).toEqual([
      { path: 'applicant.gender', category: 'sex' },
      { path: 'applicant.items.0.race', category: 'race' },
      { path: 'age', category: 'age' },
    ]);
    expect(findProtectedFields(null)).toEqual([]);
    expect(findProtectedFields(['gender'])).toEqual([]); // a value, not a key
  });
});
