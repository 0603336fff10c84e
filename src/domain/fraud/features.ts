/**
 * Fraud features for one card transaction, computed from the transaction (non-PII fields only) and
 * the card's compact rolling profile as it was BEFORE this transaction. The stream processor and
 * the training export (model/fraud/export-features.ts) both call fraudFeatures → updateProfile per
 * card in time order, so training and scoring share one definition. Pure: no I/O, no clock.
 *
 * Never inputs: names, address, card number, CVV, expiry, e-mail, phone, gender (or age/birth date).
 * Missing values are NaN (the model routes them along each split's default branch).
 */
import { haversineKm, merchantLocation } from './places';

export type UseChipKind = 'Chip Transaction' | 'Swipe Transaction' | 'Online Transaction';

export interface FraudInput {
  /** Keyed-HMAC token of the card number (never the number). */
  cardToken: string;
  userId: string;
  /** Transaction instant, ISO 8601. The hour feature reads its UTC hour (TabFormer's wall clock as UTC). */
  at: string;
  /** Negative for a refund. */
  amountCents: number;
  useChip: UseChipKind;
  /** TabFormer's anonymised merchant name. */
  merchantId: string;
  /** 'ONLINE' for online merchants. */
  merchantCity: string;
  merchantState: string;
  merchantZip?: string | null;
  mcc: number;
  /** TabFormer error values ('Bad PIN', 'Insufficient Balance', …); empty when none. */
  errors: readonly string[];
  cardHasChip: boolean;
  cardOnDarkWeb: boolean;
  /** Home location at city-centroid precision (TabFormer's Latitude/Longitude); null if unknown. */
  homeLat: number | null;
  homeLon: number | null;
  creditLimitCents: number;
  yearlyIncomeCents?: number | null;
}

/**
 * Rolling per-card state, JSON-serialisable and bounded (a DynamoDB item of at most a few KB):
 * the last day's transactions (≤ RECENT_MAX), Welford mean/variance of amounts, most recently
 * used merchants and MCCs (≤ MERCHANTS_MAX / MCCS_MAX), last time and last in-person location.
 */
export interface CardProfile {
  v: 1;
  /** Transactions seen. */
  n: number;
  /** Welford over purchase amounts in dollars (refunds excluded). */
  amtN: number;
  amtMean: number;
  amtM2: number;
  /** [epoch seconds, amount cents, flags] within RECENT_WINDOW_S of the latest, oldest first. */
  recent: [number, number, number][];
  /** Most recent first. */
  merchants: string[];
  mccs: number[];
  /** Epoch seconds of the latest transaction, or null. */
  lastAt: number | null;
  /** Location and time of the latest in-person transaction at a known place. */
  lastLat: number | null;
  lastLon: number | null;
  lastGeoAt: number | null;
}

export const RECENT_WINDOW_S = 24 * 3600;
export const RECENT_MAX = 64;
export const MERCHANTS_MAX = 64;
export const MCCS_MAX = 32;

const F_ERROR = 1;
const F_BAD_PIN = 2;
const F_ONLINE = 4;

const CARD_DATA_ERRORS = new Set(['Bad CVV', 'Bad Card Number', 'Bad Expiration', 'Bad Zipcode']);

export function emptyProfile(): CardProfile {
  return { v: 1, n: 0, amtN: 0, amtMean: 0, amtM2: 0, recent: [], merchants: [], mccs: [], lastAt: null, lastLat: null, lastLon: null, lastGeoAt: null };
}

export const FRAUD_FEATURE_NAMES = [
  'amount',
  'amount_to_limit',
  'amount_zscore',
  'amount_to_mean',
  'card_txn_count',
  'txn_count_1h',
  'txn_count_24h',
  'amount_sum_24h',
  'small_txn_count_1h',
  'online_count_1h',
  'minutes_since_last',
  'is_online',
  'is_swipe',
  'swipe_on_chip_card',
  'card_has_chip',
  'card_on_dark_web',
  'mcc',
  'new_mcc',
  'new_merchant',
  'distance_home_km',
  'distance_last_km',
  'speed_from_last_kmh',
  'hour',
  'err_bad_pin',
  'err_card_data',
  'err_insufficient_balance',
  'err_technical_glitch',
  'error_count',
  'prior_errors_24h',
  'prior_bad_pin_24h',
  'is_refund',
  'amount_to_daily_income',
] as const;
export type FraudFeatureName = (typeof FRAUD_FEATURE_NAMES)[number];
export const NUM_FRAUD_FEATURES = FRAUD_FEATURE_NAMES.length;

const SMALL_CENTS = 500;

function epochSeconds(at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`invalid transaction time ${JSON.stringify(at)}`);
  return Math.floor(ms / 1000);
}

function flagsOf(input: FraudInput): number {
  return (input.errors.length > 0 ? F_ERROR : 0) | (input.errors.includes('Bad PIN') ? F_BAD_PIN : 0)
    | (input.useChip === 'Online Transaction' ? F_ONLINE : 0);
}

