/**
 * The lake rows of POST /payments and POST /me/promises (docs/analytics.md, producers): one
 * `payment` row by the request that applied the payment, none on a replay or on a retry that finds
 * it applied; one `promise` row per created promise; a failed put never fails the request.
 */
import type { Balances } from '../../../src/domain/accounts/servicing';
import type { Account } from '../../../src/domain/portfolio/account';
import type { AccountStore, ContactView, PaymentRecord, SelfServiceContacts, StoredAccount } from '../../../src/usecases/accounts/ports';
import { businessDate, engagementLakeRecord, type EngagementRow, type LakeEmitter } from '../../../src/usecases/analytics/lake';
import { paymentBodySchema, paymentRow, recordPayment } from '../../../src/usecases/payments/record-payment';
import { makePromise, promiseBodySchema } from '../../../src/usecases/self-service/self-service';

const NOW = new Date('2026-03-10T15:30:00.000Z');

/** A map-backed AccountStore with the conditional semantics of the DynamoDB one. */
class MemoryAccounts implements AccountStore {
  profiles = new Map<string, StoredAccount>();
  payments = new Map<string, PaymentRecord>();
  promises: unknown[] = [];
  /** Throws once from markPaymentApplied: a crash after the balance update. */
  crashOnMark = false;

  add(accountId: string, customerId: string, balances: Partial<Balances> = {}) {
    this.profiles.set(accountId, {
      account: { accountId, customerId } as Account,
      balances: { balanceDueCents: 100_000, amountPastDueCents: 30_000, daysPastDue: 65, status: 'delinquent', promise: null, lastPaymentDate: null, lastPaymentAmountCents: null, curedAt: null, ...balances },
      version: 1,
      paymentKeys: new Set(),
      updatedAt: NOW.toISOString(),
    });
  }
  upsert(): Promise<'created' | 'updated'> {
    throw new Error('not used');
  }
  async get(id: string) {
    return this.profiles.get(id) ?? null;
  }
  async accountIdsOf(customerId: string) {
    return [...this.profiles.values()].filter((a) => a.account.customerId === customerId).map((a) => a.account.accountId);
  }
  async saveBalances(id: string, expectedVersion: number, balances: Balances, now: Date, paymentKey?: string) {
    const p = this.profiles.get(id);
    if (!p || p.version !== expectedVersion || (paymentKey && p.paymentKeys.has(paymentKey))) return false;
    const keys = new Set(p.paymentKeys);
    if (paymentKey) keys.add(paymentKey);
    this.profiles.set(id, { ...p, balances, version: p.version + 1, paymentKeys: keys, updatedAt: now.toISOString() });
    return true;
  }
  async createPayment(id: string, key: string, record: PaymentRecord) {
    const existing = this.payments.get(`${id}|${key}`);
    if (existing) return existing;
    this.payments.set(`${id}|${key}`, record);
    return null;
  }
  async getPayment(id: string, key: string) {
    return this.payments.get(`${id}|${key}`) ?? null;
  }
  async rebasePayment(id: string, key: string, fromVersion: number, toVersion: number, response: string) {
    const r = this.payments.get(`${id}|${key}`);
    if (!r || r.status !== 'pending' || r.baseVersion !== fromVersion) return false;
    this.payments.set(`${id}|${key}`, { ...r, baseVersion: toVersion, response });
    return true;
  }
  async markPaymentApplied(id: string, key: string) {
    if (this.crashOnMark) {
      this.crashOnMark = false;
      throw new Error('crash');
    }
    this.payments.set(`${id}|${key}`, { ...this.payments.get(`${id}|${key}`)!, status: 'applied' });
  }
  async putPromise(_id: string, record: unknown) {
    this.promises.push(record);
  }
  async resolvePromise() {}
  async putAudit() {}
}

class MemoryLake implements LakeEmitter<EngagementRow> {
  rows: EngagementRow[] = [];
  failNext = false;
  async emit(rows: readonly EngagementRow[]) {
    if (this.failNext) {
      this.failNext = false;
      throw Object.assign(new Error('throttled'), { name: 'ServiceUnavailableException' });
    }
    this.rows.push(...rows);
  }
}

const contacts: SelfServiceContacts = {
  async view(): Promise<ContactView> {
    return { plan: null, promiseUntil: null, preferences: { channel: null, language: null, hours: null }, suppressed: { email: [], sms: [], voice: [] } };
  },
  async setPromiseUntil() {},
  async setPreferences() {},
};

