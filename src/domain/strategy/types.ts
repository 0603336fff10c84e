import type { Account, Channel } from '../portfolio/account';

export type { Channel } from '../portfolio/account';

/** One line of the contacts table LOG item. `at` is an ISO-8601 instant. */
export interface ContactEvent {
  at: string;
  channel: Channel;
  /** `attempt` = a contact we placed/sent; `conversation` = the dialer reached the person. */
  kind: 'attempt' | 'conversation';
  actionId?: string;
}

/** Opted-out / bounced addresses and numbers (contacts table SUPPRESS item). */
export interface Suppressions {
  email: string[];
  sms: string[];
  voice: string[];
}

/**
 * Primary reason a decision has no contact. Precedence (first wins) is documented in
 * docs/strategy.md; every other cause is still listed in `reasons`.
 */
export type SuppressionReason =
  | 'do_not_contact'
  | 'in_dispute'
  | 'bankruptcy'
  | 'promise_pending'
  | 'nothing_past_due'
  | 'no_timezone'
  | 'no_channel_consent'
  | 'opted_out'
  | 'frequency_cap'
  | 'outside_window'
  | 'ranker_declined';

export interface RankerContext {
  account: Account;
  score: number;
  segment: string;
  runDate: string;
  /** Channels of the segment plan that passed consent, suppression and per-channel caps, in plan order. */
  allowed: readonly Channel[];
  history: readonly ContactEvent[];
}

/**
 * Port for a learned per-account channel choice (engagement loop, e.g. Thompson sampling).
 * It may only reorder or drop channels from `ctx.allowed`; anything else it returns is ignored.
 */
export interface ChannelRanker {
  readonly name: string;
  rank(ctx: RankerContext): readonly Channel[];
}

/**
 * What the consumer told us through self-service (contacts table INBOUND, docs/accounts-api.md).
 * Read with the contact state, so honouring it costs the daily run no extra request.
 */
export interface ContactPreferences {
  /** YYYY-MM-DD: a promise to pay made through self-service; no outreach until then (like promise_to_pay_date). */
  promiseUntil?: string | null;
  /** Preferred channel: first when it is allowed today. */
  channel?: Channel | null;
  /** Preferred template language (ISO 639-1), when the policy supports it. */
  language?: string | null;
  /** "HH:MM-HH:MM" local time: sends only inside it (and inside the legal window). */
  hours?: string | null;
}

export interface DecisionInput {
  account: Account;
  /** Probability of a payment within 30 days, in [0, 1]. */
  score: number;
  /** YYYY-MM-DD */
  runDate: string;
  history: readonly ContactEvent[];
  suppressions: Suppressions;
  channelRanker?: ChannelRanker;
  preferences?: ContactPreferences;
}

export interface Action {
  /** `${runDate}#${accountId}#${channel}` — senders' idempotency key. */
  actionId: string;
  accountId: string;
  runDate: string;
  channel: Channel;
  /** ISO-8601 with the UTC offset of `timezone` at that instant. */
  sendAt: string;
  timezone: string;
  segment: string;
  template: string;
  language: string;
  reasons: string[];
  score: number;
}

export interface Decision {
  accountId: string;
  runDate: string;
  /** Always set, even when outreach is stopped, so the audit shows where the account sat. */
  segment: string;
  score: number;
  contact: boolean;
  actions: Action[];
  suppressedBy: SuppressionReason | null;
  reasons: string[];
}
