import type { Account } from '../../../src/domain/portfolio/account';
import { featureMatrix, featureVector, FEATURE_NAMES, NUM_FEATURES } from '../../../src/domain/model/features';

const account: Account = {
  accountId: 'ACC1', customerId: 'CUS1', firstName: 'Ana', lastName: 'Lopez', email: 'ana.lopez1@example.com',
  phone: '+12125550123', language: 'es', state: 'NY', postalCode: '10001', timezone: 'America/New_York',
  product: 'auto_loan', balanceDueCents: 1_000_000, amountPastDueCents: 50_000, daysPastDue: 40,
  creditLimitCents: 2_000_000, lastPaymentDate: '2026-11-13', lastPaymentAmountCents: 30_000, paymentsLast6m: 4,
  ficoScore: 640, monthlyIncomeCents: 400_000, emailConsent: true, smsConsent: true, callConsent: true,
  doNotContact: false, inDispute: false, bankruptcy: false, promiseToPayDate: '2026-11-25',
};
const f = (a: Account, date = '2026-11-23') => Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, featureVector(a, date)[i]]));

describe('featureVector', () => {
  it('computes every feature in FEATURE_NAMES order', () => {
    expect(f(account)).toEqual({
      days_past_due: 40, amount_past_due: 500, balance_due: 10000, past_due_ratio: 0.05, utilization: 0.5,
      days_since_last_payment: 10, last_payment_amount: 300, payments_last_6m: 4, fico_score: 640, monthly_income: 4000,
      past_due_to_income: 0.125, has_promise_to_pay: 1, product_credit_card: 0, product_personal_loan: 0,
      product_auto_loan: 1, product_bnpl: 0, has_email: 1, has_phone: 1,
    });
    expect(f(account, '2026-11-26').has_promise_to_pay).toBe(0);
  });

  it('uses NaN for missing values', () => {
    const v = f({
      ...account, creditLimitCents: null, lastPaymentDate: null, lastPaymentAmountCents: null, paymentsLast6m: null,
      ficoScore: null, monthlyIncomeCents: null, email: null, phone: null, promiseToPayDate: null,
    });
    for (const k of ['utilization', 'days_since_last_payment', 'last_payment_amount', 'payments_last_6m', 'fico_score',
      'monthly_income', 'past_due_to_income']) expect(v[k]).toBeNaN();
    expect([v.has_email, v.has_phone, v.has_promise_to_pay]).toEqual([0, 0, 0]);
  });

  it('does not depend on names, language, state, postal code, time zone or contact text', () => {
    const other = {
      ...account, firstName: 'John', lastName: 'Smith', language: 'en', state: 'TX', postalCode: '75001',
      timezone: null, email: 'x.y9@example.org', phone: '+19155550000', customerId: 'C9', accountId: 'A9',
    };
    expect(Array.from(featureVector(other, '2026-11-23'))).toEqual(Array.from(featureVector(account, '2026-11-23')));
    for (const banned of ['state', 'postal', 'zip', 'language', 'name', 'timezone', 'age', 'sex', 'gender', 'race']) {
      expect(FEATURE_NAMES.some((n) => n.includes(banned))).toBe(false);
    }
  });

  it('fills a caller buffer and builds a row-major matrix', () => {
    const out = new Float64Array(NUM_FEATURES * 2);
    featureVector(account, '2026-11-23', out.subarray(NUM_FEATURES));
    expect(Array.from(out.subarray(NUM_FEATURES))).toEqual(Array.from(featureVector(account, '2026-11-23')));
    const m = featureMatrix([account, { ...account, product: 'bnpl' }], '2026-11-23');
    expect(m).toHaveLength(2 * NUM_FEATURES);
    expect(m[NUM_FEATURES + FEATURE_NAMES.indexOf('product_bnpl')]).toBe(1);
    expect(() => featureVector(account, '11/23/2026')).toThrow(RangeError);
  });
});
