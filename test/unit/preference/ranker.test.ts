import {
  assignArm,
  createThompsonRanker,
  HOLDOUT_RANKER_NAME,
  LEARNED_RANKER_NAME,
  SeededRng,
  type ChannelStats,
} from '../../../src/domain/preference';
import type { Channel } from '../../../src/domain/portfolio/account';
import { decide, BASELINE_RANKER } from '../../../src/domain/strategy';
import type { ContactEvent, RankerContext } from '../../../src/domain/strategy/types';
import { allChannelsPolicy, makeAccount, makeInput } from '../strategy/fixtures';
import { addDays, policyWith } from './helpers';

const noHoldout = policyWith({ experiment: { id: 'test-exp', holdoutFraction: 0 } });
const ALL: Channel[] = ['voice', 'sms', 'email'];

function ctx(accountId: string, over: Partial<RankerContext> = {}): RankerContext {
  return { account: makeAccount({ accountId }), score: 0.3, segment: 'all', runDate: '2026-04-14', allowed: ALL, history: [], ...over };
}

/** Every non-empty ordered subset of the channels, as the engine could pass it. */
function subsets(): Channel[][] {
  const out: Channel[][] = [];
  for (let mask = 1; mask < 8; mask++) out.push(ALL.filter((_, i) => mask & (1 << i)));
  return out;
}

