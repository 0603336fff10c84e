/**
 * Throughput of decide() on one core: `npx tsx test/unit/strategy/bench-decide.ts [n]`.
 * Realistic mix: every state, half with an explicit zone, 0-12 history events, some opt-outs.
 * Not a jest test (no wall-clock assertions); prints decisions/s.
 */
import { decide } from '../../../src/domain/strategy/engine';
import { DEFAULT_CONTACT_POLICY } from '../../../src/domain/strategy/policy';
import { STATE_TIMEZONES } from '../../../src/domain/strategy/timezones';
import type { DecisionInput } from '../../../src/domain/strategy/types';
import { makeAccount } from './fixtures';

const n = Number(process.argv[2] ?? 200_000);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const states = Object.keys(STATE_TIMEZONES);
const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', null];
const runDate = '2026-03-09';
const base = Date.parse(`${runDate}T00:00:00Z`);
const channels = ['email', 'sms', 'voice'] as const;

const inputs: DecisionInput[] = Array.from({ length: n }, (_, i) => ({
  account: makeAccount({
    accountId: `A${i}`,
    state: states[i % states.length]!,
    timezone: zones[i % zones.length]!,
    daysPastDue: 1 + Math.floor(rnd() * 180),
    balanceDueCents: Math.floor(rnd() * 600_000),
    smsConsent: rnd() < 0.7,
    doNotContact: rnd() < 0.02,
  }),
  score: rnd(),
  runDate,
  history: Array.from({ length: Math.floor(rnd() * 12) }, (_, k) => ({
    at: new Date(base - Math.floor(rnd() * 30 * 86_400_000)).toISOString(),
    channel: channels[k % 3]!,
    kind: 'attempt' as const,
    actionId: `h${k}`,
  })),
  suppressions: { email: rnd() < 0.05 ? ['maria.lopez@example.com'] : [], sms: [], voice: [] },
}));

// warm-up (JIT, zone caches), then measure
for (let i = 0; i < Math.min(n, 20_000); i++) decide(inputs[i]!, DEFAULT_CONTACT_POLICY);
const t0 = process.hrtime.bigint();
let actions = 0;
for (const input of inputs) actions += decide(input, DEFAULT_CONTACT_POLICY).actions.length;
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${n} decisions in ${secs.toFixed(2)} s = ${Math.round(n / secs).toLocaleString('en-US')} decisions/s (${actions} actions)`);
