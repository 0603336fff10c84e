import { PORTFOLIO_COLUMNS } from '../../../src/domain/portfolio/columns';
import { isCalendarDate, parseMoneyCents, resolveTimeZone, validateRecord } from '../../../src/domain/portfolio/validate';
import { row, VALID_ROW } from './helpers';

function reasonsFor(overrides: Record<string, string>): string[] {
  const r = validateRecord(row(overrides));
  return r.ok ? [] : r.reasons;
}

function accountFor(overrides: Record<string, string>) {
  const r = validateRecord(row(overrides));
  if (!r.ok) throw new Error(`expected valid, got ${r.reasons.join('; ')}`);
  return r.account;
}

describe('validateRecord: a complete valid row', () => {
  it('maps every column, money in cents, email lower-cased', () => {
    expect(validateRecord(VALID_ROW)).toEqual({
      ok: true,
      account: {
        accountId: 'ACC-1',
        customerId: 'CUS-1',
        firstName: 'Ana',
        lastName: 'Diaz',
        email: 'ana.diaz@example.com',
        phone: '+14155550123',
        language: 'es',
        state: 'CA',
        postalCode: '94105',
        timezone: 'America/Los_Angeles',
        product: 'credit_card',
        balanceDueCents: 120050,
        amountPastDueCents: 30000,
        daysPastDue: 45,
        creditLimitCents: 500000,
        lastPaymentDate: '2025-01-15',
        lastPaymentAmountCents: 12550,
        paymentsLast6m: 3,
        ficoScore: 640,
        monthlyIncomeCents: 420000,
        emailConsent: true,
        smsConsent: false,
        callConsent: true,
        doNotContact: false,
        inDispute: false,
        bankruptcy: false,
        promiseToPayDate: '2025-03-01',
      },
    });
  });

  it('treats absent optional columns as blank', () => {
    const minimal = Object.fromEntries(
      ['account_id', 'customer_id', 'first_name', 'last_name', 'state', 'product', 'balance_due', 'amount_past_due', 'days_past_due',
        'email_consent', 'sms_consent', 'call_consent', 'do_not_contact', 'in_dispute', 'bankruptcy'].map((c) => [c, VALID_ROW[c]!]),
    );
    const r = validateRecord(minimal);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.account).toMatchObject({
        email: null, phone: null, language: 'en', postalCode: null, timezone: null, creditLimitCents: null,
        lastPaymentDate: null, lastPaymentAmountCents: null, paymentsLast6m: null, ficoScore: null,
        monthlyIncomeCents: null, promiseToPayDate: null,
      });
    }
  });

  it('trims leading and trailing whitespace from every cell', () => {
    const padded = Object.fromEntries(Object.entries(VALID_ROW).map(([k, v]) => [k, `  ${v}\t`]));
    expect(validateRecord(padded)).toEqual(validateRecord(VALID_ROW));
  });
});

describe('validateRecord: required columns', () => {
  const required = ['account_id', 'customer_id', 'first_name', 'last_name', 'state', 'product', 'balance_due', 'amount_past_due',
    'days_past_due', 'email_consent', 'sms_consent', 'call_consent', 'do_not_contact', 'in_dispute', 'bankruptcy'];
  it.each(required)('%s blank → "required"', (col) => {
    expect(reasonsFor({ [col]: '  ' })).toContain(`${col}: required`);
  });
  const optional = PORTFOLIO_COLUMNS.filter((c) => !required.includes(c));
  it.each(optional)('%s blank → accepted', (col) => {
    expect(reasonsFor({ [col]: '' })).toEqual([]);
  });
});

