/**
 * Customer self-service (docs/accounts-api.md): GET /me, POST /me/promises, PUT /me/preferences.
 * Every call is scoped to the principal's customerId: accounts are found through GSI byCustomer
 * and re-checked on the strongly consistent PROFILE read, so a customer never reaches an account
 * that is not theirs (someone else's account id answers 404, exactly like one that does not exist).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { checkPromise, contactHoursIssue, expirePromise, LEGAL_WINDOW, type Balances } from '../../domain/accounts/servicing';
import { utcDate } from '../../domain/dates';
import { CHANNELS, type Channel } from '../../domain/portfolio/account';
import { ISO_639_1_CODES } from '../../domain/portfolio/codes';
import { isCalendarDate } from '../../domain/portfolio/validate';
import { normalizePhone } from '../../domain/strategy/engine';
import type { AccountStore, ContactView, SelfServiceContacts, StoredAccount } from '../accounts/ports';
import { appliedRow, emitAppliedRow, type EngagementRow, type LakeEmitter } from '../analytics/lake';
import { accountIdSchema, moneySchema } from '../payments/record-payment';

export interface SelfServiceDeps {
  store: AccountStore;
  contacts: SelfServiceContacts;
  now: () => Date;
  /** The analytics lake's engagement events: one `promise` row per promise created (POST /me/promises). */
  lake?: LakeEmitter<EngagementRow> | undefined;
}

export interface Caller {
  sub: string;
  customerId: string;
}

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,189}\.[A-Za-z]{2,63}$/;
const E164_RE = /^\+[1-9]\d{1,14}$/;

// ---- schemas -------------------------------------------------------------------------------

export const meQuerySchema = z.strictObject({ accountId: accountIdSchema.optional().describe('one of your accounts; default: all of them') });

export const promiseBodySchema = z.strictObject({
  accountId: accountIdSchema.optional().describe('required when you have several accounts'),
  amount: moneySchema,
  date: z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD').describe('pay on or before this day: 1-30 days ahead'),
});

const contactHoursSchema = z
  .strictObject({
    start: z.string().describe('HH:MM local time, ≥ 08:00'),
    end: z.string().describe('HH:MM local time, ≤ 21:00, after start'),
  })
  .superRefine((h, ctx) => {
    const issue = contactHoursIssue(h.start, h.end);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  });

export const preferencesBodySchema = z
  .strictObject({
    accountId: accountIdSchema.optional().describe('default: every one of your accounts'),
    channel: z.enum(CHANNELS).nullable().optional().describe('preferred channel; null clears'),
    language: z
      .string()
      .refine((l) => ISO_639_1_CODES.has(l.toLowerCase()), 'must be a two-letter ISO 639-1 code')
      .transform((l) => l.toLowerCase())
      .nullable()
      .optional()
      .describe('preferred language; null clears'),
    contactHours: contactHoursSchema.nullable().optional().describe(`preferred contact hours inside ${LEGAL_WINDOW.start}-${LEGAL_WINDOW.end}; null clears`),
    optOut: z
      .array(
        z.strictObject({
          channel: z.enum(CHANNELS),
          address: z.string().max(254).optional().describe('email address or E.164 number; default: the one on file for the channel'),
        }),
      )
      .max(10)
      .optional()
      .describe('stop this channel at this address/number (effective at once; cannot be undone here)'),
  })
  .refine((b) => b.channel !== undefined || b.language !== undefined || b.contactHours !== undefined || (b.optOut?.length ?? 0) > 0, {
    message: 'nothing to change: give channel, language, contactHours or optOut',
  });

const promiseSchema = z.object({ id: z.string(), amountCents: z.number().int(), date: z.string(), paidCents: z.number().int(), createdAt: z.string() });
const preferencesSchema = z.object({
  channel: z.enum(CHANNELS).nullable(),
  language: z.string().nullable(),
  contactHours: z.object({ start: z.string(), end: z.string() }).nullable(),
});

export const meAccountSchema = z.object({
  accountId: z.string(),
  product: z.string(),
  balanceDueCents: z.number().int(),
  amountDueCents: z.number().int().describe('amount past due'),
  daysPastDue: z.number().int(),
  status: z.enum(['delinquent', 'current', 'cured', 'paid_off']),
  promise: promiseSchema.nullable().describe('your open promise to pay'),
  outreachPausedUntil: z.string().nullable().describe('no collection contact before this day (a promise to pay)'),
  nextContact: z.object({ channel: z.enum(CHANNELS), at: z.string(), timezone: z.string() }).nullable().describe('our next planned contact, if any'),
  preferences: preferencesSchema,
  optedOut: z.object({ email: z.boolean(), sms: z.boolean(), voice: z.boolean() }).describe('channels stopped at the address/number on file'),
});
export const meResponseSchema = z.object({ customerId: z.string(), accounts: z.array(meAccountSchema) });
export const promiseResponseSchema = z.object({ accountId: z.string(), promise: promiseSchema, outreachPausedUntil: z.string() });
export const preferencesResponseSchema = z.object({ accountIds: z.array(z.string()), preferences: preferencesSchema, optedOut: z.array(z.object({ channel: z.enum(CHANNELS), accountId: z.string() })) });

