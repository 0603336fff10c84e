/**
 * POST /payments (docs/accounts-api.md): applies a payment exactly once per Idempotency-Key.
 *
 * dynalite has no transactions, so the steps are conditional writes that are each safe to repeat:
 *  1. read PROFILE (version v) and compute the outcome;
 *  2. put PAYMENT#<key> {requestHash, pending, baseVersion v, response} if it does not exist —
 *     an existing one is a replay (applied → same response), a conflict (other body → 409) or an
 *     unfinished attempt (pending → finish it below);
 *  3. update PROFILE only while it is at the payment's baseVersion and the key is not in its
 *     paymentKeys set (which the same write adds): the payment lands at most once;
 *  4. resolve promise records, mark PAYMENT applied.
 * When someone else changed PROFILE in between, the payment is re-based (its response recomputed
 * against the newer version, conditionally) and step 3 retried. A crash anywhere leaves a pending
 * record that the client's retry with the same key completes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { applyPayment, type PaymentOutcome } from '../../domain/accounts/servicing';
import { DAY_MS, utcDate } from '../../domain/dates';
import { ID_RE, isCalendarDate, parseMoneyCents } from '../../domain/portfolio/validate';
import type { AccountStore, PaymentRecord, StoredAccount } from '../accounts/ports';
import { appliedRow, emitAppliedRow, type EngagementRow, type LakeEmitter } from '../analytics/lake';

/** An account id, by the portfolio file's rule. */
export const accountIdSchema = z.string().regex(ID_RE, 'must be 1-64 characters of A-Z a-z 0-9 _ . : -');

export const moneySchema = z
  .union([z.string(), z.number()])
  .describe('dollars as a decimal string or number with at most 2 places, e.g. "125.50"')
  .transform((v, ctx) => {
    const cents = parseMoneyCents(String(v).trim());
    if (cents === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a non-negative decimal with at most 2 places' });
      return z.NEVER;
    }
    return cents;
  });

export const paymentBodySchema = z.strictObject({
  accountId: accountIdSchema,
  amount: moneySchema.refine((c) => c > 0, 'must be greater than 0'),
  paidOn: z
    .string()
    .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
    .optional()
    .describe('day the money was received (default: today, UTC); never in the future'),
  reference: z.string().min(1).max(64).optional().describe("the lender's payment reference, echoed back"),
});
export type PaymentBody = z.output<typeof paymentBodySchema>;

export const idempotencyKeySchema = z
  .string({ error: 'required' })
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . : - (a UUID works)');

const balancesSchema = z.object({
  balanceDueCents: z.number().int(),
  amountPastDueCents: z.number().int(),
  daysPastDue: z.number().int(),
  status: z.enum(['delinquent', 'current', 'cured', 'paid_off']),
});
export const promiseResolutionSchema = z.object({
  id: z.string(),
  amountCents: z.number().int(),
  date: z.string(),
  paidCents: z.number().int(),
  status: z.enum(['kept', 'broken']),
  resolvedOn: z.string(),
});
export const paymentResponseSchema = z.object({
  paymentId: z.string().describe('the Idempotency-Key'),
  accountId: z.string(),
  amountCents: z.number().int(),
  paidOn: z.string(),
  reference: z.string().optional(),
  appliedCents: z.number().int(),
  unappliedCents: z.number().int().describe('money beyond the balance (not applied)'),
  cured: z.boolean().describe('this payment brought the amount past due to 0'),
  promises: z.array(promiseResolutionSchema).describe('promises to pay this payment kept, or found broken'),
  before: balancesSchema,
  after: balancesSchema,
});
export type PaymentResponse = z.infer<typeof paymentResponseSchema>;

export interface PaymentDeps {
  store: AccountStore;
  now: () => Date;
  /** The analytics lake's engagement events: one `payment` row by the request that applied the payment. */
  lake?: LakeEmitter<EngagementRow> | undefined;
}

export interface PaymentResult {
  replayed: boolean;
  body: PaymentResponse;
}

const MAX_ATTEMPTS = 8;

const hashOf = (key: string, b: PaymentBody, paidOn: string) =>
  createHash('sha256').update(JSON.stringify([key, b.accountId, b.amount, paidOn, b.reference ?? null])).digest('hex');

function outcomeFor(acc: StoredAccount, key: string, b: PaymentBody, paidOn: string, today: string) {
  const { balances, outcome } = applyPayment(acc.balances, { amountCents: b.amount, paidOn }, today);
  return { balances, response: JSON.stringify(responseOf(key, b, paidOn, outcome)) };
}