describe('POST /payments → lake', () => {
  let store: MemoryAccounts;
  let lake: MemoryLake;
  const deps = () => ({ store, lake, now: () => NOW });
  const pay = (key: string, body: unknown) => recordPayment(deps(), key, paymentBodySchema.parse(body));

  beforeEach(() => {
    store = new MemoryAccounts();
    lake = new MemoryLake();
    store.add('ACC-1', 'CUS-1');
  });

  it('the first apply emits one payment row; a replay of the same key emits none', async () => {
    const first = await pay('k-1', { accountId: 'ACC-1', amount: '125.50' });
    expect(first.replayed).toBe(false);
    expect(lake.rows).toEqual([
      {
        eventId: 'payment|ACC-1|k-1',
        accountId: 'ACC-1',
        channel: 'api',
        type: 'payment',
        atMs: NOW.getTime(),
        processedAtMs: NOW.getTime(),
        suppressing: false,
        messageId: null,
        actionId: null,
        source: 'payments-api',
        amountCents: 12_550,
      },
    ]);
    const replay = await pay('k-1', { accountId: 'ACC-1', amount: '125.50' });
    expect(replay.replayed).toBe(true);
    expect(lake.rows).toHaveLength(1);
    expect(store.profiles.get('ACC-1')!.balances.balanceDueCents).toBe(100_000 - 12_550);
    // A second payment (another key) is another row.
    await pay('k-2', { accountId: 'ACC-1', amount: 10 });
    expect(lake.rows.map((r) => [r.eventId, r.amountCents])).toEqual([
      ['payment|ACC-1|k-1', 12_550],
      ['payment|ACC-1|k-2', 1_000],
    ]);
  });

  it('a retry that completes an earlier attempt (crash after the balance update) emits nothing', async () => {
    store.crashOnMark = true;
    // The crash happens before the emit: that attempt's row is lost (at most once).
    await expect(pay('k-crash', { accountId: 'ACC-1', amount: 50 })).rejects.toThrow('crash');
    expect(lake.rows).toHaveLength(0);
    const retry = await pay('k-crash', { accountId: 'ACC-1', amount: 50 });
    expect(retry.replayed).toBe(true);
    expect(store.payments.get('ACC-1|k-crash')?.status).toBe('applied');
    expect(store.profiles.get('ACC-1')!.balances.balanceDueCents).toBe(95_000);
    expect(lake.rows).toHaveLength(0);
  });

  it('a failed put loses the row but not the payment: 201 body, applied once, and its retry is a replay without a row', async () => {
    lake.failNext = true;
    const first = await pay('k-fail', { accountId: 'ACC-1', amount: 20 });
    expect(first).toMatchObject({ replayed: false, body: { paymentId: 'k-fail', appliedCents: 2_000 } });
    expect(store.payments.get('ACC-1|k-fail')?.status).toBe('applied');
    expect(lake.rows).toHaveLength(0);
    const retry = await pay('k-fail', { accountId: 'ACC-1', amount: 20 });
    expect(retry.replayed).toBe(true);
    expect(lake.rows).toHaveLength(0);
    expect(store.profiles.get('ACC-1')!.balances.balanceDueCents).toBe(98_000);
  });

  it('without a lake (stream not configured) the payment is applied as before', async () => {
    const res = await recordPayment({ store, now: () => NOW }, 'k-none', paymentBodySchema.parse({ accountId: 'ACC-1', amount: 1 }));
    expect(res.body.appliedCents).toBe(100);
  });

  it('row time: now for a payment dated today, noon UTC of paidOn (its business day) for a backdated one', () => {
    const today = paymentRow({ paymentId: 'k', accountId: 'A', amountCents: 5, paidOn: '2026-03-10' } as never, NOW);
    expect([today.atMs, today.processedAtMs]).toEqual([NOW.getTime(), NOW.getTime()]);
    const back = paymentRow({ paymentId: 'k', accountId: 'A', amountCents: 5, paidOn: '2026-03-07' } as never, NOW);
    expect(back.atMs).toBe(Date.parse('2026-03-07T12:00:00.000Z'));
    expect(back.processedAtMs).toBe(NOW.getTime());
    expect(engagementLakeRecord(back).dt).toBe('2026-03-07');
    // Early-morning UTC payments belong to the previous business day (days start at 10:00Z).
    expect(businessDate(Date.parse('2026-03-10T05:00:00Z'))).toBe('2026-03-09');
  });
});

describe('POST /me/promises → lake', () => {
  let store: MemoryAccounts;
  let lake: MemoryLake;
  const deps = () => ({ store, contacts, lake, now: () => NOW });
  const caller = { sub: 'sub-1', customerId: 'CUS-1' };

  beforeEach(() => {
    store = new MemoryAccounts();
    lake = new MemoryLake();
    store.add('ACC-1', 'CUS-1');
  });

  it('a created promise emits one promise row; a refused second promise emits none', async () => {
    const res = await makePromise(deps(), caller, promiseBodySchema.parse({ amount: '300.00', date: '2026-03-20' }));
    expect(lake.rows).toEqual([
      {
        eventId: `promise|ACC-1|${res.promise.id}`,
        accountId: 'ACC-1',
        channel: 'self-service',
        type: 'promise',
        atMs: NOW.getTime(),
        processedAtMs: NOW.getTime(),
        suppressing: false,
        messageId: null,
        actionId: null,
        source: 'self-service-api',
        amountCents: 30_000,
      },
    ]);
    await expect(makePromise(deps(), caller, promiseBodySchema.parse({ amount: '300.00', date: '2026-03-21' }))).rejects.toMatchObject({ name: 'ConflictError' });
    expect(lake.rows).toHaveLength(1);
  });

  it('a failed put loses the row, the promise stands and the request succeeds', async () => {
    lake.failNext = true;
    const res = await makePromise(deps(), caller, promiseBodySchema.parse({ amount: 100, date: '2026-03-20' }));
    expect(res.outreachPausedUntil).toBe('2026-03-20');
    expect(store.profiles.get('ACC-1')!.balances.promise?.id).toBe(res.promise.id);
    expect(store.promises).toHaveLength(1);
    expect(lake.rows).toHaveLength(0);
  });
});