export type MeResponse = z.infer<typeof meResponseSchema>;

// ---- helpers -------------------------------------------------------------------------------

/** The caller's accounts (all, or the one asked for), strongly read and re-checked for ownership. */
async function ownAccounts(deps: SelfServiceDeps, caller: Caller, accountId: string | undefined): Promise<StoredAccount[]> {
  const ids = await deps.store.accountIdsOf(caller.customerId);
  const wanted = accountId === undefined ? ids : ids.filter((id) => id === accountId);
  if (accountId !== undefined && wanted.length === 0) throw new NotFoundError('no such account');
  const accounts = (await Promise.all(wanted.map((id) => deps.store.get(id)))).filter(
    (a): a is StoredAccount => a !== null && a.account.customerId === caller.customerId,
  );
  if (accounts.length === 0) throw new NotFoundError(accountId === undefined ? 'no account on file for you' : 'no such account');
  return accounts;
}

async function oneAccount(deps: SelfServiceDeps, caller: Caller, accountId: string | undefined): Promise<StoredAccount> {
  const accounts = await ownAccounts(deps, caller, accountId);
  if (accounts.length > 1) {
    throw new ValidationError('you have several accounts: say which one', [{ path: 'accountId', message: `required: one of ${accounts.map((a) => a.account.accountId).join(', ')}` }]);
  }
  return accounts[0]!;
}

/** A promise whose day passed unpaid is broken: recorded on first sight (conditional; a race just leaves it to the next read). */
async function settleExpired(deps: SelfServiceDeps, acc: StoredAccount, now: Date): Promise<StoredAccount> {
  const { balances, resolved } = expirePromise(acc.balances, utcDate(now));
  if (!resolved) return acc;
  if (!(await deps.store.saveBalances(acc.account.accountId, acc.version, balances, now))) return (await deps.store.get(acc.account.accountId)) ?? acc;
  await deps.store.resolvePromise(acc.account.accountId, resolved);
  return { ...acc, balances, version: acc.version + 1 };
}

const hoursOf = (h: string | null) => {
  if (!h) return null;
  const [start = '', end = ''] = h.split('-');
  return { start, end };
};

function optedOut(acc: StoredAccount, view: ContactView): Record<Channel, boolean> {
  const email = acc.account.email?.toLowerCase();
  const phone = acc.account.phone ? normalizePhone(acc.account.phone) : null;
  return {
    email: !!email && view.suppressed.email.some((e) => e.toLowerCase() === email),
    sms: !!phone && view.suppressed.sms.some((p) => normalizePhone(p) === phone),
    voice: !!phone && view.suppressed.voice.some((p) => normalizePhone(p) === phone),
  };
}

function nextContact(view: ContactView, stopped: Record<Channel, boolean>, now: Date, paused: boolean) {
  if (paused || !view.plan) return null;
  const upcoming = view.plan.actions
    .filter((a) => !stopped[a.channel] && Date.parse(a.sendAt) >= now.getTime())
    .sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
  const next = upcoming[0];
  return next ? { channel: next.channel, at: next.sendAt, timezone: next.timezone } : null;
}

// ---- use cases -----------------------------------------------------------------------------

export async function getMe(deps: SelfServiceDeps, caller: Caller, query: z.infer<typeof meQuerySchema>): Promise<MeResponse> {
  const now = deps.now();
  const today = utcDate(now);
  const accounts = await ownAccounts(deps, caller, query.accountId);
  const out = await Promise.all(
    accounts.map(async (stored) => {
      const acc = await settleExpired(deps, stored, now);
      const view = await deps.contacts.view(acc.account.accountId);
      const b: Balances = acc.balances;
      // Repairs a promise whose INBOUND pause was not written (a crash between the two writes).
      if (b.promise && (view.promiseUntil ?? '') < b.promise.date) {
        await deps.contacts.setPromiseUntil(acc.account.accountId, b.promise.date);
        view.promiseUntil = b.promise.date;
      }
      const pausedUntil = view.promiseUntil && view.promiseUntil >= today ? view.promiseUntil : null;
      const stopped = optedOut(acc, view);
      return {
        accountId: acc.account.accountId,
        product: acc.account.product,
        balanceDueCents: b.balanceDueCents,
        amountDueCents: b.amountPastDueCents,
        daysPastDue: b.daysPastDue,
        status: b.status,
        promise: b.promise,
        outreachPausedUntil: pausedUntil,
        nextContact: nextContact(view, stopped, now, pausedUntil !== null),
        preferences: { channel: view.preferences.channel, language: view.preferences.language, contactHours: hoursOf(view.preferences.hours) },
        optedOut: stopped,
      };
    }),
  );
  return { customerId: caller.customerId, accounts: out };
}