const responseOf = (key: string, b: PaymentBody, paidOn: string, o: PaymentOutcome): PaymentResponse => ({
  paymentId: key,
  accountId: b.accountId,
  amountCents: b.amount,
  paidOn,
  ...(b.reference !== undefined ? { reference: b.reference } : {}),
  appliedCents: o.appliedCents,
  unappliedCents: o.unappliedCents,
  cured: o.cured,
  promises: o.promises,
  before: o.before,
  after: o.after,
});

export async function recordPayment(deps: PaymentDeps, key: string, body: PaymentBody): Promise<PaymentResult> {
  const now = deps.now();
  const today = utcDate(now);
  const paidOn = body.paidOn ?? today;
  if (paidOn > today) throw new ValidationError('invalid request body', [{ path: 'paidOn', message: `must not be after today (${today})` }]);
  const requestHash = hashOf(key, body, paidOn);
  const { accountId } = body;

  let acc = await deps.store.get(accountId);
  if (!acc) throw new NotFoundError(`account ${accountId} not found`);
  let planned = outcomeFor(acc, key, body, paidOn, today);
  const existing = await deps.store.createPayment(accountId, key, {
    requestHash,
    status: 'pending',
    baseVersion: acc.version,
    response: planned.response,
    createdAt: now.toISOString(),
  });
  let record: PaymentRecord;
  if (existing) {
    if (existing.requestHash !== requestHash) throw new ConflictError('this Idempotency-Key was already used with a different request');
    if (existing.status === 'applied') return { replayed: true, body: JSON.parse(existing.response) as PaymentResponse };
    record = existing; // an attempt that did not finish (crash, or a concurrent duplicate): finish it
  } else record = { requestHash, status: 'pending', baseVersion: acc.version, response: planned.response, createdAt: now.toISOString() };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (acc.paymentKeys.has(key)) return finish(deps, accountId, key, now, existing !== null);
    if (record.baseVersion !== acc.version || record.response !== planned.response) {
      if (!(await deps.store.rebasePayment(accountId, key, record.baseVersion, acc.version, planned.response))) {
        // Someone else finished or re-based it: read both again.
        const latest = await deps.store.getPayment(accountId, key);
        if (latest?.status === 'applied') return { replayed: existing !== null, body: JSON.parse(latest.response) as PaymentResponse };
        if (latest) record = latest;
        acc = (await deps.store.get(accountId)) ?? acc;
        planned = outcomeFor(acc, key, body, paidOn, today);
        continue;
      }
      record = { ...record, baseVersion: acc.version, response: planned.response };
    }
    if (await deps.store.saveBalances(accountId, acc.version, planned.balances, now, key)) {
      const result = await finish(deps, accountId, key, now, false);
      // Only the request whose PROFILE write applied the payment emits its row — never a replay, nor a
      // retry that finds it applied. A lost row (backfilled from the PAYMENT# records) is not worth a
      // 5xx: the payment is applied, and its retry would be a replay.
      if (deps.lake) await emitAppliedRow(deps.lake, paymentRow(result.body, now));
      return result;
    }
    acc = (await deps.store.get(accountId)) ?? acc;
    planned = outcomeFor(acc, key, body, paidOn, today);
  }
  throw new ConflictError('the account is being updated concurrently; retry with the same Idempotency-Key');
}

/** The payment is on PROFILE: record the promise outcomes it carries and mark it applied (all idempotent). */
async function finish(deps: PaymentDeps, accountId: string, key: string, now: Date, replayed: boolean): Promise<PaymentResult> {
  const record = await deps.store.getPayment(accountId, key);
  if (!record) throw new Error('payment record missing after apply');
  const body = JSON.parse(record.response) as PaymentResponse;
  for (const p of body.promises) await deps.store.resolvePromise(accountId, p);
  if (record.status !== 'applied') await deps.store.markPaymentApplied(accountId, key, now);
  return { replayed, body };
}

/**
 * The lake row of an applied payment (docs/analytics.md): `eventId` `payment|<accountId>|<key>`,
 * `amountCents` the whole amount received (as ops_payments sums it), `processedAtMs` = now (str_cure
 * counts payments processed after the last run). `atMs` = now for a payment dated today; a backdated
 * one (`paidOn` < today, no time of day) is placed at noon UTC of `paidOn`, inside that business day.
 */
export function paymentRow(body: PaymentResponse, now: Date): EngagementRow {
  const nowMs = now.getTime();
  const atMs = body.paidOn === utcDate(now) ? nowMs : Date.parse(`${body.paidOn}T00:00:00Z`) + DAY_MS / 2;
  return {
    ...appliedRow({ eventId: `payment|${body.accountId}|${body.paymentId}`, accountId: body.accountId, type: 'payment', channel: 'api', atMs, source: 'payments-api', amountCents: body.amountCents }),
    processedAtMs: nowMs,
  };
}