describe('Thompson ranker', () => {
  it('returns a permutation of ctx.allowed, never anything else', () => {
    const stats: ChannelStats = { email: { attempts: 30, responses: 9 }, sms: { attempts: 5, responses: 0 }, voice: { attempts: 4, responses: 2 } };
    const r = createThompsonRanker({ policy: noHoldout, statsFor: () => stats });
    for (let i = 0; i < 300; i++) {
      for (const allowed of subsets()) {
        const out = r.rank(ctx(`A${i}`, { allowed, runDate: addDays('2026-01-01', i % 40) }));
        expect([...out].sort()).toEqual([...allowed].sort());
      }
    }
    expect(r.rank(ctx('A1', { allowed: [] }))).toEqual([]);
  });

  it('is deterministic per (account, day) and varies across days and accounts', () => {
    const statsFor = () => ({ email: { attempts: 3, responses: 1 }, sms: { attempts: 3, responses: 1 } });
    const a = createThompsonRanker({ policy: noHoldout, statsFor });
    const b = createThompsonRanker({ policy: noHoldout, statsFor }); // a fresh instance (another Lambda)
    const orders = new Set<string>();
    for (let d = 0; d < 30; d++) {
      const c = ctx('A7', { runDate: addDays('2026-03-01', d), allowed: ['sms', 'email'] });
      const first = a.explain(c);
      expect(b.explain(c)).toEqual(first);
      expect(a.rank(c)).toEqual(first.map((s) => s.channel));
      orders.add(first.map((s) => s.channel).join('>'));
    }
    // Equal posteriors: over 30 days both orders occur (exploration), yet each day is fixed.
    expect(orders.size).toBe(2);
  });

  it("a channel's draw does not depend on which other channels are allowed", () => {
    const r = createThompsonRanker({ policy: noHoldout, statsFor: () => undefined });
    const all = r.explain(ctx('A3'));
    const two = r.explain(ctx('A3', { allowed: ['sms', 'email'] }));
    for (const s of two) expect(s.theta).toBe(all.find((x) => x.channel === s.channel)!.theta);
  });

  it('a re-run of the day keeps the channels already planned first, even if counters moved', () => {
    const runDate = '2026-04-14';
    const history: ContactEvent[] = [{ at: '2026-04-14T13:00:00.000Z', channel: 'email', kind: 'attempt', actionId: `${runDate}#A9#email` }];
    // Stats now strongly favour SMS; the earlier run (weaker data) had chosen email.
    const r = createThompsonRanker({ policy: noHoldout, statsFor: () => ({ sms: { attempts: 50, responses: 40 }, email: { attempts: 50, responses: 0 } }) });
    expect(r.rank(ctx('A9', { runDate, history, allowed: ['sms', 'email'] }))).toEqual(['email', 'sms']);
    expect(r.rank(ctx('A9', { runDate, history: [], allowed: ['sms', 'email'] }))).toEqual(['sms', 'email']);
  });

  it('falls back to voice stats from the LOG and credits an attributed payment', () => {
    const policy = policyWith({ experiment: { id: 'x', holdoutFraction: 0 }, paymentAttribution: { windowDays: 3, weight: 1 } });
    const history: ContactEvent[] = [
      { at: '2026-04-08T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-08#A1#voice' },
      { at: '2026-04-09T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-09#A1#voice' },
      { at: '2026-04-09T15:02:00.000Z', channel: 'voice', kind: 'conversation' },
    ];
    const r = createThompsonRanker({ policy, statsFor: () => ({ email: { attempts: 4, responses: 0 } }) });
    const c = ctx('A1', { history, account: makeAccount({ accountId: 'A1', lastPaymentDate: '2026-04-10' }) });
    const voice = r.explain(c).find((s) => s.channel === 'voice')!;
    expect(voice.stat).toEqual({ attempts: 2, responses: 2 }); // 1 conversation + 1 payment credit
    expect(voice.alpha).toBeCloseTo(policy.priors.default.voice.alpha + 2, 12);
  });

  it('uses segment priors', () => {
    const r = createThompsonRanker({ policy: noHoldout, statsFor: () => undefined });
    const email = r.explain(ctx('A1', { segment: 'early_self_cure' })).find((s) => s.channel === 'email')!;
    expect([email.alpha, email.beta]).toEqual([noHoldout.priors.segments.early_self_cure!.email!.alpha, noHoldout.priors.segments.early_self_cure!.email!.beta]);
  });

  it('converges to the better channel in a simulated bandit (seeded)', () => {
    // 400 accounts, SMS vs email; half respond to SMS at 25 % and email at 5 %, half the reverse.
    // Each day the top-ranked channel is sent and a response drawn from its true rate.
    const r = createThompsonRanker({ policy: noHoldout, statsFor: (id) => book.get(id) });
    const book = new Map<string, ChannelStats>();
    const world = new SeededRng(2024);
    const truth = (i: number): Record<'sms' | 'email', number> => (i % 2 === 0 ? { sms: 0.25, email: 0.05 } : { sms: 0.05, email: 0.25 });
    const days = 60;
    for (let i = 0; i < 400; i++) book.set(`S${i}`, {});
    for (let d = 0; d < days; d++) {
      const runDate = addDays('2026-01-01', d);
      for (let i = 0; i < 400; i++) {
        const id = `S${i}`;
        const top = r.rank(ctx(id, { runDate, allowed: ['sms', 'email'] }))[0] as 'sms' | 'email';
        const s = book.get(id)!;
        const prev = s[top] ?? { attempts: 0, responses: 0 };
        s[top] = { attempts: prev.attempts + 1, responses: prev.responses + (world.next() < truth(i)[top] ? 1 : 0) };
      }
    }
    let best = 0;
    let better = 0;
    for (let i = 0; i < 400; i++) {
      const t = truth(i);
      const top = r.rank(ctx(`S${i}`, { runDate: addDays('2026-01-01', days), allowed: ['sms', 'email'] }))[0]!;
      if (top === (t.sms > t.email ? 'sms' : 'email')) best++;
      const s = book.get(`S${i}`)!;
      const pulls = (s.sms?.attempts ?? 0) + (s.email?.attempts ?? 0);
      if ((t.sms > t.email ? s.sms?.attempts ?? 0 : s.email?.attempts ?? 0) / pulls > 0.5) better++;
    }
    expect(best / 400).toBeGreaterThanOrEqual(0.8);
    expect(better / 400).toBeGreaterThanOrEqual(0.8); // most contacts already went to the better channel
  });
});

