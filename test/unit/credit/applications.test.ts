import { creditFeatureVector, CREDIT_FEATURE_NAMES } from '../../../src/domain/credit/application';
import { creditHistoryCsvLines, generateApplication, generateApplications, trueDefaultLogit, trueDefaultProbability } from '../../../src/synthetic/credit-applications';
import { parseCreditScoreRequest, toApplication, toCreditScoreRequest } from '../../../src/usecases/credit/score-application';

describe('synthetic loan applications', () => {
  const apps = [...generateApplications({ count: 4000, seed: 5 })];

  it('is deterministic per (seed, index) and varies with the seed', () => {
    expect(generateApplication(5, 123)).toEqual(apps[123]);
    expect(generateApplication(6, 123)).not.toEqual(apps[123]);
  });

  it('every generated application is a valid API request (round trip)', () => {
    for (const g of apps.slice(0, 500)) expect(toApplication(parseCreditScoreRequest(toCreditScoreRequest(g.application)))).toEqual(g.application);
  });

  it('has a plausible default rate and missing values', () => {
    const mean = apps.reduce((s, g) => s + trueDefaultProbability(g.application), 0) / apps.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.2);
    expect(apps.some((g) => g.application.ficoScore === null)).toBe(true);
    expect(apps.some((g) => g.application.creditUtilization === null)).toBe(true);
  });

  it('ground truth moves in the documented directions', () => {
    const base = apps.find((g) => g.application.ficoScore !== null && g.application.ficoScore > 650)!.application;
    const z = trueDefaultLogit(base);
    expect(trueDefaultLogit({ ...base, ficoScore: base.ficoScore! - 80 })).toBeGreaterThan(z);
    expect(trueDefaultLogit({ ...base, delinquencies2y: base.delinquencies2y + 2 })).toBeGreaterThan(z);
    expect(trueDefaultLogit({ ...base, debtToIncome: base.debtToIncome + 0.2 })).toBeGreaterThan(z);
    expect(trueDefaultLogit({ ...base, annualIncome: base.annualIncome * 2 })).toBeLessThan(z);
  });

  it('history CSV: production features, label, true_pd, audit_group; empty field = missing', () => {
    const lines = [...creditHistoryCsvLines({ count: 50, seed: 5 })];
    expect(lines[0]!.trim().split(',')).toEqual([...CREDIT_FEATURE_NAMES, 'label', 'true_pd', 'audit_group']);
    const cells = lines[1]!.trim().split(',');
    const v = creditFeatureVector(apps[0]!.application);
    expect(cells.slice(0, CREDIT_FEATURE_NAMES.length)).toEqual(Array.from(v, (x) => (Number.isNaN(x) ? '' : String(x))));
    expect(['0', '1']).toContain(cells[CREDIT_FEATURE_NAMES.length]);
  });
});
