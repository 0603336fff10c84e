/**
 * Synthetic data shaped like IBM's TabFormer credit-card dataset: users, their cards and a time-
 * ordered stream of card transactions with rare, labelled fraud (≈0.1% of transactions, like
 * TabFormer). Genuine behaviour: each user has a home city, a set of regular local merchants
 * (favourites first), some online merchants, a daily spending rate, occasional trips, refunds and
 * the usual error values. Fraud comes in episodes of the four patterns documented in
 * docs/cdp-data.md. Everything derives from the seed: per-user PRNG streams, so the same seed
 * always yields the same data.
 */
import { haversineKm, PLACE_ZIP_SPAN, PLACES, type Place } from '../../domain/fraud/places';
import { fmix32, Rng, streamSeed } from '../prng';
import { FIRST_NAMES, LAST_NAMES, STATES } from '../reference-data';
import type {
  CardBrand, CardType, FraudPattern, TabCard, TabError, TabFormerData, TabTransaction, TabUser, UseChip,
} from './types';

export interface GenerateTabFormerOptions {
  users: number;
  seed?: number;
  /** First day, YYYY-MM-DD (default 2019-09-01). */
  start?: string;
  /** Number of days (default 90). */
  days?: number;
}

// --- reference data --------------------------------------------------------------------------

interface MccInfo {
  mcc: number;
  /** Relative share of a user's regular merchants. */
  weight: number;
  /** Median amount in dollars and log-normal sigma. */
  median: number;
  sigma: number;
  /** Share of this category's merchants that are online. */
  online: number;
}

// TabFormer's MCC codes (ISO 18245), with plausible shares and ticket sizes.
const MCCS: readonly MccInfo[] = ([
  [5411, 14, 45, 0.8, 0.02], [5812, 9, 32, 0.6, 0.02], [5814, 9, 11, 0.5, 0.03], [5541, 10, 38, 0.5, 0],
  [5499, 8, 18, 0.7, 0.02], [5300, 6, 85, 0.7, 0.1], [5912, 6, 25, 0.8, 0.05], [4829, 3, 120, 0.9, 0.5],
  [5311, 3, 70, 0.9, 0.3], [5310, 5, 40, 0.8, 0.2], [4784, 3, 8, 0.5, 0.5], [4121, 3, 22, 0.5, 0.7],
  [7538, 1.5, 180, 0.8, 0], [5942, 1, 25, 0.6, 0.5], [5651, 2, 60, 0.7, 0.4], [4900, 2, 110, 0.5, 0.8],
  [5813, 2, 35, 0.6, 0], [4814, 1.5, 75, 0.4, 0.8], [5815, 2, 12, 0.7, 1], [7832, 1, 25, 0.4, 0.3],
  [5921, 1.5, 30, 0.6, 0], [5211, 1, 90, 0.9, 0.1], [5712, 0.4, 350, 0.8, 0.4], [5732, 0.8, 150, 1, 0.5],
  [5045, 0.3, 400, 0.8, 0.6], [8099, 1, 120, 0.9, 0.1], [8021, 0.5, 180, 0.7, 0], [8011, 0.7, 110, 0.7, 0],
  [4511, 0.3, 320, 0.6, 0.9], [7011, 0.5, 180, 0.6, 0.5], [5094, 0.2, 250, 1, 0.3], [7801, 0.2, 60, 1, 0.8],
  [4722, 0.2, 400, 0.8, 0.8], [5977, 0.6, 35, 0.6, 0.4], [7230, 0.8, 45, 0.6, 0], [9402, 0.6, 15, 0.6, 0.3],
  [6300, 0.5, 140, 0.5, 0.8], [5661, 0.6, 75, 0.6, 0.4], [7349, 0.3, 100, 0.5, 0], [5251, 1, 40, 0.8, 0.1],
] as const).map(([mcc, weight, median, sigma, online]) => ({ mcc, weight, median, sigma, online }));
const MCC_BY_CODE = new Map(MCCS.map((m) => [m.mcc, m]));
const TRAVEL_MCCS = [5812, 5814, 5541, 7011, 4121, 5499, 5813, 5411];