describe('validateRecord: typed columns', () => {
  // [column, value, expected reason or null when valid]
  const cases: [string, string, string | null][] = [
    ['account_id', 'A_1.b:c-D', null],
    ['account_id', 'x'.repeat(64), null],
    ['account_id', 'x'.repeat(65), 'account_id: must be 1-64 characters of A-Z a-z 0-9 _ . : -'],
    ['account_id', 'ACC 1', 'account_id: must be 1-64 characters of A-Z a-z 0-9 _ . : -'],
    ['customer_id', 'C/1', 'customer_id: must be 1-64 characters of A-Z a-z 0-9 _ . : -'],
    ['first_name', 'x'.repeat(100), null],
    ['first_name', 'x'.repeat(101), 'first_name: longer than 100 characters'],
    ['last_name', "O'Neil-Smith, Jr.", null],
    ['last_name', 'Lee\nSmith', 'last_name: contains control characters'],
    // money
    ['balance_due', '512.34', null],
    ['balance_due', '12.345', "balance_due: '12.345' not a decimal with at most 2 places"],
    ['balance_due', '1,234.00', "balance_due: '1,234.00' not a decimal with at most 2 places"],
    ['balance_due', '12.', "balance_due: '12.' not a decimal with at most 2 places"],
    ['balance_due', '.5', "balance_due: '.5' not a decimal with at most 2 places"],
    ['balance_due', '1e3', "balance_due: '1e3' not a decimal with at most 2 places"],
    ['balance_due', '-1.00', "balance_due: '-1.00' must not be negative"],
    ['balance_due', '99999999999999', "balance_due: '99999999999999' is too large"],
    ['credit_limit', '0', null],
    ['credit_limit', '-5', "credit_limit: '-5' must not be negative"],
    ['last_payment_amount', '1.001', "last_payment_amount: '1.001' not a decimal with at most 2 places"],
    ['monthly_income', 'abc', "monthly_income: 'abc' not a decimal with at most 2 places"],
    // days_past_due
    ['days_past_due', '0', null],
    ['days_past_due', '3650', null],
    ['days_past_due', '3651', 'days_past_due: 3651 is outside 0-3650'],
    ['days_past_due', '-1', "days_past_due: '-1' is not a whole number"],
    ['days_past_due', '12.0', "days_past_due: '12.0' is not a whole number"],
    // payments_last_6m
    ['payments_last_6m', '1000', null],
    ['payments_last_6m', '1001', 'payments_last_6m: 1001 is outside 0-1000'],
    // fico
    ['fico_score', '299', 'fico_score: 299 is outside 300-850'],
    ['fico_score', '300', null],
    ['fico_score', '850', null],
    ['fico_score', '851', 'fico_score: 851 is outside 300-850'],
    // dates
    ['last_payment_date', '2024-02-29', null],
    ['last_payment_date', '2025-02-29', "last_payment_date: '2025-02-29' is not a calendar date YYYY-MM-DD"],
    ['last_payment_date', '2000-02-29', null],
    ['last_payment_date', '1900-02-29', "last_payment_date: '1900-02-29' is not a calendar date YYYY-MM-DD"],
    ['promise_to_pay_date', '2025-04-31', "promise_to_pay_date: '2025-04-31' is not a calendar date YYYY-MM-DD"],
    ['promise_to_pay_date', '2025-13-01', "promise_to_pay_date: '2025-13-01' is not a calendar date YYYY-MM-DD"],
    ['promise_to_pay_date', '03/01/2025', "promise_to_pay_date: '03/01/2025' is not a calendar date YYYY-MM-DD"],
    ['promise_to_pay_date', '2025-3-1', "promise_to_pay_date: '2025-3-1' is not a calendar date YYYY-MM-DD"],
    // phone (E.164)
    ['phone', '+14155550123', null],
    ['phone', '+447911123456', null],
    ['phone', '4155550123', 'phone: not an E.164 number (+ then 2-15 digits, e.g. +14155550123)'],
    ['phone', '+1 415 555 0123', 'phone: not an E.164 number (+ then 2-15 digits, e.g. +14155550123)'],
    ['phone', '+01234567', 'phone: not an E.164 number (+ then 2-15 digits, e.g. +14155550123)'],
    ['phone', '+1234567890123456', 'phone: not an E.164 number (+ then 2-15 digits, e.g. +14155550123)'],
    // email
    ['email', 'first.last+tag@mail.example.co', null],
    ['email', 'no-at-sign.example.com', 'email: not a valid email address'],
    ['email', 'a@b', 'email: not a valid email address'],
    ['email', 'a..b@example.com', 'email: not a valid email address'],
    ['email', 'a b@example.com', 'email: not a valid email address'],
    ['email', 'a@-example.com', 'email: not a valid email address'],
    // language
    ['language', 'EN', null],
    ['language', 'xx', "language: 'xx' is not an ISO 639-1 code"],
    ['language', 'eng', "language: 'eng' is not an ISO 639-1 code"],
    ['language', 'en-US', "language: 'en-US' is not an ISO 639-1 code"],
    // state
    ['state', 'PR', null],
    ['state', 'dc', null],
    ['state', 'XX', "state: 'XX' is not a USPS state code"],
    ['state', 'GU', "state: 'GU' is not a USPS state code"],
    // postal code
    ['postal_code', '00901', null],
    ['postal_code', '94105-1234', null],
    ['postal_code', '9410', 'postal_code: not a 5-digit ZIP or ZIP+4 (12345-6789)'],
    ['postal_code', '941051234', 'postal_code: not a 5-digit ZIP or ZIP+4 (12345-6789)'],
    // timezone
    ['timezone', 'America/Puerto_Rico', null],
    ['timezone', 'US/Eastern', null],
    ['timezone', 'Mars/Olympus', "timezone: 'Mars/Olympus' is not an IANA time zone"],
    ['timezone', '+05:00', "timezone: '+05:00' is not an IANA time zone"],
    ['timezone', 'EST5', "timezone: 'EST5' is not an IANA time zone"],
    // product
    ['product', 'bnpl', null],
    ['product', 'Auto_Loan', null],
    ['product', 'mortgage', "product: 'mortgage' is not one of credit_card, personal_loan, auto_loan, bnpl"],
  ];
  it.each(cases)('%s = %j', (col, value, expected) => {
    expect(reasonsFor({ [col]: value })).toEqual(expected === null ? [] : [expected]);
  });

  it('amount_past_due may equal balance_due but not exceed it', () => {
    expect(reasonsFor({ balance_due: '100', amount_past_due: '100.00' })).toEqual([]);
    expect(reasonsFor({ balance_due: '100', amount_past_due: '100.01' })).toEqual(['amount_past_due: greater than balance_due']);
  });

  it('normalises codes: language lower-case, state upper-case, product lower-case', () => {
    expect(accountFor({ language: 'FR', state: 'ny', product: 'BNPL' })).toMatchObject({ language: 'fr', state: 'NY', product: 'bnpl' });
  });

  it('blank language defaults to en', () => {
    expect(accountFor({ language: '' }).language).toBe('en');
  });

  it('resolves time zone aliases to the canonical IANA name; blank → null', () => {
    expect(accountFor({ timezone: 'US/Eastern' }).timezone).toBe('America/New_York');
    expect(accountFor({ timezone: 'america/chicago' }).timezone).toBe('America/Chicago');
    expect(accountFor({ timezone: 'UTC' }).timezone).toBe('UTC');
    expect(accountFor({ timezone: '' }).timezone).toBeNull();
  });
});