describe('holdout (champion/challenger)', () => {
  it('holds out the configured fraction of 100k accounts, within tolerance', () => {
    for (const f of [0.1, 0.25]) {
      let held = 0;
      for (let i = 0; i < 100_000; i++) if (assignArm(`ACC${String(i).padStart(8, '0')}`, { id: 'exp-1', holdoutFraction: f }) === 'holdout') held++;
      // σ = sqrt(f(1-f)/1e5) ≤ 0.0014: ±0.006 is > 4σ.
      expect(Math.abs(held / 100_000 - f)).toBeLessThan(0.006);
    }
  });

  it('0 and 1 are exact; a new experiment id reshuffles independently', () => {
    expect(assignArm('A1', { id: 'e', holdoutFraction: 0 })).toBe('learned');
    expect(assignArm('A1', { id: 'e', holdoutFraction: 1 })).toBe('holdout');
    let both = 0;
    for (let i = 0; i < 50_000; i++) {
      const id = `B${i}`;
      if (assignArm(id, { id: 'exp-1', holdoutFraction: 0.1 }) === 'holdout' && assignArm(id, { id: 'exp-2', holdoutFraction: 0.1 }) === 'holdout') both++;
    }
    expect(both / 50_000).toBeGreaterThan(0.007); // independent: 0.1 × 0.1 = 0.01
    expect(both / 50_000).toBeLessThan(0.013);
  });

  it('an account stays in its arm across days; holdout gets the plan order under its own name', () => {
    const policy = policyWith({ experiment: { id: 'exp-1', holdoutFraction: 0.3 } });
    const r = createThompsonRanker({ policy, statsFor: () => ({ email: { attempts: 40, responses: 30 }, sms: { attempts: 40, responses: 0 }, voice: { attempts: 40, responses: 0 } }) });
    let holdouts = 0;
    for (let i = 0; i < 500; i++) {
      const id = `H${i}`;
      const names = new Set<string>();
      for (let d = 0; d < 10; d++) {
        const c = ctx(id, { runDate: addDays('2026-02-20', d) });
        const out = r.rank(c);
        names.add(r.name);
        if (r.name === HOLDOUT_RANKER_NAME) expect(out).toEqual(ALL);
        else expect(out[0]).toBe('email');
      }
      expect(names.size).toBe(1);
      const arm = r.armOf(id);
      expect([...names][0]).toBe(arm === 'holdout' ? HOLDOUT_RANKER_NAME : LEARNED_RANKER_NAME);
      expect(r.forAccount(id).name).toBe([...names][0]);
      if (arm === 'holdout') holdouts++;
    }
    expect(holdouts).toBeGreaterThan(100);
    expect(holdouts).toBeLessThan(200);
  });

  it('disabled policy: everyone on the baseline order, named baseline', () => {
    const r = createThompsonRanker({ policy: policyWith({ enabled: false }), statsFor: () => ({ email: { attempts: 40, responses: 40 } }) });
    expect(r.rank(ctx('A1'))).toEqual(ALL);
    expect(r.name).toBe('baseline');
    expect(r.armOf('A1')).toBe('holdout');
  });
});

describe('inside decide()', () => {
  const policy = allChannelsPolicy({}, { maxChannelsPerDay: 1 });

  it('the arm is in the reasons, and the learned order picks the best allowed channel', () => {
    const pref = policyWith({ experiment: { id: 'exp-1', holdoutFraction: 0.5 } });
    const r = createThompsonRanker({ policy: pref, statsFor: () => ({ email: { attempts: 60, responses: 45 }, sms: { attempts: 60, responses: 1 }, voice: { attempts: 60, responses: 1 } }) });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const account = makeAccount({ accountId: `D${i}` });
      const d = decide(makeInput({ account, channelRanker: r }), policy);
      const base = decide(makeInput({ account, channelRanker: BASELINE_RANKER }), policy);
      const arm = r.armOf(account.accountId);
      const name = arm === 'holdout' ? HOLDOUT_RANKER_NAME : LEARNED_RANKER_NAME;
      seen.add(name);
      expect(d.actions).toHaveLength(1);
      expect(d.actions[0]!.channel).toBe(arm === 'holdout' ? base.actions[0]!.channel : 'email');
      expect(d.actions[0]!.reasons).toContain(`channel:${d.actions[0]!.channel}(rank=1,ranker=${name})`);
      expect(d.reasons.some((x) => x.startsWith(`ranker:${name}(`))).toBe(true);
    }
    expect(seen.size).toBe(2);
  });

  it('never plans a channel that consent or opt-outs excluded', () => {
    const r = createThompsonRanker({ policy: noHoldout, statsFor: () => ({ email: { attempts: 60, responses: 60 } }) });
    for (let i = 0; i < 50; i++) {
      const account = makeAccount({ accountId: `E${i}`, emailConsent: i % 2 === 0 });
      const d = decide(makeInput({ account, channelRanker: r, suppressions: { email: i % 3 === 0 ? [account.email!] : [], sms: [], voice: [] } }), policy);
      const emailOk = i % 2 === 0 && i % 3 !== 0;
      expect(d.actions.some((a) => a.channel === 'email')).toBe(emailOk);
      expect(d.actions).toHaveLength(1);
    }
  });
});