const STREETS = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Sunset', 'Park',
  'Ridge', 'River', 'Church', 'Mill', 'Valley', 'Highland', 'Forest', 'Spring', 'Rose'];
const SUFFIXES = ['Street', 'Avenue', 'Lane', 'Drive', 'Boulevard', 'Court', 'Way', 'Road'];

const PURPOSE = { user: 1, cards: 2, days: 3, fraud: 4, schedule: 5 } as const;

// --- helpers ---------------------------------------------------------------------------------

const round2 = (x: number): number => Math.round(x * 100) / 100;

function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (c[i] = s += w));
  return c;
}
function pickWeighted(rng: Rng, cum: Float64Array): number {
  const x = rng.next() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
const PLACE_CUM = cumulative(PLACES.map((p) => p.popK));
const MCC_CUM = cumulative(MCCS.map((m) => m.weight));
const logNormal = (rng: Rng, median: number, sigma: number): number => median * Math.exp(sigma * rng.normal());
function poisson(rng: Rng, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Luhn check digit for the digits so far. */
export function luhnCheckDigit(partial: string): number {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = partial.charCodeAt(partial.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
export function isLuhnValid(number: string): boolean {
  return /^\d{12,19}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

function cardNumber(rng: Rng, brand: CardBrand): string {
  const prefix = brand === 'Visa' ? '4' : brand === 'Mastercard' ? `5${rng.int(1, 5)}` : brand === 'Amex' ? rng.pick(['34', '37']) : '6011';
  const length = brand === 'Amex' ? 15 : 16;
  let n = prefix;
  while (n.length < length - 1) n += String(rng.int(0, 9));
  return n + String(luhnCheckDigit(n));
}

// --- merchants -------------------------------------------------------------------------------

interface Merchant {
  name: string;
  city: string;
  state: string;
  zip: string;
  mcc: number;
  place: Place | null;
}

/** A signed 64-bit decimal, like TabFormer's anonymised merchant names. */
function merchantName(seed: number, a: number, b: number, c: number): string {
  const hi = fmix32(streamSeed(seed, a * 4096 + b, 100 + c));
  const lo = fmix32(hi ^ streamSeed(seed, c, a * 64 + b));
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Merchants are shared: a (place, MCC) has a fixed pool, online merchants a pool per MCC. */
class MerchantDirectory {
  private readonly cache = new Map<string, Merchant>();
  constructor(private readonly seed: number) {}

  local(placeIndex: number, mcc: number, k: number): Merchant {
    const key = `${placeIndex}|${mcc}|${k}`;
    let m = this.cache.get(key);
    if (!m) {
      const place = PLACES[placeIndex]!;
      const zip = String(Number(place.zip) + (fmix32(placeIndex * 7919 + mcc * 31 + k) % PLACE_ZIP_SPAN)).padStart(5, '0');
      m = { name: merchantName(this.seed, placeIndex, k, mcc), city: place.city, state: place.state, zip, mcc, place };
      this.cache.set(key, m);
    }
    return m;
  }

  online(mcc: number, k: number): Merchant {
    const key = `online|${mcc}|${k}`;
    let m = this.cache.get(key);
    if (!m) {
      m = { name: merchantName(this.seed, 999, k, mcc), city: 'ONLINE', state: '', zip: '', mcc, place: null };
      this.cache.set(key, m);
    }
    return m;
  }

  /** Pool size per (place, MCC) grows with the city. */
  static poolSize(place: Place): number {
    return 3 + Math.floor(place.popK / 150);
  }
}

function randomMerchant(rng: Rng, dir: MerchantDirectory, placeIndex: number, mcc: number): Merchant {
  return dir.local(placeIndex, mcc, rng.int(0, MerchantDirectory.poolSize(PLACES[placeIndex]!) - 1));
}
function randomOnline(rng: Rng, dir: MerchantDirectory, mcc: number): Merchant {
  return dir.online(mcc, rng.int(0, 24));
}
function mccInfo(mcc: number): MccInfo {
  return MCC_BY_CODE.get(mcc)!;
}

/** A place at least `minKm` from (lat, lon). */
function farPlace(rng: Rng, lat: number, lon: number, minKm: number): number {
  for (let i = 0; i < 50; i++) {
    const p = pickWeighted(rng, PLACE_CUM);
    if (haversineKm(lat, lon, PLACES[p]!.lat, PLACES[p]!.lon) >= minKm) return p;
  }
  return PLACES.findIndex((p) => haversineKm(lat, lon, p.lat, p.lon) >= minKm);
}
function nearPlace(rng: Rng, home: number): number {
  const h = PLACES[home]!;
  const near = PLACES.map((p, i) => [i, haversineKm(h.lat, h.lon, p.lat, p.lon)] as const)
    .filter(([i, d]) => i !== home && d < 400);
  return near.length > 0 ? rng.pick(near)[0] : home;
}

// --- generation ------------------------------------------------------------------------------

interface Draft {
  t: number; // minutes since the Unix epoch
  user: number;
  card: number;
  order: number;
  amount: number;
  useChip: UseChip;
  m: Merchant;
  errors: TabError[];
  fraud: FraudPattern | null;
}

interface UserPlan {
  user: TabUser;
  cards: TabCard[];
  cardCum: Float64Array;
  home: number;
  regular: Merchant[];
  regularCum: Float64Array;
  online: Merchant[];
  onlineShare: number;
  rate: number;
  spendScale: number;
}

function makeUser(seed: number, index: number, refYear: number, dir: MerchantDirectory, startDate: Date): UserPlan {
  const rng = new Rng(streamSeed(seed, index, PURPOSE.user));
  const home = pickWeighted(rng, PLACE_CUM);
  const place = PLACES[home]!;
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const age = Math.min(95, Math.max(18, Math.round(47 + 17 * rng.normal())));
  const gender = rng.chance(0.51) ? 'Female' : 'Male';
  const perCapita = Math.round(Math.max(8000, logNormal(rng, 26000, 0.3)));
  const income = Math.round(Math.max(1, perCapita * logNormal(rng, 1.9, 0.35) * (age >= 67 ? 0.7 : 1)));
  const debt = rng.chance(0.12) ? 0 : Math.round(income * logNormal(rng, 1.1, 0.8));
  const fico = Math.min(850, Math.max(480, Math.round(712 + 60 * rng.normal())));
  const numCards = Math.min(9, Math.max(1, Math.round(3.4 + 1.4 * rng.normal())));
  const state = STATES.find((s) => s.code === place.state);
  const area = state ? rng.pick(state.areaCodes) : 555;
  const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const user: TabUser = {
    user: index,
    person: `${first} ${last}`,
    currentAge: age,
    retirementAge: rng.int(60, 70),
    birthYear: refYear - age,
    birthMonth: rng.int(1, 12),
    gender,
    address: `${rng.int(1, 9999)} ${rng.pick(STREETS)} ${rng.pick(SUFFIXES)}`,
    apartment: rng.chance(0.26) ? rng.int(1, 60) : null,
    city: place.city,
    state: place.state,
    zipcode: String(Number(place.zip) + rng.int(0, PLACE_ZIP_SPAN - 1)).padStart(5, '0'),
    latitude: round2(place.lat + (rng.next() - 0.5) * 0.1),
    longitude: round2(place.lon + (rng.next() - 0.5) * 0.1),
    perCapitaIncomeZipcode: perCapita,
    yearlyIncomePerson: income,
    totalDebt: debt,
    ficoScore: fico,
    numCreditCards: numCards,
    email: `${ascii(first)}.${ascii(last)}${index}@example.com`,
    // 555-01xx numbers are reserved for fiction.
    phone: `(${area}) 555-01${String(rng.int(0, 99)).padStart(2, '0')}`,
  };

  const crng = new Rng(streamSeed(seed, index, PURPOSE.cards));
  const cards: TabCard[] = [];
  const usage: number[] = [];
  const startYear = startDate.getUTCFullYear();
  for (let c = 0; c < numCards; c++) {
    const u = crng.next();
    const cardBrand: CardBrand = u < 0.52 ? 'Mastercard' : u < 0.89 ? 'Visa' : u < 0.96 ? 'Amex' : 'Discover';
    const v = crng.next();
    const cardType: CardType = cardBrand === 'Amex' || cardBrand === 'Discover' ? 'Credit' : v < 0.5 ? 'Debit' : v < 0.86 ? 'Credit' : 'Debit (Prepaid)';
    const creditLimit = cardType === 'Debit (Prepaid)'
      ? crng.int(2, 15) * 10
      : Math.round(Math.max(500, income * logNormal(crng, cardType === 'Credit' ? 0.25 : 0.35, 0.5)) / 100) * 100;
    const openYear = crng.int(1995, startYear - 1);
    cards.push({
      user: index,
      cardIndex: c,
      cardBrand,
      cardType,
      cardNumber: cardNumber(crng, cardBrand),
      expires: `${String(crng.int(1, 12)).padStart(2, '0')}/${startYear + crng.int(1, 6)}`,
      cvv: String(crng.int(0, 999)).padStart(3, '0'),
      hasChip: crng.chance(0.9),
      cardsIssued: crng.chance(0.5) ? 1 : crng.chance(0.8) ? 2 : 3,
      creditLimit,
      acctOpenDate: `${String(crng.int(1, 12)).padStart(2, '0')}/${openYear}`,
      yearPinLastChanged: crng.int(Math.max(openYear, 2003), startYear),
      cardOnDarkWeb: crng.chance(0.03),
    });
    usage.push(cardType === 'Debit (Prepaid)' ? 0.15 : c === 0 ? 3 : logNormal(crng, 1, 0.6));
  }

  // Regular merchants: mostly the home city, a few in a nearby one; favourites get Zipf weights.
  const nRegular = rng.int(15, 40);
  const regular: Merchant[] = [];
  const seen = new Set<Merchant>();
  const near = nearPlace(rng, home);
  for (let i = 0; regular.length < nRegular && i < nRegular * 3; i++) {
    const info = MCCS[pickWeighted(rng, MCC_CUM)]!;
    if (rng.chance(info.online)) continue;
    const m = randomMerchant(rng, dir, rng.chance(0.88) ? home : near, info.mcc);
    if (!seen.has(m)) {
      seen.add(m);
      regular.push(m);
    }
  }
  const online: Merchant[] = [];
  for (let i = 0; i < rng.int(3, 10); i++) {
    const candidates = MCCS.filter((x) => x.online >= 0.3);
    online.push(randomOnline(rng, dir, rng.pick(candidates).mcc));
  }
  return {
    user,
    cards,
    cardCum: cumulative(usage),
    home,
    regular,
    regularCum: cumulative(regular.map((_, i) => 1 / (i + 1))),
    online,
    onlineShare: Math.min(0.3, Math.max(0.02, logNormal(rng, 0.09, 0.5))),
    rate: Math.min(6, Math.max(0.4, logNormal(rng, 1.9, 0.45))),
    spendScale: Math.min(3, Math.max(0.4, logNormal(rng, 1, 0.3) * Math.sqrt(income / 50000))),
  };
}

/** Minute of the day for genuine activity: daytime-heavy, little at night. */
function genuineMinute(rng: Rng): number {
  const u = rng.next();
  const hour = u < 0.04 ? rng.int(0, 5) : u < 0.2 ? rng.int(6, 9) : u < 0.75 ? rng.int(10, 17) : rng.int(18, 23);
  return hour * 60 + rng.int(0, 59);
}

function genuineErrors(rng: Rng, card: TabCard, amount: number, useChip: UseChip): TabError[] {
  const u = rng.next();
  const overLimit = amount > card.creditLimit * 0.5 || card.cardType === 'Debit (Prepaid)';
  if (u < (overLimit ? 0.05 : 0.008)) return ['Insufficient Balance'];
  if (u < 0.012) return useChip === 'Online Transaction' ? [rng.pick(['Bad CVV', 'Bad Expiration', 'Bad Card Number', 'Bad Zipcode'] as const)] : ['Bad PIN'];
  if (u < 0.014) return ['Technical Glitch'];
  if (u < 0.0145) return ['Bad PIN', 'Insufficient Balance'];
  return [];
}

function inPersonChip(rng: Rng, card: TabCard): UseChip {
  return card.hasChip && rng.chance(0.88) ? 'Chip Transaction' : 'Swipe Transaction';
}

function genuineDay(rng: Rng, plan: UserPlan, dayStart: number, dir: MerchantDirectory, trip: number | null, out: Draft[]): void {
  const n = poisson(rng, plan.rate);
  for (let i = 0; i < n; i++) {
    const card = plan.cards[pickWeighted(rng, plan.cardCum)]!;
    let m: Merchant;
    let useChip: UseChip;
    if (rng.chance(plan.onlineShare)) {
      m = rng.chance(0.9) ? rng.pick(plan.online) : randomOnline(rng, dir, rng.pick(MCCS).mcc);
      useChip = 'Online Transaction';
    } else {
      if (trip !== null) m = randomMerchant(rng, dir, trip, rng.pick(TRAVEL_MCCS));
      else if (rng.chance(0.03)) m = randomMerchant(rng, dir, plan.home, MCCS[pickWeighted(rng, MCC_CUM)]!.mcc);
      else m = plan.regular[pickWeighted(rng, plan.regularCum)]!;
      useChip = inPersonChip(rng, card);
    }
    const info = mccInfo(m.mcc);
    let amount = round2(Math.max(0.5, logNormal(rng, info.median * plan.spendScale, info.sigma)));
    if (rng.chance(0.008)) amount = -round2(Math.min(amount, logNormal(rng, 60, 0.6))); // refund
    out.push({
      t: dayStart + genuineMinute(rng), user: plan.user.user, card: card.cardIndex, order: out.length, amount, useChip, m,
      errors: genuineErrors(rng, card, amount, useChip), fraud: null,
    });
  }
}

const CARD_TEST_MCCS = [5815, 5942, 5499, 4829, 5977];
const BIG_ONLINE_MCCS = [5732, 5045, 5094, 4722, 5311, 4511];
const COUNTERFEIT_MCCS = [5732, 5311, 5310, 5912, 5300, 5541, 5094, 5651];
const DARK_WEB_MCCS = [4829, 7801, 5815, 4722, 4511, 5045, 5732];

/** One fraud episode on `card` starting on `dayStart` (minutes). */
function fraudEpisode(rng: Rng, plan: UserPlan, card: TabCard, dayStart: number, dir: MerchantDirectory, out: Draft[]): void {
  const u = plan.user;
  const push = (t: number, amount: number, useChip: UseChip, m: Merchant, errors: TabError[], fraud: FraudPattern) =>
    out.push({ t, user: u.user, card: card.cardIndex, order: out.length, amount: round2(amount), useChip, m, errors, fraud });
  // Fraud skews to night and evening.
  let t = dayStart + (rng.chance(0.45) ? rng.int(0, 5) * 60 : rng.int(6, 23) * 60) + rng.int(0, 59);
  const r = rng.next();
  const pattern: FraudPattern = card.cardOnDarkWeb && r < 0.5
    ? 'dark-web-online'
    : r < 0.3 ? 'card-testing' : r < 0.62 ? 'counterfeit-far-from-home' : r < 0.85 ? 'dark-web-online' : 'pin-attack';
  if (pattern === 'card-testing') {
    const tests = rng.int(2, 6);
    for (let i = 0; i < tests; i++) {
      const m = randomOnline(rng, dir, rng.pick(CARD_TEST_MCCS));
      const errors: TabError[] = rng.chance(0.35) ? [rng.pick(['Bad CVV', 'Bad Expiration', 'Bad Card Number'] as const)] : [];
      push(t, 0.5 + rng.next() * 4.5, 'Online Transaction', m, errors, pattern);
      t += rng.int(0, 12);
    }
    const cashOut = rng.int(1, 3);
    for (let i = 0; i < cashOut; i++) {
      t += rng.int(5, 180);
      push(t, logNormal(rng, 450, 0.7), 'Online Transaction', randomOnline(rng, dir, rng.pick(BIG_ONLINE_MCCS)), [], pattern);
    }
  } else if (pattern === 'counterfeit-far-from-home') {
    // A cloned magstripe: swiped, even when the genuine card has a chip, far from home.
    const place = farPlace(rng, u.latitude, u.longitude, 500);
    const n = rng.int(2, 6);
    if (rng.chance(0.3)) push(t, logNormal(rng, 200, 0.6), 'Swipe Transaction', randomMerchant(rng, dir, place, rng.pick(COUNTERFEIT_MCCS)), ['Bad PIN'], pattern);
    for (let i = 0; i < n; i++) {
      t += rng.int(3, 90);
      const m = randomMerchant(rng, dir, place, rng.pick(COUNTERFEIT_MCCS));
      push(t, logNormal(rng, 260, 0.7), rng.chance(0.85) ? 'Swipe Transaction' : inPersonChip(rng, card), m, [], pattern);
    }
  } else if (pattern === 'dark-web-online') {
    const n = rng.int(1, 5);
    for (let i = 0; i < n; i++) {
      const mcc = rng.pick(DARK_WEB_MCCS);
      push(t, logNormal(rng, Math.max(120, mccInfo(mcc).median * 2.5), 0.7), 'Online Transaction', randomOnline(rng, dir, mcc), [], pattern);
      t += rng.int(2, 240);
    }
  } else {
    // Stolen card, PIN guessed: Bad PIN attempts, then purchases and transfers nearby.
    const place = rng.chance(0.5) ? plan.home : nearPlace(rng, plan.home);
    const attempts = rng.int(1, 3);
    for (let i = 0; i < attempts; i++) {
      push(t, logNormal(rng, 150, 0.6), inPersonChip(rng, card), randomMerchant(rng, dir, place, rng.pick([5300, 5411, 5732, 4829])), ['Bad PIN'], pattern);
      t += rng.int(1, 10);
    }
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      t += rng.int(2, 60);
      push(t, logNormal(rng, 300, 0.6), inPersonChip(rng, card), randomMerchant(rng, dir, place, rng.pick([5300, 5732, 4829, 5311, 5094])), [], pattern);
    }
  }
}

/** Episodes per user-day: calibrated so that ≈0.1% of transactions are fraud (TabFormer: 0.12%). */
const EPISODE_RATE_PER_TXN = 0.0002;

/** A user's expected fraud episodes per day (a card on the dark web triples it). */
const episodeWeight = (plan: UserPlan): number =>
  EPISODE_RATE_PER_TXN * plan.rate * (plan.cards.some((c) => c.cardOnDarkWeb) ? 3 : 1);

/**
 * When fraud starts, for the whole population: the expected count W = Σ users' daily weights ×
 * days, spread by a jittered grid anchored at the period's end — W is cut into unit strata from the
 * end backwards, one episode uniformly inside each (the oldest, partial stratum holds one with the
 * probability of its length). Same expected rate as a per-user-day coin, but no stretch of
 * ≈ days / W days is left without fraud by chance, the newest included (with independent coins a
 * 200-user, 90-day set — ~10 episodes — left its last 5 % fraud-free in 6 runs out of 10).
 * The user of each episode is drawn in proportion to their weight.
 * Returns user index → the days (0-based) an episode starts on, one entry per episode.
 */
function scheduleEpisodes(seed: number, plans: readonly UserPlan[], days: number): Map<number, number[]> {
  const rng = new Rng(streamSeed(seed, 0, PURPOSE.schedule));
  const userCum = cumulative(plans.map(episodeWeight));
  const perDay = userCum[userCum.length - 1] ?? 0;
  const total = perDay * days;
  const byUser = new Map<number, number[]>();
  if (!(total > 0)) return byUser;
  for (let k = 0; k < Math.ceil(total); k++) {
    const x = total - k - rng.next();
    if (x < 0) continue;
    const u = pickWeighted(rng, userCum);
    const list = byUser.get(u) ?? [];
    list.push(Math.min(days - 1, Math.floor(x / perDay)));
    byUser.set(u, list);
  }
  return byUser;
}

function simulateUser(seed: number, plan: UserPlan, startMin: number, days: number, dir: MerchantDirectory, episodeDays: readonly number[], out: Draft[]): void {
  const rng = new Rng(streamSeed(seed, plan.user.user, PURPOSE.days));
  const frng = new Rng(streamSeed(seed, plan.user.user, PURPOSE.fraud));
  const fraudCum = cumulative(plan.cards.map((c, i) => (c.cardOnDarkWeb ? 12 : 1) * (plan.cardCum[i]! - (plan.cardCum[i - 1] ?? 0) + 0.5)));
  let trip: number | null = null;
  let tripLeft = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = startMin + d * 1440;
    if (tripLeft > 0) tripLeft--;
    else trip = null;
    if (trip === null && rng.chance(0.006)) {
      trip = farPlace(rng, plan.user.latitude, plan.user.longitude, 300);
      tripLeft = rng.int(2, 6);
    }
    genuineDay(rng, plan, dayStart, dir, trip, out);
    // Genuine look-alikes of fraud: a big-ticket purchase (often online, often a new merchant).
    if (rng.chance(0.004)) {
      const card = plan.cards[pickWeighted(rng, plan.cardCum)]!;
      const mcc = rng.pick(BIG_ONLINE_MCCS);
      const isOnline = rng.chance(0.6);
      const m = isOnline ? randomOnline(rng, dir, mcc) : randomMerchant(rng, dir, trip ?? plan.home, mcc);
      const amount = round2(logNormal(rng, 500, 0.6));
      out.push({
        t: dayStart + genuineMinute(rng), user: plan.user.user, card: card.cardIndex, order: out.length, amount,
        useChip: isOnline ? 'Online Transaction' : inPersonChip(rng, card), m, errors: genuineErrors(rng, card, amount, 'Chip Transaction'), fraud: null,
      });
    }
    for (const day of episodeDays) {
      if (day === d) fraudEpisode(frng, plan, plan.cards[pickWeighted(frng, fraudCum)]!, dayStart, dir, out);
    }
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function generateTabFormer(opts: GenerateTabFormerOptions): TabFormerData {
  const seed = opts.seed ?? 1;
  const days = opts.days ?? 90;
  const start = opts.start ?? '2019-09-01';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) throw new Error(`start must be YYYY-MM-DD, got ${start}`);
  if (!Number.isInteger(opts.users) || opts.users < 0) throw new Error('users must be a non-negative integer');
  const startDate = new Date(`${start}T00:00:00Z`);
  const startMin = startDate.getTime() / 60000;
  const dir = new MerchantDirectory(seed);
  const users: TabUser[] = [];
  const cards: TabCard[] = [];
  const drafts: Draft[] = [];
  const plans: UserPlan[] = [];
  for (let i = 0; i < opts.users; i++) {
    const plan = makeUser(seed, i, startDate.getUTCFullYear(), dir, startDate);
    plans.push(plan);
    users.push(plan.user);
    cards.push(...plan.cards);
  }
  const episodes = scheduleEpisodes(seed, plans, days);
  plans.forEach((plan, i) => simulateUser(seed, plan, startMin, days, dir, episodes.get(i) ?? [], drafts));
  // An episode late on the last day may run past the period: what the period did not see is dropped.
  const endMin = startMin + days * 1440;
  for (let i = drafts.length - 1; i >= 0; i--) if (drafts[i]!.t >= endMin) drafts.splice(i, 1);
  // Time order; ties by user, card, then generation order (deterministic).
  drafts.sort((a, b) => a.t - b.t || a.user - b.user || a.card - b.card || a.order - b.order);
  const seq = new Map<number, number>();
  const transactions = drafts.map((d): TabTransaction => {
    const key = d.user * 16 + d.card;
    const s = seq.get(key) ?? 0;
    seq.set(key, s + 1);
    const date = new Date(d.t * 60000);
    const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
    return {
      id: `${d.user}-${d.card}-${s}`,
      user: d.user,
      card: d.card,
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      time,
      at: date.toISOString(),
      amount: d.amount,
      useChip: d.useChip,
      merchantName: d.m.name,
      merchantCity: d.m.city,
      merchantState: d.m.state,
      merchantZip: d.m.zip,
      mcc: d.m.mcc,
      errors: d.errors,
      isFraud: d.fraud !== null,
      fraudPattern: d.fraud,
    };
  });
  return { users, cards, transactions };
}