describe('validateRecord: booleans', () => {
  const spellings: [string, boolean][] = [
    ['true', true], ['TRUE', true], ['True', true], ['1', true], ['yes', true], ['YES', true], ['Yes', true],
    ['false', false], ['FALSE', false], ['False', false], ['0', false], ['no', false], ['NO', false], ['No', false],
  ];
  const columns: [string, string][] = [
    ['email_consent', 'emailConsent'], ['sms_consent', 'smsConsent'], ['call_consent', 'callConsent'],
    ['do_not_contact', 'doNotContact'], ['in_dispute', 'inDispute'], ['bankruptcy', 'bankruptcy'],
  ];
  it.each(columns.flatMap(([col, key]) => spellings.map(([s, b]) => [col, key, s, b] as const)))('%s %j → %s', (col, key, s, b) => {
    expect((accountFor({ [col]: s }) as unknown as Record<string, unknown>)[key]).toBe(b);
  });
  it.each(['y', 'n', 't', 'f', '2', 'on', 'off', 'si'])('%j is rejected', (s) => {
    expect(reasonsFor({ email_consent: s })).toEqual([`email_consent: '${s}' is not one of true/false/1/0/yes/no`]);
  });
});

describe('validateRecord: reasons', () => {
  it('lists every problem of the row, in column order, and keeps the account id', () => {
    const r = validateRecord(row({ balance_due: '12.345', state: 'XX', fico_score: '900', bankruptcy: 'maybe' }));
    expect(r).toEqual({
      ok: false,
      accountId: 'ACC-1',
      reasons: [
        "state: 'XX' is not a USPS state code",
        "balance_due: '12.345' not a decimal with at most 2 places",
        'fico_score: 900 is outside 300-850',
        "bankruptcy: 'maybe' is not one of true/false/1/0/yes/no",
      ],
    });
  });

  it('accountId is null when the account_id is blank', () => {
    expect(validateRecord(row({ account_id: '' }))).toMatchObject({ ok: false, accountId: null });
  });

  it('never quotes personal data', () => {
    const r = validateRecord(row({ email: 'secret@@x', phone: '555-SECRET', postal_code: 'SECRET', first_name: `SECRET${'x'.repeat(100)}` }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons.join(' ')).not.toMatch(/SECRET/);
  });

  it('shortens long echoed values', () => {
    const [reason] = reasonsFor({ product: 'p'.repeat(500) });
    expect(reason!.length).toBeLessThan(120);
  });
});

describe('parseMoneyCents (exact string math)', () => {
  it.each([
    ['0', 0], ['12.3', 1230], ['12.30', 1230], ['0.01', 1], ['0.1', 10], ['007.05', 705],
    ['19.99', 1999], ['1234567890123.99', 123456789012399], ['12.345', null], ['', null], ['1.2.3', null],
  ] as const)('%j → %j', (input, cents) => {
    expect(parseMoneyCents(input)).toBe(cents);
  });
  it('is exact where float math is not (0.29 * 100 = 28.999999999999996)', () => {
    expect(parseMoneyCents('0.29')).toBe(29);
    expect(parseMoneyCents('1.15')).toBe(115);
  });
});

describe('isCalendarDate / resolveTimeZone', () => {
  it.each([
    ['2024-02-29', true], ['2025-02-28', true], ['2025-02-29', false], ['2100-02-29', false], ['2025-06-31', false],
    ['2025-00-10', false], ['2025-01-00', false], ['1899-12-31', false], ['2101-01-01', false], ['2025-01-01T00:00', false],
  ] as const)('%s → %s', (d, ok) => expect(isCalendarDate(d)).toBe(ok));

  it('accepts canonical zones and links, rejects others, and answers the same the second time (cache)', () => {
    for (let i = 0; i < 2; i++) {
      expect(resolveTimeZone('Europe/Paris')).toBe('Europe/Paris');
      expect(resolveTimeZone('Asia/Calcutta')).not.toBeNull();
      expect(resolveTimeZone('Nowhere/Town')).toBeNull();
      expect(resolveTimeZone('')).toBeNull();
    }
  });
});
