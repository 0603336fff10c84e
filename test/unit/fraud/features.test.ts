import {
  emptyProfile, FRAUD_FEATURE_NAMES, fraudFeatures, MCCS_MAX, MERCHANTS_MAX, RECENT_MAX, updateProfile,
  type CardProfile, type FraudFeatureName, type FraudInput,
} from '../../../src/domain/fraud/features';
import { haversineKm, merchantLocation, normalizeZip } from '../../../src/domain/fraud/places';

const NY = { lat: 40.75, lon: -73.99 };
const T0 = Date.parse('2019-09-10T12:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60000).toISOString();

function input(over: Partial<FraudInput> = {}): FraudInput {
  return {
    cardToken: 'tok_1', userId: '7', at: at(0), amountCents: 4200, useChip: 'Chip Transaction', merchantId: '111',
    merchantCity: 'New York', merchantState: 'NY', merchantZip: '10001', mcc: 5411, errors: [], cardHasChip: true,
    cardOnDarkWeb: false, homeLat: NY.lat, homeLon: NY.lon, creditLimitCents: 500000, yearlyIncomeCents: 3650000, ...over,
  };
}

/** Profile after the given transactions, in order. */
function history(...txns: Partial<FraudInput>[]): CardProfile {
  return txns.reduce<CardProfile>((p, t) => updateProfile(p, input(t)), emptyProfile());
}

function feature(f: number[], name: FraudFeatureName): number {
  return f[FRAUD_FEATURE_NAMES.indexOf(name)]!;
}

describe('fraudFeatures', () => {
  const cases: { name: string; profile: CardProfile; txn: Partial<FraudInput>; expect: Partial<Record<FraudFeatureName, number>> }[] = [
    {
      name: 'first transaction: history-based features missing, counts zero',
      profile: emptyProfile(),
      txn: {},
      expect: { card_txn_count: 0, txn_count_1h: 0, minutes_since_last: NaN, new_merchant: NaN, new_mcc: NaN, amount_zscore: NaN, amount_to_mean: NaN, distance_last_km: NaN },
    },
    {
      name: 'velocity: 1 h and 24 h windows, older ones dropped',
      profile: history({ at: at(-26 * 60) }, { at: at(-5 * 60) }, { at: at(-50) }, { at: at(-10) }),
      txn: {},
      expect: { card_txn_count: 4, txn_count_1h: 2, txn_count_24h: 3, amount_sum_24h: 126, minutes_since_last: 10 },
    },
    {
      name: 'card testing: small online amounts in the last hour',
      profile: history(
        { at: at(-30), amountCents: 120, useChip: 'Online Transaction', merchantCity: 'ONLINE', merchantState: '', merchantZip: null },
        { at: at(-20), amountCents: 350, useChip: 'Online Transaction', merchantCity: 'ONLINE', merchantState: '', merchantZip: null, errors: ['Bad CVV'] },
        { at: at(-90), amountCents: 99 },
      ),
      txn: { amountCents: 89900, useChip: 'Online Transaction', merchantCity: 'ONLINE', merchantState: '', merchantZip: null, mcc: 5732 },
      expect: { small_txn_count_1h: 2, online_count_1h: 2, prior_errors_24h: 1, is_online: 1, distance_home_km: NaN, distance_last_km: NaN, new_mcc: 1 },
    },
    {
      name: 'known merchant and MCC',
      profile: history({ at: at(-60 * 24 * 3) }),
      txn: {},
      expect: { new_merchant: 0, new_mcc: 0, distance_home_km: 0, distance_last_km: 0 },
    },
    {
      name: 'new merchant, new MCC',
      profile: history({ at: at(-60) }),
      txn: { merchantId: '222', mcc: 5094 },
      expect: { new_merchant: 1, new_mcc: 1, mcc: 5094 },
    },
    {
      name: 'swipe on a chip card',
      profile: emptyProfile(),
      txn: { useChip: 'Swipe Transaction' },
      expect: { is_swipe: 1, swipe_on_chip_card: 1, card_has_chip: 1, is_online: 0 },
    },
    {
      name: 'swipe on a card without chip is not a chip anomaly',
      profile: emptyProfile(),
      txn: { useChip: 'Swipe Transaction', cardHasChip: false },
      expect: { is_swipe: 1, swipe_on_chip_card: 0, card_has_chip: 0 },
    },
    {
      name: 'chip transaction on a dark-web card',
      profile: emptyProfile(),
      txn: { cardOnDarkWeb: true },
      expect: { is_swipe: 0, swipe_on_chip_card: 0, card_on_dark_web: 1 },
    },
    {
      name: 'errors: Bad PIN now and before, card-data errors, balance, glitch',
      profile: history({ at: at(-5), errors: ['Bad PIN'] }, { at: at(-3), errors: ['Bad PIN', 'Insufficient Balance'] }),
      txn: { errors: ['Bad CVV', 'Insufficient Balance', 'Technical Glitch'] },
      expect: { err_bad_pin: 0, err_card_data: 1, err_insufficient_balance: 1, err_technical_glitch: 1, error_count: 3, prior_errors_24h: 2, prior_bad_pin_24h: 2 },
    },
    {
      name: 'amount against limit, income, refund flag',
      profile: emptyProfile(),
      txn: { amountCents: -5000 },
      expect: { amount: -50, amount_to_limit: -0.01, amount_to_daily_income: -0.5, is_refund: 1 },
    },
    {
      name: 'unknown home → no distance from home',
      profile: emptyProfile(),
      txn: { homeLat: null, homeLon: null },
      expect: { distance_home_km: NaN },
    },
    {
      name: 'no income → no income ratio',
      profile: emptyProfile(),
      txn: { yearlyIncomeCents: null },
      expect: { amount_to_daily_income: NaN },
    },
  ];

  it.each(cases)('$name', ({ profile, txn, expect: want }) => {
    const f = fraudFeatures(input(txn), profile);
    expect(f).toHaveLength(FRAUD_FEATURE_NAMES.length);
    for (const [name, value] of Object.entries(want)) {
      const got = feature(f, name as FraudFeatureName);
      if (Number.isNaN(value)) expect([name, got]).toEqual([name, NaN]);
      else expect([name, got]).toEqual([name, expect.closeTo(value, 6)]);
    }
  });

  it('distance from home and impossible travel (New York → Los Angeles in an hour)', () => {
    const profile = history({ at: at(-60) });
    const f = fraudFeatures(input({ merchantCity: 'Los Angeles', merchantState: 'CA', merchantZip: '90013', useChip: 'Swipe Transaction' }), profile);
    const km = haversineKm(NY.lat, NY.lon, 34.05, -118.24);
    expect(km).toBeGreaterThan(3900);
    expect(km).toBeLessThan(4000);
    expect(feature(f, 'distance_home_km')).toBeCloseTo(km, 6);
    expect(feature(f, 'distance_last_km')).toBeCloseTo(km, 6);
    expect(feature(f, 'speed_from_last_kmh')).toBeCloseTo(km, 6);
    expect(feature(f, 'hour')).toBe(12);
  });

  it('amount z-score and ratio follow the Welford mean/variance of purchases (refunds excluded)', () => {
    const amounts = [10, 20, 30, 40, 50, 60];
    const profile = history(...amounts.map((a, i) => ({ at: at(-1000 + i), amountCents: a * 100 })), { at: at(-10), amountCents: -9900 });
    const mean = 35;
    const sd = Math.sqrt(amounts.reduce((s, a) => s + (a - mean) ** 2, 0) / (amounts.length - 1));
    expect(profile.amtN).toBe(6);
    expect(profile.amtMean).toBeCloseTo(mean, 9);
    const f = fraudFeatures(input({ amountCents: 20000 }), profile);
    expect(feature(f, 'amount_zscore')).toBeCloseTo((200 - mean) / sd, 9);
    expect(feature(f, 'amount_to_mean')).toBeCloseTo(200 / mean, 9);
  });

  it('rejects an invalid time', () => {
    expect(() => fraudFeatures(input({ at: 'yesterday' }), emptyProfile())).toThrow(/invalid transaction time/);
  });
});

describe('updateProfile', () => {
  it('is pure: returns a new profile and leaves the old one untouched', () => {
    const before = history({ at: at(-10) });
    const snapshot = JSON.stringify(before);
    const after = updateProfile(Object.freeze(before), input());
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after.n).toBe(2);
    expect(after).not.toBe(before);
  });

  it('stays bounded however many transactions a card makes', () => {
    let p = emptyProfile();
    for (let i = 0; i < 2000; i++) {
      p = updateProfile(p, input({ at: at(i % 600), merchantId: `m${i}`, mcc: 1000 + i, amountCents: 100 + i }));
    }
    expect(p.n).toBe(2000);
    expect(p.recent.length).toBeLessThanOrEqual(RECENT_MAX);
    expect(p.merchants).toHaveLength(MERCHANTS_MAX);
    expect(p.mccs).toHaveLength(MCCS_MAX);
    expect(p.merchants[0]).toBe('m1999');
    expect(JSON.stringify(p).length).toBeLessThan(6000);
  });

  it('forgets transactions older than a day and keeps them sorted when one arrives late', () => {
    let p = history({ at: at(-3000) }, { at: at(-30) });
    p = updateProfile(p, input({ at: at(-60) }));
    expect(p.recent.map((r) => r[0])).toEqual([at(-60), at(-30)].map((s) => Date.parse(s) / 1000));
    expect(p.lastAt).toBe(Date.parse(at(-30)) / 1000);
  });

  it('remembers the last in-person location only', () => {
    const p = history({ at: at(-20) }, { at: at(-10), useChip: 'Online Transaction', merchantCity: 'ONLINE', merchantState: '', merchantZip: null });
    expect([p.lastLat, p.lastLon]).toEqual([40.75, -73.99]);
    expect(p.lastGeoAt).toBe(Date.parse(at(-20)) / 1000);
  });
});

describe('merchant places', () => {
  it.each([
    ['New York', 'NY', '10001', { lat: 40.75, lon: -73.99 }],
    ['Somewhere', 'NY', '10007.0', { lat: 40.75, lon: -73.99 }],
    ['Boston', 'MA', '2108', { lat: 42.36, lon: -71.06 }],
    ['portland', 'me', null, { lat: 43.66, lon: -70.26 }],
    ['ONLINE', '', null, null],
    ['Nowhere', 'ZZ', '00000', null],
  ])('%s %s %s', (city, state, zip, want) => {
    expect(merchantLocation(city, state, zip)).toEqual(want);
  });

  it('normalises TabFormer ZIP spellings', () => {
    expect(normalizeZip('91750.0')).toBe('91750');
    expect(normalizeZip(2108)).toBe('02108');
    expect(normalizeZip('')).toBeNull();
    expect(normalizeZip('abc')).toBeNull();
  });
});
