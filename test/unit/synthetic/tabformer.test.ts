import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeTabFormerCsv } from '../../../src/synthetic/tabformer/csv';
import { toFraudInput } from '../../../src/synthetic/tabformer/fraud-input';
import { generateTabFormer, isLuhnValid, luhnCheckDigit } from '../../../src/synthetic/tabformer/generator';

// TabFormer's headers, spelled out here (not imported) so that a change to the constants fails.
const TABFORMER_USERS = 'Person,Current Age,Retirement Age,Birth Year,Birth Month,Gender,Address,Apartment,City,State,Zipcode,Latitude,Longitude,Per Capita Income - Zipcode,Yearly Income - Person,Total Debt,FICO Score,Num Credit Cards';
const TABFORMER_CARDS = 'User,CARD INDEX,Card Brand,Card Type,Card Number,Expires,CVV,Has Chip,Cards Issued,Credit Limit,Acct Open Date,Year PIN last Changed,Card on Dark Web';
const TABFORMER_TXNS = 'User,Card,Year,Month,Day,Time,Amount,Use Chip,Merchant Name,Merchant City,Merchant State,Zip,MCC,Errors?,Is Fraud?';
const TABFORMER_MCCS = new Set([5411, 5812, 5814, 5541, 5499, 5300, 5912, 4829, 5311, 5310, 4784, 4121, 7538, 5942, 5651, 4900, 5813,
  4814, 5815, 7832, 5921, 5211, 5712, 5732, 5045, 8099, 8021, 8011, 4511, 7011, 5094, 7801, 4722, 5977, 7230, 9402, 6300, 5661, 7349, 5251]);
const ERRORS = new Set(['Bad CVV', 'Bad Card Number', 'Bad Expiration', 'Bad PIN', 'Bad Zipcode', 'Insufficient Balance', 'Technical Glitch']);

describe('generateTabFormer', () => {
  const small = generateTabFormer({ users: 60, seed: 5, days: 30 });

  it('is deterministic per seed and differs across seeds', () => {
    expect(generateTabFormer({ users: 60, seed: 5, days: 30 })).toEqual(small);
    const other = generateTabFormer({ users: 60, seed: 6, days: 30 });
    expect(other.transactions.length).not.toBe(0);
    expect(other.users.map((u) => u.person)).not.toEqual(small.users.map((u) => u.person));
  });

  it('keeps transactions in time order, inside the period, with unique ids and known users/cards', () => {
    const tx = small.transactions;
    for (let i = 1; i < tx.length; i++) expect(tx[i]!.at >= tx[i - 1]!.at).toBe(true);
    expect(tx[0]!.at >= '2019-09-01T00:00').toBe(true);
    expect(tx.at(-1)!.at < '2019-10-01T00:00').toBe(true);
    expect(new Set(tx.map((t) => t.id)).size).toBe(tx.length);
    const cards = new Set(small.cards.map((c) => `${c.user}-${c.cardIndex}`));
    for (const t of tx) expect(cards.has(`${t.user}-${t.card}`)).toBe(true);
    for (const u of small.users) expect(small.cards.filter((c) => c.user === u.user)).toHaveLength(u.numCreditCards);
  });

  it('uses TabFormer values: MCCs, errors, chip kinds, online merchants without state/zip', () => {
    for (const t of small.transactions) {
      expect(TABFORMER_MCCS.has(t.mcc)).toBe(true);
      for (const e of t.errors) expect(ERRORS.has(e)).toBe(true);
      expect(['Chip Transaction', 'Swipe Transaction', 'Online Transaction']).toContain(t.useChip);
      if (t.useChip === 'Online Transaction') expect([t.merchantCity, t.merchantState, t.merchantZip]).toEqual(['ONLINE', '', '']);
      else expect(t.merchantZip).toMatch(/^\d{5}$/);
      expect(t.merchantName).toMatch(/^-?\d+$/);
      expect(t.time).toMatch(/^\d{2}:\d{2}$/);
    }
    const kinds = new Set(small.transactions.map((t) => t.useChip));
    expect(kinds.size).toBe(3);
  });

  it('issues Luhn-valid card numbers of the brand length', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe(3);
    const { cards } = generateTabFormer({ users: 400, seed: 9, days: 1 });
    for (const c of cards) {
      expect(isLuhnValid(c.cardNumber)).toBe(true);
      expect(c.cardNumber).toHaveLength(c.cardBrand === 'Amex' ? 15 : 16);
      expect(c.cvv).toMatch(/^\d{3}$/);
      expect(c.expires).toMatch(/^(0[1-9]|1[0-2])\/20\d{2}$/);
    }
  });

  it('has a fraud rate near TabFormer (≈0.1%) and every documented pattern, at a realistic volume', () => {
    const data = generateTabFormer({ users: 2000, seed: 3, days: 45 });
    const n = data.transactions.length;
    const frauds = data.transactions.filter((t) => t.isFraud);
    // ~2 transactions per user-day: 1,000 users × 90 days → 100k–300k.
    expect(n / (2000 * 45)).toBeGreaterThan(1.1);
    expect(n / (2000 * 45)).toBeLessThan(3.3);
    expect(frauds.length / n).toBeGreaterThan(0.0006);
    expect(frauds.length / n).toBeLessThan(0.0016);
    const patterns = new Set(frauds.map((t) => t.fraudPattern));
    expect([...patterns].sort()).toEqual(['card-testing', 'counterfeit-far-from-home', 'dark-web-online', 'pin-attack']);
    expect(data.transactions.every((t) => t.isFraud === (t.fraudPattern !== null))).toBe(true);
    const errRate = data.transactions.filter((t) => t.errors.length > 0).length / n;
    expect(errRate).toBeGreaterThan(0.005);
    expect(errRate).toBeLessThan(0.04);
  });
});