export async function makePromise(deps: SelfServiceDeps, caller: Caller, body: z.output<typeof promiseBodySchema>): Promise<z.infer<typeof promiseResponseSchema>> {
  const now = deps.now();
  const today = utcDate(now);
  let acc = await oneAccount(deps, caller, body.accountId);
  const accountId = acc.account.accountId;
  const promise = { id: randomUUID(), amountCents: body.amount, date: body.date, createdAt: now.toISOString(), paidCents: 0 };
  for (let attempt = 0; ; attempt++) {
    acc = await settleExpired(deps, acc, now);
    checkPromise(acc.balances, { amountCents: body.amount, date: body.date }, today);
    if (await deps.store.saveBalances(accountId, acc.version, { ...acc.balances, promise }, now)) break;
    if (attempt >= 3) throw new ConflictError('the account is being updated; try again');
    acc = (await deps.store.get(accountId)) ?? acc;
  }
  // PROFILE holds the promise; the rest repeats safely (GET /me repairs a missing pause).
  await deps.contacts.setPromiseUntil(accountId, body.date);
  await deps.store.putPromise(accountId, { ...promise, status: 'open', createdBy: caller.sub });
  await deps.store.putAudit(accountId, {
    at: now.toISOString(),
    id: randomUUID(),
    actor: caller.sub,
    action: 'promise.create',
    detail: { promiseId: promise.id, amountCents: promise.amountCents, date: promise.date },
  });
  if (deps.lake) await emitAppliedRow(deps.lake, promiseRow(accountId, promise.id, promise.amountCents, now));
  return { accountId, promise, outreachPausedUntil: body.date };
}

/**
 * The lake row of a created promise (docs/analytics.md): `eventId` `promise|<accountId>|<promiseId>`,
 * `amountCents` the amount promised, `atMs` = `processedAtMs` = creation. At most once: a failed put
 * is logged and loses the row, the request still answers 201 — the promise is on PROFILE, and a 5xx
 * would have the customer retry into a second promise (409) or believe there is none.
 */
export function promiseRow(accountId: string, promiseId: string, amountCents: number, now: Date): EngagementRow {
  return appliedRow({ eventId: `promise|${accountId}|${promiseId}`, accountId, type: 'promise', channel: 'self-service', atMs: now.getTime(), source: 'self-service-api', amountCents });
}

export async function updatePreferences(
  deps: SelfServiceDeps,
  caller: Caller,
  body: z.output<typeof preferencesBodySchema>,
): Promise<z.infer<typeof preferencesResponseSchema>> {
  const now = deps.now();
  const accounts = await ownAccounts(deps, caller, body.accountId);
  const hours = body.contactHours === undefined ? undefined : body.contactHours === null ? null : `${body.contactHours.start}-${body.contactHours.end}`;
  const prefs = { channel: body.channel, language: body.language, hours };

  // Resolve every opt-out address first: one invalid entry fails the request before anything is written.
  const issues: { path: string; message: string }[] = [];
  const plan = accounts.map((acc) => ({
    acc,
    optOuts: (body.optOut ?? []).flatMap((o, i) => {
      const address = o.address === undefined ? (o.channel === 'email' ? acc.account.email : acc.account.phone) : o.address.trim();
      if (!address) {
        issues.push({ path: `optOut.${i}.address`, message: `no ${o.channel === 'email' ? 'email address' : 'phone number'} on file for ${acc.account.accountId}: give one` });
        return [];
      }
      if (o.channel === 'email' ? !EMAIL_RE.test(address) : !E164_RE.test(address)) {
        issues.push({ path: `optOut.${i}.address`, message: o.channel === 'email' ? 'not an email address' : 'not an E.164 number (e.g. +14155550123)' });
        return [];
      }
      return [{ channel: o.channel, address: o.channel === 'email' ? address.toLowerCase() : address }];
    }),
  }));
  if (issues.length > 0) throw new ValidationError('invalid request body', issues);

  for (const { acc, optOuts } of plan) {
    await deps.contacts.setPreferences(acc.account.accountId, prefs, optOuts);
    await deps.store.putAudit(acc.account.accountId, {
      at: now.toISOString(),
      id: randomUUID(),
      actor: caller.sub,
      action: 'preferences.update',
      detail: { ...prefs, optOut: optOuts },
    });
  }
  const view = await deps.contacts.view(accounts[0]!.account.accountId);
  return {
    accountIds: accounts.map((a) => a.account.accountId),
    preferences: { channel: view.preferences.channel, language: view.preferences.language, contactHours: hoursOf(view.preferences.hours) },
    optedOut: plan.flatMap(({ acc, optOuts }) => optOuts.map((o) => ({ channel: o.channel, accountId: acc.account.accountId }))),
  };
}
