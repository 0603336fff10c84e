/**
 * What a synthetic customer does with a message (docs/local-stack.md, "Channel stand-ins").
 *
 * Every decision is drawn from a PRNG seeded by (seed, what is decided, account, action/day,
 * address): the same seed and the same messages give the same behaviour whatever the order in
 * which the senders delivered them. A message's whole future (delivery, opens, replies, payment…)
 * is planned when it is accepted, at simulated times after its send time; the simulator releases
 * the planned events when its clock is flushed past them.
 *
 * Propensity: the generator's hidden ground truth (`trueProbability`, P(payment within 30 days))
 * when the simulation hands over the account's profile (`profileFromAccount`), otherwise a
 * per-account value drawn from the account id (mean ≈ 0.36, like a day-0 book).
 */
import { createHash } from 'node:crypto';
import { Rng } from '../../src/synthetic/prng';
import { trueProbability } from '../../src/synthetic/ground-truth';
import type { Account } from '../../src/domain/portfolio/account';

export interface AccountProfile {
  /** P(payment within 30 days): the ground truth. */
  p30: number;
  /** What a full payment is (default: drawn, $50–$600). */
  amountPastDueCents?: number;
}

/** The account's profile from the generator's account of that day (ground truth included). */
export function profileFromAccount(account: Account, runDate: string): AccountProfile {
  return { p30: trueProbability(account, runDate), amountPastDueCents: account.amountPastDueCents };
}

export interface BehaviourConfig {
  email: {
    /** Share of addresses that hard-bounce (per address: always the same addresses). */
    permanentBounceShare: number;
    /** Per message: a soft bounce (mailbox full…) after SES gave up retrying. */
    transientBounceRate: number;
    /** P(open | delivered) = openBase + openPerP30 × p30. */
    openBase: number;
    openPerP30: number;
    /** P(click | opened) = clickBase + clickPerP30 × p30. */
    clickBase: number;
    clickPerP30: number;
    /** Per delivered message. */
    complaintRate: number;
    /** Per opened message: one-click unsubscribe (SES Subscription event). */
    unsubscribeRate: number;
  };
  sms: {
    /** Share of numbers that cannot receive texts (TEXT_INVALID), per number. */
    invalidNumberShare: number;
    /** Share of numbers that blocked us (TEXT_BLOCKED), per number. */
    blockedNumberShare: number;
    /** Per delivered text: a revocation reply (STOP, "stop texting me", "Cancel"…). */
    stopRate: number;
    /** Per delivered text: another reply ("ok", "who is this?"…). */
    replyRate: number;
  };
  payments: {
    /** Window a contact can influence: the ground-truth chance of paying in it is 1 − (1 − p30)^(days/30). */
    horizonDays: number;
    /** Multipliers of that chance by the strongest engagement with the message. */
    lift: { none: number; open: number; click: number; reply: number };
    /** Share of payments that pay the whole past-due amount (the others pay 30–90 %). */
    fullShare: number;
    /** P(promise to pay | clicked or replied, and no payment). */
    promiseRate: number;
  };
}

export const DEFAULT_BEHAVIOUR: BehaviourConfig = {
  email: { permanentBounceShare: 0.02, transientBounceRate: 0.01, openBase: 0.15, openPerP30: 0.4, clickBase: 0.1, clickPerP30: 0.4, complaintRate: 0.002, unsubscribeRate: 0.01 },
  sms: { invalidNumberShare: 0.01, blockedNumberShare: 0.003, stopRate: 0.03, replyRate: 0.05 },
  payments: { horizonDays: 3, lift: { none: 1, open: 1.2, click: 2, reply: 1.5 }, fullShare: 0.6, promiseRate: 0.3 },
};

export type BehaviourOverrides = { [K in keyof BehaviourConfig]?: Partial<BehaviourConfig[K]> };

export function behaviourConfig(o: BehaviourOverrides = {}): BehaviourConfig {
  return {
    email: { ...DEFAULT_BEHAVIOUR.email, ...o.email },
    sms: { ...DEFAULT_BEHAVIOUR.sms, ...o.sms },
    payments: { ...DEFAULT_BEHAVIOUR.payments, ...o.payments, lift: { ...DEFAULT_BEHAVIOUR.payments.lift, ...o.payments?.lift } },
  };
}

