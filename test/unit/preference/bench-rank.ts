/**
 * Cost of the Thompson ranker inside decide(), one core:
 * `npx tsx test/unit/preference/bench-rank.ts [n]`. Same account mix as the strategy bench, with
 * email/SMS stats for 80 % of accounts. Not a jest test (no wall-clock assertions); prints
 * decisions/s with the baseline ranker and with the preference ranker (each twice: the machine is
 * shared, compare the pairs).
 */
import { createThompsonRanker, DEFAULT_PREFERENCE_POLICY, type ChannelStats } from '../../../src/domain/preference';
import { decide, BASELINE_RANKER, DEFAULT_CONTACT_POLICY, STATE_TIMEZONES } from '../../../src/domain/strategy';
import type { ChannelRanker, DecisionInput } from '../../../src/domain/strategy/types';
import { makeAccount } from '../strategy/fixtures';

const n = Number(process.argv[2] ?? 100_000);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const states = Object.keys(STATE_TIMEZONES);
const runDate = '2026-03-09';
const base = Date.parse(`${runDate}T00:00:00Z`);
const channels = ['email', 'sms', 'voice'] as const;

const stats = new Map<string, ChannelStats>();
const inputs: DecisionInput[] = Array.from({ length: n }, (_, i) => {
  const accountId = `A${i}`;
  if (rnd() < 0.8) {
    const e = Math.floor(rnd() * 20);
    const s = Math.floor(rnd() * 12);
    stats.set(accountId, { email: { attempts: e, responses: Math.floor(e * rnd() * 0.2) }, sms: { attempts: s, responses: Math.floor(s * rnd() * 0.3) } });
  }
  return {
    account: makeAccount({ accountId, state: states[i % states.length]!, timezone: null, daysPastDue: 1 + Math.floor(rnd() * 180), balanceDueCents: Math.floor(rnd() * 600_000) }),
    score: rnd(),
    runDate,
    history: Array.from({ length: Math.floor(rnd() * 12) }, (_, k) => ({
      at: new Date(base - Math.floor(rnd() * 30 * 86_400_000)).toISOString(),
      channel: channels[k % 3]!,
      kind: 'attempt' as const,
      actionId: `h${k}`,
    })),
    suppressions: { email: [], sms: [], voice: [] },
  };
});

function run(label: string, ranker: ChannelRanker): void {
  for (let i = 0; i < Math.min(n, 20_000); i++) decide({ ...inputs[i]!, channelRanker: ranker }, DEFAULT_CONTACT_POLICY); // warm-up
  const t0 = performance.now();
  for (const input of inputs) decide({ ...input, channelRanker: ranker }, DEFAULT_CONTACT_POLICY);
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${Math.round(n / s).toLocaleString('en-US')} decisions/s`);
}

run('baseline ', BASELINE_RANKER);
run('thompson ', createThompsonRanker({ policy: DEFAULT_PREFERENCE_POLICY, statsFor: (id) => stats.get(id) }));
run('baseline ', BASELINE_RANKER);
run('thompson ', createThompsonRanker({ policy: DEFAULT_PREFERENCE_POLICY, statsFor: (id) => stats.get(id) }));
