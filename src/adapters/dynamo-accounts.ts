import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { statusFor, type Balances, type OpenPromise } from '../domain/accounts/servicing';
import type { Account } from '../domain/portfolio/account';
import type { AccountStore, AuditEntry, PaymentRecord, PromiseRecord, PromiseResolution, StoredAccount } from '../usecases/accounts/ports';
import { isConditionFailed } from './dynamo-batch';
import { queryPages } from './dynamo-query';


const PROFILE = 'PROFILE';
const paymentSk = (key: string) => `PAYMENT#${key}`;

/** The lender's fields, stored under their Account names (docs/accounts-api.md). */
const ACCOUNT_FIELDS = [
  'customerId', 'firstName', 'lastName', 'email', 'phone', 'language', 'state', 'postalCode', 'timezone', 'product',
  'balanceDueCents', 'amountPastDueCents', 'daysPastDue', 'creditLimitCents', 'lastPaymentDate', 'lastPaymentAmountCents',
  'paymentsLast6m', 'ficoScore', 'monthlyIncomeCents', 'emailConsent', 'smsConsent', 'callConsent', 'doNotContact',
  'inDispute', 'bankruptcy', 'promiseToPayDate',
] as const satisfies readonly (keyof Account)[];

/** Attributes a payment or promise changes on PROFILE. */
const BALANCE_FIELDS = ['balanceDueCents', 'amountPastDueCents', 'daysPastDue', 'status', 'lastPaymentDate', 'lastPaymentAmountCents', 'curedAt'] as const;

const statusOf = (a: Account): Balances['status'] => statusFor(a.balanceDueCents, a.amountPastDueCents);

/**
 * The accounts table (docs/accounts-api.md): PK accountId, SK `PROFILE` | `PAYMENT#<key>` |
 * `PROMISE#<id>` | `AUDIT#<iso>#<id>`; GSI byCustomer over PROFILE's customerId (KEYS_ONLY).
 * dynalite has no transactions, so every multi-step change is a sequence of conditional writes
 * that is safe to repeat (see the payments use case).
 */
export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async upsert(account: Account, now: Date): Promise<'created' | 'updated'> {
    const names: Record<string, string> = { '#status': 'status', '#v': 'version', '#u': 'updatedAt', '#c': 'createdAt' };
    const values: Record<string, unknown> = { ':status': statusOf(account), ':now': now.toISOString(), ':zero': 0, ':one': 1 };
    const sets = ['#status = :status', '#u = :now', '#c = if_not_exists(#c, :now)', '#v = if_not_exists(#v, :zero) + :one'];
    ACCOUNT_FIELDS.forEach((f, i) => {
      names[`#f${i}`] = f;
      values[`:f${i}`] = account[f];
      sets.push(`#f${i} = :f${i}`);
    });
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId: account.accountId, sk: PROFILE },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return out.Attributes?.version === undefined ? 'created' : 'updated';
  }

  async get(accountId: string): Promise<StoredAccount | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { accountId, sk: PROFILE }, ConsistentRead: true }));
    const item = out.Item;
    if (!item) return null;
    const account = { accountId } as Account;
    for (const f of ACCOUNT_FIELDS) (account as unknown as Record<string, unknown>)[f] = item[f] ?? null;
    const balances: Balances = {
      balanceDueCents: account.balanceDueCents,
      amountPastDueCents: account.amountPastDueCents,
      daysPastDue: account.daysPastDue,
      status: (item.status as Balances['status']) ?? statusOf(account),
      promise: (item.promise as OpenPromise | undefined) ?? null,
      lastPaymentDate: account.lastPaymentDate,
      lastPaymentAmountCents: account.lastPaymentAmountCents,
      curedAt: (item.curedAt as string | undefined) ?? null,
    };
    const keys = item.paymentKeys;
    return {
      account,
      balances,
      version: Number(item.version ?? 0),
      paymentKeys: keys instanceof Set ? (keys as Set<string>) : new Set(),
      updatedAt: String(item.updatedAt ?? ''),
    };
  }

  async accountIdsOf(customerId: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = queryPages(this.doc, { TableName: this.table, IndexName: 'byCustomer', KeyConditionExpression: 'customerId = :c', ExpressionAttributeValues: { ':c': customerId } });
    for await (const page of pages) for (const item of page) if (item.sk === PROFILE) ids.push(String(item.accountId));
    return ids.sort();
  }

  async saveBalances(accountId: string, expectedVersion: number, b: Balances, now: Date, paymentKey?: string): Promise<boolean> {
    const names: Record<string, string> = { '#v': 'version', '#u': 'updatedAt', '#p': 'promise' };
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now.toISOString() };
    const sets = ['#v = #v + :one', '#u = :now'];
    BALANCE_FIELDS.forEach((f, i) => {
      names[`#b${i}`] = f;
      values[`:b${i}`] = b[f];
      sets.push(`#b${i} = :b${i}`);
    });
    let update = `SET ${sets.join(', ')}`;
    if (b.promise) {
      values[':promise'] = b.promise;
      update = update.replace('SET ', 'SET #p = :promise, ');
    } else update += ' REMOVE #p';
    let condition = '#v = :expected';
    if (paymentKey !== undefined) {
      names['#keys'] = 'paymentKeys';
      values[':key'] = paymentKey;
      values[':keys'] = new Set([paymentKey]);
      update += ' ADD #keys :keys';
      condition += ' AND NOT contains(#keys, :key)';
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { accountId, sk: PROFILE },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async createPayment(accountId: string, key: string, record: PaymentRecord): Promise<PaymentRecord | null> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { accountId, sk: paymentSk(key), ...record },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return null;
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
    const existing = await this.getPayment(accountId, key);
    if (!existing) throw new Error('payment record vanished after a conditional-put conflict');
    return existing;
  }

  async getPayment(accountId: string, key: string): Promise<PaymentRecord | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { accountId, sk: paymentSk(key) }, ConsistentRead: true }));
    if (!out.Item) return null;
    const { requestHash, status, baseVersion, response, createdAt } = out.Item;
    return { requestHash, status, baseVersion: Number(baseVersion), response, createdAt };
  }

  async rebasePayment(accountId: string, key: string, fromVersion: number, toVersion: number, response: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { accountId, sk: paymentSk(key) },
          UpdateExpression: 'SET baseVersion = :to, #r = :r',
          ConditionExpression: '#s = :pending AND baseVersion = :from',
          ExpressionAttributeNames: { '#s': 'status', '#r': 'response' },
          ExpressionAttributeValues: { ':to': toVersion, ':from': fromVersion, ':r': response, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async markPaymentApplied(accountId: string, key: string, now: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, sk: paymentSk(key) },
        UpdateExpression: 'SET #s = :applied, appliedAt = if_not_exists(appliedAt, :now)',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':applied': 'applied', ':now': now.toISOString() },
      }),
    );
  }

  async putPromise(accountId: string, record: PromiseRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { accountId, sk: `PROMISE#${record.id}`, ...record } }));
  }

  async resolvePromise(accountId: string, r: PromiseResolution): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, sk: `PROMISE#${r.id}` },
        UpdateExpression: 'SET #s = :s, paidCents = :paid, resolvedOn = :on, amountCents = :amount, #d = :date',
        ExpressionAttributeNames: { '#s': 'status', '#d': 'date' },
        ExpressionAttributeValues: { ':s': r.status, ':paid': r.paidCents, ':on': r.resolvedOn, ':amount': r.amountCents, ':date': r.date },
      }),
    );
  }

  async putAudit(accountId: string, entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { accountId, sk: `AUDIT#${entry.at}#${entry.id}`, ...entry },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }
}