/** Revocation replies (all must be recognised by src/domain/engagement/keywords.ts). */
export const STOP_REPLIES = ['STOP', 'stop', 'Stop.', 'STOP!', 'stop texting me', 'Cancel', 'please stop', 'UNSUBSCRIBE', 'Quit', 'opt out', 'END'] as const;
/** Replies that are not revocations (some use the keywords in everyday sense on purpose). */
export const OTHER_REPLIES = ['ok', 'Who is this?', 'I will pay on Friday', 'Can I get a payment plan?', 'paid already', 'call me after 5', 'I get paid at the end of the month', "don't stop the reminders, they help"] as const;
/** Bodies the service itself treats as the number's opt-out keyword (it adds the number to the opt-out list). */
export const SERVICE_OPT_OUT_KEYWORDS = new Set(['STOP', 'QUIT', 'END', 'CANCEL', 'UNSUBSCRIBE', 'OPTOUT', 'OPT-OUT', 'REVOKE', 'STOPALL', 'ARRET']);

/** 32-bit seed from parts (sha256): independent streams per decision. */
export function seedOf(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

export const rngFor = (...parts: readonly (string | number)[]) => new Rng(seedOf(...parts));

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Log-uniform delay between lo and hi ms (many quick reactions, a long tail). */
const logUniform = (r: Rng, lo: number, hi: number) => Math.round(Math.exp(Math.log(lo) + r.next() * (Math.log(hi) - Math.log(lo))));

export interface MessageFacts {
  channel: 'email' | 'sms';
  seed: number;
  accountId: string | undefined;
  actionId: string | undefined;
  /** Recipient (email lower-cased or E.164). */
  address: string;
  /** Simulated send time, epoch ms. */
  sentAt: number;
}

export type PlannedEmail =
  | { type: 'Send' | 'Delivery' | 'Open' | 'Click' | 'Complaint' | 'Subscription'; at: number }
  | { type: 'Bounce'; at: number; bounceType: 'Permanent' | 'Transient' };
export type PlannedSms = { type: 'status'; at: number; status: 'TEXT_DELIVERED' | 'TEXT_INVALID' | 'TEXT_BLOCKED' } | { type: 'reply'; at: number; body: string; revocation: boolean };

export interface Outcome {
  payment?: { at: number; amountCents: number };
  promise?: { at: number; promisedDate: string; amountCents: number };
  /** Strongest engagement (what the payment lift used). */
  engagement: 'none' | 'open' | 'click' | 'reply';
}

/** p30 of an account without a profile: logit-normal around the day-0 book's mean (≈ 0.36). */
export function fallbackP30(seed: number, accountId: string): number {
  const z = -0.65 + 1.3 * rngFor(seed, 'p30', accountId).normal();
  return Math.min(0.98, Math.max(0.005, 1 / (1 + Math.exp(-z))));
}

const dayOf = (m: MessageFacts) => (m.actionId && /^\d{4}-\d{2}-\d{2}/.exec(m.actionId)?.[0]) || new Date(m.sentAt).toISOString().slice(0, 10);

export function planEmail(m: MessageFacts, cfg: BehaviourConfig, p30: number): PlannedEmail[] {
  const r = rngFor(m.seed, 'email', m.accountId ?? '', m.actionId ?? '', dayOf(m), m.address);
  const e = cfg.email;
  const out: PlannedEmail[] = [{ type: 'Send', at: m.sentAt }];
  if (rngFor(m.seed, 'hard-bounce', m.address).chance(e.permanentBounceShare)) {
    out.push({ type: 'Bounce', at: m.sentAt + r.int(2_000, 60_000), bounceType: 'Permanent' });
    return out;
  }
  if (r.chance(e.transientBounceRate)) {
    out.push({ type: 'Bounce', at: m.sentAt + logUniform(r, 10 * MIN, 12 * HOUR), bounceType: 'Transient' });
    return out;
  }
  const delivered = m.sentAt + r.int(1_000, 20_000);
  out.push({ type: 'Delivery', at: delivered });
  if (r.chance(e.complaintRate)) out.push({ type: 'Complaint', at: delivered + logUniform(r, 5 * MIN, 24 * HOUR) });
  if (r.chance(e.openBase + e.openPerP30 * p30)) {
    const opened = delivered + logUniform(r, 2 * MIN, 48 * HOUR);
    out.push({ type: 'Open', at: opened });
    if (r.chance(e.clickBase + e.clickPerP30 * p30)) out.push({ type: 'Click', at: opened + r.int(5_000, 10 * MIN) });
    if (r.chance(e.unsubscribeRate)) out.push({ type: 'Subscription', at: opened + r.int(5_000, 5 * MIN) });
  }
  return out;
}

export function planSms(m: MessageFacts, cfg: BehaviourConfig): PlannedSms[] {
  const r = rngFor(m.seed, 'sms', m.accountId ?? '', m.actionId ?? '', dayOf(m), m.address);
  const s = cfg.sms;
  const numberDraw = rngFor(m.seed, 'number', m.address).next();
  if (numberDraw < s.invalidNumberShare) return [{ type: 'status', at: m.sentAt + r.int(2_000, 10_000), status: 'TEXT_INVALID' }];
  if (numberDraw < s.invalidNumberShare + s.blockedNumberShare) return [{ type: 'status', at: m.sentAt + r.int(2_000, 10_000), status: 'TEXT_BLOCKED' }];
  const delivered = m.sentAt + r.int(2_000, 15_000);
  const out: PlannedSms[] = [{ type: 'status', at: delivered, status: 'TEXT_DELIVERED' }];
  const u = r.next();
  if (u < s.stopRate) out.push({ type: 'reply', at: delivered + logUniform(r, 30_000, 6 * HOUR), body: r.pick(STOP_REPLIES), revocation: true });
  else if (u < s.stopRate + s.replyRate) out.push({ type: 'reply', at: delivered + logUniform(r, 30_000, 6 * HOUR), body: r.pick(OTHER_REPLIES), revocation: false });
  return out;
}

/** Payment / promise after a message, from the ground-truth propensity and the engagement it got. */
export function planOutcome(m: MessageFacts, cfg: BehaviourConfig, profile: AccountProfile, email: PlannedEmail[], sms: PlannedSms[]): Outcome {
  const r = rngFor(m.seed, 'outcome', m.channel, m.accountId ?? '', m.actionId ?? '', dayOf(m));
  const click = email.find((e) => e.type === 'Click');
  const open = email.find((e) => e.type === 'Open');
  const reply = sms.find((e) => e.type === 'reply');
  const unsubscribed = email.some((e) => e.type === 'Subscription' || e.type === 'Complaint');
  const engagement: Outcome['engagement'] = reply && !reply.revocation ? 'reply' : click ? 'click' : open ? 'open' : 'none';
  const trigger = (engagement === 'reply' ? reply!.at : engagement === 'click' ? click!.at : engagement === 'open' ? open!.at : m.sentAt) as number;
  const p = cfg.payments;
  const base = 1 - Math.pow(1 - profile.p30, p.horizonDays / 30);
  const pPay = Math.min(0.95, base * p.lift[engagement] * (unsubscribed || reply?.revocation ? 0.5 : 1));
  const due = profile.amountPastDueCents && profile.amountPastDueCents > 0 ? profile.amountPastDueCents : r.int(50, 600) * 100;
  const out: Outcome = { engagement };
  if (r.chance(pPay)) {
    const at = engagement === 'none' ? m.sentAt + r.int(HOUR, p.horizonDays * 24 * HOUR) : trigger + logUniform(r, MIN, 24 * HOUR);
    const amountCents = r.chance(p.fullShare) ? due : Math.max(100, Math.round((due * r.int(30, 90)) / 100));
    out.payment = { at, amountCents };
  } else if ((engagement === 'click' || engagement === 'reply') && r.chance(p.promiseRate)) {
    const at = trigger + r.int(MIN, 30 * MIN);
    const promisedDate = new Date(at + r.int(1, 14) * 24 * HOUR).toISOString().slice(0, 10);
    out.promise = { at, promisedDate, amountCents: due };
  }
  return out;
}