/** Feature vector in FRAUD_FEATURE_NAMES order for `input`, given the card's profile before it. */
export function fraudFeatures(input: FraudInput, profile: CardProfile): number[] {
  const t = epochSeconds(input.at);
  const dollars = input.amountCents / 100;
  const limit = input.creditLimitCents / 100;
  const online = input.useChip === 'Online Transaction';
  const swipe = input.useChip === 'Swipe Transaction';

  let c1h = 0, c24h = 0, sum24h = 0, small1h = 0, online1h = 0, err24h = 0, pin24h = 0;
  for (const [rt, cents, flags] of profile.recent) {
    const age = t - rt;
    if (age < 0 || age > RECENT_WINDOW_S) continue;
    c24h++;
    sum24h += cents / 100;
    if (flags & F_ERROR) err24h++;
    if (flags & F_BAD_PIN) pin24h++;
    if (age <= 3600) {
      c1h++;
      if (cents >= 0 && cents < SMALL_CENTS) small1h++;
      if (flags & F_ONLINE) online1h++;
    }
  }

  const variance = profile.amtN >= 2 ? profile.amtM2 / (profile.amtN - 1) : NaN;
  const sd = Math.sqrt(variance);
  const zscore = profile.amtN >= 5 ? (dollars - profile.amtMean) / Math.max(sd, 1) : NaN;
  const toMean = profile.amtN >= 1 ? dollars / Math.max(profile.amtMean, 1) : NaN;

  const loc = online ? null : merchantLocation(input.merchantCity, input.merchantState, input.merchantZip);
  const home = input.homeLat !== null && input.homeLon !== null ? { lat: input.homeLat, lon: input.homeLon } : null;
  const distHome = loc && home ? haversineKm(home.lat, home.lon, loc.lat, loc.lon) : NaN;
  let distLast = NaN;
  let speed = NaN;
  if (loc && profile.lastLat !== null && profile.lastLon !== null && profile.lastGeoAt !== null) {
    distLast = haversineKm(profile.lastLat, profile.lastLon, loc.lat, loc.lon);
    const hours = Math.max(t - profile.lastGeoAt, 60) / 3600;
    speed = distLast / hours;
  }

  const known = profile.n > 0;
  const income = input.yearlyIncomeCents;
  return [
    dollars,
    limit > 0 ? dollars / limit : NaN,
    zscore,
    toMean,
    profile.n,
    c1h,
    c24h,
    sum24h,
    small1h,
    online1h,
    profile.lastAt !== null ? Math.max(0, t - profile.lastAt) / 60 : NaN,
    online ? 1 : 0,
    swipe ? 1 : 0,
    swipe && input.cardHasChip ? 1 : 0,
    input.cardHasChip ? 1 : 0,
    input.cardOnDarkWeb ? 1 : 0,
    input.mcc,
    known ? (profile.mccs.includes(input.mcc) ? 0 : 1) : NaN,
    known ? (profile.merchants.includes(input.merchantId) ? 0 : 1) : NaN,
    distHome,
    distLast,
    speed,
    new Date(t * 1000).getUTCHours(),
    input.errors.includes('Bad PIN') ? 1 : 0,
    input.errors.some((e) => CARD_DATA_ERRORS.has(e)) ? 1 : 0,
    input.errors.includes('Insufficient Balance') ? 1 : 0,
    input.errors.includes('Technical Glitch') ? 1 : 0,
    input.errors.length,
    err24h,
    pin24h,
    input.amountCents < 0 ? 1 : 0,
    income !== null && income !== undefined && income > 0 ? dollars / (income / 100 / 365) : NaN,
  ];
}

function bumpFront<T>(list: readonly T[], item: T, max: number): T[] {
  const out = [item];
  for (const x of list) {
    if (out.length >= max) break;
    if (x !== item) out.push(x);
  }
  return out;
}

/** The profile after `input` (a new object; `profile` is not modified). */
export function updateProfile(profile: CardProfile, input: FraudInput): CardProfile {
  const t = epochSeconds(input.at);
  const latest = Math.max(t, profile.lastAt ?? t);
  const recent = profile.recent.filter(([rt]) => latest - rt <= RECENT_WINDOW_S);
  recent.push([t, input.amountCents, flagsOf(input)]);
  recent.sort((a, b) => a[0] - b[0]);
  while (recent.length > RECENT_MAX) recent.shift();

  let { amtN, amtMean, amtM2 } = profile;
  if (input.amountCents > 0) {
    const x = input.amountCents / 100;
    amtN += 1;
    const delta = x - amtMean;
    amtMean += delta / amtN;
    amtM2 += delta * (x - amtMean);
  }

  const loc = input.useChip === 'Online Transaction' ? null : merchantLocation(input.merchantCity, input.merchantState, input.merchantZip);
  const newer = profile.lastGeoAt === null || t >= profile.lastGeoAt;
  return {
    v: 1,
    n: profile.n + 1,
    amtN,
    amtMean,
    amtM2,
    recent,
    merchants: bumpFront(profile.merchants, input.merchantId, MERCHANTS_MAX),
    mccs: bumpFront(profile.mccs, input.mcc, MCCS_MAX),
    lastAt: latest,
    lastLat: loc && newer ? loc.lat : profile.lastLat,
    lastLon: loc && newer ? loc.lon : profile.lastLon,
    lastGeoAt: loc && newer ? t : profile.lastGeoAt,
  };
}
