import type { Account } from '../../../src/domain/portfolio/account';
import { DEFAULT_CONTACT_POLICY, loadContactPolicy, type ContactPolicy } from '../../../src/domain/strategy/policy';
import type { ContactEvent, DecisionInput, Suppressions } from '../../../src/domain/strategy/types';

export function makeAccount(over: Partial<Account> = {}): Account {
  return {
    accountId: 'A1',
    customerId: 'C1',
    firstName: 'Maria',
    lastName: 'Lopez',
    email: 'maria.lopez@example.com',
    phone: '+15551234567',
    language: 'en',
    state: 'NY',
    postalCode: '10001',
    timezone: 'America/New_York',
    product: 'credit_card',
    balanceDueCents: 120_000,
    amountPastDueCents: 15_000,
    daysPastDue: 45,
    creditLimitCents: 200_000,
    lastPaymentDate: null,
    lastPaymentAmountCents: null,
    paymentsLast6m: 2,
    ficoScore: 640,
    monthlyIncomeCents: 400_000,
    emailConsent: true,
    smsConsent: true,
    callConsent: true,
    doNotContact: false,
    inDispute: false,
    bankruptcy: false,
    promiseToPayDate: null,
    ...over,
  };
}

export const NO_SUPPRESSIONS: Suppressions = { email: [], sms: [], voice: [] };

export function makeInput(over: Partial<DecisionInput> & { account?: Account } = {}): DecisionInput {
  return { account: makeAccount(), score: 0.3, runDate: '2026-04-14', history: [], suppressions: NO_SUPPRESSIONS, ...over };
}

/** Policy with one catch-all segment using every channel, so a test sees each channel's fate. */
export function allChannelsPolicy(over: Record<string, unknown> = {}, segmentOver: Record<string, unknown> = {}): ContactPolicy {
  const base = JSON.parse(JSON.stringify(DEFAULT_CONTACT_POLICY)) as Record<string, unknown>;
  return loadContactPolicy({
    ...base,
    segments: [
      {
        id: 'all',
        when: {},
        channels: ['voice', 'sms', 'email'],
        maxChannelsPerDay: 3,
        templates: { voice: 'call', sms: 'text', email: 'mail' },
        sendTimes: { voice: '11:00', sms: '13:00', email: '09:00' },
        ...segmentOver,
      },
    ],
    ...over,
  });
}

/** An attempt/conversation event `minutesBefore` a reference instant. */
export function eventAt(ref: string, minutesBefore: number, channel: ContactEvent['channel'], kind: ContactEvent['kind'] = 'attempt'): ContactEvent {
  return { at: new Date(Date.parse(ref) - minutesBefore * 60_000).toISOString(), channel, kind, actionId: `old#${ref}#${minutesBefore}#${channel}#${kind}` };
}

export const DAY_MIN = 24 * 60;

/** The code part of reasons, for readable assertions. */
export const channelsOf = (d: { actions: { channel: string }[] }) => d.actions.map((a) => a.channel);