describe('fraud timing', () => {
  it('spreads episodes over the whole period up to its end: no ~2-interval stretch without fraud, the newest included', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const data = generateTabFormer({ users: 200, seed, days: 60 });
      const t0 = Date.parse('2019-09-01T00:00:00Z');
      const fraudDays = new Set(data.transactions.filter((t) => t.isFraud).map((t) => Math.floor((Date.parse(t.at) - t0) / 86_400_000)));
      // 200 users ≈ one episode per ~9 days: every 18-day window, including the last, holds one.
      for (let from = 0; from + 18 <= 60; from++) {
        expect([...fraudDays].some((d) => d >= from && d < from + 18)).toBe(true);
      }
      expect(data.transactions.every((t) => t.at < '2019-10-31T00:00')).toBe(true);
    }
  });
});

describe('writeTabFormerCsv', () => {
  it('writes the three files with TabFormer headers (users + Email, Phone) and one row per record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tabformer-'));
    try {
      const data = generateTabFormer({ users: 30, seed: 2, days: 10 });
      const paths = writeTabFormerCsv(dir, data);
      const read = (p: string) => readFileSync(p, 'utf8');
      expect(read(paths.users).split('\n')[0]).toBe(`${TABFORMER_USERS},Email,Phone`);
      expect(read(paths.cards).split('\n')[0]).toBe(TABFORMER_CARDS);
      expect(read(paths.transactions).split('\n')[0]).toBe(TABFORMER_TXNS);
      const users = parse(read(paths.users), { columns: true }) as Record<string, string>[];
      const cards = parse(read(paths.cards), { columns: true }) as Record<string, string>[];
      const txns = parse(read(paths.transactions), { columns: true }) as Record<string, string>[];
      expect(users).toHaveLength(30);
      expect(cards).toHaveLength(data.cards.length);
      expect(txns).toHaveLength(data.transactions.length);
      expect(users[0]!.Person).toBe(data.users[0]!.person);
      expect(users[0]!['Yearly Income - Person']).toMatch(/^\$\d+$/);
      expect(cards[0]!['Card Number']).toBe(data.cards[0]!.cardNumber);
      expect(['YES', 'NO']).toContain(cards[0]!['Has Chip']);
      for (const [i, r] of txns.entries()) {
        const t = data.transactions[i]!;
        expect(r.Amount).toBe(`$${t.amount.toFixed(2)}`);
        expect(r['Errors?']).toBe(t.errors.join(','));
        expect(r['Is Fraud?']).toBe(t.isFraud ? 'Yes' : 'No');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('toFraudInput', () => {
  it('carries no PII: no name, address, card number, CVV, expiry, e-mail, phone, gender or age', () => {
    const data = generateTabFormer({ users: 20, seed: 4, days: 5 });
    const t = data.transactions[0]!;
    const card = data.cards.find((c) => c.user === t.user && c.cardIndex === t.card)!;
    const user = data.users[t.user]!;
    const input = toFraudInput(t, card, user, 'tok_abc');
    const text = JSON.stringify(input);
    for (const secret of [card.cardNumber, user.person, user.address, user.email, user.phone, card.expires]) {
      expect(text).not.toContain(secret);
    }
    for (const key of Object.keys(input)) expect(key).not.toMatch(/gender|age|birth|name|address|email|phone|cvv|expir|number/i);
    expect(input.cardToken).toBe('tok_abc');
  });
});
